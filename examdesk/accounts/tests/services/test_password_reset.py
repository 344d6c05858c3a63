from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.test import Client

from examdesk.accounts import services
from examdesk.audit.models import AuditEvent
from examdesk.core.models import OutboundEmail
from examdesk.core.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

NEW_PASSWORD = "a brand new passphrase"


def _reset_link() -> str:
    body = mail.outbox[-1].body
    match = re.search(r"(https?://\S+/account/reset/\S+/)", body)
    assert match, body
    return match.group(1)


def test_reset_mail_is_sent_after_commit_with_a_link_built_from_the_site_url(settings):
    settings.EXAMDESK_SITE_URL = "https://results.example-board.org"
    settings.ALLOWED_HOSTS = ["*"]  # even where any Host header gets through, the link ignores it
    UserFactory(email="ana@example.org")
    Client().post("/account/password-reset/", {"email": "ANA@example.org"}, HTTP_HOST="evil.example.com")
    assert len(mail.outbox) == 1
    assert _reset_link().startswith("https://results.example-board.org/account/reset/")
    assert "evil" not in mail.outbox[0].body
    sent = OutboundEmail.objects.get()
    assert sent.status == OutboundEmail.Status.SENT and sent.body == ""  # the one-time link is not kept


def test_unknown_address_gets_the_same_answer_and_no_mail():
    UserFactory(email="ana@example.org")
    known = Client().post("/account/password-reset/", {"email": "ana@example.org"}, follow=True)
    unknown = Client().post("/account/password-reset/", {"email": "nobody@example.org"}, follow=True)
    assert known.status_code == unknown.status_code == 200
    assert known.templates[0].name == unknown.templates[0].name == "accounts/password_reset_sent.html"
    assert len(mail.outbox) == 1
    assert AuditEvent.objects.filter(action=AuditEvent.Action.RESET_REQUESTED).count() == 2


def test_link_works_once_then_is_refused():
    user = UserFactory(email="ana@example.org")
    Client().post("/account/password-reset/", {"email": "ana@example.org"})
    link = _reset_link().split("://", 1)[1].split("/", 1)[1]
    browser = Client()
    page = browser.get("/" + link, follow=True)
    assert page.context["validlink"]
    done = browser.post(page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    again = Client().get("/" + link, follow=True)
    assert not again.context["validlink"]


def test_link_expires_after_the_configured_time(settings):
    settings.PASSWORD_RESET_TIMEOUT = 3600
    user = UserFactory(email="ana@example.org")
    token = default_token_generator.make_token(user)
    with time_machine.travel(timedelta(seconds=3599)):
        assert default_token_generator.check_token(user, token)
    with time_machine.travel(timedelta(seconds=3601)):
        assert not default_token_generator.check_token(user, token)


def test_completing_a_reset_ends_other_sessions_and_lifts_locks():
    user = UserFactory(email="ana@example.org", locked_at="2026-01-01T00:00:00Z")
    other_device = Client()
    user.locked_at = None
    user.save()
    other_device.force_login(user)
    assert other_device.get("/jobs/").status_code == 200
    user.locked_at = "2026-01-01T00:00:00Z"
    user.save()

    services.password_reset_complete(user=user, password=NEW_PASSWORD)
    user.refresh_from_db()
    assert user.locked_at is None
    assert other_device.get("/jobs/").status_code == 302  # signed out: sent to the sign-in page
    assert AuditEvent.objects.filter(action=AuditEvent.Action.RESET_USED, subject_user_id=user.pk).exists()


def test_new_password_follows_the_rules():
    UserFactory(email="ana@example.org")
    Client().post("/account/password-reset/", {"email": "ana@example.org"})
    link = "/" + _reset_link().split("://", 1)[1].split("/", 1)[1]
    browser = Client()
    page = browser.get(link, follow=True)
    short = browser.post(page.redirect_chain[-1][0], {"new_password1": "short pass", "new_password2": "short pass"})
    assert "at least 12 characters" in short.content.decode()
    common = browser.post(
        page.redirect_chain[-1][0], {"new_password1": "password1234", "new_password2": "password1234"}
    )
    assert "too common" in common.content.decode()
    assert PASSWORD  # the factory password is untouched


def test_reset_e_mails_are_capped_at_3_an_hour_per_account_and_the_page_does_not_change():
    UserFactory(email="ana@example.org")
    pages = []
    for n in range(15):
        stranger = Client(REMOTE_ADDR=f"198.51.100.{n}", HTTP_USER_AGENT=f"Bot {n}")
        response = stranger.post("/account/password-reset/", {"email": "ana@example.org"}, follow=True)
        pages.append((response.status_code, response.templates[0].name))
    assert len(mail.outbox) == 3
    assert set(pages) == {(200, "accounts/password_reset_sent.html")}
    capped = AuditEvent.objects.filter(action=AuditEvent.Action.RESET_REQUESTED, data__capped=True)
    assert capped.count() == 12
    with time_machine.travel(timedelta(hours=1, minutes=1)):
        Client().post("/account/password-reset/", {"email": "ana@example.org"})
    assert len(mail.outbox) == 4


def test_reset_e_mails_are_capped_per_client_address(settings):
    settings.EXAMDESK_RESET_EMAILS_PER_ADDRESS = 3
    for n in range(5):
        UserFactory(email=f"user{n}@example.org")
    one_address = Client(REMOTE_ADDR="203.0.113.5")
    for n in range(5):
        assert one_address.post("/account/password-reset/", {"email": f"user{n}@example.org"}).status_code == 302
    assert len(mail.outbox) == 3
