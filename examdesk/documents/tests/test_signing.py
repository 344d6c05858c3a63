"""Statements signed by the board's key (PAdES), checked by pyHanko's validator: valid as issued, not after a
single byte changes; unsigned, and saying so, when the board has no key."""

from __future__ import annotations

import io

import pytest
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from examdesk.documents import signing
from examdesk.documents.statements import render_statement
from examdesk.documents.tests import pdfcheck
from examdesk.documents.tests.samples import statement


def _validate(data: bytes, pair: signing.KeyPair):
    root = asn1_x509.Certificate.load(load_cert_from_pemder_bytes(pair.cert_pem))
    (signature,) = PdfFileReader(io.BytesIO(data)).embedded_signatures
    context = ValidationContext(trust_roots=[root], allow_fetching=False)
    # As signing.check does: pyHanko starts an event loop, which a loop left running in this thread (the browser
    # tests' Playwright) would refuse.
    return signing.outside_event_loop(lambda: validate_pdf_signature(signature, context))


def load_cert_from_pemder_bytes(pem: bytes) -> bytes:
    from asn1crypto import pem as asn1_pem

    _, _, der = asn1_pem.unarmor(pem)
    return der


def test_a_statement_is_signed_by_the_board_and_valid_as_issued(board_key):
    data = render_statement(statement("王", "小明"))

    status = _validate(data, board_key)
    assert status.intact and status.valid and status.trusted and status.bottom_line
    assert status.signing_cert.subject.native["common_name"] == "Examdesk Assessment Board"
    assert "/ETSI.CAdES.detached" in str(
        PdfFileReader(io.BytesIO(data)).embedded_signatures[0].sig_object["/SubFilter"]
    )
    assert signing.check(data) == signing.SignatureCheck(signed=True, valid=True, signer="Examdesk Assessment Board")
    assert "This file is signed by Examdesk Assessment Board" in pdfcheck.logical(pdfcheck.page_texts(data)[0])


def test_one_changed_byte_breaks_the_signature(board_key):
    data = bytearray(render_statement(statement("王", "小明")))
    at = data.index(b"stream", len(data) // 3) + 40  # inside the signed bytes: in a compressed stream
    data[at] ^= 0x01

    tampered = bytes(data)
    status = _validate(tampered, board_key)
    assert not status.intact and not status.bottom_line
    check = signing.check(tampered)
    assert not check.valid and check.problem == signing.NOT_INTACT


def test_a_statement_signed_with_another_key_is_not_the_boards(board_key, settings, tmp_path):
    other = signing.self_signed_pair("Examdesk Assessment Board")
    (tmp_path / "other-key.pem").write_bytes(other.key_pem)
    (tmp_path / "other-cert.pem").write_bytes(other.cert_pem)
    settings.EXAMDESK_SIGNING_KEY_FILE = str(tmp_path / "other-key.pem")
    settings.EXAMDESK_SIGNING_CERT_FILE = str(tmp_path / "other-cert.pem")
    forged = render_statement(statement())
    settings.EXAMDESK_SIGNING_KEY_FILE = str(tmp_path / "board-key.pem")
    settings.EXAMDESK_SIGNING_CERT_FILE = str(tmp_path / "board-cert.pem")

    check = signing.check(forged)

    assert check.signed and not check.valid and check.problem == signing.NOT_BOARD


def test_bytes_added_after_signing_are_reported(board_key):
    data = render_statement(statement())
    added = data + b"\n1000 0 obj\n(added)\nendobj\n"

    check = signing.check(added)

    assert not check.valid


def test_without_a_key_the_statement_is_unsigned_and_says_so():
    data = render_statement(statement())

    assert PdfFileReader(io.BytesIO(data)).embedded_signatures == []
    assert "This file is not signed." in pdfcheck.logical(pdfcheck.page_texts(data)[0])
    assert signing.check(data).problem == signing.NOT_SIGNED


def test_key_and_certificate_from_settings_text(settings):
    pair = signing.self_signed_pair("Board From The Environment")
    settings.EXAMDESK_SIGNING_KEY = pair.key_pem.decode()
    settings.EXAMDESK_SIGNING_CERT = pair.cert_pem.decode()

    check = signing.check(render_statement(statement()))

    assert check.valid and check.signer == "Board From The Environment"


def test_a_key_without_its_certificate_is_a_clear_error(settings):
    settings.EXAMDESK_SIGNING_KEY = signing.self_signed_pair("Board").key_pem.decode()

    with pytest.raises(signing.SigningKeyError, match="EXAMDESK_SIGNING_CERT"):
        render_statement(statement())


def test_a_certificate_of_another_key_is_refused(settings):
    settings.EXAMDESK_SIGNING_KEY = signing.self_signed_pair("Board").key_pem.decode()
    settings.EXAMDESK_SIGNING_CERT = signing.self_signed_pair("Board").cert_pem.decode()

    with pytest.raises(signing.SigningKeyError, match="not the signing key"):
        render_statement(statement())


def test_the_demo_key_is_made_once(settings, tmp_path):
    settings.EXAMDESK_SIGNING_KEY_FILE = str(tmp_path / "signing" / "board-key.pem")
    settings.EXAMDESK_SIGNING_CERT_FILE = str(tmp_path / "signing" / "board-cert.pem")

    made = signing.demo_key_ensure("Examdesk Assessment Board")
    again = signing.demo_key_ensure("Examdesk Assessment Board")

    assert made == tmp_path / "signing" / "board-key.pem" and again is None
    assert oct(made.stat().st_mode & 0o777) == "0o600"
    assert signing.check(render_statement(statement())).valid
