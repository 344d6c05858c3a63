from __future__ import annotations

import time_machine

from examdesk.audit.models import AuditEvent
from examdesk.people.models import Candidate
from examdesk.people.tests.factories import CandidateFactory

BODY = {"unique_id": "S-001", "first_name": "Ada", "last_name": "Lovelace", "nationality": "Portuguese",
        "gender": "female", "groups": ["7A"]}  # fmt: skip


def test_create_get_update_deactivate(api, centre):
    created = api.post("/candidates", BODY)
    assert created.status_code == 201, created.content
    assert created.json()["nationality"] == "PT" and created.json()["gender"] == "F"
    assert created.json()["groups"] == ["7A"]
    got = api.get("/candidates/S-001")
    assert got.status_code == 200 and got.json()["first_name"] == "Ada"
    changed = api.patch("/candidates/S-001", {"first_name": "Augusta"})
    assert changed.json()["first_name"] == "Augusta" and changed.json()["groups"] == ["7A"]
    assert api.post("/candidates/S-001/deactivate").json()["is_active"] is False
    assert api.post("/candidates/S-001/reactivate").json()["is_active"] is True
    actions = set(AuditEvent.objects.filter(centre_id=centre.pk).values_list("action", flat=True))
    assert {"candidate.created", "candidate.updated", "candidate.deactivated", "api.write"} <= actions


def test_create_twice_is_a_problem_with_a_field_path(api):
    api.post("/candidates", BODY)
    again = api.post("/candidates", BODY)
    assert again.status_code == 422
    assert again["Content-Type"] == "application/problem+json"
    problem = again.json()
    assert problem["status"] == 422 and problem["errors"][0]["path"] == "unique_id"


def test_validation_problems_name_each_field(api):
    response = api.post("/candidates", {**BODY, "nationality": "Atlantis", "email": "nope", "first_name": ""})
    assert response.status_code == 422
    paths = {error["path"] for error in response.json()["errors"]}
    assert "first_name" in paths


def test_rule_problems_name_each_field(api):
    response = api.post("/candidates", {**BODY, "nationality": "Atlantis", "email": "nope"})
    assert response.status_code == 422
    assert {error["path"] for error in response.json()["errors"]} == {"nationality", "email"}


def test_put_upserts_by_unique_id(api):
    first = api.put("/candidates/S-001", BODY)
    assert first.status_code == 201
    second = api.put("/candidates/S-001", {**BODY, "last_name": "King"})
    assert second.status_code == 200 and second.json()["last_name"] == "King"
    assert Candidate.objects.filter(unique_id="S-001").count() == 1
    mismatch = api.put("/candidates/S-002", BODY)
    assert mismatch.status_code == 422


def test_batch_upsert_and_sync_with_updated_since(api, centre):
    rows = [{**BODY, "unique_id": f"B{n:03d}", "groups": []} for n in range(30)]
    with time_machine.travel("2026-05-01 10:00Z", tick=False):
        counts = api.post("/candidate-batches", {"candidates": rows}).json()
    assert counts == {"created": 30, "updated": 0, "unchanged": 0}
    with time_machine.travel("2026-05-02 10:00Z", tick=False):
        again = api.post("/candidate-batches", {"candidates": rows[:5] + [{**rows[5], "last_name": "New"}]}).json()
    assert again == {"created": 0, "updated": 1, "unchanged": 5}
    seen, cursor = [], None
    while True:
        params = {"limit": 7, **({"cursor": cursor} if cursor else {})}
        page = api.get("/candidates", **params).json()
        seen += [item["unique_id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == sorted(row["unique_id"] for row in rows) and len(seen) == len(set(seen))
    changed = api.get("/candidates", updated_since="2026-05-02T00:00:00Z").json()["items"]
    assert [item["unique_id"] for item in changed] == ["B005"]


def test_batch_upsert_refuses_the_whole_page_on_a_problem(api):
    rows = [{**BODY, "unique_id": "X1"}, {**BODY, "unique_id": "X1"}, {**BODY, "unique_id": "X2", "gender": "?"}]
    response = api.post("/candidate-batches", {"candidates": rows})
    assert response.status_code == 422
    paths = {error["path"] for error in response.json()["errors"]}
    assert paths == {"candidates.1.unique_id", "candidates.2.gender"}
    assert not Candidate.objects.exists()


def test_filters_group_and_active(api, centre):
    api.post("/candidates", BODY)
    api.post("/candidates", {**BODY, "unique_id": "S-002", "groups": ["8B"]})
    CandidateFactory(centre=centre, unique_id="OLD", is_active=False)
    group = api.get("/groups").json()["items"]
    seven = next(g for g in group if g["name"] == "7A")
    only = api.get("/candidates", group=seven["id"]).json()["items"]
    assert [c["unique_id"] for c in only] == ["S-001"]
    assert [c["unique_id"] for c in api.get("/candidates", active="false").json()["items"]] == ["OLD"]
    members = api.get(f"/groups/{seven['id']}/members").json()["items"]
    assert [c["unique_id"] for c in members] == ["S-001"]


def test_group_create_is_found_again_by_name(api):
    first = api.post("/groups", {"name": "Year 9"})
    second = api.post("/groups", {"name": "year 9"})
    assert first.status_code == 201 and first.json()["id"] == second.json()["id"]


def test_etag_and_if_none_match(api):
    api.post("/candidates", BODY)
    first = api.get("/candidates/S-001")
    tag = first["ETag"]
    again = api.get("/candidates/S-001", headers={"If-None-Match": tag})
    assert again.status_code == 304 and again["ETag"] == tag
    api.patch("/candidates/S-001", {"first_name": "Augusta"})
    assert api.get("/candidates/S-001", headers={"If-None-Match": tag}).status_code == 200


def test_bad_cursor_is_a_problem(api):
    response = api.get("/candidates", cursor="not-a-cursor")
    assert response.status_code == 422 and response.json()["errors"][0]["path"] == "cursor"


def test_batch_upsert_makes_groups_exactly_those_listed(api, centre):
    rows = [{**BODY, "unique_id": "G1", "groups": ["7A", "Choir"]}, {**BODY, "unique_id": "G2", "groups": ["7A"]}]
    api.post("/candidate-batches", {"candidates": rows})
    CandidateFactory(centre=centre, unique_id="OTHER").groups.set(
        [g for g in centre.candidate_groups.all() if g.name == "Choir"]
    )
    moved = api.post("/candidate-batches", {"candidates": [{**rows[0], "groups": ["8B"]}, rows[1]]}).json()
    assert moved == {"created": 0, "updated": 1, "unchanged": 1}
    assert api.get("/candidates/G1").json()["groups"] == ["8B"]
    assert api.get("/candidates/G2").json()["groups"] == ["7A"]
    assert api.get("/candidates/OTHER").json()["groups"] == ["Choir"]  # a candidate not in the page is untouched
