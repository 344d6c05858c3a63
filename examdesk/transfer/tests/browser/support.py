"""Steps the import and export browser tests share: a centre to work in, uploading a file, reading the preview."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from examdesk.centres.models import Centre, Role
from examdesk.core.tests.browser_support import assert_accessible, sign_in
from examdesk.core.tests.factories import PASSWORD, CentreFactory, member
from examdesk.people.models import VocabularyTerm
from examdesk.people.services import vocabulary_load
from examdesk.people.vocabularies import DFE_ETHNICITY, DFE_SEN

ADMIN = "admin@orchard.example.org"


def centre_with_vocabularies(number: str, name: str = "Orchard High") -> Centre:
    """A centre whose board has the DfE ethnicity and SEN lists, with a centre admin."""
    centre = CentreFactory(number=number, name=name)
    vocabulary_load(board=centre.board, vocabulary=VocabularyTerm.Vocabulary.ETHNICITY, terms=DFE_ETHNICITY)
    vocabulary_load(board=centre.board, vocabulary=VocabularyTerm.Vocabulary.SEN, terms=DFE_SEN)
    member(centre, Role.CENTRE_ADMIN, email=ADMIN)
    return centre


def sign_in_and_open_candidates(page: Any, live_server: Any, centre: Centre) -> None:
    sign_in(page, live_server, ADMIN, PASSWORD)
    page.get_by_role("navigation", name=centre.name).get_by_role("link", name="Candidates").click()
    expect(page.get_by_role("heading", name="Candidates", level=1)).to_be_visible()


def open_import_page(page: Any) -> None:
    page.get_by_role("link", name="Import from a spreadsheet").click()
    expect(page.get_by_role("heading", name="Import candidates from a spreadsheet", level=1)).to_be_visible()


def upload(page: Any, path: Path, *, check_job_page: bool = False) -> None:
    """On the import page: choose the file and send it; the import's own page shows the check, then the preview."""
    page.get_by_label("Candidate file").set_input_files(path)
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name=f"Import of {path.name}", level=1)).to_be_visible()
    expect(page.locator(".import-progress")).to_have_count(0)  # the check has finished: its progress is gone
    if check_job_page:
        assert_accessible(page)


def summary_counts(page: Any) -> dict[str, str]:
    """The preview's "What the file would do" list, as term → value."""
    summary = page.locator("dl.summary")
    terms = summary.locator("dt").all_inner_texts()
    values = summary.locator("dd").all_inner_texts()
    return dict(zip(terms, values, strict=True))


def problem_rows(page: Any) -> list[dict[str, str]]:
    """The preview's problems table, one dict per row keyed by the column headers."""
    table = page.get_by_role("table", name="Problems found in the file, by row")
    headers = table.locator("thead th").all_inner_texts()
    return [
        dict(zip(headers, row.locator("td").all_inner_texts(), strict=True)) for row in table.locator("tbody tr").all()
    ]


def commit(page: Any, button_name: str | re.Pattern[str]) -> None:
    """Press the import button on the preview; the same page shows the import running, then its outcome."""
    page.get_by_role("button", name=button_name).click()
    expect(page.get_by_role("heading", name="What the file did", level=2)).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="Imported:")).to_be_visible()


def save_download(download: Any, folder: Path) -> Path:
    """Keep a download under its suggested name, as the browser would (openpyxl goes by the file's extension)."""
    path = folder / download.suggested_filename
    download.save_as(path)
    return path


def detail(page: Any, term: str) -> Any:
    """The value next to `term` in a page's summary list (a candidate's details, the preview's counts)."""
    return page.locator("dl.summary").locator(f"dt:text-is('{term}') + dd")
