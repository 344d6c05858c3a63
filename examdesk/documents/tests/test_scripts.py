"""Every document prints a name in every script: shaped, in logical order, with a real glyph for every character.

One name per script the issue names. For each document the name is read back twice: by poppler's pdftotext,
which applies the bidirectional algorithm and so must give the name exactly as typed (logical order), and by
pypdf, which reads in drawing order and reverses right-to-left runs only within each piece of text, so for Arabic
and Hebrew it must give each word exactly, and for every other script but two the whole name. Devanagari and
Bengali are the two: where a vowel sign is drawn before its consonant, Typst gives the cluster its text in an
/ActualText span, which pdftotext reads and pypdf does not (it reads the glyphs' own text, some of it twice), so
from pypdf every character of the name must come in order. fontTools then reads the embedded subsets: every
character of the name must be the text of a glyph in one of them (and none .notdef).
"""

from __future__ import annotations

import unicodedata
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest

from examdesk.documents.letters import CredentialLetterData, render_letter
from examdesk.documents.pdf import GlyphMissing
from examdesk.documents.statements import render_statement
from examdesk.documents.tests import pdfcheck
from examdesk.documents.tests.samples import letter, statement
from examdesk.reports import selectors
from examdesk.reports.files import write_pdf
from examdesk.sittings.slips import Slip, render_slips

NAMES = [
    "王小明",  # Chinese, simplified
    "陳大文",  # Chinese, traditional
    "山田 太郎",  # Japanese
    "김민준",  # Korean
    "محمد العلي",  # Arabic: joined, right to left
    "דוד כהן",  # Hebrew: right to left
    "अनन्या शर्मा",  # Devanagari: conjuncts
    "সৌমিত্র চট্টোপাধ্যায়",  # Bengali: conjuncts, split vowel signs
    "สมชาย ใจดี",  # Thai
    "Nguyễn Thị Minh Khai",  # Vietnamese: stacked diacritics
    "Ελένη Παπαδοπούλου",  # Greek
    "Анна Иванова",  # Cyrillic
]


def _split(name: str) -> tuple[str, str]:
    first, _, last = name.partition(" ")
    return first, last


def _right_to_left(name: str) -> bool:
    return any(unicodedata.bidirectional(c) in ("R", "AL") for c in name)


def _has_actual_text(name: str) -> bool:
    return any("\u0900" <= c <= "\u09ff" for c in name)  # Devanagari and Bengali


def _in_order(name: str, text: str) -> bool:
    """Every character of `name` in `text`, in order (other characters may come between them)."""
    rest = iter(text)
    return all(character in rest for character in name)


def _statement(name: str) -> bytes:
    return render_statement(statement(*_split(name), candidate_number="0042"))


def _registration_letter(name: str) -> bytes:
    return render_letter(letter(*_split(name)))


def _login_letter(name: str) -> bytes:
    first, last = _split(name)
    return render_letter(
        CredentialLetterData(
            board_name="Examdesk Assessment Board",
            centre_name="Lycée Saint-Exupéry",
            centre_number="10001",
            candidate_first_name=first,
            candidate_last_name=last,
            releases=(("B2 First", "June 2026", "21 August 2026, 09:00 (Europe/London)"),),
            contact="Ms Ana Pérez, exams@lycee.example",
            issue_date=date(2026, 6, 1),
            sign_in_url="http://127.0.0.1:8000/results/sign-in/",
            candidate_number="0001",
            username="10001-k7mq4p",
            password="Secret-Pass-42",
        )
    )


def _slip(name: str) -> bytes:
    slip = Slip(
        candidate_name=name,
        unique_id="74001-000017",
        assessment="B2 First practice test",
        code="KQ7M-X4TR-9P",
        address="http://127.0.0.1:8000/code/",
        window="From 1 March 2027, 00:00 to 5 March 2027, 23:59 (Europe/London)",
        centre="74001 Lycée Saint-Exupéry",
    )
    return render_slips([slip], title="Access codes: B2 First practice", author="Examdesk Assessment Board")


def _report(name: str) -> bytes:
    first, last = _split(name)
    row = selectors.Row(
        attempt_id=1,
        candidate_id=1,
        unique_id="74001-000017",
        first_name=first,
        last_name=last,
        active=True,
        sitting="B2 First practice, March",
        product="B2 First practice",
        sitting_date=date(2027, 3, 1),
        state="Completed",
        raw=Decimal(62),
        max=Decimal(80),
        percentage=Decimal("77.5"),
    )
    report = selectors.Report(
        centre=SimpleNamespace(name="Lycée Saint-Exupéry", number="74001"),  # type: ignore[arg-type]
        criteria=selectors.Criteria(scope="centre"),
        title="Results report",
        described="Every candidate of the centre",
        rows=[row],
        sections=[],
        measures=[],
        distribution=[selectors.Point("70–80%", Decimal(1), "1")],
        section_means=[],
        progress=[],
        notes=[],
        candidates=1,
        scored=1,
        mean=Decimal("77.5"),
        states={"Completed": 1},
    )
    import io

    out = io.BytesIO()
    write_pdf(report, out)
    return out.getvalue()


DOCUMENTS = {
    "statement": _statement,
    "registration letter": _registration_letter,
    "login letter": _login_letter,
    "access-code slip": _slip,
    "report": _report,
}


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("document", DOCUMENTS)
def test_the_name_reads_back_in_logical_order_with_every_glyph_embedded(document, name, tmp_path):
    data = DOCUMENTS[document](name)

    assert name in pdfcheck.logical(pdfcheck.pdftotext(data, tmp_path))
    read = pdfcheck.logical(" ".join(pdfcheck.page_texts(data)))
    if _right_to_left(name):
        assert all(word in read.split() for word in name.split()), read
    elif _has_actual_text(name):
        assert _in_order(name, read), read
    else:
        assert name in read
    assert pdfcheck.missing_glyphs(data, name) == []
    assert all(embedded for _, embedded in pdfcheck.font_files(data))


def test_the_glyph_check_finds_a_character_the_file_does_not_draw():
    data = _statement("Anna Иванова")

    assert pdfcheck.missing_glyphs(data, "Anna Иванова ✓") == ["✓"]


def test_a_character_no_font_has_makes_no_pdf():
    """A private-use character is in no font of the chain: rather than print a box, no statement is made."""
    with pytest.raises(GlyphMissing, match="No font can print"):
        _statement("Anna \ue000")


def test_right_to_left_text_inside_a_sentence_and_beside_numbers_reads_in_logical_order(tmp_path):
    """Arabic and Hebrew in an English sentence, and beside Latin digits: each reads back in its own order."""
    data = render_letter(letter("محمد", "العلي", centre_name="מכללת הגליל", centre_number="10001"))

    text = pdfcheck.logical(pdfcheck.pdftotext(data, tmp_path))
    assert "Dear محمد, you can see your exam results online at http://127.0.0.1:8000/results/register/" in text
    assert "Centre 10001 מכללת הגליל" in text


def test_slips_are_four_to_a_page_each_headed_by_its_name():
    slips = [
        Slip(
            name,
            "74001-000017",
            "B2 First practice test",
            "KQ7M-X4TR-9P",
            "http://127.0.0.1:8000/code/",
            "From …",
            "74001",
        )
        for name in NAMES[:5]
    ]
    data = render_slips(slips, title="Access codes: B2 First practice", author="Examdesk Assessment Board")

    assert len(pdfcheck.reader(data).pages) == 2
    assert [tag for tag, _ in pdfcheck.structure(data)].count("H1") == 5
