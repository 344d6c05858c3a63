from __future__ import annotations

import pytest

from examdesk.access import selectors, services
from examdesk.access.models import ResultsAccess
from examdesk.centres.models import Role
from examdesk.core.tests.factories import CentreFactory, member
from examdesk.people.models import Group
from examdesk.people.tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db


def _confirm(centre, actor, mode):
    return services.access_confirm(
        actor=actor,
        centre=centre,
        mode=mode,
        contact_name="Ms Rivera",
        contact_phone="+44 1223 553554",
        contact_email="",
        queries_confirmed=True,
    )


def _selected(centre, actor, chosen):
    _confirm(centre, actor, ResultsAccess.Mode.SELECTED)
    services.selection_change(actor=actor, centre=centre, candidate_ids=[c.pk for c in chosen], select=True)
    return selectors.access_get(centre=centre)


def test_filters_by_name_group_and_access_within_the_centre():
    centre, other = CentreFactory(), CentreFactory()
    officer = member(centre, Role.CENTRE_ADMIN)
    ana = CandidateFactory(centre=centre, first_name="Ana", last_name="Lima")
    ben = CandidateFactory(centre=centre, first_name="Ben", last_name="Okafor")
    CandidateFactory(centre=centre, first_name="Gone", is_active=False)
    CandidateFactory(centre=other, first_name="Ana", last_name="Lima")
    group = Group.objects.create(centre=centre, name="7A")
    group.candidates.add(ben)
    access = _selected(centre, officer, [ana])

    def names(filters):
        rows = selectors.candidate_list_filtered(centre=centre, access=access, filters=filters)
        return [c.first_name for c in rows]

    assert names(None) == ["Ana", "Ben"]
    assert names({"q": "lima"}) == ["Ana"]
    assert names({"group": group}) == ["Ben"]
    assert names({"show": "access"}) == ["Ana"]
    assert names({"show": "no-access"}) == ["Ben"]


def test_the_candidates_page_reads_in_a_fixed_number_of_queries(django_assert_num_queries):
    centre = CentreFactory()
    officer = member(centre, Role.CENTRE_ADMIN)
    people = CandidateFactory.create_batch(6, centre=centre)
    access = _selected(centre, officer, people[:3])
    with django_assert_num_queries(3):
        rows = list(selectors.candidate_list_filtered(centre=centre, access=access, filters={"show": "access"}))
        ids = [c.pk for c in rows]
        allowed = selectors.candidate_ids_with_access(centre=centre, access=access, candidate_ids=ids)
        logins = selectors.credentials_by_candidate(centre=centre, candidate_ids=ids)
    assert len(rows) == 3 and allowed == set(ids) and logins == {}


def test_recent_letter_runs_come_with_owner_and_job_in_one_query(django_assert_num_queries):
    centre = CentreFactory()
    officer = member(centre, Role.CENTRE_ADMIN)
    CandidateFactory.create_batch(2, centre=centre)
    _confirm(centre, officer, ResultsAccess.Mode.ALL)
    services.letters_start(actor=officer, centre=centre, kind="new")
    with django_assert_num_queries(1):
        runs = selectors.letter_run_list_recent(centre=centre)
        assert [(run.owner.email, run.job is not None) for run in runs] == [(officer.email, True)] * 2
    assert selectors.letter_run_list_recent(centre=CentreFactory()) == []
