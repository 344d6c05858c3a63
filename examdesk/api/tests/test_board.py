"""A board key: the catalogue (read) and the results file, checked in a job; never a centre's resources."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from examdesk.api.keys import api_key_create
from examdesk.api.tests.conftest import ApiClient, make_key
from examdesk.catalogue.tests import factories as catalogue
from examdesk.centres.models import Board
from examdesk.core.tests.factories import BoardMembershipFactory
from examdesk.core.time import now
from examdesk.results.models import ResultsFile


@pytest.fixture
def board_api(client, centre):
    staff = BoardMembershipFactory(board=centre.board).user
    token = api_key_create(
        actor=staff,
        name="Board systems",
        scopes={"catalogue": "read", "results_files": "write"},
        expires_at=now() + timedelta(days=5),
        board=centre.board,
    ).token
    return ApiClient(client, token)


def test_catalogue_reads(board_api, centre):
    qualification = catalogue.qualification(centre.board, "FCE")
    series = catalogue.series(centre.board)
    catalogue.release(qualification, series, now())
    assert [s["code"] for s in board_api.get("/board/series").json()] == [series.code]
    assert "FCE" in [q["code"] for q in board_api.get("/board/qualifications").json()]
    assert {r["qualification_code"] for r in board_api.get("/board/releases").json()} == {"FCE"}


def test_results_file_upload_starts_a_check_job(board_api, centre, client):
    upload = SimpleUploadedFile("results.csv", b"Centre number,Candidate number\n", content_type="text/csv")
    response = client.post(
        "/api/v1/board/results-files",
        {"file": upload},
        headers={"Authorization": board_api._headers(None)["Authorization"]},
    )
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status"] == "previewing" and body["job"]["status"] == "queued"
    assert board_api.get(f"/board/results-files/{body['id']}").json()["file_name"] == "results.csv"
    assert board_api.get(f"/board/jobs/{body['job']['id']}").status_code == 200
    assert ResultsFile.objects.get().board == centre.board


def test_another_boards_file_is_404_and_a_board_key_reads_no_centre(board_api, centre):
    other = Board.objects.create(name="Other board", time_zone="UTC")
    found = ResultsFile.objects.create(board=other, file_path="x", file_name="x.csv")
    assert board_api.get(f"/board/results-files/{found.pk}").status_code == 404
    assert board_api.get("/candidates").status_code == 403


def test_a_centre_key_cannot_upload_results(client, centre):
    api = ApiClient(client, make_key(centre).token)
    assert api.get("/board/qualifications").status_code == 403
