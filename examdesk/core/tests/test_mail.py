from __future__ import annotations

from email import message_from_bytes

import pytest
from django.core.mail import EmailMessage

from examdesk.core.mail import EmlFileBackend, email_queue
from examdesk.core.models import OutboundEmail

pytestmark = pytest.mark.django_db(transaction=True)


def test_embedded_backend_writes_each_message_as_an_eml_file(tmp_path):
    backend = EmlFileBackend(file_path=str(tmp_path))
    sent = backend.send_messages(
        [
            EmailMessage("First", "Body one", to=["a@example.org"]),
            EmailMessage("Second", "Body two ünïcode", to=["b@example.org"]),
        ]
    )
    files = sorted(tmp_path.glob("*.eml"))
    assert sent == 2 and len(files) == 2
    parsed = [message_from_bytes(f.read_bytes()) for f in files]
    assert {m["Subject"] for m in parsed} == {"First", "Second"}


def test_mail_is_sent_only_after_the_transaction_commits(settings, tmp_path):
    from django.db import transaction

    settings.EMAIL_BACKEND = "examdesk.core.mail.EmlFileBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    try:
        with transaction.atomic():
            email_queue(to="a@example.org", subject="Hello", body="Hi")
            raise RuntimeError("rolled back")
    except RuntimeError:
        pass
    assert not list(tmp_path.glob("*.eml")) and not OutboundEmail.objects.exists()

    with transaction.atomic():
        email_queue(to="a@example.org", subject="Hello", body="Hi")
        assert not list(tmp_path.glob("*.eml"))
    assert len(list(tmp_path.glob("*.eml"))) == 1
    assert OutboundEmail.objects.get().status == OutboundEmail.Status.SENT


@pytest.mark.django_db
def test_nothing_is_ever_sent_to_an_invalid_address(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        email = email_queue(to="10001-k7mq4p@candidates.invalid", subject="Reset", body="secret link")
    assert callbacks == []
    assert email.status == OutboundEmail.Status.FAILED and email.body == ""
