from __future__ import annotations

import pytest
from django.core.management import call_command

from examdesk.accounts.models import User
from examdesk.centres.models import Centre, Membership
from examdesk.documents import signing


@pytest.fixture(autouse=True)
def signing_files(settings, tmp_path):
    """The demo makes the board's signing key in the configured files: here, files of this test's own."""
    settings.EXAMDESK_SIGNING_KEY_FILE = str(tmp_path / "signing" / "board-key.pem")
    settings.EXAMDESK_SIGNING_CERT_FILE = str(tmp_path / "signing" / "board-cert.pem")
    return tmp_path / "signing"


@pytest.mark.django_db
def test_demo_data_is_idempotent(signing_files):
    call_command("demo", quiet=True)
    counts = (User.objects.count(), Centre.objects.count(), Membership.objects.count())
    key = (signing_files / "board-key.pem").read_bytes()
    call_command("demo", quiet=True)
    assert (User.objects.count(), Centre.objects.count(), Membership.objects.count()) == counts
    assert counts[1] == 3 and Centre.objects.get(number="30003").exam_centres.count() == 1
    # The board's signing key is made on the first run only, and signs.
    assert (signing_files / "board-key.pem").read_bytes() == key
    signer = signing.board_signer()
    assert signer is not None and signer.name == "Examdesk Examinations Board"
