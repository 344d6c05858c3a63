"""The upload page, preview, import and problem report: board staff only."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from examdesk.centres.models import Role
from examdesk.core.tests.factories import BoardFactory, BoardMembershipFactory, member
from examdesk.jobs.models import Job
from examdesk.people.models import Candidate
from examdesk.results.models import Entry, Result, ResultsFile
from examdesk.results.tests.files.support import csv_bytes, fce_row, setting

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/board/results-files/"


def upload(client, data: bytes, name: str = "june.csv"):
    return client.post(URL, {"file": SimpleUploadedFile(name, data, content_type="text/csv")})


@pytest.fixture
def s():
    return setting()


@pytest.fixture
def staff(client, s):
    user = BoardMembershipFactory(board=s.board, user__email="board@example.org").user
    client.force_login(user)
    return user


def test_upload_preview_commit_and_download_the_problem_report(client, s, staff):
    page = client.get(URL).content.decode()
    assert "Results files" in page and "No results files have been uploaded yet." in page

    response = upload(client, csv_bytes([fce_row(), fce_row("0002", "S-2", RD=300)]))
    job = Job.objects.get(kind="results.file_preview")
    results_file = ResultsFile.objects.get()
    assert response.url == f"{URL}{results_file.pk}/"  # the file's own page, which shows the check as it runs
    assert job.status == Job.Status.SUCCEEDED and job.result_url == f"{URL}{results_file.pk}/"
    assert results_file.status == ResultsFile.Status.READY and not Entry.objects.exists()
    page = client.get(job.result_url).content.decode()
    assert "Import 1 good row and leave out 1" in page
    assert "300 is outside the scale of Reading (RD), 140 to 210." in page
    assert "<td>3</td><td>RD</td>" in page  # the row number as the spreadsheet shows it
    assert "Download the problem report" in page

    report = client.get(f"{URL}{results_file.pk}/problems/")
    assert report.status_code == 200 and report["Content-Disposition"].startswith("attachment")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(report.streaming_content)))["Problems"]
    assert sheet.cell(2, 1).value == 3

    response = client.post(job.result_url, {"action": "commit"})
    commit_job = Job.objects.get(kind="results.file_commit")
    assert response.url == job.result_url
    assert commit_job.status == Job.Status.SUCCEEDED and commit_job.result_name == "problems-june.xlsx"
    assert list(Entry.objects.values_list("candidate__unique_id", flat=True)) == ["S-1"]
    assert Result.objects.get().results_file_id == results_file.pk
    page = client.get(job.result_url).content.decode()
    assert "Imported: 1 new result, 0 changed, 0 unchanged, 1 row left out." in page
    assert "What the import did" in page
    # Importing again does nothing more.
    client.post(job.result_url, {"action": "commit"})
    assert Job.objects.filter(kind="results.file_commit").count() == 1

    page = client.get(URL).content.decode()
    assert "june.csv" in page and "Imported" in page and "(Europe/London)" in page


def test_cancel_writes_nothing_and_deletes_the_copy(client, s, staff):
    upload(client, csv_bytes([fce_row()]))
    results_file = ResultsFile.objects.get()
    response = client.post(f"{URL}{results_file.pk}/", {"action": "cancel"})
    assert response.url == URL
    results_file.refresh_from_db()
    assert results_file.status == ResultsFile.Status.CANCELLED
    assert not Entry.objects.exists() and not Candidate.objects.exists()
    assert client.post(f"{URL}{results_file.pk}/", {"action": "commit"}).status_code == 302
    assert not Job.objects.filter(kind="results.file_commit").exists()


def test_an_unreadable_file_says_why(client, s, staff):
    upload(client, b"%PDF-1.7 nothing here", name="results.xlsx")
    results_file = ResultsFile.objects.get()
    assert results_file.status == ResultsFile.Status.FAILED
    page = client.get(f"{URL}{results_file.pk}/").content.decode()
    assert "This file is a PDF document, not a spreadsheet." in page and "Upload another file" in page


def test_no_file_chosen_is_an_error_on_the_field(client, s, staff):
    page = client.post(URL, {}).content.decode()
    assert "Choose the results file to check." in page and 'href="#id_file"' in page
    assert not ResultsFile.objects.exists()


def test_dates_that_read_two_ways_are_asked_and_checked_again(client, s, staff):
    rows = [fce_row(**{"Date of birth": "03/04/2010"})]
    upload(client, csv_bytes(rows))
    results_file = ResultsFile.objects.get()
    page = client.get(f"{URL}{results_file.pk}/").content.decode()
    assert "can be read two ways" in page and 'value="commit"' not in page
    response = client.post(f"{URL}{results_file.pk}/", {"action": "date_order", "date_order": "dmy"})
    assert response.status_code == 302
    results_file.refresh_from_db()
    assert results_file.status == ResultsFile.Status.READY and not results_file.summary["date_question"]
    client.post(f"{URL}{results_file.pk}/", {"action": "commit"})
    assert str(Candidate.objects.get().date_of_birth) == "2010-04-03"


def test_staff_of_several_boards_choose_the_board(client, s, staff):
    other = BoardFactory(name="Another Board")
    BoardMembershipFactory(board=other, user=staff)
    page = client.get(URL).content.decode()
    assert "Choose the board" in page
    page = client.post(URL, {"file": SimpleUploadedFile("r.csv", csv_bytes([fce_row()]))}).content.decode()
    assert "Choose the board whose results these are." in page
    client.post(URL, {"board": s.board.pk, "file": SimpleUploadedFile("r.csv", csv_bytes([fce_row()]))})
    assert ResultsFile.objects.get().board == s.board


def test_everyone_but_board_staff_gets_404(client, s):
    BoardMembershipFactory(board=s.board, user__email="board@example.org")
    results_file = ResultsFile.objects.create(board=s.board, file_path="x", file_name="x.csv")
    pages = [URL, f"{URL}{results_file.pk}/", f"{URL}{results_file.pk}/problems/"]
    client.force_login(member(s.centre, Role.CENTRE_ADMIN))
    for url in pages:
        assert client.get(url).status_code == 404, url
    assert client.post(URL, {"file": SimpleUploadedFile("r.csv", csv_bytes([fce_row()]))}).status_code == 404
    # Staff of another board do not see this board's files either.
    client.force_login(BoardMembershipFactory(board=BoardFactory(name="Other Board")).user)
    assert client.get(URL).status_code == 200
    assert client.get(f"{URL}{results_file.pk}/").status_code == 404
    client.logout()
    assert client.get(URL).status_code == 302  # signing in first


def test_the_same_entry_on_two_rows_is_listed_once_with_both_rows(client, s, staff):
    upload(client, csv_bytes([fce_row(), fce_row(RD=200)]))
    results_file = ResultsFile.objects.get()
    page = client.get(f"{URL}{results_file.pk}/").content.decode()
    message = "Candidate S-1&#x27;s FCE entry in June 2026 is on more than one row (rows 2, 3): keep one."
    assert page.count(message) == 1 and "<td>2, 3</td>" in page
