"""Every main staff page on a laptop (1366×768) and a phone (390×844): a screenshot of each in artefacts/screens/
(ignored by git), no horizontal page scroll at 390 px, and axe-core at WCAG 2.2 AA at both sizes.

The pages are the demo's (`examdesk demo`): a centre admin at Riverside Academy and the board's staff.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from examdesk.catalogue.models import Product, Qualification, Series
from examdesk.core.tests.browser_support import assert_accessible, sign_in
from examdesk.people.models import Candidate
from examdesk.root.management.commands.demo import DEMO_PASSWORD
from examdesk.sittings.models import Sitting

pytestmark = pytest.mark.browser

ARTEFACTS = Path(__file__).resolve().parents[4] / "artefacts" / "screens"
SIZES = [(1366, 768), (390, 844)]
IMPORT = "Unique ID,First name,Last name,Date of birth\r\nN-1,Nia,Jones,2012-01-11\r\nN-2,Ola,Brown,bad date\r\n"


def _check(page, live_server, name: str, path: str) -> None:
    """Open the page at each size: a screenshot, no sideways scroll of the page, no axe violation."""
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.status == 200, (
            f"{name}: {path} answered {response and response.status}"
        )
        page.screenshot(path=str(ARTEFACTS / f"{name}-{width}.png"), full_page=True)
        scroll, client = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        if scroll > client:
            wide = page.evaluate(
                """[...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right >
                document.documentElement.clientWidth + 1).slice(0, 5).map((e) => e.outerHTML.slice(0, 120))"""
            )
            raise AssertionError(f"{name} ({path}) scrolls sideways at {width} px: {scroll} > {client}: {wide}")
        assert_accessible(page)


def test_every_main_staff_page_fits_a_phone_and_passes_axe(live_server, page, tmp_path, settings):
    # The demo makes the board's signing key: in this test's folder, not where later tests would find it.
    settings.EXAMDESK_SIGNING_KEY_FILE = str(tmp_path / "signing" / "board-key.pem")
    settings.EXAMDESK_SIGNING_CERT_FILE = str(tmp_path / "signing" / "board-cert.pem")
    call_command("demo", quiet=True)
    candidate = Candidate.objects.filter(centre__number="10001").order_by("last_name").first()
    sitting = Sitting.objects.filter(centre__number="10001").first()

    sign_in(page, live_server, "admin@riverside.test", DEMO_PASSWORD)
    # An import to preview, checked on upload.
    file = tmp_path / "year7.csv"
    file.write_text(IMPORT)
    page.goto(f"{live_server.url}/centres/10001/candidates/import/")
    page.get_by_label("Candidate file").set_input_files(file)
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="What the file would do")).to_be_visible()
    preview = page.url.removeprefix(live_server.url)

    centre_pages = [
        ("overview", "/centres/10001/"),
        ("candidates", "/centres/10001/candidates/"),
        ("candidate", f"/centres/10001/candidates/{candidate.pk}/"),
        ("candidate-add", "/centres/10001/candidates/new/"),
        ("candidate-edit", f"/centres/10001/candidates/{candidate.pk}/edit/"),
        ("import", "/centres/10001/candidates/import/"),
        ("import-preview", preview),
        ("export", "/centres/10001/candidates/export/"),
        ("results", "/centres/10001/results/"),
        ("results-candidate", f"/centres/10001/results/candidates/{candidate.pk}/"),
        ("results-access", "/centres/10001/results-access/"),
        ("results-access-edit", "/centres/10001/results-access/edit/"),
        ("sittings", "/centres/10001/sittings/"),
        ("sitting-new", "/centres/10001/sittings/new/"),
        ("credits", "/centres/10001/credits/"),
        ("reports", "/centres/10001/reports/"),
        ("staff", "/centres/10001/staff/"),
        ("staff-invite", "/centres/10001/staff/invite/"),
        ("audit-log", "/centres/10001/audit/"),
        ("api-keys", "/centres/10001/api-keys/"),
        ("jobs", "/jobs/"),
        ("password", "/account/password/"),
        ("two-step", "/account/two-step/"),
    ]
    if sitting is not None:
        centre_pages.append(("sitting", f"/centres/10001/sittings/{sitting.pk}/"))
    for name, path in centre_pages:
        _check(page, live_server, name, path)

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, "board@examdesk.test", DEMO_PASSWORD)
    qualification = Qualification.objects.order_by("code").first()
    series = Series.objects.order_by("code").first()
    product = Product.objects.order_by("code").first()
    board_pages = [
        ("board-overview", "/centres/board/overview/"),
        ("board-centres", "/centres/board/"),
        ("board-centre-add", "/centres/board/new/"),
        ("board-centre-edit", "/centres/board/10001/edit/"),
        ("qualifications", "/catalogue/"),
        ("qualification", f"/catalogue/qualifications/{qualification.pk}/"),
        ("series", "/catalogue/series/"),
        ("series-releases", f"/catalogue/series/{series.pk}/releases/"),
        ("products", "/catalogue/products/"),
        ("product", f"/catalogue/products/{product.pk}/"),
        ("results-files", "/board/results-files/"),
        ("board-api-keys", "/centres/board/api-keys/"),
    ]
    for name, path in board_pages:
        _check(page, live_server, name, path)
