"""The fonts every document uses: a fallback chain of Noto families that covers every script a name may be in.

Typst (documents/pdf.py) shapes the text with these fonts, takes each character from the first family of the
chain that has it, and embeds a subset of each face it used. The files come from Debian's fonts-noto-core and
fonts-noto-cjk (`make fonts` installs them), found in the folders of the EXAMDESK_FONT_DIRS setting; a missing
family is a FontsMissing error that names the package to install, raised on the first document drawn.

Python lays out only the charts (documents/profile.py, reports/charts.py) and measures their labels with `width`,
from the same fonts' advance widths (without shaping: a chart label is short, and the measure only has to leave
room, never to place glyphs).
"""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
import threading
import unicodedata
from pathlib import Path

from django.conf import settings
from fontTools.ttLib import TTFont

# The chain, in order: Latin, Greek, Cyrillic (with Vietnamese and other stacked diacritics) first, then each
# script's own family; Chinese (simplified and traditional), Japanese and Korean come from Noto Sans CJK, whose
# every regional font holds all their ideographs, kana and hangul.
FAMILIES = (
    "Noto Sans",
    "Noto Sans Arabic",
    "Noto Sans Hebrew",
    "Noto Sans Devanagari",
    "Noto Sans Bengali",
    "Noto Sans Thai",
    "Noto Sans CJK SC",
)
# The files of the chain (regular and bold of each family), looked for in the font folders. Typst is given only
# these, not the whole folders: it reads the metadata of every file it is given, in every process.
FILES = (
    "NotoSans-Regular.ttf", "NotoSans-Bold.ttf",
    "NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf",
    "NotoSansHebrew-Regular.ttf", "NotoSansHebrew-Bold.ttf",
    "NotoSansDevanagari-Regular.ttf", "NotoSansDevanagari-Bold.ttf",
    "NotoSansBengali-Regular.ttf", "NotoSansBengali-Bold.ttf",
    "NotoSansThai-Regular.ttf", "NotoSansThai-Bold.ttf",
    "NotoSansCJK-Regular.ttc", "NotoSansCJK-Bold.ttc",
)  # fmt: skip
PACKAGES = {
    "Noto Sans CJK SC": "fonts-noto-cjk",
}
DEFAULT_PACKAGE = "fonts-noto-core"
DEFAULT_DIRS = ("/usr/share/fonts/truetype/noto", "/usr/share/fonts/opentype/noto")
# The files `width` measures with, one per weight (in the first folder that has them).
_MEASURED = {False: "NotoSans-Regular.ttf", True: "NotoSans-Bold.ttf"}

_lock = threading.Lock()


class FontsMissing(RuntimeError):
    """A family of the chain is in none of the font folders: documents cannot be drawn right without it."""


def font_dirs() -> list[Path]:
    """The folders fonts are read from: the EXAMDESK_FONT_DIRS setting (Debian's Noto folders by default)."""
    configured = getattr(settings, "EXAMDESK_FONT_DIRS", None) or DEFAULT_DIRS
    return [Path(folder) for folder in configured]


def chain_folder() -> Path:
    """A folder of this process's own holding links to the chain's files (FILES) found in the font folders; the
    families they lack are then reported by `check`."""
    folder = Path(tempfile.mkdtemp(prefix="examdesk-fonts-"))
    atexit.register(shutil.rmtree, folder, True)
    for name in FILES:
        for source in font_dirs():
            if (source / name).exists():
                (folder / name).symlink_to(source / name)
                break
    return folder


def missing_message(missing: list[str], dirs: list[Path]) -> str:
    packages = sorted({PACKAGES.get(family, DEFAULT_PACKAGE) for family in missing})
    return (
        f"The fonts {', '.join(missing)} are not in {', '.join(str(d) for d in dirs)} (EXAMDESK_FONT_DIRS). "
        f"Install Debian's {' and '.join(packages)} ('make fonts' does it), or point EXAMDESK_FONT_DIRS at "
        "folders that hold them."
    )


def check(families: list[str]) -> None:
    """FontsMissing unless every family of the chain is among `families` (what Typst found in the folders)."""
    missing = [family for family in FAMILIES if family not in families]
    if missing:
        raise FontsMissing(missing_message(missing, font_dirs()))


@functools.cache
def _measuring_font(bold: bool) -> TTFont:
    name = _MEASURED[bold]
    for folder in font_dirs():
        path = folder / name
        if path.exists():
            return TTFont(str(path), lazy=True)
    raise FontsMissing(missing_message(["Noto Sans"], font_dirs()))


@functools.cache
def _metrics(bold: bool) -> tuple[dict[int, str], dict[str, tuple[int, int]], int]:
    # Under the lock: fontTools reads a lazily loaded table on first use, and two threads of a web process
    # reading the same font's tables at once break each other (a result page's chart, on results day).
    with _lock:
        font = _measuring_font(bold)
        return font.getBestCmap(), font["hmtx"].metrics, int(font["head"].unitsPerEm)


@functools.lru_cache(maxsize=8192)
def width(text: str, bold: bool, size: float) -> float:
    """The width of `text` in points at `size` (Noto Sans advance widths; a character it lacks counts as 1 em,
    about what a CJK ideograph takes)."""
    cmap, advances, units = _metrics(bold)
    total = 0
    for character in text:
        glyph = cmap.get(ord(character))
        if glyph is None:
            total += 0 if unicodedata.combining(character) else units
        else:
            total += advances[glyph][0]
    return total * size / units


def clean(text: str) -> str:
    """Text as it is drawn: composed (NFC, so "e" + combining diaeresis is one glyph) without control characters."""
    composed = unicodedata.normalize("NFC", text)
    return "".join(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in composed).strip()
