"""The results search in a browser: report criteria, sorting, the clear answers, preparation centres, links."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from examdesk.catalogue.tests.factories import qualification, series
from examdesk.centres.models import Centre, Role
from examdesk.core.tests.browser_support import assert_accessible, sign_in
from examdesk.core.tests.factories import PASSWORD, CentreFactory, member
from examdesk.people.tests.factories import CandidateFactory
from examdesk.results.models import Entry
from examdesk.results.tests.factories import entry_with_result

pytestmark = pytest.mark.browser

PEOPLE = [  # number, first, last, FCE scores
    ("0101", "Zoë", "Łukasiewicz", (200, 205, 201, 199, 204)),
    ("0102", "Chloé", "Müller", (185, 190, 178, 201, 196)),
    ("0103", "Kwame", "Mensah", (170, 172, 168, 171, 169)),
    ("0104", "Ana", "Peréz", (150, 151, 149, 150, 150)),
    ("0105", "Jürgen", "Muller-Lopez", (195, 194, 193, 192, 196)),
]


def _centres():
    centre = CentreFactory(number="72001", name="Harbour School", time_zone="Europe/London")
    prep = CentreFactory(number="P7201", name="Lingua Prep", kind=Centre.Kind.PREPARATION, board=centre.board)
    prep.exam_centres.add(centre)
    june = series(centre.board, "2026-06", "June 2026")
    released = datetime.now(UTC) - timedelta(days=2)
    entries = {}
    for number, first, last, scores in PEOPLE:
        entries[number] = entry_with_result(
            candidate=CandidateFactory(centre=centre, first_name=first, last_name=last),
            series=june,
            released_at=released,
            candidate_number=number,
            scores=dict(zip(("RD", "UE", "WR", "LI", "SP"), scores, strict=True)),
        )
    later = series(centre.board, "2026-11", "November 2026")
    entry_with_result(
        candidate=entries["0101"].candidate,
        series=later,
        qualification=qualification(centre.board, "KET"),
        released_at=datetime(2027, 1, 14, 8, 0, tzinfo=UTC),
        candidate_number="0101",
        scores={"RW": 140, "LI": 130, "SP": 135},
    )
    return centre, prep, entries


def _numbers(page) -> list[str]:
    return page.locator("table tbody tr td:nth-child(2)").all_inner_texts()


def test_officer_searches_by_numbers_and_names_sorts_by_score_and_hears_why_nothing_matches(live_server, page):
    centre, _, _ = _centres()
    member(centre, Role.EXAMS_OFFICER, email="officer@harbour.example.org")
    sign_in(page, live_server, "officer@harbour.example.org", PASSWORD)
    page.goto(f"{live_server.url}/centres/72001/results/")
    expect(page.get_by_role("heading", name="Report criteria")).to_be_visible()
    assert_accessible(page)

    # A range of candidate numbers in one series.
    page.get_by_label("Series").select_option(label="June 2026")
    page.get_by_label("From", exact=True).fill("0102")
    page.get_by_label("To", exact=True).fill("0104")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("heading", name="3 entries")).to_be_visible()
    assert _numbers(page) == ["0102", "0103", "0104"]
    assert_accessible(page)

    # One candidate: one box only.
    page.get_by_label("To", exact=True).fill("")
    page.get_by_label("From", exact=True).fill("0103")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("heading", name="1 entry")).to_be_visible()
    assert _numbers(page) == ["0103"]

    # A number that is not 4 digits: a clear error linked to the field.
    page.get_by_label("From", exact=True).fill("103")
    page.get_by_role("button", name="Search", exact=True).click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Enter the From candidate number as 4 digits, like 0042.")
    assert_accessible(page)
    summary.get_by_role("link").click()
    expect(page.get_by_label("From", exact=True)).to_be_focused()

    # Part of a name, without accents or capitals: "muller" finds Müller and Muller-Lopez.
    page.get_by_label("From", exact=True).fill("")
    page.get_by_label("Last name").fill("muller")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("heading", name="2 entries")).to_be_visible()
    assert _numbers(page) == ["0102", "0105"]
    page.get_by_label("First name").fill("CHLOE")
    page.get_by_role("button", name="Search", exact=True).click()
    assert _numbers(page) == ["0102"]

    # Sort the whole series by score, best first, from the column header (a link, aria-sort on the header).
    page.get_by_label("First name").fill("")
    page.get_by_label("Last name").fill("")
    page.get_by_role("button", name="Search", exact=True).click()
    page.get_by_role("link", name="Score", exact=True).click()
    score_header = page.get_by_role("columnheader", name="Score")
    expect(score_header).to_have_attribute("aria-sort", "descending")
    assert page.locator("table tbody tr td:nth-child(7)").all_inner_texts() == ["202", "194", "190", "170", "150"]
    expect(page.get_by_label("Series")).to_have_value(str(page.get_by_label("Series").input_value()))
    assert "series=" in page.url and "sort=-score" in page.url
    page.get_by_role("link", name="Score", exact=True).focus()
    page.keyboard.press("Enter")
    expect(score_header).to_have_attribute("aria-sort", "ascending")
    assert_accessible(page)

    # Nothing matches: the page says what was searched for.
    page.get_by_label("Last name").fill("Zed")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_text("No entries match series June 2026, last name containing “Zed”.")).to_be_visible()
    assert_accessible(page)

    # A series whose results are all still to come: when they are released.
    page.get_by_label("Last name").fill("")
    page.get_by_label("Series").select_option(label="November 2026")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(
        page.get_by_text("Results for A2 Key in November 2026 are released on 14 January 2027, 08:00 (Europe/London).")
    ).to_be_visible()
    assert_accessible(page)


def test_preparation_centre_user_signs_in_with_their_email_and_sees_only_linked_released_entries(live_server, page):
    centre, prep, entries = _centres()
    for number in ("0101", "0102"):
        entries[number].preparation_centre = prep
        entries[number].save()
    upcoming = Entry.objects.get(series__code="2026-11")  # Zoë's A2 Key: linked, but not released yet
    upcoming.preparation_centre = prep
    upcoming.save()
    member(prep, Role.VIEWER, email="teacher@lingua.example.org")

    sign_in(page, live_server, "teacher@lingua.example.org", PASSWORD)
    page.get_by_role("navigation", name="Lingua Prep").get_by_role("link", name="Results", exact=True).click()
    expect(page.get_by_role("heading", name="2 entries")).to_be_visible()
    assert _numbers(page) == ["0101", "0102"]
    expect(page.get_by_role("table")).not_to_contain_text("A2 Key")
    expect(page.get_by_role("table")).not_to_contain_text("Mensah")
    expect(page.get_by_label("Preparation centre")).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("link", name="Müller, Chloé").click()
    expect(page.get_by_role("heading", name="Chloé Müller", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="B2 First, June 2026")).to_be_visible()
    expect(page.locator("svg.profile-chart")).to_have_count(1)
    expect(page.get_by_role("table", name="Graphical profile: B2 First, June 2026")).to_contain_text("Reading")
    expect(page.get_by_text("Registration letter")).to_have_count(0)
    assert_accessible(page)

    # Another centre's candidate, by address: not found.
    page.goto(f"{live_server.url}/centres/P7201/results/candidates/{entries['0103'].candidate_id}/")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()


def test_officer_links_ticked_entries_to_the_preparation_centre_in_bulk(live_server, page):
    centre, prep, entries = _centres()
    member(centre, Role.EXAMS_OFFICER, email="officer@harbour.example.org")
    sign_in(page, live_server, "officer@harbour.example.org", PASSWORD)
    page.goto(f"{live_server.url}/centres/72001/results/?series={entries['0101'].series_id}")
    expect(page.get_by_role("heading", name="5 entries")).to_be_visible()

    # "Select all on this page", then untick one.
    page.get_by_label("Select all on this page").check()
    page.get_by_label("Select 0103 Mensah, Kwame, B2 First").uncheck()
    expect(page.get_by_label("Select all on this page")).not_to_be_checked()
    page.get_by_label("Link to").select_option(label="P7201 Lingua Prep")
    page.get_by_role("button", name="Link ticked entries").click()
    expect(page.get_by_role("status")).to_contain_text("4 entries linked to P7201 Lingua Prep.")
    assert page.locator("table tbody tr td:nth-child(6)").all_inner_texts() == [
        "P7201 Lingua Prep",
        "P7201 Lingua Prep",
        "–",
        "P7201 Lingua Prep",
        "P7201 Lingua Prep",
    ]
    assert_accessible(page)
    linked = set(Entry.objects.filter(preparation_centre=prep).values_list("candidate_number", flat=True))
    assert linked == {"0101", "0102", "0104", "0105"}

    # One entry, from the candidate's page: unlink Ana.
    page.get_by_role("link", name="Peréz, Ana").click()
    page.get_by_label("Preparation centre for B2 First, June 2026").select_option(label="None")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("B2 First, June 2026 is no longer linked to a preparation")
    assert_accessible(page)
    assert Entry.objects.get(candidate_number="0104").preparation_centre is None
