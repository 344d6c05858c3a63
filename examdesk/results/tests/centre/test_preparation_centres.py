"""Preparation centres: tenancy on every channel at release − 1 s and at release, and linking entries to them."""

from __future__ import annotations

import pytest
import time_machine

from examdesk.audit.models import AuditEvent
from examdesk.centres.models import Centre, Role
from examdesk.core.errors import ApplicationError
from examdesk.core.tests.factories import BoardMembershipFactory, CentreFactory, UserFactory, member
from examdesk.jobs.models import Job
from examdesk.results.models import Entry
from examdesk.results.services import entries_preparation_centre_set
from examdesk.results.tests.centre.portal import AT, BEFORE, csv_rows, download, portal, table_rows, xlsx_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort():
    return portal()


def _linked(entry: Entry):
    entry.refresh_from_db()
    return entry.preparation_centre


# --- What a preparation centre sees ----------------------------------------------------------------------


def test_results_page_shows_only_linked_entries_and_only_from_the_release_second(client, cohort):
    client.force_login(cohort.prep_viewer())
    url = f"/centres/{cohort.prep.number}/results/"
    with time_machine.travel(BEFORE, tick=False):
        before = client.get(url).content.decode()
    with time_machine.travel(AT, tick=False):
        at = client.get(url).content.decode()
        everything = client.get(url, {"number_from": "0001", "number_to": "9999"}).content.decode()
    assert table_rows(before) == [] and "No entries match all entries." in before
    assert "Zoë" not in before and "Łukasiewicz" not in before
    rows = table_rows(at)
    assert [r["Candidate number"] for r in rows] == ["0001", "0002", "0005"]
    assert [r["Score"] for r in rows] == ["202", "190", "194"]
    assert "Preparation centre" not in rows[0]  # no such column or filter for a preparation centre
    assert 'name="preparation_centre"' not in at
    assert "Mensah" not in everything and "Peréz" not in everything  # another's, and nobody's
    # No letters and no linking for a preparation centre.
    assert "Results Online letters" not in at and "Link ticked entries" not in at
    assert "Statements for the ticked results (PDF)" in at and "E-mail statements" not in at


@pytest.mark.parametrize(("moment", "visible"), [(BEFORE, False), (AT, True)])
def test_candidate_page_only_for_linked_released_entries(client, cohort, moment, visible):
    client.force_login(cohort.prep_viewer())
    chloe = cohort.entries["0002"].candidate
    kwame = cohort.entries["0003"].candidate  # linked to the other preparation centre
    with time_machine.travel(moment, tick=False):
        page = client.get(f"/centres/{cohort.prep.number}/results/candidates/{chloe.pk}/")
        other = client.get(f"/centres/{cohort.prep.number}/results/candidates/{kwame.pk}/")
    assert other.status_code == 404
    assert page.status_code == (200 if visible else 404)
    if visible:
        html = page.content.decode()
        assert "Overall score</dt><dd>190</dd>" in html and "CEFR level</dt><dd>B2</dd>" in html
        assert "Graphical profile: B2 First, June 2026" in html and "<svg" in html
        assert "Results Online" not in html and "Registration letter" not in html and "ID number" not in html
        assert "Candidate's details" not in html


def test_candidate_page_of_an_exam_centre_shows_every_released_profile_and_the_link_select(client, cohort):
    officer = cohort.officer()
    client.force_login(officer)
    chloe = cohort.entries["0002"].candidate
    with time_machine.travel(AT, tick=False):
        html = client.get(f"/centres/{cohort.centre.number}/results/candidates/{chloe.pk}/").content.decode()
    assert "Graphical profile: B2 First, June 2026" in html
    assert '<th scope="row">Reading</th><td>185</td>' in html
    assert "Preparation centre for B2 First, June 2026" in html
    assert f'<option value="{cohort.prep.pk}" selected>' in html
    assert "Results Online" in html


@pytest.mark.django_db(transaction=True)  # the export job runs on commit, as in production
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(("moment", "visible"), [(BEFORE, False), (AT, True)])
def test_export_of_a_preparation_centre_holds_only_its_released_entries(client, moment, visible, fmt):
    cohort = portal()
    client.force_login(cohort.prep_viewer())
    with time_machine.travel(moment, tick=False):
        response = client.post(f"/centres/{cohort.prep.number}/results/export/", {"format": fmt})
        assert response.status_code == 302
        content = download(client, Job.objects.get())
    rows = csv_rows(content) if fmt == "csv" else xlsx_rows(content)
    numbers = sorted(str(r["Candidate number"]) for r in rows)
    assert numbers == (["0001", "0002", "0005"] if visible else [])


def test_a_foreign_or_early_entry_cannot_be_ticked_into_a_bulk_action(client, cohort):
    """The ticked ids are intersected with the search: another centre's entry is simply not selected."""
    from examdesk.results.centre.forms import selection_from_post
    from examdesk.results.centre.search import Viewer

    post = _post(scope="ticked", entry=[str(e.pk) for e in cohort.entries.values()])
    with time_machine.travel(BEFORE, tick=False):
        assert selection_from_post(post, Viewer(cohort.prep))[1] == []
    with time_machine.travel(AT, tick=False):
        ids = selection_from_post(post, Viewer(cohort.prep))[1]
    assert ids == [cohort.entries[n].pk for n in ("0001", "0002", "0005")]


def test_preparation_centre_staff_cannot_link_nor_print_letters(client, cohort):
    admin = member(cohort.prep, Role.CENTRE_ADMIN)
    client.force_login(admin)
    chloe = cohort.entries["0002"]
    with time_machine.travel(AT, tick=False):
        linked = client.post(
            f"/centres/{cohort.prep.number}/results/link/",
            {"scope": "ticked", "entry": chloe.pk, "link_to": "none"},
        )
        one = client.post(
            f"/centres/{cohort.prep.number}/results/candidates/{chloe.candidate_id}/link/",
            {"entry": chloe.pk, "link_to": "none"},
        )
        letters = client.get(f"/centres/{cohort.prep.number}/results/letters/")
        letter = client.post(
            f"/centres/{cohort.prep.number}/results/candidates/{chloe.candidate_id}/letter/",
            {"identity_checked": "on"},
        )
    assert (linked.status_code, one.status_code, letters.status_code, letter.status_code) == (404, 404, 404, 404)
    assert _linked(chloe) == cohort.prep


def test_board_staff_on_a_preparation_centre_page_see_no_preview(client, cohort):
    staff = UserFactory()
    BoardMembershipFactory(user=staff, board=cohort.centre.board)
    client.force_login(staff)
    with time_machine.travel(BEFORE, tick=False):
        html = client.get(f"/centres/{cohort.prep.number}/results/").content.decode()
    assert table_rows(html) == [] and "Board preview" not in html


# --- Linking entries ---------------------------------------------------------------------------------------


def _post(**fields):
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    for name, value in fields.items():
        if isinstance(value, list):
            data.setlist(name, value)
        else:
            data[name] = value
    return data


def test_link_and_unlink_through_the_service_is_audited(cohort):
    officer = cohort.officer()
    ana, kwame = cohort.entries["0004"], cohort.entries["0003"]
    changed = entries_preparation_centre_set(
        actor=officer, centre=cohort.centre, entry_ids=[ana.pk, kwame.pk], preparation_centre=cohort.prep
    )
    assert changed == 2 and _linked(ana) == cohort.prep and _linked(kwame) == cohort.prep
    event = AuditEvent.objects.get(action=AuditEvent.Action.CANDIDATE_UPDATED)
    assert event.summary == f"2 entries linked to preparation centre {cohort.prep.number} Lingua Prep"
    assert event.data["entries"] == sorted([ana.pk, kwame.pk]) and event.actor_email == officer.email
    # The same again changes nothing and writes no audit event.
    assert (
        entries_preparation_centre_set(
            actor=officer, centre=cohort.centre, entry_ids=[ana.pk], preparation_centre=cohort.prep
        )
        == 0
    )
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CANDIDATE_UPDATED).count() == 1
    assert (
        entries_preparation_centre_set(actor=officer, centre=cohort.centre, entry_ids=[ana.pk], preparation_centre=None)
        == 1
    )
    assert _linked(ana) is None
    latest = AuditEvent.objects.filter(action=AuditEvent.Action.CANDIDATE_UPDATED).latest("pk")
    assert latest.summary == "1 entry unlinked from their preparation centre"


def test_only_preparation_centres_linked_to_the_exam_centre_and_only_its_own_entries(cohort):
    officer = cohort.officer()
    stranger = CentreFactory(kind=Centre.Kind.PREPARATION, board=cohort.centre.board)
    with pytest.raises(ApplicationError, match="is not one of your centre's preparation centres"):
        entries_preparation_centre_set(
            actor=officer, centre=cohort.centre, entry_ids=[cohort.entries["0004"].pk], preparation_centre=stranger
        )
    another_exam_centre = CentreFactory(board=cohort.centre.board)
    with pytest.raises(ApplicationError, match="is not one of your centre's preparation centres"):
        entries_preparation_centre_set(
            actor=officer,
            centre=cohort.centre,
            entry_ids=[cohort.entries["0004"].pk],
            preparation_centre=another_exam_centre,
        )
    with pytest.raises(ApplicationError, match="Only an exam centre"):
        entries_preparation_centre_set(
            actor=officer, centre=cohort.prep, entry_ids=[cohort.entries["0004"].pk], preparation_centre=None
        )
    # Another exam centre linked to the same preparation centre cannot touch these entries.
    other = CentreFactory(board=cohort.centre.board)
    cohort.prep.exam_centres.add(other)
    assert (
        entries_preparation_centre_set(
            actor=officer, centre=other, entry_ids=[cohort.entries["0004"].pk], preparation_centre=cohort.prep
        )
        == 0
    )
    assert _linked(cohort.entries["0004"]) is None


def test_bulk_link_of_ticked_entries_from_the_search_page(client, cohort):
    client.force_login(cohort.officer())
    ana, kwame = cohort.entries["0004"], cohort.entries["0003"]
    foreign = portal().entries["0004"]  # another exam centre's entry, ticked by a crafted form
    url = f"/centres/{cohort.centre.number}/results/link/"
    response = client.post(
        url,
        {
            "number_from": "0003",
            "number_to": "0004",
            "sort": "-number",
            "page": "1",
            "scope": "ticked",
            "entry": [ana.pk, kwame.pk, foreign.pk],
            "link_to": str(cohort.prep.pk),
        },
        follow=True,
    )
    html = response.content.decode()
    assert f"2 entries linked to {cohort.prep.number} Lingua Prep." in html
    assert response.redirect_chain[-1][0].endswith("?number_from=0003&number_to=0004&sort=-number&page=1")
    assert _linked(ana) == cohort.prep and _linked(kwame) == cohort.prep and _linked(foreign) is None
    # "None" unlinks every entry of the search.
    response = client.post(
        url, {"number_from": "0003", "number_to": "0004", "scope": "search", "link_to": "none"}, follow=True
    )
    assert "2 entries unlinked from their preparation centre." in response.content.decode()
    assert _linked(ana) is None and _linked(kwame) is None
    # Nothing ticked, or no choice made: a clear message and nothing changes.
    nothing = client.post(url, {"scope": "ticked", "link_to": str(cohort.prep.pk)}, follow=True)
    assert "Tick at least one entry to link." in nothing.content.decode()
    unchosen = client.post(url, {"scope": "ticked", "entry": [ana.pk], "link_to": ""}, follow=True)
    assert "Choose a preparation centre, or None to unlink." in unchosen.content.decode()
    assert _linked(ana) is None


def test_one_entry_is_linked_from_the_candidate_page(client, cohort):
    client.force_login(cohort.officer())
    ana = cohort.entries["0004"]
    url = f"/centres/{cohort.centre.number}/results/candidates/{ana.candidate_id}/link/"
    response = client.post(url, {"entry": ana.pk, "link_to": str(cohort.other_prep.pk)}, follow=True)
    assert f"B2 First, June 2026 is now linked to {cohort.other_prep.number} Other Prep." in response.content.decode()
    assert _linked(ana) == cohort.other_prep
    # Another candidate's entry through this candidate's page: not found.
    assert client.post(url, {"entry": cohort.entries["0001"].pk, "link_to": "none"}).status_code == 404
    # A viewer may look but not link.
    client.force_login(member(cohort.centre, Role.VIEWER))
    assert client.post(url, {"entry": ana.pk, "link_to": "none"}).status_code == 403
    assert _linked(ana) == cohort.other_prep
