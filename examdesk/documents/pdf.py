"""Every PDF the product writes is typeset here, by Typst (the `typst` package compiles in-process).

Why Typst: it shapes with HarfBuzz's algorithms (Arabic joins, Devanagari and Bengali conjuncts, Thai), lays
right-to-left text out with the Unicode bidirectional algorithm, takes each character from the first font of the
chain that has it (documents/fonts.py), embeds subsets of TrueType and CFF fonts alike (Noto Sans CJK is CFF,
which ReportLab cannot embed), and writes tagged PDF: title, language, headings, tables, figures with
alternative text, reading order. Measured against ReportLab on the same statement: docs/documents.md.

A document is a template in documents/typst/ (layout only) and its data as JSON: every word printed comes from
Python, so wording is translated there. One compiler per template and process, created on first use, keeps the
fonts loaded; compiling is serialised per compiler (one page takes a few milliseconds).
"""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

import typst
from django.utils import translation

from examdesk.documents import fonts

TEMPLATES = Path(__file__).parent / "typst"
CREATOR = "Examdesk"
# English wording is British English; other languages as Django names them ("pt-pt" is /Lang pt-PT).
REGIONS = {"en": "GB"}
BATCH = 500  # pages typeset in one go; a longer print file is typeset in batches and joined (documents/pdf_join.py)

_locks: dict[str, threading.Lock] = {}


@functools.cache
def _fonts() -> typst.Fonts:
    found = typst.Fonts(
        include_system_fonts=False, include_embedded_fonts=False, font_paths=[str(fonts.chain_folder())]
    )
    fonts.check(found.families())
    return found


@functools.cache
def _compiler(template: str) -> typst.Compiler:
    _locks[template] = threading.Lock()
    return typst.Compiler(
        str(TEMPLATES / f"{template}.typ"), root=str(TEMPLATES), font_paths=_fonts(), ignore_system_fonts=True
    )


class GlyphMissing(ValueError):
    """A text holds a character that no font of the chain can draw: the PDF would show a box, so none is made."""


@dataclass(frozen=True)
class Meta:
    """The document's information: its title, author and subject, shown by viewers and read by screen readers."""

    title: str
    author: str
    subject: str
    keywords: tuple[str, ...] = ()


def typeset(template: str, meta: Meta, items: list[dict[str, Any]], *, words: dict[str, str]) -> bytes:
    """One PDF of `template` with a page (or more) per item: tagged, in PDF/UA-1, fonts subset and embedded."""
    if not items:
        raise ValueError("A PDF needs a page.")
    data = {
        "title": fonts.clean(meta.title),
        "author": fonts.clean(meta.author),
        "subject": fonts.clean(meta.subject),
        "keywords": list(meta.keywords),
        **document_language(),
        "fonts": list(fonts.FAMILIES),
        "words": words,
        "items": items,
    }
    compiler = _compiler(template)
    with _locks[template]:
        try:
            pdf = compiler.compile(
                format="pdf", sys_inputs={"data": json.dumps(data, ensure_ascii=False)}, pdf_standards=["ua-1"]
            )
        except typst.TypstError as error:
            # PDF/UA-1 forbids a glyph that is not there: Typst refuses rather than print a box.
            if "could not be displayed" in error.message:
                raise GlyphMissing(f"No font can print this text: {error.message}") from error
            raise
    assert isinstance(pdf, bytes)
    return pdf


def document_language() -> dict[str, str | None]:
    """The active language (translation.override by the caller) as Typst's text language and region: it sets the
    PDF's /Lang, hyphenation and, for Arabic, a right-to-left page."""
    code = (translation.get_language() or "en").lower()
    language, _, region = code.partition("-")
    return {"lang": language, "region": region.upper() or REGIONS.get(language)}


Item = TypeVar("Item")


def render_pages(
    items: Iterable[Item],
    out: BinaryIO,
    *,
    template: str,
    prepare: Callable[[Item], dict[str, Any]],
    meta: Callable[[Item], Meta],
    words: dict[str, str],
    nothing: str,
) -> int:
    """Write one PDF of `template` with a page per item to `out`; returns the number of items.

    Items are typeset BATCH at a time (memory holds one batch); several batches are joined into one file. The
    document's information comes from the first item. ValueError(`nothing`) when there are no items (nothing is
    written).
    """
    from examdesk.documents.pdf_join import join_pdfs

    first: Meta | None = None
    count = 0

    def batches() -> Iterator[bytes]:
        nonlocal first, count
        batch: list[dict[str, Any]] = []
        for item in items:
            if first is None:
                first = meta(item)
            # The language active while an item is prepared is its page's (a bulk job switches per candidate).
            batch.append({**prepare(item), **document_language()})
            count += 1
            if len(batch) == BATCH:
                yield typeset(template, first, batch, words=words)
                batch = []
        if batch:
            assert first is not None
            yield typeset(template, first, batch, words=words)

    parts = batches()
    head = next(parts, None)
    if head is None:
        raise ValueError(nothing)
    second = next(parts, None)
    if second is None:
        out.write(head)
        return count
    assert first is not None
    join_pdfs([head, second, *parts], out, meta=first)
    return count
