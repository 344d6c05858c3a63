"""Typeset PDFs joined into one print file: every page in order, the text kept, the parts' tags not carried."""

from __future__ import annotations

import io

import pytest

from examdesk.documents.pdf import Meta
from examdesk.documents.pdf_join import join_pdfs
from examdesk.documents.statements import render_statement
from examdesk.documents.tests import pdfcheck
from examdesk.documents.tests.samples import statement

META = Meta(title="Statements of results, Examdesk Assessment Board", author="Examdesk Assessment Board", subject="s")


def test_parts_join_into_one_file_with_every_page_in_order():
    names = [("Анна", "Иванова"), ("王", "小明"), ("Nguyễn Thị", "Minh Khai")]
    parts = [render_statement(statement(first, last)) for first, last in names]
    out = io.BytesIO()

    pages = join_pdfs(parts, out, meta=META)

    texts = pdfcheck.page_texts(out.getvalue())
    assert pages == len(texts) == 3
    for text, (first, last) in zip(texts, names, strict=True):
        assert f"{first} {last}" in pdfcheck.logical(text)
    joined = pdfcheck.reader(out.getvalue())
    assert joined.metadata.title == META.title
    assert "/StructTreeRoot" not in joined.trailer["/Root"]
    assert all("/StructParents" not in page for page in joined.pages)


def test_nothing_to_join():
    with pytest.raises(ValueError):
        join_pdfs([], io.BytesIO(), meta=META)
