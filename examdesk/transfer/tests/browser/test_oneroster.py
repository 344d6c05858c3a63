"""A OneRoster package from a school information system: upload → preview → import, a bad package, the export."""

from __future__ import annotations

import re
import zipfile

import pytest
from playwright.sync_api import expect

from examdesk.core.tests.browser_support import assert_accessible
from examdesk.people.models import Candidate
from examdesk.transfer.models import ImportBatch
from examdesk.transfer.tests.browser.support import (
    centre_with_vocabularies,
    commit,
    detail,
    open_import_page,
    problem_rows,
    save_download,
    sign_in_and_open_candidates,
    summary_counts,
    upload,
)
from examdesk.transfer.tests.oneroster.packages import package, replace

pytestmark = pytest.mark.browser

IMPORT_BUTTON = re.compile(r"^Import\b")


def test_a_oneroster_package_is_previewed_then_imported_with_usernames_as_ids(live_server, page, tmp_path):
    centre = centre_with_vocabularies("74001")
    roster = tmp_path / "orchard-oneroster.zip"
    # One enrollment names a class that is not in classes.csv: that student is left out, with the reason.
    roster.write_bytes(package(edit=replace("enrollments.csv", "enr-003,,,cls-7a", "enr-003,,,cls-7z")))
    sign_in_and_open_candidates(page, live_server, centre)
    open_import_page(page)
    expect(page.get_by_label("Candidate file")).to_have_accessible_description(
        re.compile(r"Or a OneRoster 1\.1 or 1\.2 CSV package \(\.zip\)")
    )
    choice = page.get_by_role("group", name="If the file is a OneRoster package")
    expect(choice.get_by_role("radio", name=re.compile(r"^identifier"))).to_be_checked()
    assert_accessible(page)
    choice.get_by_role("radio", name=re.compile(r"^username")).check()
    upload(page, roster, check_job_page=True)

    counts = summary_counts(page)
    assert (counts["Rows read"], counts["New candidates"], counts["Rows with problems (left out)"]) == ("4", "3", "1")
    assert counts["File"] == "OneRoster 1.2 package"
    [problem] = problem_rows(page)
    assert (problem["Row"], problem["Column"], problem["Value"]) == (
        "3",
        "enrollments.csv classSourcedId (row 4)",
        "cls-7z",
    )
    assert "not in classes.csv" in problem["Problem"]
    assert_accessible(page)
    assert not Candidate.objects.exists()

    commit(page, "Import 3 valid rows and leave out 1")
    expect(page.get_by_role("status")).to_contain_text("Imported: 3 new")
    assert_accessible(page)
    page.get_by_role("link", name="See your candidates").click()
    page.get_by_role("link", name="Pereira, Ana").click()
    expect(detail(page, "Unique ID")).to_have_text("ana.pereira")
    expect(detail(page, "Date of birth")).to_have_text("13 January 2013")
    assert_accessible(page)
    ana = Candidate.objects.get(centre=centre, unique_id="ana.pereira")
    assert ana.sourced_id == "stu-001"
    assert sorted(group.name for group in ana.groups.all()) == ["7A", "Science, Physics"]


def test_a_bad_package_says_what_is_wrong_and_writes_nothing(live_server, page, tmp_path):
    centre = centre_with_vocabularies("74002")
    roster = tmp_path / "typo.zip"
    roster.write_bytes(package(edit=replace("users.csv", "preferredGivenName", "prefferedGivenName")))
    sign_in_and_open_candidates(page, live_server, centre)
    open_import_page(page)
    upload(page, roster)
    expect(page.locator(".lead")).to_have_text("Status: Could not be read")
    expect(page.get_by_role("alert")).to_have_text(
        "users.csv has a column 'prefferedGivenName' that is not in OneRoster 1.2 (did you mean preferredGivenName?)."
    )
    expect(page.get_by_role("button", name=IMPORT_BUTTON)).to_have_count(0)
    assert_accessible(page)
    assert not Candidate.objects.exists()
    assert ImportBatch.objects.get().status == ImportBatch.Status.FAILED


def test_the_register_exports_as_a_oneroster_package(live_server, page, tmp_path):
    centre = centre_with_vocabularies("74003")
    sign_in_and_open_candidates(page, live_server, centre)
    open_import_page(page)
    roster = tmp_path / "orchard.zip"
    roster.write_bytes(package())
    upload(page, roster)
    commit(page, "Import 4 valid rows")

    page.goto(f"{live_server.url}/centres/74003/candidates/export/")
    expect(page.get_by_role("heading", name="Export candidates", level=1)).to_be_visible()
    page.get_by_role("radio", name="OneRoster 1.1 CSV package (.zip)").check()
    page.get_by_label("Include deactivated candidates").check()
    assert_accessible(page)
    page.get_by_role("button", name="Export").click()
    expect(page.get_by_role("heading", name="Export of all candidates (OneRoster 1.1)", level=1)).to_be_visible()
    expect(page.locator(".job-status")).to_have_text("Finished – Export ready")
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download candidates-74003-").click()
    exported = save_download(download_info.value, tmp_path)
    assert exported.name.endswith("-oneroster-v1p1.zip")
    with zipfile.ZipFile(exported) as archive:
        assert "oneroster.version,1.1" in archive.read("manifest.csv").decode()
        users = archive.read("users.csv").decode()
    assert users.count("\r\n") == 5 and "stu-003" in users  # the header and four students, deactivated too
