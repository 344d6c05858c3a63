"""The verification page checks an uploaded statement file: the board's signature, and its contents against the
board's record."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from examdesk.audit.models import AuditEvent
from examdesk.documents import signing
from examdesk.documents.statements import render_statement
from examdesk.people.models import Candidate
from examdesk.results import gate
from examdesk.results.statements.data import statement_data, statement_issue_date, verification_url
from examdesk.results.tests.online.helpers import registrant

pytestmark = pytest.mark.django_db

PAST = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
def board_key(settings, tmp_path):
    pair = signing.self_signed_pair("Examdesk Assessment Board")
    (tmp_path / "key.pem").write_bytes(pair.key_pem)
    (tmp_path / "cert.pem").write_bytes(pair.cert_pem)
    settings.EXAMDESK_SIGNING_KEY_FILE = str(tmp_path / "key.pem")
    settings.EXAMDESK_SIGNING_CERT_FILE = str(tmp_path / "cert.pem")


def issued_statement(**fields) -> tuple[bytes, object]:
    person = registrant(released_at=PAST, **fields)
    entry = person.entry
    shown = gate.show(entry)
    data = statement_data(shown, issue_date=statement_issue_date(shown), verification_url=verification_url(entry))
    return render_statement(data), entry


def _text(response) -> str:
    """The page's words, tags left out."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"</?(strong|a)\b[^>]*>", "", response.content.decode())))


def _upload(client, content: bytes, name: str = "statement.pdf"):
    return client.post(
        "/verify/", {"check": "file", "statement": SimpleUploadedFile(name, content, content_type="application/pdf")}
    )


def test_a_signed_statement_as_issued_is_genuine(board_key):
    pdf, entry = issued_statement()

    response = _upload(Client(), pdf)

    page = _text(response)
    assert response.status_code == 200
    assert "This statement is genuine." in page
    assert "Signed by Examdesk Assessment Board with the board's key." in page
    assert "matches the board's record" in page
    assert f"{entry.candidate.first_name} {entry.candidate.last_name}" in page
    event = AuditEvent.objects.get(action=AuditEvent.Action.VERIFICATION)
    assert event.data["file"] is True and event.data["signature_valid"] is True and event.data["contents"] == "match"


def test_one_changed_byte_is_caught(board_key):
    pdf, _ = issued_statement()
    tampered = bytearray(pdf)
    tampered[tampered.index(b"stream", len(pdf) // 3) + 40] ^= 0x01

    page = _text(_upload(Client(), bytes(tampered)))

    assert "We cannot confirm this statement." in page
    assert "The signature is not valid. The file was changed after it was signed." in page


def test_a_statement_the_record_no_longer_says_is_not_confirmed(board_key):
    pdf, entry = issued_statement()
    Candidate.objects.filter(pk=entry.candidate.pk).update(last_name="Someone-Else")

    page = _text(_upload(Client(), pdf))

    assert "Signed by Examdesk Assessment Board" in page  # the file itself is as the board signed it
    assert "does not match the board's record" in page
    assert "Someone-Else" in page  # the record, as the board holds it now


def test_an_unsigned_statement_is_said_so_and_its_contents_still_checked():
    pdf, _ = issued_statement()

    page = _text(_upload(Client(), pdf))

    assert "The file is not signed." in page
    assert "matches the board's record" in page
    assert "This statement is genuine." not in page


def test_a_file_that_is_not_a_pdf_is_refused_with_a_message():
    response = _upload(Client(), b"Just some text", name="notes.txt")

    page = _text(response)
    assert "There is a problem" in page and "The file is not a PDF." in page
    assert "<title>Error: Verify a statement of results" in page


def test_no_file_chosen():
    page = _text(Client().post("/verify/", {"check": "file"}))

    assert "Choose the statement of results file." in page


def test_a_pdf_that_is_no_statement_names_no_record(board_key):
    from examdesk.documents.letters import render_letter
    from examdesk.documents.tests.samples import letter

    page = _text(_upload(Client(), render_letter(letter())))

    assert "The file is not signed." in page
    assert "No released result matches this file." in page
