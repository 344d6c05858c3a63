"""Bulk statements as a job: what is printed and what is left out (and why), the two files, resuming after a
crash without printing a chunk twice, and who may download the files."""

from __future__ import annotations

import csv
import io
import sys
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.files.storage import storages
from pypdf import PdfReader

from examdesk.catalogue.tests.factories import qualification, release, series
from examdesk.centres.models import Centre, Role
from examdesk.core.tests.factories import BoardMembershipFactory, CentreFactory, member
from examdesk.core.time import format_in_zone
from examdesk.jobs import registry, runner, services
from examdesk.jobs.models import Job, JobFile, JobPart
from examdesk.people.tests.factories import CandidateFactory
from examdesk.results.centre.search import Criteria
from examdesk.results.models import Entry, Result
from examdesk.results.services import entry_for
from examdesk.results.statements import bulk as statements_bulk
from examdesk.results.statements.bulk import KIND, render_chunk, statements_start
from examdesk.results.tests.factories import entry_with_result
from examdesk.results.tests.statements.support import cohort

sys.path.insert(0, str(Path(__file__).resolve().parents[4] / "bench"))
from statements import statements  # noqa: E402  (the statement benchmark's sample data)

pytestmark = pytest.mark.django_db(transaction=True)

# A day ago (downloads expire a week after the job, counted from the real clock).
RELEASE = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(days=1)
AFTER = RELEASE + timedelta(hours=1)


def _not_yet(moment: datetime) -> str:
    return f"Not released yet: released on {format_in_zone(moment, 'Europe/London')}"


def _download(client, job, key) -> bytes:
    response = client.get(f"/jobs/{job.pk}/download/{key}/")
    assert response.status_code == 200, response.status_code
    assert response["Cache-Control"] == "private, no-store"
    return b"".join(response.streaming_content)


def _zip(client, job) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(_download(client, job, "singles")))


def _left_out(archive: zipfile.ZipFile) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(archive.read("left-out.csv").decode("utf-8-sig"))))


def _files(folder: str) -> list[str]:
    """Every file under `folder` in private storage (empty folders do not count)."""
    storage = storages["private"]
    folders, files = storage.listdir(folder)
    return sorted([*files, *(f"{sub}/{name}" for sub in folders for name in _files(f"{folder}/{sub}"))])


def _start(client, centre, **fields):
    response = client.post(f"/centres/{centre.number}/results/statements/", fields)
    job = Job.objects.get(kind=KIND)
    assert response.status_code == 302 and response.url == f"/jobs/{job.pk}/"
    return job


@pytest.fixture
def centre():
    return CentreFactory(number="81001", name="Harbour School", time_zone="Europe/London")


@pytest.fixture
def officer(centre):
    return member(centre, Role.EXAMS_OFFICER)


def test_every_kind_of_unreleased_result_is_left_out_with_its_reason(client, centre, officer):
    board = centre.board
    june = series(board)
    names = [("Zoë", "Łukasiewicz"), ("Юлия", "Ковальчук")]
    printed = cohort(centre, 2, released_at=RELEASE, series=june, names=names)
    later = RELEASE + timedelta(days=30)
    cohort(centre, 1, released_at=later, series=june, qualification=qualification(board, "KET"), first_number=3)
    cohort(centre, 1, released_at=RELEASE, series=june, qualification=qualification(board, "0580"), first_number=4,
           status=Result.Status.PENDING)  # fmt: skip
    withheld = entry_with_result(centre=centre, series=june, released_at=RELEASE, candidate_number="0005",
                                 status=Result.Status.WITHHELD, qualification=qualification(board, "0580"),
                                 scores={"P2": 40, "P4": 90})  # fmt: skip
    cohort(centre, 1, released_at=RELEASE, series=june, qualification=qualification(board, "YLE-MOV"), first_number=6)
    november = series(board, "2026-11", "November 2026")
    mensah = CandidateFactory(centre=centre, last_name="Mensah")
    fce = qualification(board, "FCE")
    entry_for(centre=centre, candidate=mensah, qualification=fce, series=november, candidate_number="0007")
    release(fce, november, RELEASE)
    client.force_login(officer)

    with time_machine.travel(AFTER, tick=False):
        job = _start(client, centre, scope="search")

    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert job.done == job.total == 2 and job.percent == 100
    assert job.message == "2 statements ready; 5 selected results left out (see below)"
    archive = _zip(client, job)
    reasons = {row["Candidate number"]: row["Reason"] for row in _left_out(archive)}
    assert reasons == {
        "0003": _not_yet(later),
        "0004": "Pending: the result is not final yet",
        "0005": "Withheld",
        "0006": "Not available online: results of this qualification are given by the centre",
        "0007": "No result yet",
    }
    assert withheld.pk not in printed
    # The job page shows the same list.
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "Left out: 5 selected results have no statement" in page
    assert _not_yet(later) in page
    assert "Download the print file" in page and "Download the single files" in page


@pytest.mark.parametrize(("moment", "printed"), [(RELEASE - timedelta(seconds=1), 0), (RELEASE, 3)])
def test_a_statement_exists_only_from_the_second_of_release(client, centre, officer, moment, printed):
    cohort(centre, 3, released_at=RELEASE)
    client.force_login(officer)
    with time_machine.travel(moment, tick=False):
        job = _start(client, centre, scope="search")
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    keys = list(JobFile.objects.filter(job=job).values_list("key", flat=True))
    if printed:
        assert keys == ["print", "singles"] and job.message == "3 statements ready"
        assert len(PdfReader(io.BytesIO(_download(client, job, "print"))).pages) == 3
        assert "left-out.csv" not in _zip(client, job).namelist()
    else:
        assert keys == ["left-out"]
        assert job.message.startswith("No statements: none of the selected results can have one yet; 3 selected")
        rows = list(csv.reader(io.StringIO(_download(client, job, "left-out").decode("utf-8-sig"))))
        assert [row[-1] for row in rows[1:]] == [_not_yet(RELEASE)] * 3


def test_board_staff_get_no_preview_statements(client, centre):
    cohort(centre, 2, released_at=RELEASE)
    staff = BoardMembershipFactory(board=centre.board).user
    client.force_login(staff)
    with time_machine.travel(RELEASE - timedelta(hours=1), tick=False):
        job = _start(client, centre, scope="search")
    job.refresh_from_db()
    assert job.total == 0 and not JobFile.objects.filter(job=job, key="print").exists()


def test_both_files_hold_every_statement_in_candidate_number_order_with_safe_names(client, centre, officer):
    names = [("Zoë", "Łukasiewicz"), ("Αλέξανδρος", "Παπαδόπουλος"), ("Юлия", "Ковальчук"), ("Siobhán", "O'Brien"),
             ("Ann", "Nul"), ("Bea", "CON"), ("Cy", "AC/DC"), ("Di", "Re: Smith")]  # fmt: skip
    cohort(centre, 8, released_at=RELEASE, names=names, first_number=11)
    # The same candidate number twice (two qualifications, the same candidate): one name each, numbered.
    twice = Entry.objects.get(candidate_number="0011")
    entry_with_result(candidate=twice.candidate, qualification=qualification(centre.board, "KET"),
                      series=twice.series, released_at=RELEASE, candidate_number="0011",
                      scores={"RW": 140, "LI": 130, "SP": 135})  # fmt: skip
    client.force_login(officer)
    with time_machine.travel(AFTER, tick=False):
        job = _start(client, centre, scope="search")
    job.refresh_from_db()
    assert job.message == "9 statements ready"
    expected = [
        "0011-Łukasiewicz-Zoë.pdf",
        "0011-Łukasiewicz-Zoë-2.pdf",
        "0012-Παπαδόπουλος-Αλέξανδρος.pdf",
        "0013-Ковальчук-Юлия.pdf",
        "0014-O-Brien-Siobhán.pdf",
        "0015-Nul-Ann.pdf",
        "0016-CON-Bea.pdf",
        "0017-AC-DC-Cy.pdf",
        "0018-Re-Smith-Di.pdf",
    ]
    archive = _zip(client, job)
    assert archive.namelist() == expected
    merged = PdfReader(io.BytesIO(_download(client, job, "print")))
    assert len(merged.pages) == 9
    for index, (info, page) in enumerate(zip(archive.infolist(), merged.pages, strict=True)):
        single = PdfReader(io.BytesIO(archive.read(info)))
        assert len(single.pages) == 1
        text = single.pages[0].extract_text()
        number = info.filename[:4]
        assert number in text and number in page.extract_text()
        first, last = names[0] if index < 2 else names[index - 1]
        assert f"{first} {last}" in text, (info.filename, text[:200])
    assert merged.pages[1].extract_text().count("A2 Key") == 1  # the second 0011 is the KET entry
    # The parts are gone; only the two files remain.
    assert _files(f"jobs/{job.pk}") == ["statements.pdf", "statements.zip"]


def test_ticked_results_only_and_never_another_centres(client, centre, officer):
    ids = cohort(centre, 5, released_at=RELEASE)
    other = CentreFactory(board=centre.board)
    foreign = cohort(other, 1, released_at=RELEASE, first_number=9)
    client.force_login(officer)
    with time_machine.travel(AFTER, tick=False):
        job = _start(client, centre, scope="ticked", entry=[ids[3], ids[1], foreign[0]])
    job.refresh_from_db()
    assert job.params["entry_ids"] == [ids[1], ids[3]]
    assert _zip(client, job).namelist() == ["0002-Παπαδόπουλος-Αλέξανδρος.pdf", "0004-O-Brien-Siobhán.pdf"]


def test_nothing_ticked_asks_for_a_tick_and_starts_nothing(client, centre, officer):
    cohort(centre, 2, released_at=RELEASE)
    client.force_login(officer)
    response = client.post(f"/centres/{centre.number}/results/statements/", {"scope": "ticked"}, follow=True)
    assert "Tick at least one result, or choose every result of the search." in response.content.decode()
    assert not Job.objects.exists()
    assert client.get(f"/centres/{centre.number}/results/statements/").status_code == 302


def test_a_preparation_centre_prints_only_its_own_released_entries(client, centre):
    prep = CentreFactory(kind=Centre.Kind.PREPARATION, board=centre.board, number="82001")
    ids = cohort(centre, 4, released_at=RELEASE)
    Entry.objects.filter(pk__in=ids[:2]).update(preparation_centre=prep)
    client.force_login(member(prep, Role.VIEWER))
    with time_machine.travel(AFTER, tick=False):
        job = _start(client, prep, scope="ticked", entry=ids)
    job.refresh_from_db()
    assert job.total == 2
    assert [n[:4] for n in _zip(client, job).namelist()] == ["0001", "0002"]


def test_the_files_are_for_the_centres_staff_only_and_expire(client, centre, officer, settings):
    cohort(centre, 2, released_at=RELEASE)
    client.force_login(officer)
    with time_machine.travel(AFTER, tick=False):
        job = _start(client, centre, scope="search")
    job.refresh_from_db()
    assert job.expires_at == job.finished_at + timedelta(days=settings.EXAMDESK_JOB_RESULT_DAYS)
    # Any of the centre's staff who may see results; nobody from another centre.
    client.force_login(member(centre, Role.VIEWER))
    _download(client, job, "print")
    stranger = member(CentreFactory(board=centre.board), Role.CENTRE_ADMIN)
    client.force_login(stranger)
    for url in (f"/jobs/{job.pk}/", f"/jobs/{job.pk}/download/print/", f"/jobs/{job.pk}/download/singles/",
                f"/centres/{centre.number}/results/statements/{job.pk}/"):  # fmt: skip
        assert client.get(url).status_code == 404, url
    # The owner who leaves the centre loses the files too.
    officer.memberships.all().delete()
    client.force_login(officer)
    assert client.get(f"/jobs/{job.pk}/download/print/").status_code == 404
    # The centre's own link leads to the job page.
    admin = member(centre)
    client.force_login(admin)
    response = client.get(f"/centres/{centre.number}/results/statements/{job.pk}/")
    assert response.status_code == 302 and response.url == f"/jobs/{job.pk}/"
    assert client.get(f"/centres/{centre.number}/results/statements/not-a-job/").status_code == 404
    # Expired: the link says so, and the stored files are deleted.
    Job.objects.filter(pk=job.pk).update(expires_at=job.finished_at)
    assert client.get(f"/jobs/{job.pk}/download/print/").status_code == 410
    assert "The files of this job have expired." in client.get(f"/jobs/{job.pk}/").content.decode()
    assert services.jobs_expired_files_delete() == 1
    assert _files(f"jobs/{job.pk}") == []
    assert not JobFile.objects.filter(job=job).exists()


def test_a_job_cut_off_after_some_chunks_resumes_without_drawing_a_chunk_again(client, centre, officer, settings,
                                                                              monkeypatch):  # fmt: skip
    settings.EXAMDESK_STATEMENTS_CHUNK = 5
    settings.CELERY_TASK_ALWAYS_EAGER = False  # the job is run here, by hand, as a worker would
    monkeypatch.setattr(services, "job_enqueue", lambda **kwargs: None)
    cohort(centre, 23, released_at=RELEASE)
    original = registry.part_handler_for(KIND)
    drawn: list[int] = []
    finished: list[int] = []

    class WorkerKilled(BaseException):
        pass

    def counting(part):
        drawn.append(part.index)
        if len(drawn) == 3:
            raise WorkerKilled  # the machine stops in the middle of the third chunk
        made = original(part)
        finished.append(part.index)
        return made

    monkeypatch.setitem(registry._PART_HANDLERS, KIND, counting)
    monkeypatch.setattr(runner, "_Heartbeat", _NoHeartbeat)
    with time_machine.travel(AFTER):
        job = statements_start(actor=officer, centre=centre, criteria=Criteria(), entry_ids=None)
        with pytest.raises(WorkerKilled):
            runner.job_run(job_id=job.pk)
        job.refresh_from_db()
        assert job.status == Job.Status.RUNNING and job.done == 10 and job.total == 23
        # Meanwhile a new result is released: the job prints the set it chose when it started.
        cohort(centre, 1, released_at=RELEASE, first_number=50, qualification=qualification(centre.board, "KET"))
        # The worker is gone: its job and its chunk go stale, and the next worker takes them.
        stale = job.heartbeat_at - timedelta(hours=1)
        Job.objects.filter(pk=job.pk).update(heartbeat_at=stale)
        JobPart.objects.filter(job=job, status=JobPart.Status.RUNNING).update(heartbeat_at=stale)
        runner.job_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert job.attempts == 2 and job.message == "23 statements ready"
    chunks = len(statements_bulk.chunk_sizes(23, 5))
    assert drawn == [0, 1, 2, *range(2, chunks)] and sorted(finished) == list(range(chunks))  # each finished once
    client.force_login(officer)
    names = _zip(client, job).namelist()
    assert len(names) == len(set(names)) == 23 and [n[:4] for n in names] == [f"{n:04d}" for n in range(1, 24)]
    assert len(PdfReader(io.BytesIO(_download(client, job, "print"))).pages) == 23
    assert _files(f"jobs/{job.pk}") == ["statements.pdf", "statements.zip"]  # parts and plan are gone


class _NoHeartbeat:
    def __init__(self, *args, **kwargs):
        pass

    def start(self):
        pass

    stopped = type("Stopped", (), {"set": staticmethod(lambda: None)})()

    def join(self, timeout=None):
        pass


def test_the_job_chooses_its_statements_by_the_search_not_the_page(client, centre, officer):
    cohort(centre, 6, released_at=RELEASE)
    client.force_login(officer)
    with time_machine.travel(AFTER, tick=False):
        job = _start(client, centre, scope="search", number_from="0002", number_to="0004", last_name="ковальчук")
    job.refresh_from_db()
    assert job.params["criteria"]["number_from"] == "0002"
    assert [n[:4] for n in _zip(client, job).namelist()] == ["0003"]
    assert statements_bulk.chunk_size() == 500


def _items(count):
    return [(data, f"{data.candidate_number}-{data.candidate_last_name}.pdf") for data in statements(count)]


def test_a_chunk_is_drawn_once_and_split_into_single_files_that_stand_alone():
    items = _items(6)
    made = render_chunk(items, title="Statements", date_time=(2026, 8, 13, 9, 0, 0))
    merged = PdfReader(io.BytesIO(made.pdf))
    assert made.pages == len(merged.pages) == 6
    with zipfile.ZipFile(io.BytesIO(made.singles)) as archive:
        infos = archive.infolist()
        assert [i.filename for i in infos] == [name for _, name in items]
        assert all(i.compress_type == zipfile.ZIP_STORED for i in infos)  # PDFs are compressed already
        # Names outside ASCII carry the UTF-8 flag, so every unzip tool shows them as written.
        assert all(i.flag_bits & 0x800 for i in infos if not i.filename.isascii())
        assert any(not i.filename.isascii() for i in infos)
        for (data, _), info in zip(items, infos, strict=True):
            single = PdfReader(io.BytesIO(archive.read(info)))
            assert len(single.pages) == 1
            text = single.pages[0].extract_text()
            assert data.candidate_name in text and data.verification_code in text
            assert single.metadata.title == data.title  # titled for the candidate, in any script
    # Each single file is about as small as a statement drawn alone.
    assert len(made.singles) / 6 < 1.5 * len(made.pdf)
