"""Reading back the PDFs the tests make: text (pypdf and pdftotext), fonts and glyphs (fontTools on the embedded
subsets), tags (pikepdf), and what a plain PDF must not hold."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zlib

import pikepdf
import pytest
from fontTools.cffLib import CFFFontSet
from fontTools.ttLib import TTFont
from pypdf import PdfReader

# Marks an extractor may put around a right-to-left run (embeddings, isolates): not text of the page.
_BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def reader(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def page_texts(data: bytes) -> list[str]:
    return [page.extract_text() for page in reader(data).pages]


def logical(text: str) -> str:
    """`text` without the bidirectional marks an extractor adds, its spaces and line breaks as single spaces."""
    return " ".join(_BIDI_MARKS.sub("", text).split())


def pdftotext(data: bytes, tmp_path) -> str:
    """The text poppler's pdftotext reads from the file (in reading order, no layout)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed: run 'make fonts' (it installs Debian's poppler-utils)")
    path = tmp_path / "document.pdf"
    path.write_bytes(data)
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    return done.stdout.decode()


def font_files(data: bytes) -> list[tuple[str, bool]]:
    """(base font name, has an embedded font program) for every font of every page, each font once."""
    seen: dict[str, tuple[str, bool]] = {}
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            for font in page.Resources.get("/Font", {}).values():
                descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
                descriptor = descendant.get("/FontDescriptor", {})
                embedded = any(f"/FontFile{n}" in descriptor for n in ("", "2", "3"))
                seen[str(font.BaseFont)] = (str(font.BaseFont), embedded)
    return list(seen.values())


def count_font_programs(data: bytes) -> int:
    """How many embedded font programs the whole file holds."""
    return len(re.findall(rb"/FontFile[23]?\s", data)) or _count_in_object_streams(data)


def _count_in_object_streams(data: bytes) -> int:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return sum(
            1
            for obj in pdf.objects
            if isinstance(obj, pikepdf.Dictionary)
            and any(key in obj for key in ("/FontFile", "/FontFile2", "/FontFile3"))
        )


def _to_unicode(stream: bytes) -> dict[int, str]:
    """A ToUnicode CMap's codes and their text (bfchar and bfrange entries, 2-byte codes)."""
    text = stream.decode("latin-1")
    found: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for code, value in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            found[int(code, 16)] = bytes.fromhex(value).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for start, end, value in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            first = bytes.fromhex(value).decode("utf-16-be")
            for offset, code in enumerate(range(int(start, 16), int(end, 16) + 1)):
                found[code] = first[:-1] + chr(ord(first[-1]) + offset)
    return found


def _glyph_count(descriptor: pikepdf.Dictionary) -> int:
    """How many glyphs the embedded subset holds (TrueType or CFF)."""
    if "/FontFile2" in descriptor:
        return int(TTFont(io.BytesIO(descriptor.FontFile2.read_bytes()))["maxp"].numGlyphs)
    program = descriptor.FontFile3
    data = program.read_bytes()
    if program.get("/Subtype") == "/OpenType":
        return int(TTFont(io.BytesIO(data))["maxp"].numGlyphs)
    fonts = CFFFontSet()
    fonts.decompile(io.BytesIO(data), None)
    return len(fonts[fonts.fontNames[0]].charset)


def missing_glyphs(data: bytes, text: str) -> list[str]:
    """The characters of `text` (spaces aside) that no embedded font draws with a real glyph: each must be in the
    text (ToUnicode) of a glyph that is in its font's embedded subset and is not .notdef. Also every code mapped
    to .notdef (glyph 0) is reported, as "notdef:<text>"."""
    drawn: set[str] = set()
    problems: list[str] = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            for font in page.Resources.get("/Font", {}).values():
                descendant = font.DescendantFonts[0]
                count = _glyph_count(descendant.FontDescriptor)
                for code, value in _to_unicode(font.ToUnicode.read_bytes()).items():
                    if code == 0:
                        problems.append(f"notdef:{value}")
                    elif code < count:
                        drawn.update(value)
    return problems + sorted({c for c in text if not c.isspace() and c not in drawn})


def structure(data: bytes) -> list[tuple[str, str]]:
    """The structure tree in reading order: (tag, its /Alt or '') for every element, depth first."""
    out: list[tuple[str, str]] = []
    with pikepdf.open(io.BytesIO(data)) as pdf:

        def walk(node: pikepdf.Object) -> None:
            if isinstance(node, pikepdf.Array):
                for kid in node:
                    walk(kid)
                return
            if not isinstance(node, pikepdf.Dictionary) or "/S" not in node:
                return
            out.append((str(node.S)[1:], str(node.get("/Alt", ""))))
            if "/K" in node:
                walk(node.K)

        walk(pdf.Root.StructTreeRoot.K)
    return out


def forbidden(data: bytes) -> list[str]:
    """Names of features a plain, print-anywhere PDF must not use, found in the file or its streams."""
    raw = [data]
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            raw.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    names = [b"/JavaScript", b"/JS", b"/OpenAction", b"/AA", b"/Launch", b"/EmbeddedFile"]
    return sorted(
        {name.decode() for name in names for chunk in raw if re.search(re.escape(name) + rb"[\s/<\[(]", chunk)}
    )
