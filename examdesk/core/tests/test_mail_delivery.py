"""Attachments wait in private storage until sent; a message the mail system keeps refusing ends as failed,
with a reason a person can act on, after its retries (at once when the refusal is permanent)."""

from __future__ import annotations

from email import message_from_bytes, policy

import pytest
from django.core import mail

from examdesk.core.mail import Attachment, email_queue
from examdesk.core.models import OutboundEmail
from examdesk.core.tasks import EMAIL_RETRIES
from examdesk.core.tests.mail_backends import FlakyBackend, RefusingBackend, eager_retries  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def _stored(tmp_path):
    return sorted(p for p in (tmp_path / "private").glob("mail/*/*") if p.is_file())


def test_attachments_are_stored_until_sent_then_deleted(settings, tmp_path):
    from django.db import transaction

    settings.EMAIL_BACKEND = "examdesk.core.mail.EmlFileBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    with transaction.atomic():
        email = email_queue(
            to="ana@example.org",
            subject="Your statement",
            body="Attached.",
            attachments=[Attachment("0001-Pereira-Ana.pdf", b"%PDF-1.3 fake", "application/pdf")],
        )
        assert len(_stored(tmp_path)) == 1  # waiting in private storage, referenced by the row
        assert email.attachments[0]["path"].startswith("mail/")
    (eml,) = sorted((tmp_path / "mail").glob("*.eml"))
    message = message_from_bytes(eml.read_bytes(), policy=policy.default)
    (part,) = list(message.iter_attachments())
    assert part.get_filename() == "0001-Pereira-Ana.pdf" and part.get_content() == b"%PDF-1.3 fake"
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT and email.attempts == 1
    assert email.attachments == [
        {"name": "0001-Pereira-Ana.pdf", "content_type": "application/pdf", "size": 13, "path": ""}
    ]
    assert _stored(tmp_path) == []


def test_a_rolled_back_message_is_never_sent(settings):
    from django.db import transaction

    try:
        with transaction.atomic():
            email_queue(to="a@example.org", subject="Hi", body="Hi", attachments=[Attachment("a.txt", b"a")])
            raise RuntimeError("rolled back")
    except RuntimeError:
        pass
    assert not OutboundEmail.objects.exists() and mail.outbox == []


@pytest.mark.usefixtures("eager_retries")
def test_a_server_that_comes_back_delivers_after_retries(settings):
    settings.EMAIL_BACKEND = "examdesk.core.tests.mail_backends.FlakyBackend"
    FlakyBackend.failures, FlakyBackend.calls = 2, 0
    email = email_queue(to="a@example.org", subject="Hi", body="Hi")
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT and email.attempts == 3 and email.error == ""
    assert len(mail.outbox) == 1


@pytest.mark.usefixtures("eager_retries")
def test_a_server_that_never_answers_fails_the_message_after_the_retries(settings, tmp_path):
    settings.EMAIL_BACKEND = "examdesk.core.tests.mail_backends.FlakyBackend"
    FlakyBackend.failures, FlakyBackend.calls = 99, 0
    email = email_queue(to="a@example.org", subject="Hi", body="secret link", attachments=[Attachment("a.pdf", b"x")])
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.FAILED and email.failed_at is not None
    assert email.attempts == EMAIL_RETRIES + 1 == FlakyBackend.calls
    assert email.error == "Could not reach the mail server: [Errno 111] Connection refused"
    assert email.body == "" and email.attachments[0]["path"] == "" and _stored(tmp_path) == []


def test_a_permanent_refusal_fails_at_once_with_the_servers_answer(settings):
    settings.EMAIL_BACKEND = "examdesk.core.tests.mail_backends.RefusingBackend"
    RefusingBackend.calls = 0
    email = email_queue(to="nobody@example.org", subject="Hi", body="Hi")
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.FAILED and email.attempts == 1 == RefusingBackend.calls
    assert email.error == "The mail server refused the address: 550 5.1.1 No such mailbox here"
