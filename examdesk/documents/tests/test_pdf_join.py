"""Our own PDF files split into single pages and joined again, by copying bytes (documents/pdf_join.py)."""

from __future__ import annotations

import io
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader

from examdesk.documents.pdf_join import OwnPdf, join_pdfs, split_pages
from examdesk.documents.statements import StatementData, render_statements

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bench"))
from statements import BASE, statements  # noqa: E402  (the statement benchmark's sample data)


def _drawn(items: list[StatementData], *, title: str) -> bytes:
    """Statements drawn as one PDF, a page each, as a chunk of the bulk statements job draws them."""
    out = io.BytesIO()
    render_statements(items, out, title=title)
    return out.getvalue()


def test_parts_join_into_one_file_with_every_page_in_order_and_fonts_kept_apart():
    first = _drawn(statements(3), title="A")
    second = _drawn([replace(data, candidate_first_name="Ωμέγα") for data in statements(2)], title="B")
    joined = b"".join(join_pdfs([first, second], title="All statements", author=BASE.board_name))
    reader = PdfReader(io.BytesIO(joined))
    assert len(reader.pages) == 5
    assert reader.metadata.title == "All statements"
    texts = [page.extract_text() for page in reader.pages]
    assert "Ωμέγα" not in "".join(texts[:3]) and all("Ωμέγα" in text for text in texts[3:])
    fonts = {str(font["/BaseFont"]) for page in reader.pages for font in page["/Resources"]["/Font"].values()}
    assert len(fonts) == len({f.split("+", 1)[1] for f in fonts}) * 2  # each part's subsets named apart
    with pytest.raises(ValueError, match="flat page tree"):
        OwnPdf(joined)  # the joined file's tree has a branch per part: not for splitting again


def test_split_pages_refuses_a_title_count_that_does_not_match():
    pdf = _drawn(statements(2), title="A")
    with pytest.raises(ValueError, match="2 pages"):
        list(split_pages(pdf, ["only one"], author="Board"))
