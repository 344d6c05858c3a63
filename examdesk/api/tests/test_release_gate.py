"""The release gate through the API at release − 1 s, at the release second and at + 1 s: the same scores as the
centre's results page and its CSV export, and nothing of them before; a board key never previews."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from examdesk.api.tests.conftest import ApiClient, make_key
from examdesk.centres.models import Centre, Role
from examdesk.core.tests.factories import CentreFactory, member
from examdesk.jobs.models import Job
from examdesk.people.tests.factories import CandidateFactory
from examdesk.results.tests.factories import entry_with_result

RELEASE = datetime(2026, 8, 13, 7, 0, tzinfo=UTC)
BEFORE, AT, AFTER = RELEASE - timedelta(seconds=1), RELEASE, RELEASE + timedelta(seconds=1)


@pytest.fixture
def setting(db):
    centre = CentreFactory(time_zone="Europe/London")
    candidate = CandidateFactory(centre=centre, unique_id="U-42")
    entry = entry_with_result(candidate=candidate, released_at=RELEASE, candidate_number="0042")
    return centre, entry


@pytest.mark.parametrize(("moment", "visible"), [(BEFORE, False), (AT, True), (AFTER, True)])
def test_scores_only_from_the_release_second_as_on_the_page(client, setting, moment, visible):
    centre, entry = setting
    api = ApiClient(client, make_key(centre).token)
    client.force_login(member(centre, Role.EXAMS_OFFICER))
    with time_machine.travel(moment, tick=False):
        listed = api.get("/entries").json()["items"]
        one = api.get(f"/entries/{entry.pk}").json()
        page = client.get(f"/centres/{centre.number}/results/").content.decode()
    assert listed == [one]
    assert one["candidate_unique_id"] == "U-42" and one["candidate_number"] == "0042"
    if visible:
        assert one["state"] == "released"
        result = one["result"]
        assert (result["overall_score"], result["grade"], result["cefr_level"]) == ("190", "C", "B2")
        assert {c["code"]: c["score"] for c in result["components"]}["RD"] == "185"
        assert f"<td>{result['overall_score']}</td>" in page
    else:
        assert one["state"] == "not_yet" and one["result"] is None
        assert "<td>190</td>" not in page


@pytest.mark.django_db(transaction=True)
def test_the_same_scores_as_the_csv_export(client):
    centre = CentreFactory(time_zone="Europe/London")
    candidate = CandidateFactory(centre=centre, unique_id="U-42")
    entry = entry_with_result(candidate=candidate, released_at=RELEASE, candidate_number="0042")
    api = ApiClient(client, make_key(centre).token)
    client.force_login(member(centre, Role.VIEWER))
    with time_machine.travel(AT, tick=False):
        one = api.get(f"/entries/{entry.pk}").json()
        client.post(f"/centres/{centre.number}/results/export/")
        job = Job.objects.get(kind__contains="export")
        response = client.get(f"/jobs/{job.pk}/download/")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    record = dict(zip(rows[0], rows[1], strict=True))
    result = one["result"]
    assert (record["Overall"], record["Grade"], record["CEFR level"]) == (
        result["overall_score"],
        result["grade"],
        result["cefr_level"],
    )
    components = {c["code"]: c["score"] for c in result["components"]}
    assert all(record[code] == components[code] for code in ("RD", "UE", "WR", "LI", "SP"))


def test_updated_since_brings_the_entry_at_its_release(client, db):
    with time_machine.travel(RELEASE - timedelta(days=10), tick=False):
        centre = CentreFactory()
        entry = entry_with_result(centre=centre, released_at=RELEASE)
    api = ApiClient(client, make_key(centre).token)
    with time_machine.travel(RELEASE + timedelta(hours=1), tick=False):
        since = api.get("/entries", updated_since=(RELEASE - timedelta(minutes=5)).isoformat()).json()["items"]
        later = api.get("/entries", updated_since=(RELEASE + timedelta(minutes=5)).isoformat()).json()["items"]
    assert [e["id"] for e in since] == [entry.pk] and since[0]["result"] is not None
    assert later == []


def test_a_preparation_centre_key_sees_only_linked_entries_once_released(client, setting):
    centre, entry = setting
    preparation = CentreFactory(board=centre.board, kind=Centre.Kind.PREPARATION)
    entry.preparation_centre = preparation
    entry.save(update_fields=["preparation_centre"])
    entry_with_result(centre=centre, released_at=RELEASE, candidate_number="0043")  # not linked
    api = ApiClient(client, make_key(preparation).token)
    with time_machine.travel(BEFORE, tick=False):
        assert api.get("/entries").json()["items"] == []
        assert api.get(f"/entries/{entry.pk}").status_code == 404
    with time_machine.travel(AT, tick=False):
        items = api.get("/entries").json()["items"]
    assert [e["id"] for e in items] == [entry.pk] and items[0]["result"]["overall_score"] == "190"
