"""Results day's path in the browser, as a candidate sees it: a mistyped password (the form comes back with the ID
number typed and its errors), the sign-in, the result page opened again from what was kept, the statement; and,
once the outbox is drained, every step of it in the audit log with the account's last sign-in."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from examdesk.accounts.models import User
from examdesk.accounts.tasks import audit_outbox_drain_task
from examdesk.audit.models import AuditEvent, PendingAuditEvent
from examdesk.core.tests.browser_support import assert_accessible
from examdesk.core.tests.factories import PASSWORD
from examdesk.results import keys
from examdesk.results.tests.online.helpers import registered, registrant

pytestmark = pytest.mark.browser


def test_sign_in_after_a_typo_see_the_result_twice_download_and_find_it_all_in_the_audit_log(live_server, page):
    person = registrant(released_at=timezone.now() - timedelta(minutes=5))
    user = registered(person)
    id_number = keys.group(person.id_number)

    page.goto(f"{live_server.url}/results/sign-in/")
    expect(page.get_by_role("heading", name="Sign in to Results Online")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Sign in").click()  # nothing typed
    expect(page.get_by_text("Enter your ID number or your e-mail address.").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("ID number or e-mail address").fill(id_number)
    page.get_by_label("Password", exact=True).fill(PASSWORD + "x")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("is not right").first).to_be_visible()
    expect(page.get_by_label("ID number or e-mail address")).to_have_value(id_number)
    expect(page.get_by_label("Password", exact=True)).to_have_value("")
    assert_accessible(page)

    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Your results")).to_be_visible()
    page.get_by_role("link", name="See your result").first.click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("B2 First")
    first = page.get_by_role("main").inner_text()
    assert "Overall score" in first
    assert_accessible(page)
    page.reload()  # from the kept page: the same result
    expect(heading).to_contain_text("B2 First")
    assert page.get_by_role("main").inner_text() == first
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download your statement (PDF)").click()
    assert open(download.value.path(), "rb").read().startswith(b"%PDF-")

    # The failed sign-ins are in the log at once; the sign-in and the download wait in the outbox for the drain.
    assert AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN_FAILED, subject_user_id=user.pk).exists()
    assert PendingAuditEvent.objects.count() == 2
    assert User.objects.get(pk=user.pk).last_login is None
    audit_outbox_drain_task()
    signed_in = AuditEvent.objects.get(action=AuditEvent.Action.LOGIN_SUCCEEDED, subject_user_id=user.pk)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.STATEMENT_DOWNLOADED, actor_id=user.pk).count() == 1
    assert User.objects.get(pk=user.pk).last_login == signed_in.at
