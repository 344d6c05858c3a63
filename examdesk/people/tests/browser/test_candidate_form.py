"""Adding and editing a candidate: the group field, fields in any order, and a form sent with mistakes."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from examdesk.core.tests.browser_support import assert_accessible, fill_date
from examdesk.people.models import Candidate, Group
from examdesk.transfer.tests.browser.support import centre_with_vocabularies, detail, sign_in_and_open_candidates

pytestmark = pytest.mark.browser


def test_the_group_field_offers_existing_groups_creates_new_ones_and_works_before_the_names(live_server, page):
    centre = centre_with_vocabularies("74001")
    for name in ("Year 7 Blue", "Year 8 Red", "Choir"):
        Group.objects.create(centre=centre, name=name)

    sign_in_and_open_candidates(page, live_server, centre)
    page.get_by_role("link", name="Add a candidate").click()
    expect(page.get_by_role("heading", name="Add a candidate", level=1)).to_be_visible()
    assert_accessible(page)

    # The field is tied to a list of the centre's groups, which the browser offers while the person types.
    add_to_groups = page.get_by_label("Add to groups (optional)")
    expect(add_to_groups).to_have_attribute("list", "group-names")
    expect(add_to_groups).to_have_accessible_description(
        "Start typing: existing groups are offered. A name that does not exist yet creates the group. "
        "Separate several names with commas."
    )
    options = page.locator("datalist#group-names option")
    assert [option.get_attribute("value") for option in options.all()] == ["Choir", "Year 7 Blue", "Year 8 Red"]

    # The group first, then everything else: no field depends on another being filled before it.
    add_to_groups.press_sequentially("year 7 blue, Chess club")
    page.get_by_label("Last name").fill("Ødegård")
    fill_date(page, "Date of birth (optional)", date(2012, 4, 3))
    page.get_by_label("First name").fill("Zoë")
    page.get_by_label("Unique ID").fill("  007 ")
    page.get_by_label("SEN status (optional)").select_option(label="SEN support")
    page.get_by_role("button", name="Add the candidate").click()

    expect(page.get_by_role("heading", name="Zoë Ødegård", level=1)).to_be_visible()
    expect(page.get_by_role("status")).to_have_text("Zoë Ødegård has been added.")
    expect(detail(page, "Unique ID")).to_have_text("007")
    expect(detail(page, "Groups")).to_have_text("Chess club Year 7 Blue")
    expect(detail(page, "SEN status")).to_have_text("SEN support")
    assert_accessible(page)
    # Typed in another case, the existing group was used; the new name made one new group.
    assert sorted(Group.objects.filter(centre=centre).values_list("name", flat=True)) == [
        "Chess club",
        "Choir",
        "Year 7 Blue",
        "Year 8 Red",
    ]
    zoe = Candidate.objects.get(centre=centre)
    assert (zoe.unique_id, zoe.date_of_birth, zoe.sen_status) == ("007", date(2012, 4, 3), "K")

    # On the edit page her groups are ticked; unticking one takes her out of it.
    page.get_by_role("link", name="Edit details").click()
    expect(page.get_by_role("heading", name="Edit Zoë Ødegård", level=1)).to_be_visible()
    groups = page.get_by_role("group", name="Groups (optional)")
    expect(groups.get_by_role("checkbox", name="Chess club")).to_be_checked()
    expect(groups.get_by_role("checkbox", name="Year 7 Blue")).to_be_checked()
    expect(groups.get_by_role("checkbox", name="Choir")).not_to_be_checked()
    expect(page.get_by_label("Unique ID")).to_be_disabled()
    options = page.locator("datalist#group-names option")
    assert [option.get_attribute("value") for option in options.all()] == [
        "Chess club",
        "Choir",
        "Year 7 Blue",
        "Year 8 Red",
    ]
    assert_accessible(page)
    groups.get_by_role("checkbox", name="Chess club").uncheck()
    page.get_by_label("Add to groups (optional)").fill("Choir")
    page.get_by_role("button", name="Save changes").click()

    expect(page.get_by_role("status")).to_have_text("Zoë Ødegård's details have been saved.")
    expect(detail(page, "Groups")).to_have_text("Choir Year 7 Blue")
    expect(detail(page, "Unique ID")).to_have_text("007")
    assert sorted(group.name for group in zoe.groups.all()) == ["Choir", "Year 7 Blue"]
    assert Group.objects.filter(centre=centre, name="Chess club").exists()  # the group itself stays


def test_a_form_sent_without_names_lists_the_problems_keeps_what_was_typed_and_saves_nothing(live_server, page):
    centre = centre_with_vocabularies("74002")
    Group.objects.create(centre=centre, name="Year 7 Blue")
    sign_in_and_open_candidates(page, live_server, centre)
    page.get_by_role("link", name="Add a candidate").click()

    page.get_by_label("Add to groups (optional)").fill("Year 7 Blue, Debating")
    page.get_by_label("Unique ID").fill("00981")
    fill_date(page, "Date of birth (optional)", date(2011, 10, 9))
    page.get_by_label("Nationality (optional)").select_option(label="Portugal")
    page.get_by_label("UPN (optional)").fill("B801200005001")
    page.get_by_role("button", name="Add the candidate").click()

    summary = page.get_by_role("alert")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(summary).to_be_focused()
    first = summary.get_by_role("link", name="Enter the first name.")
    last = summary.get_by_role("link", name="Enter the last name.")
    expect(first).to_have_attribute("href", "#id_first_name")
    expect(last).to_have_attribute("href", "#id_last_name")
    expect(summary.get_by_role("link")).to_have_count(2)
    expect(page.get_by_label("First name")).to_have_accessible_description("Error: Enter the first name.")
    expect(page.get_by_label("First name")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)

    # Everything typed is still there.
    expect(page.get_by_label("Add to groups (optional)")).to_have_value("Year 7 Blue, Debating")
    expect(page.get_by_label("Unique ID")).to_have_value("00981")
    born = page.get_by_role("group", name="Date of birth (optional)")
    for box, typed in (("Day", "9"), ("Month", "10"), ("Year", "2011")):
        expect(born.get_by_label(box)).to_have_value(typed)
    expect(page.get_by_label("Nationality (optional)")).to_have_value("PT")
    expect(page.get_by_label("UPN (optional)")).to_have_value("B801200005001")
    assert not Candidate.objects.exists()
    assert not Group.objects.filter(name="Debating").exists()

    last.click()
    expect(page.get_by_label("Last name")).to_be_focused()
    page.get_by_label("Last name").fill("Silva")
    page.get_by_label("First name").fill("Inês")
    page.get_by_role("button", name="Add the candidate").click()
    expect(page.get_by_role("heading", name="Inês Silva", level=1)).to_be_visible()
    expect(detail(page, "Groups")).to_have_text("Debating Year 7 Blue")
    expect(detail(page, "Nationality")).to_have_text("Portugal")
