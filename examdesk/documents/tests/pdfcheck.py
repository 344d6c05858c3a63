"""Reading back the PDFs the tests make: text, fonts, and what a standard PDF must not hold."""

from __future__ import annotations

import io
import re
import zlib

from pypdf import PdfReader


def reader(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def page_texts(data: bytes) -> list[str]:
    return [page.extract_text() for page in reader(data).pages]


def font_files(data: bytes) -> list[tuple[str, bool]]:
    """(base font name, has an embedded TrueType program) for every font of every page, each font once."""
    seen: dict[int, tuple[str, bool]] = {}
    for page in reader(data).pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.get_object().values():
            font = ref.get_object()
            descriptor = font.get("/FontDescriptor")
            embedded = descriptor is not None and "/FontFile2" in descriptor.get_object()
            seen[ref.idnum] = (str(font["/BaseFont"]), embedded)
    return list(seen.values())


def count_font_programs(data: bytes) -> int:
    """How many embedded font programs the whole file holds."""
    return len(re.findall(rb"/FontFile2\s", data))


def forbidden(data: bytes) -> list[str]:
    """Names of features a plain, print-anywhere PDF must not use, found in the file or its streams."""
    raw = [data]
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            raw.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    names = [b"/JavaScript", b"/JS", b"/AcroForm", b"/OpenAction", b"/AA", b"/Launch", b"/EmbeddedFile", b"/SMask"]
    found = {name.decode() for name in names for chunk in raw if re.search(re.escape(name) + rb"[\s/<\[(]", chunk)}
    # Transparency in a graphics state (constant alpha below 1).
    found |= {"/CA" for chunk in raw if re.search(rb"/(CA|ca)\s+0?\.\d", chunk)}
    return sorted(found)
