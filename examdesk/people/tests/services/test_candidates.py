from __future__ import annotations

from datetime import date

import pytest

from examdesk.audit.models import AuditEvent
from examdesk.core.errors import ApplicationError
from examdesk.core.tests.factories import CentreFactory, member
from examdesk.people import services
from examdesk.people.models import Candidate, Group
from examdesk.people.services import CandidateData
from examdesk.people.tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db


def test_create_with_groups_typed_in_any_case_reuses_existing_groups():
    centre = CentreFactory()
    Group.objects.create(centre=centre, name="Year 7")
    candidate = services.candidate_create(
        actor=None, centre=centre, data=CandidateData("001", "Ana", "Pereira", groups=["year 7", "Choir"])
    )
    assert sorted(g.name for g in candidate.groups.all()) == ["Choir", "Year 7"]
    assert Group.objects.filter(centre=centre).count() == 2


def test_a_unique_id_is_unique_in_the_centre_only():
    centre, other = CentreFactory(), CentreFactory()
    CandidateFactory(centre=centre, unique_id="001")
    services.candidate_create(actor=None, centre=other, data=CandidateData("001", "A", "B"))
    with pytest.raises(ApplicationError, match="already has the unique ID 001"):
        services.candidate_create(actor=None, centre=centre, data=CandidateData("001", "A", "B"))


def test_changing_the_unique_id_is_audited_and_refuses_a_taken_id():
    centre = CentreFactory()
    first, second = CandidateFactory(centre=centre, unique_id="001"), CandidateFactory(centre=centre, unique_id="002")
    with pytest.raises(ApplicationError):
        services.candidate_change_unique_id(actor=None, candidate=first, new_unique_id="002")
    services.candidate_change_unique_id(actor=None, candidate=first, new_unique_id="0001")
    assert Candidate.objects.get(pk=first.pk).unique_id == "0001"
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CANDIDATE_ID_CHANGED, data__to="0001").exists()
    assert second.unique_id == "002"


def test_deactivating_keeps_the_record_and_can_be_undone():
    candidate = CandidateFactory()
    services.candidate_set_active(actor=None, candidate=candidate, active=False)
    assert Candidate.objects.get(pk=candidate.pk).is_active is False
    services.candidate_set_active(actor=None, candidate=candidate, active=True)
    assert Candidate.objects.get(pk=candidate.pk).is_active is True


def test_upsert_counts_and_only_touches_the_columns_a_file_has():
    centre = CentreFactory()
    CandidateFactory(centre=centre, unique_id="001", first_name="Ana", last_name="Pereira",
                     date_of_birth=date(2012, 4, 3), gender="F")  # fmt: skip
    CandidateFactory(centre=centre, unique_id="002", first_name="Ben", last_name="Okafor")
    names_only = frozenset({"unique_id", "first_name", "last_name"})
    counts = services.candidates_upsert(centre=centre, rows=[
        CandidateData("001", "Ana", "Pereira-Silva", fields=names_only),
        CandidateData("002", "Ben", "Okafor", fields=names_only),
        CandidateData("003", "Cleo", "Mensah", groups=["7A"], fields=names_only | {"groups"}),
    ])  # fmt: skip
    assert (counts.created, counts.updated, counts.unchanged) == (1, 1, 1)
    ana = Candidate.objects.get(centre=centre, unique_id="001")
    assert ana.last_name == "Pereira-Silva" and ana.date_of_birth == date(2012, 4, 3) and ana.gender == "F"
    assert [g.name for g in Candidate.objects.get(unique_id="003").groups.all()] == ["7A"]


def test_staff_can_only_reach_candidates_of_their_centre(client):
    centre, other = CentreFactory(), CentreFactory()
    mine, theirs = CandidateFactory(centre=centre), CandidateFactory(centre=other)
    client.force_login(member(centre))
    assert client.get(f"/centres/{centre.number}/candidates/{mine.pk}/").status_code == 200
    assert client.get(f"/centres/{centre.number}/candidates/{theirs.pk}/").status_code == 404
    assert client.get(f"/centres/{other.number}/candidates/{theirs.pk}/").status_code == 404


def test_a_viewer_sees_but_cannot_change(client):
    from examdesk.centres.models import Role

    centre = CentreFactory()
    candidate = CandidateFactory(centre=centre)
    client.force_login(member(centre, Role.VIEWER))
    assert client.get(f"/centres/{centre.number}/candidates/").status_code == 200
    assert client.get(f"/centres/{centre.number}/candidates/{candidate.pk}/edit/").status_code == 403
    assert (
        client.post(f"/centres/{centre.number}/candidates/{candidate.pk}/active/", {"active": "no"}).status_code == 403
    )


def test_the_list_hides_deactivated_candidates_unless_asked_and_costs_few_queries(
    client, django_assert_max_num_queries
):
    centre = CentreFactory()
    for n in range(60):
        CandidateFactory(centre=centre, last_name=f"Name{n:02d}", is_active=n % 10 != 0)
    client.force_login(member(centre))
    with django_assert_max_num_queries(20):
        page = client.get(f"/centres/{centre.number}/candidates/")
    assert "54 candidates" in page.content.decode()
    assert "Page 1 of 2" in page.content.decode() and "page=2" in page.content.decode()
    assert "6 candidates" in client.get(f"/centres/{centre.number}/candidates/?status=deactivated").content.decode()
    assert "60 candidates" in client.get(f"/centres/{centre.number}/candidates/?status=all").content.decode()


def test_a_groups_column_sets_the_groups_and_no_column_leaves_them():
    centre = CentreFactory()
    services.candidates_upsert(centre=centre, rows=[CandidateData("001", "Ana", "P", groups=["7A", "Choir"])])
    with_groups = frozenset({"unique_id", "first_name", "last_name", "groups"})
    counts = services.candidates_upsert(
        centre=centre, rows=[CandidateData("001", "Ana", "P", groups=["7B"], fields=with_groups)]
    )
    assert (counts.updated, counts.unchanged) == (1, 0)
    ana = Candidate.objects.get(unique_id="001")
    assert [g.name for g in ana.groups.all()] == ["7B"]
    names_only = frozenset({"unique_id", "first_name", "last_name"})
    counts = services.candidates_upsert(centre=centre, rows=[CandidateData("001", "Ana", "P", fields=names_only)])
    assert (counts.updated, counts.unchanged) == (0, 1)
    assert [g.name for g in ana.groups.all()] == ["7B"]


@pytest.mark.django_db
def test_folded_names_are_kept_by_single_and_bulk_writes():
    centre = CentreFactory()
    services.candidates_upsert(
        centre=centre, rows=[CandidateData(unique_id="1", first_name="Zoë", last_name="Łukasiewicz")]
    )
    candidate = Candidate.objects.get()
    assert (candidate.first_name_folded, candidate.last_name_folded) == ("zoe", "lukasiewicz")
    services.candidates_upsert(centre=centre, rows=[CandidateData(unique_id="1", first_name="Zoë", last_name="Ørsted")])
    candidate.refresh_from_db()
    assert candidate.last_name_folded == "orsted"
    candidate.first_name = "Ἀλέξανδρος"
    candidate.save(update_fields=["first_name"])
    candidate.refresh_from_db()
    assert candidate.first_name_folded == "αλεξανδροσ"
