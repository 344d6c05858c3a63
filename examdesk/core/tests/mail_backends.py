"""E-mail backends that fail the way mail servers do, for tests of delivery status."""

from __future__ import annotations

import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend


class FlakyBackend(BaseEmailBackend):
    """Cannot reach the server for the first `failures` sends, then delivers to the locmem outbox.

    Set `FlakyBackend.failures` in the test (and `calls = 0`); `failures = 99` never delivers.
    """

    failures = 0
    calls = 0

    def send_messages(self, email_messages):
        type(self).calls += 1
        if type(self).calls <= type(self).failures:
            raise ConnectionRefusedError(111, "Connection refused")
        mail.outbox.extend(email_messages)
        return len(email_messages)


class RefusingBackend(BaseEmailBackend):
    """The server refuses every recipient for good (550)."""

    calls = 0

    def send_messages(self, email_messages):
        type(self).calls += 1
        refused = {address: (550, b"5.1.1 No such mailbox here") for m in email_messages for address in m.to}
        raise smtplib.SMTPRecipientsRefused(refused)


@pytest.fixture
def eager_retries():
    """Let eager tasks retry as a worker would (at once, here): Celery re-runs an eager task's retry only when
    eager exceptions do not propagate."""
    from config.celery import app

    before = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = before
