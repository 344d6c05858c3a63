"""A board signing key for the tests that sign: a fresh self-signed pair in files, named in the settings."""

from __future__ import annotations

import pytest

from examdesk.documents import signing


@pytest.fixture
def board_key(settings, tmp_path):
    pair = signing.self_signed_pair("Examdesk Assessment Board")
    key_file, cert_file = tmp_path / "board-key.pem", tmp_path / "board-cert.pem"
    key_file.write_bytes(pair.key_pem)
    cert_file.write_bytes(pair.cert_pem)
    settings.EXAMDESK_SIGNING_KEY_FILE = str(key_file)
    settings.EXAMDESK_SIGNING_CERT_FILE = str(cert_file)
    return pair
