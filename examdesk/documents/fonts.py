"""The fonts every document uses: Source Sans Pro (Latin, Greek, Cyrillic), registered once per process.

Only two faces are used, regular and semibold: each face in a file costs an embedded subset, and embedding is
most of the cost of a one-page PDF.
"""

from __future__ import annotations

import functools
import threading
import unicodedata
from pathlib import Path

import font_source_sans_pro  # type: ignore[import-untyped]
from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped]
from reportlab.pdfbase.ttfonts import TTFont  # type: ignore[import-untyped]

REGULAR = "SourceSansPro"
SEMIBOLD = "SourceSansPro-Semibold"

_FILES = {
    REGULAR: "SourceSansPro-Regular.ttf",
    SEMIBOLD: "SourceSansPro-Semibold.ttf",
}
_lock = threading.Lock()
_registered = False


def font_file(name: str) -> Path:
    return Path(font_source_sans_pro.font_directory) / _FILES[name]


def register() -> None:
    """Load the TrueType faces into ReportLab (once per process; cheap to call again)."""
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        for name in _FILES:
            pdfmetrics.registerFont(TTFont(name, str(font_file(name))))
        _registered = True


@functools.lru_cache(maxsize=8192)
def width(text: str, font: str, size: float) -> float:
    """The width of `text` in points (cached: most text on a page is the same on every page)."""
    register()
    return float(pdfmetrics.stringWidth(text, font, size))


def clean(text: str) -> str:
    """Text as it is drawn: composed (NFC, so "e" + combining diaeresis is one glyph) without control characters."""
    composed = unicodedata.normalize("NFC", text)
    return "".join(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in composed).strip()


def fit(text: str, font: str, size: float, room: float, *, smallest: float = 6.0) -> float:
    """The largest size up to `size` at which `text` fits in `room` points (never below `smallest`)."""
    measured = width(text, font, size)
    if measured <= room or measured == 0:
        return size
    return max(smallest, size * room / measured)


def shorten(text: str, font: str, size: float, room: float) -> str:
    """`text`, cut and ended with "…" if it is wider than `room` at `size` (the last resort for a long name)."""
    if width(text, font, size) <= room:
        return text
    low, high = 0, len(text)
    while low < high:  # the longest prefix that fits with the ellipsis
        middle = (low + high + 1) // 2
        if width(text[:middle].rstrip() + "…", font, size) <= room:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + "…"


def lines(text: str, font: str, size: float, room: float) -> list[str]:
    """`text` broken into lines that fit `room` (at spaces; a word longer than a line is cut)."""
    out: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if width(candidate, font, size) <= room:
            current = candidate
            continue
        if current:
            out.append(current)
        current = word
        while width(current, font, size) > room and len(current) > 1:
            cut = len(current)
            while cut > 1 and width(current[:cut], font, size) > room:
                cut -= 1
            out.append(current[:cut])
            current = current[cut:]
    if current:
        out.append(current)
    return out
