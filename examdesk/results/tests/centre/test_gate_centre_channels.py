"""The release gate on centre staff's channels: the results list, a candidate's page and the CSV export,
at release − 1 s, at the release second and at release + 1 s, with the clock moved by time_machine."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from examdesk.audit.models import AuditEvent
from examdesk.centres.models import Role
from examdesk.core.tests.factories import BoardMembershipFactory, CentreFactory, UserFactory, member
from examdesk.jobs.models import Job
from examdesk.people.tests.factories import CandidateFactory
from examdesk.results.models import Result
from examdesk.results.tests.factories import entry_with_result

RELEASE = datetime(2026, 8, 13, 7, 0, tzinfo=UTC)  # 08:00 in London (BST)
BEFORE, AT, AFTER = RELEASE - timedelta(seconds=1), RELEASE, RELEASE + timedelta(seconds=1)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    centre = CentreFactory(time_zone="Europe/London")
    candidate = CandidateFactory(centre=centre, first_name="Zoë", last_name="Łukasiewicz")
    entry = entry_with_result(candidate=candidate, released_at=RELEASE, candidate_number="0042")
    return centre, candidate, entry


def _csv(client, job: Job) -> list[list[str]]:
    response = client.get(f"/jobs/{job.pk}/download/")
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


@pytest.mark.parametrize(("moment", "visible"), [(BEFORE, False), (AT, True), (AFTER, True)])
def test_results_list_and_candidate_page_show_scores_only_from_the_release_second(client, setting, moment, visible):
    centre, candidate, entry = setting
    client.force_login(member(centre, Role.EXAMS_OFFICER))
    with time_machine.travel(moment, tick=False):
        listing = client.get(f"/centres/{centre.number}/results/").content.decode()
        page = client.get(f"/centres/{centre.number}/results/candidates/{candidate.pk}/").content.decode()
    for html in (listing, page):
        assert "0042" in html
        assert ("Pass at Grade C" in html) is visible
        assert ("Available 13 August 2026, 08:00 (Europe/London)" in html) is not visible
    # The list has the score in a column of its own (it sorts by it); the candidate's page has it after the result.
    assert ("<td>190</td>" in listing) is visible
    assert ("Pass at Grade C, 190" in page) is visible
    assert ("Overall score</dt><dd>190</dd>" in page) is visible


@pytest.mark.django_db(transaction=True)  # the job runs on commit, as it does in production
@pytest.mark.parametrize(("moment", "visible"), [(BEFORE, False), (AT, True), (AFTER, True)])
def test_export_carries_scores_only_from_the_release_second(client, setting, moment, visible):
    centre, _, _ = setting
    client.force_login(member(centre, Role.VIEWER))
    with time_machine.travel(moment, tick=False):
        client.post(f"/centres/{centre.number}/results/export/")
        rows = _csv(client, Job.objects.get())
    header, row = rows[0], rows[1]
    assert header[-4:] == ["Overall", "Grade", "Result", "CEFR level"]
    record = dict(zip(header, row, strict=True))
    assert record["Candidate number"] == "0042" and record["First name"] == "Zoë"
    if visible:
        assert record["Status"] == "Released"
        assert (record["RD"], record["Overall"], record["Grade"], record["CEFR level"]) == ("185", "190", "C", "B2")
    else:
        assert record["Status"] == "Available 13 August 2026, 08:00 (Europe/London)"
        assert {record[code] for code in ("RD", "UE", "WR", "LI", "SP", "Overall", "Grade", "Result")} == {""}


def test_board_staff_preview_before_release_is_marked(client, setting):
    centre, candidate, _ = setting
    staff = UserFactory()
    BoardMembershipFactory(user=staff, board=centre.board)
    client.force_login(staff)
    with time_machine.travel(BEFORE, tick=False):
        html = client.get(f"/centres/{centre.number}/results/candidates/{candidate.pk}/").content.decode()
    assert "Board preview" in html and "Pass at Grade C, 190" in html
    assert AuditEvent.objects.filter(action=AuditEvent.Action.RESULTS_PREVIEWED, actor_email=staff.email).exists()


def test_pending_and_withheld_show_no_scores_after_release(client):
    centre = CentreFactory()
    pending = entry_with_result(centre=centre, released_at=RELEASE, status=Result.Status.PENDING, scores={})
    withheld = entry_with_result(
        centre=centre, released_at=RELEASE, status=Result.Status.WITHHELD, candidate_number="0002", scores={}
    )
    client.force_login(member(centre))
    with time_machine.travel(AFTER, tick=False):
        html = client.get(f"/centres/{centre.number}/results/").content.decode()
    assert "Pending" in html and "Withheld" in html and "Pass at" not in html
    assert pending.results.get().overall_score is None and withheld.results.get().overall_score is None


def test_not_online_qualification_says_so_even_after_release(client):
    centre = CentreFactory()
    from examdesk.catalogue.tests.factories import qualification

    entry_with_result(
        centre=centre,
        released_at=RELEASE,
        qualification=qualification(centre.board, "YLE-MOV"),
        scores={"LI": 5, "RW": 4, "SP": 5},
    )
    client.force_login(member(centre))
    with time_machine.travel(AFTER, tick=False):
        html = client.get(f"/centres/{centre.number}/results/").content.decode()
    assert "Not available online" in html and "Shields" not in html


def test_another_centres_candidate_is_not_found(client, setting):
    centre, candidate, _ = setting
    client.force_login(member(CentreFactory()))
    assert client.get(f"/centres/{centre.number}/results/candidates/{candidate.pk}/").status_code == 404
    other = CentreFactory()
    client.force_login(member(other))
    assert client.get(f"/centres/{other.number}/results/candidates/{candidate.pk}/").status_code == 404
