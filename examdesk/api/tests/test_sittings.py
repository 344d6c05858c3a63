"""Sittings through the API: created for candidates with the centre's credits (as on screen), access codes, progress."""

from __future__ import annotations

from datetime import timedelta

from examdesk.core.time import now
from examdesk.people.tests.factories import CandidateFactory
from examdesk.sittings.models import Attempt, LedgerEntry
from examdesk.sittings.tests.fixtures import credits, product


def test_create_a_sitting_uses_credits_and_lists_access_codes(api, centre):
    made = product(centre)
    credits(centre, made, 2, (now() + timedelta(days=90)).date())
    CandidateFactory(centre=centre, unique_id="A1")
    CandidateFactory(centre=centre, unique_id="A2")
    today = now().date()
    body = {"product": made.pk, "name": "Year 7", "opens_on": str(today), "closes_on": str(today + timedelta(days=7))}
    created = api.post("/sittings", {**body, "candidates": ["A1", "A2"]})
    assert created.status_code == 201, created.content
    sitting_id = created.json()["id"]
    attempts = api.get(f"/sittings/{sitting_id}/attempts").json()
    assert sorted(a["candidate_unique_id"] for a in attempts) == ["A1", "A2"]
    assert all(a["state"] == "not_started" and a["score"] is None and len(a["access_code"]) >= 10 for a in attempts)
    assert Attempt.objects.count() == 2 and LedgerEntry.objects.filter(centre=centre).count() >= 3
    assert [s["id"] for s in api.get("/sittings").json()["items"]] == [sitting_id]


def test_no_credit_left_is_the_pages_problem(api, centre):
    made = product(centre)
    credits(centre, made, 1, (now() + timedelta(days=90)).date())
    CandidateFactory(centre=centre, unique_id="A1")
    CandidateFactory(centre=centre, unique_id="A2")
    today = now().date()
    response = api.post(
        "/sittings",
        {"product": made.pk, "name": "Y7", "opens_on": str(today), "closes_on": str(today), "candidates": ["A1", "A2"]},
    )
    assert response.status_code == 422 and response["Content-Type"] == "application/problem+json"
    assert not Attempt.objects.exists()


def test_unknown_candidates_and_products_have_field_paths(api, centre):
    today = str(now().date())
    response = api.post(
        "/sittings", {"product": 99, "name": "Y7", "opens_on": today, "closes_on": today, "candidates": ["NOPE"]}
    )
    assert response.status_code == 422 and response.json()["errors"][0]["path"] == "product"
