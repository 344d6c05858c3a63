"""The Results Online registration letter PDF."""

from __future__ import annotations

import io

import pytest

from examdesk.documents.letters import render_letter, render_letters
from examdesk.documents.tests import pdfcheck
from examdesk.documents.tests.samples import NAMES, letter


@pytest.mark.parametrize(("first", "last"), NAMES)
def test_letter_names_the_candidate_exactly(first, last):
    (text,) = pdfcheck.page_texts(render_letter(letter(first, last)))

    assert f"{first} {last}" in text
    assert f"Dear {first}," in text


def test_letter_gives_the_numbers_the_steps_and_the_warnings():
    data = render_letter(letter())
    (text,) = pdfcheck.page_texts(data)
    flat = " ".join(text.split())

    for expected in [
        "Examdesk Assessment Board",
        "Your Results Online registration letter",
        "Centre 10001 Lycée Saint-Exupéry",
        "123456782",
        "1234 5678 90",
        "1. Go to http://127.0.0.1:8000/results/register/",
        "2. Enter your ID number and Secret Number",
        "3. Give your e-mail address and choose a password",
        "confirm your e-mail address",
        "4. Sign in",
        "after the release time",
        "B2 First June 2026 21 August 2026, 09:00 (Europe/London)",
        "IGCSE Mathematics June 2026 to be announced",
        "Keep this letter safe",
        "Your Secret Number registers one account only",
        "Ask Ms Ana Pérez, exams officer, exams@lycee.example.",
        "1 June 2026",
    ]:
        assert expected in flat, expected
    assert all(embedded for _, embedded in pdfcheck.font_files(data))
    assert pdfcheck.forbidden(data) == []
    assert pdfcheck.reader(data).metadata.title == "Results Online registration letter: Юлия Ковальчук"


def test_one_page_per_candidate_in_one_file():
    letters = [letter(first, last, id_number=f"10000000{i}") for i, (first, last) in enumerate(NAMES * 3)]
    out = io.BytesIO()

    pages = render_letters(letters, out)

    texts = pdfcheck.page_texts(out.getvalue())
    assert pages == len(texts) == 9
    for text, item in zip(texts, letters, strict=True):
        assert item.candidate_name in text and item.id_number in text


def test_many_releases_still_fit_on_the_page():
    releases = tuple((f"Qualification {n}", "June 2026", "to be announced") for n in range(30))

    (text,) = pdfcheck.page_texts(render_letter(letter(releases=releases)))

    assert "Qualification 0" in text
    assert "more: your centre can tell you their dates." in text
    assert "Keep this letter safe" in text


def test_no_releases_yet():
    (text,) = pdfcheck.page_texts(render_letter(letter(releases=())))

    assert "to be announced" in text


def test_no_letters_writes_nothing():
    out = io.BytesIO()
    with pytest.raises(ValueError):
        render_letters([], out)
    assert out.getvalue() == b""


def test_login_letter_uses_the_same_page_with_its_own_words():
    from examdesk.documents.letters import CredentialLetterData

    login = CredentialLetterData(
        board_name="Examdesk Assessment Board",
        centre_name="Lycée Saint-Exupéry",
        centre_number="10001",
        candidate_first_name="Юлия",
        candidate_last_name="Ковальчук",
        releases=(("B2 First", "June 2026", "21 August 2026, 09:00 (Europe/London)"),),
        contact="Ms Ana Pérez, exams@lycee.example",
        issue_date=letter().issue_date,
        sign_in_url="http://127.0.0.1:8000/results/sign-in/",
        candidate_number="0001",
        username="10001-k7mq4p",
        password="Secret-Pass-42",
    )
    data = render_letter(login)
    flat = " ".join(pdfcheck.page_texts(data)[0].split())

    for expected in [
        "Your Results Online login",
        "Candidate number 0001 · Centre 10001 Lycée Saint-Exupéry",
        "10001-k7mq4p",
        "Secret-Pass-42",
        "1. Go to http://127.0.0.1:8000/results/sign-in/",
        "B2 First June 2026 21 August 2026, 09:00 (Europe/London)",
        "Contact Ms Ana Pérez, exams@lycee.example.",
    ]:
        assert expected in flat, expected
    assert "Secret-Pass-42" not in repr(login)
    assert pdfcheck.reader(data).metadata.title == "Results Online login letter: Юлия Ковальчук"
    assert pdfcheck.reader(data).metadata.subject == "Results Online login letter"
