"""The statement of results PDF: text that extracts back exactly, embedded fonts, standard PDF only, streaming."""

from __future__ import annotations

import io
import random
import re
import shutil
import string
import subprocess
from dataclasses import replace
from decimal import Decimal

import pytest
from reportlab.graphics.barcode import qrencoder

from examdesk.documents import pdf
from examdesk.documents.layout import qr_matrix
from examdesk.documents.profile import ProfileBar
from examdesk.documents.statements import render_statement, render_statements
from examdesk.documents.tests import pdfcheck
from examdesk.documents.tests.samples import NAMES, statement


@pytest.mark.parametrize(("first", "last"), NAMES)
def test_names_in_every_script_extract_back_exactly(first, last):
    data = render_statement(statement(first, last))

    (text,) = pdfcheck.page_texts(data)
    assert f"{first} {last}" in text


def test_the_page_holds_the_whole_statement():
    (text,) = pdfcheck.page_texts(render_statement(statement()))
    flat = pdfcheck.logical(text)

    for expected in [
        "Examdesk Assessment Board",
        "Statement of results",
        "10001 Lycée Saint-Exupéry",
        "0042",
        "123456782",
        "14 March 2009",
        "B2 First (FCE)",
        "June 2026",
        "Graphical profile",
        "Pass at Grade C",
        "B2",
        "Issued on 21 August 2026",
        "ABCD-EFGH-JKLM",
        "http://127.0.0.1:8000/verify/?code=ABCD-EFGH-JKLM",
    ]:
        assert expected in flat, expected
    lines = text.splitlines()
    # The table of scores: each component, then the overall score (after the chart, which has them too).
    table = lines[lines.index("Scores") :]
    for name, shown in [("Reading", "185"), ("Writing", "178"), ("Speaking", "Absent"), ("Overall score", "188")]:
        assert f"{name} {shown}" in table


def test_fonts_are_embedded_subsets_and_nothing_non_standard_is_used():
    data = render_statement(statement("Αλέξανδρος", "Παπαδόπουλος"))

    fonts = pdfcheck.font_files(data)
    assert fonts, "no fonts found"
    assert all(embedded for _, embedded in fonts), fonts
    # Subsets are named ABCDEF+Font; no standard (unembedded) font such as Helvetica sneaks in.
    assert all(re.fullmatch(r"/[A-Z]{6}\+NotoSans.*", name) for name, _ in fonts), fonts
    assert pdfcheck.forbidden(data) == []
    assert data[:8] == b"%PDF-1.7"


def test_metadata_and_page_size():
    pdf = pdfcheck.reader(render_statement(statement()))

    assert len(pdf.pages) == 1
    assert pdf.metadata.title == "Statement of results: Zoë Łukasiewicz-Ørsted, B2 First, June 2026"
    assert pdf.metadata.author == "Examdesk Assessment Board"
    width, height = (float(v) for v in pdf.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (595, 842)  # A4


def test_merged_file_has_one_page_per_statement_and_its_fonts_once():
    items = [statement(first, last, verification_code=f"CODE-000{i}") for i, (first, last) in enumerate(NAMES * 4)]
    out = io.BytesIO()

    pages = render_statements(iter(items), out)

    data = out.getvalue()
    texts = pdfcheck.page_texts(data)
    assert pages == len(texts) == 12
    for text, item in zip(texts, items, strict=True):
        assert item.candidate_name in text
        assert item.verification_code in text
    # Fonts are embedded once for the file, not once per page.
    single = pdfcheck.count_font_programs(render_statement(statement("Αλέξανδρος", "Παπαδόπουλος")))
    assert pdfcheck.count_font_programs(data) <= single + 2
    assert pdfcheck.forbidden(data) == []
    assert pdfcheck.reader(data).metadata.title == "Statements of results, Examdesk Assessment Board"


def test_nothing_to_print_writes_nothing():
    out = io.BytesIO()

    with pytest.raises(ValueError, match="no statements"):
        render_statements([], out)
    assert out.getvalue() == b""


def _statements(pages: int):
    return (statement(verification_code=f"C{n:06d}") for n in range(pages))


def test_a_file_longer_than_a_batch_is_typeset_in_batches_and_joined_in_order(monkeypatch):
    monkeypatch.setattr(pdf, "BATCH", 4)
    out = io.BytesIO()

    pages = render_statements(_statements(10), out)

    texts = pdfcheck.page_texts(out.getvalue())
    assert pages == len(texts) == 10
    assert [f"C{n:06d}" in text for n, text in enumerate(texts)] == [True] * 10


def _reportlab_qr(value):
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(value)
    code.make()
    return [[bool(module) for module in row] for row in code.modules]


@pytest.mark.parametrize(
    "value", ["http://127.0.0.1:8000/verify/?code=ABCD-EFGH-JKLM", "https://example.org/" + "x" * 300, "A", "12345", ""]
)
def test_qr_code_is_the_one_reportlab_draws(value):
    """The faster codewords and choice of mask pattern give exactly what ReportLab's QR encoder gives."""
    assert qr_matrix(value) == _reportlab_qr(value)


def test_qr_code_matches_reportlab_on_many_values():
    chance = random.Random(4)
    for _ in range(60):
        value = "".join(chance.choice(string.printable[:94]) for _ in range(chance.randint(1, 200)))
        assert qr_matrix(value) == _reportlab_qr(value), value


@pytest.mark.skipif(
    not (shutil.which("pdftoppm") and shutil.which("zbarimg")), reason="needs poppler-utils and zbar-tools"
)
def test_qr_code_on_the_page_scans(tmp_path):
    url = "http://127.0.0.1:8000/verify/?code=WXYZ-2345-ABCD"
    (tmp_path / "statement.pdf").write_bytes(render_statement(statement(verification_url=url)))
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-singlefile", "statement.pdf", "page"], cwd=tmp_path, check=True)

    scanned = subprocess.run(["zbarimg", "-q", "--raw", "page.png"], cwd=tmp_path, capture_output=True, text=True)

    assert scanned.stdout.strip() == url


def test_a_result_without_cefr_level_or_certificate():
    item = statement(cefr_level="", grade="", result_label="No certificate", awards_certificate=False)

    (text,) = pdfcheck.page_texts(render_statement(item))

    assert "CEFR level" not in text
    assert "No certificate is awarded for this result." in pdfcheck.logical(text)


def test_many_components_still_fit_one_page():
    bars = tuple(ProfileBar(f"Paper {n}", Decimal(150 + n * 5), str(150 + n * 5)) for n in range(12))
    base = statement()
    item = statement(components=tuple((bar.label, bar.shown) for bar in bars), profile=replace(base.profile, bars=bars))

    pdf = pdfcheck.reader(render_statement(item))

    assert len(pdf.pages) == 1
    text = pdf.pages[0].extract_text()
    assert all(f"Paper {n}" in text for n in range(12))
    assert "ABCD-EFGH-JKLM" in text
