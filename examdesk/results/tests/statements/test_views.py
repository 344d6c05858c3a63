"""The pages: confirmation with counts, start, the status page with its counts, filter and self-refresh, and who
may see them (a foreign centre's run is 404; preparation centres do not e-mail candidates)."""

from __future__ import annotations

import pytest
import time_machine

from examdesk.centres.models import Centre, Role
from examdesk.core.models import OutboundEmail
from examdesk.core.tests.factories import CentreFactory, member
from examdesk.core.tests.mail_backends import eager_retries  # noqa: F401
from examdesk.jobs.models import Job
from examdesk.results.models import StatementEmail, StatementEmailRun

from .emails_support import AT, BEFORE, centre_with_officer, released_entry, rows_by_number, start

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def cohort():
    centre, officer = centre_with_officer(name="Harbour School")
    zoe = released_entry(centre, number="0042", first="Zoë", last="Łukasiewicz", email="zoe@example.org")
    kwame = released_entry(centre, number="0043", first="Kwame", last="Mensah", email="kwame@example.org")
    nadia = released_entry(centre, number="0044", first="Nadia", last="Haddad")
    return centre, officer, [zoe, kwame, nadia]


def _url(centre, run=None):
    base = f"/centres/{centre.number}/results/statement-emails/"
    return f"{base}{run.pk}/" if run else base


def test_the_confirmation_counts_what_will_happen_and_carries_the_selection(client, cohort):
    centre, officer, (zoe, kwame, nadia) = cohort
    client.force_login(officer)
    with time_machine.travel(AT, tick=False):
        html = client.post(_url(centre), {"scope": "search", "last_name": "", "sort": "name"}).content.decode()
    assert "You selected 3 results: The whole search: all entries." in html
    assert "E-mail 2 statements to candidates with an e-mail address on record." in html
    assert "1 has no e-mail address on record and will be listed as skipped." in html
    assert '<input type="hidden" name="scope" value="search">' in html
    assert '<input type="hidden" name="sort" value="name">' in html
    assert not Job.objects.exists()

    with time_machine.travel(AT, tick=False):
        ticked = client.post(_url(centre), {"scope": "ticked", "entry": [zoe.pk, nadia.pk]}).content.decode()
    assert "You selected 2 results: 2 ticked results of the search: all entries." in ticked
    assert "E-mail 1 statement to candidates" in ticked
    assert f'<input type="hidden" name="entry" value="{zoe.pk}">' in ticked


def test_confirming_starts_the_run_and_shows_each_candidates_status(client, cohort):
    centre, officer, _ = cohort
    client.force_login(officer)
    with time_machine.travel(AT, tick=False):
        response = client.post(_url(centre), {"scope": "search", "confirm": "yes"})
    run = StatementEmailRun.objects.get()
    assert response.status_code == 302 and response["Location"] == _url(centre, run)
    assert run.owner == officer and run.job.kind == "results.statement_emails"
    html = client.get(_url(centre, run)).content.decode()
    assert "All (3)" in html and "Sent (2)" in html and "Skipped (1)" in html and "Failed (0)" in html
    assert "Waiting (" not in html  # shown only while some are
    assert '<span class="tag tag--green">Sent</span>' in html
    assert "No e-mail address on record" in html and "Haddad, Nadia" in html
    skipped = client.get(_url(centre, run) + "?status=skipped").content.decode()
    assert "Haddad, Nadia" in skipped and "Mensah, Kwame" not in skipped
    assert 'aria-current="page"><strong>Skipped (1)</strong>' in skipped


def test_nothing_to_send_before_release_starts_nothing(client, cohort):
    centre, officer, _ = cohort
    client.force_login(officer)
    with time_machine.travel(BEFORE, tick=False):
        html = client.post(_url(centre), {"scope": "search", "confirm": "yes"}).content.decode()
    assert "There is no statement to e-mail." in html
    assert "2 have no statement to send now" in html and "1 has no e-mail address on record." in html
    assert not Job.objects.exists() and not OutboundEmail.objects.exists()


def test_nothing_ticked_or_a_bad_search_is_explained(client, cohort):
    centre, officer, _ = cohort
    client.force_login(officer)
    nothing = client.post(_url(centre), {"scope": "ticked"}).content.decode()
    assert "Tick at least one result, or choose to e-mail every result of the search." in nothing
    bad = client.post(_url(centre), {"scope": "search", "number_from": "12"}).content.decode()
    assert "Enter the From candidate number as 4 digits, like 0042." in bad
    assert client.get(_url(centre))["Location"] == f"/centres/{centre.number}/results/"


def test_the_status_page_refreshes_while_emails_are_queued_and_stops_after(client, cohort):
    centre, officer, _ = cohort
    client.force_login(officer)
    with time_machine.travel(AT, tick=False):
        run = start(centre, officer)
    page = client.get(_url(centre, run)).content.decode()
    assert 'hx-trigger="every 2s"' not in page  # everything is settled already
    assert client.get(_url(centre, run), HTTP_HX_REQUEST="true").status_code == 286

    OutboundEmail.objects.filter(to="zoe@example.org").update(status=OutboundEmail.Status.QUEUED, sent_at=None)
    page = client.get(_url(centre, run)).content.decode()
    assert 'hx-trigger="every 2s"' in page and "Queued (1)" in page
    partial = client.get(_url(centre, run), HTTP_HX_REQUEST="true")
    assert partial.status_code == 200 and b"<html" not in partial.content
    assert b"Waiting for the mail system" in partial.content


@pytest.mark.usefixtures("eager_retries")
def test_a_refused_address_shows_as_failed_with_the_servers_answer(client, cohort, settings):
    settings.EMAIL_BACKEND = "examdesk.core.tests.mail_backends.RefusingBackend"
    centre, officer, (zoe, _, _) = cohort
    client.force_login(officer)
    with time_machine.travel(AT, tick=False):
        run = start(centre, officer, ticked=[zoe.pk])
    row = rows_by_number(run)["0042"]
    assert row.status == StatementEmail.Status.QUEUED and row.email.status == OutboundEmail.Status.FAILED
    html = client.get(_url(centre, run) + "?status=failed").content.decode()
    assert '<span class="tag tag--red">Failed</span>' in html
    assert "The mail server refused the address: 550 5.1.1 No such mailbox here" in html


@pytest.mark.usefixtures("eager_retries")
def test_status_follows_a_message_sent_after_retries(client, cohort, settings):
    from examdesk.core.tests.mail_backends import FlakyBackend

    settings.EMAIL_BACKEND = "examdesk.core.tests.mail_backends.FlakyBackend"
    FlakyBackend.failures, FlakyBackend.calls = 2, 0
    centre, officer, (zoe, _, _) = cohort
    client.force_login(officer)
    with time_machine.travel(AT, tick=False):
        run = start(centre, officer, ticked=[zoe.pk])
    assert rows_by_number(run)["0042"].email.attempts == 3
    assert "Sent (1)" in client.get(_url(centre, run)).content.decode()


def test_only_the_centres_staff_see_a_run(client, cohort):
    centre, officer, _ = cohort
    with time_machine.travel(AT, tick=False):
        run = start(centre, officer)
    other, other_officer = centre_with_officer()
    client.force_login(other_officer)
    assert client.get(_url(centre, run)).status_code == 404  # another centre: no such page
    assert client.get(_url(other, run)).status_code == 404  # another centre's run under one's own centre
    assert client.get(_url(other) + "not-a-run/").status_code == 404
    assert client.post(_url(centre), {"scope": "search", "confirm": "yes"}).status_code == 404
    client.force_login(member(centre, Role.TEACHER))
    assert client.get(_url(centre, run)).status_code == 403
    assert client.post(_url(centre), {"scope": "search"}).status_code == 403
    assert StatementEmailRun.objects.count() == 1


def test_preparation_centres_do_not_email_candidates(client, cohort):
    centre, _, (zoe, _, _) = cohort
    prep = CentreFactory(board=centre.board, kind=Centre.Kind.PREPARATION)
    type(zoe).objects.filter(pk=zoe.pk).update(preparation_centre=prep)
    client.force_login(member(prep, Role.EXAMS_OFFICER))
    with time_machine.travel(AT, tick=False):
        assert client.post(_url(prep), {"scope": "search", "confirm": "yes"}).status_code == 404
    assert not StatementEmailRun.objects.exists() and not OutboundEmail.objects.exists()
