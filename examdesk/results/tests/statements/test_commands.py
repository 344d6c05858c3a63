"""examdesk email_statements: the same run as the page, from the command line."""

from __future__ import annotations

import io

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command

from examdesk.centres.models import Role
from examdesk.core.tests.factories import member
from examdesk.results.models import StatementEmailRun

from .emails_support import AT, BEFORE, centre_with_officer, released_entry

pytestmark = pytest.mark.django_db(transaction=True)


def test_command_emails_released_statements_and_lists_the_skipped(settings):
    settings.EXAMDESK_SITE_URL = "https://examdesk.example.org"
    centre, officer = centre_with_officer()
    released_entry(centre, number="0001", first="Ana", last="Pereira", email="ana@example.org")
    released_entry(centre, number="0002", first="Ben", last="Okafor")
    released_entry(centre, number="0300", first="Cy", last="Out", email="cy@example.org")
    out = io.StringIO()
    with time_machine.travel(AT, tick=False):
        call_command(
            "email_statements", "--centre", centre.number, "--as", officer.email, "--from", "0001", "--to", "0002",
            "--series", "2026-06", stdout=out,
        )  # fmt: skip
    run = StatementEmailRun.objects.get()
    assert out.getvalue().splitlines() == [
        "1 statement e-mailed, 1 skipped.",
        "  skipped 1: No e-mail address on record",
        f"Each candidate's delivery: https://examdesk.example.org/centres/{centre.number}/results/statement-emails/"
        f"{run.pk}/",
    ]
    assert [m.to for m in mail.outbox] == [["ana@example.org"]]


def test_command_refuses_what_the_page_refuses():
    centre, officer = centre_with_officer()
    released_entry(centre, number="0001", first="Ana", last="Pereira", email="ana@example.org")
    teacher = member(centre, Role.TEACHER)
    with pytest.raises(CommandError, match="is not a centre admin or exams officer"):
        call_command("email_statements", "--centre", centre.number, "--as", teacher.email)
    with pytest.raises(CommandError, match="4 digits"):
        call_command("email_statements", "--centre", centre.number, "--as", officer.email, "--from", "12")
    with time_machine.travel(BEFORE, tick=False):
        call_command("email_statements", "--centre", centre.number, "--as", officer.email, stdout=io.StringIO())
    assert mail.outbox == []
