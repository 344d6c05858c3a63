"""The statement e-mail job: the release gate at the second of release, skipped reasons, resuming without
sending twice, and the statement attached to the e-mail."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from pypdf import PdfReader

from examdesk.catalogue.tests.factories import qualification, release, series
from examdesk.core import recipient_emails
from examdesk.core.models import OutboundEmail
from examdesk.core.tests.factories import BoardMembershipFactory, UserFactory
from examdesk.jobs import runner
from examdesk.jobs.models import Job
from examdesk.people.tests.factories import CandidateFactory
from examdesk.results.centre.search import Criteria
from examdesk.results.models import Result, StatementEmail
from examdesk.results.services import entry_for
from examdesk.results.statements import emails as statement_emails
from examdesk.results.tests.factories import entry_with_result

from .emails_support import (
    AT,
    BEFORE,
    RELEASE,
    centre_with_officer,
    eml_messages,
    released_entry,
    rows_by_number,
    start,
)

pytestmark = pytest.mark.django_db(transaction=True)  # jobs and e-mails run on commit, as in production


@pytest.fixture
def cohort():
    centre, officer = centre_with_officer()
    zoe = released_entry(centre, number="0042", first="Zoë", last="Łukasiewicz", email="zoe@example.org")
    kwame = released_entry(centre, number="0043", first="Kwame", last="Mensah", email="kwame@example.org")
    nadia = released_entry(centre, number="0044", first="Nadia", last="Haddad")  # no e-mail address
    return centre, officer, [zoe, kwame, nadia]


@pytest.mark.parametrize(("moment", "released"), [(BEFORE, False), (AT, True), (AT + timedelta(seconds=1), True)])
def test_nothing_is_emailed_before_the_release_second(cohort, moment, released):
    centre, officer, _ = cohort
    with time_machine.travel(moment, tick=False):
        run = start(centre, officer)
    rows = rows_by_number(run)
    assert Job.objects.get().status == Job.Status.SUCCEEDED
    if released:
        assert {m.to[0] for m in mail.outbox} == {"zoe@example.org", "kwame@example.org"}
        assert rows["0042"].status == StatementEmail.Status.QUEUED and rows["0042"].email.status == "sent"
        assert rows["0044"].reason == statement_emails.NO_ADDRESS
    else:
        assert mail.outbox == [] and not OutboundEmail.objects.exists()
        assert rows["0042"].status == StatementEmail.Status.SKIPPED
        assert rows["0042"].reason == "Not released yet: available 13 August 2026, 08:00 (Europe/London)"


def test_board_staff_starting_a_run_before_release_send_nothing(cohort):
    centre, _, _ = cohort
    staff = UserFactory()
    BoardMembershipFactory(user=staff, board=centre.board)
    with time_machine.travel(BEFORE, tick=False):
        run = start(centre, staff)
    assert mail.outbox == []
    assert {row.status for row in rows_by_number(run).values()} == {StatementEmail.Status.SKIPPED}


def test_every_reason_for_skipping_is_recorded(settings):
    centre, officer = centre_with_officer()
    june = series(centre.board)
    ok = released_entry(centre, number="0001", first="Ana", last="Pereira", email="ana@example.org")
    released_entry(centre, number="0002", first="Ben", last="Okafor")
    released_entry(
        centre, number="0003", first="Chen", last="Li", email="chen@example.org", status=Result.Status.PENDING
    )
    released_entry(
        centre, number="0004", first="Dara", last="Byrne", email="dara@example.org", status=Result.Status.WITHHELD
    )
    later = CandidateFactory(centre=centre, first_name="Eva", last_name="Novak", email="eva@example.org")
    entry_with_result(
        candidate=later,
        series=series(centre.board, "2026-11", "November 2026"),
        qualification=qualification(centre.board, "KET"),
        released_at=RELEASE + timedelta(days=90),
        candidate_number="0005",
        scores={"RW": 140, "LI": 130, "SP": 135},
    )
    unscheduled = CandidateFactory(centre=centre, first_name="Femi", last_name="Ade", email="femi@example.org")
    entry_with_result(
        candidate=unscheduled,
        series=series(centre.board, "2027-03", "March 2027"),
        released_at=None,
        candidate_number="0006",
    )
    movers = qualification(centre.board, "YLE-MOV")
    release(movers, june, RELEASE)
    young = CandidateFactory(centre=centre, first_name="Gus", last_name="Ray", email="gus@example.org")
    entry_for(centre=centre, candidate=young, qualification=movers, series=june, candidate_number="0007")
    waiting = CandidateFactory(centre=centre, first_name="Hana", last_name="Sato", email="hana@example.org")
    entry_for(
        centre=centre, candidate=waiting, qualification=qualification(centre.board, "0580"), series=june,
        candidate_number="0008",
    )  # fmt: skip
    release(qualification(centre.board, "0580"), june, RELEASE)

    with time_machine.travel(AT + timedelta(days=1), tick=False):
        run = start(centre, officer)
    reasons = {number: (row.status, row.reason) for number, row in rows_by_number(run).items()}
    assert reasons == {
        "0001": ("queued", ""),
        "0002": ("skipped", "No e-mail address on record"),
        "0003": ("skipped", "Result pending"),
        "0004": ("skipped", "Result withheld"),
        "0005": ("skipped", "Not released yet: available 11 November 2026, 07:00 (Europe/London)"),
        "0006": ("skipped", "Not released yet: the release date is to be announced"),
        "0007": ("skipped", "Results for this qualification are not available online"),
        "0008": ("skipped", "No result yet"),
    }
    assert [m.to for m in mail.outbox] == [["ana@example.org"]]
    assert Job.objects.get().message == "1 statement e-mailed, 7 skipped"
    assert ok.pk == rows_by_number(run)["0001"].entry_id


def test_ticked_entries_only_and_never_another_centres(cohort):
    centre, officer, (zoe, kwame, _) = cohort
    other, _ = centre_with_officer()
    stranger = released_entry(other, number="0042", first="Sam", last="Other", email="sam@example.org")
    with time_machine.travel(AT, tick=False):
        run = start(centre, officer, ticked=[kwame.pk, stranger.pk])
    assert list(StatementEmail.objects.filter(run=run).values_list("entry_id", flat=True)) == [kwame.pk]
    assert [m.to for m in mail.outbox] == [["kwame@example.org"]]


def test_the_search_criteria_select_the_entries(cohort):
    centre, officer, _ = cohort
    with time_machine.travel(AT, tick=False):
        run = start(centre, officer, criteria=Criteria(last_name="lukasiewicz"))
    assert list(rows_by_number(run)) == ["0042"]


def test_a_resumed_job_never_emails_an_entry_twice(cohort, monkeypatch):
    centre, officer, entries = cohort
    for number in range(5, 9):
        released_entry(
            centre, number=f"00{number:02d}", first=f"P{number}", last="Extra", email=f"p{number}@example.org"
        )
    real_queue = recipient_emails.email_queue
    queued: list[str] = []

    def crash_on_the_fourth(**kwargs):
        if len(queued) == 3:
            raise RuntimeError("the worker died")
        queued.append(kwargs["to"])
        return real_queue(**kwargs)

    monkeypatch.setattr(recipient_emails, "email_queue", crash_on_the_fourth)
    with time_machine.travel(AT, tick=False):
        run = start(centre, officer)
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED and len(mail.outbox) == 3
    assert StatementEmail.objects.filter(run=run, status=StatementEmail.Status.WAITING).exists()

    # The worker comes back: the job is claimed again (its heartbeat is stale) and resumes from its rows.
    monkeypatch.setattr(recipient_emails, "email_queue", real_queue)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, heartbeat_at=AT - timedelta(hours=1))
    with time_machine.travel(AT + timedelta(minutes=5), tick=False):
        runner.job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.message == "6 statements e-mailed, 1 skipped"
    sent_to = sorted(m.to[0] for m in mail.outbox)
    assert len(sent_to) == len(set(sent_to)) == 6
    assert OutboundEmail.objects.count() == 6
    assert not StatementEmail.objects.filter(run=run, status=StatementEmail.Status.WAITING).exists()


def test_a_row_already_decided_is_not_emailed_again(cohort):
    centre, officer, (zoe, _, _) = cohort
    with time_machine.travel(AT, tick=False):
        run = start(centre, officer)
        row = StatementEmail.objects.get(run=run, entry=zoe)
        entry = statement_emails.statement_entries(type(zoe).objects.filter(pk=zoe.pk)).get()
        job = Job.objects.get()
        ctx = runner.JobContext(job, job.run_token)
        decision = statement_emails._decision(run, row.pk, entry)
        recipient_emails.decide(ctx, StatementEmail.objects.filter(run=run), decision)
    assert OutboundEmail.objects.filter(to="zoe@example.org").count() == 1


def test_the_email_carries_the_statement_and_no_scores(cohort, settings, tmp_path):
    settings.EMAIL_BACKEND = "examdesk.core.mail.EmlFileBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    settings.EXAMDESK_SITE_URL = "https://results.example.org"
    centre, officer, (zoe, _, _) = cohort
    with time_machine.travel(AT, tick=False):
        start(centre, officer, ticked=[zoe.pk])
    (message,) = eml_messages(tmp_path / "mail")
    assert message["To"] == "zoe@example.org"
    assert message["Subject"] == "Your statement of results: B2 First, June 2026"
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert body.startswith("Dear Zoë Łukasiewicz,")
    assert "contact the exams officer at " + centre.name in body
    assert f"https://results.example.org/verify/?code={zoe.verification_code}" in body
    for score_word in ("185", "190", "Grade", "B2 First (June 2026) is attached"):
        assert (score_word in body) is (score_word == "B2 First (June 2026) is attached")
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == "0042-Łukasiewicz-Zoë.pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(attachment.get_content())).pages)
    assert "Zoë Łukasiewicz" in text and "0042" in text
    # Once sent, the stored copy of the attachment is deleted; the row keeps its name as the record.
    email = OutboundEmail.objects.get()
    assert email.attachments[0]["name"] == "0042-Łukasiewicz-Zoë.pdf" and email.attachments[0]["path"] == ""
    assert not list((tmp_path / "private").glob("mail/*/*"))
