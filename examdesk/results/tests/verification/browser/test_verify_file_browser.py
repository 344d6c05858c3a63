"""Someone sent a statement as a PDF checks it on the verification page: the genuine file, the same file with one
byte changed, and a file that is no PDF at all, with axe on every page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from examdesk.core.tests.browser_support import assert_accessible
from examdesk.results.tests.verification.test_files import board_key, issued_statement  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _check(page, live_server, path) -> None:
    page.goto(f"{live_server.url}/verify/")
    page.get_by_label("Statement of results file").set_input_files(str(path))
    page.get_by_role("button", name="Check the file").click()


def test_a_genuine_a_tampered_and_a_wrong_file(page, live_server, board_key, tmp_path):  # noqa: F811
    pdf, entry = issued_statement()
    genuine = tmp_path / "statement.pdf"
    genuine.write_bytes(pdf)
    tampered_bytes = bytearray(pdf)
    tampered_bytes[tampered_bytes.index(b"stream", len(pdf) // 3) + 40] ^= 0x01
    tampered = tmp_path / "statement-changed.pdf"
    tampered.write_bytes(bytes(tampered_bytes))
    not_pdf = tmp_path / "notes.txt"
    not_pdf.write_text("Not a statement")

    page.goto(f"{live_server.url}/verify/")
    expect(page.get_by_role("heading", name="Check a statement file")).to_be_visible()
    assert_accessible(page)

    _check(page, live_server, genuine)
    expect(page.get_by_role("heading", name="Statement file checked")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("This statement is genuine.")
    expect(page.get_by_text("Signed by Examdesk Assessment Board with the board's key.")).to_be_visible()
    expect(page.locator("dl.summary")).to_contain_text(entry.verification_code)
    assert_accessible(page)

    _check(page, live_server, tampered)
    expect(page.get_by_role("status")).to_contain_text("We cannot confirm this statement.")
    expect(page.get_by_text("The file was changed after it was signed.")).to_be_visible()
    assert_accessible(page)

    _check(page, live_server, not_pdf)
    expect(page).to_have_title("Error: Verify a statement of results – Examdesk")
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("The file is not a PDF.")
    summary.get_by_role("link", name="The file is not a PDF.", exact=False).click()
    expect(page.get_by_label("Statement of results file")).to_be_focused()
    assert_accessible(page)
