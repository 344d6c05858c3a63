"""Parts of a job shared by worker processes: each part held by one run, done once, taken again when its run dies."""

from __future__ import annotations

from datetime import timedelta

import pytest

from examdesk.core.tests.factories import CentreFactory, member
from examdesk.jobs import registry, runner, services
from examdesk.jobs.models import Job, JobPart
from examdesk.jobs.runner import JobResult

pytestmark = pytest.mark.django_db(transaction=True)
KIND = "tests.parts"


@pytest.fixture
def job(monkeypatch):
    monkeypatch.setattr(services, "job_enqueue", lambda **kwargs: None)
    centre = CentreFactory()
    return services.job_create(owner=member(centre), centre=centre, kind=KIND, title="Parts")


def _running(job, token="coordinator"):
    claimed = services.job_claim(job_id=job.pk, run_token=token)
    assert claimed is not None
    return claimed


def test_each_part_is_held_by_one_run_and_a_dead_runs_part_is_taken_again(job):
    job = _running(job)
    services.job_parts_plan(job=job, run_token="coordinator", count=3)
    services.job_parts_plan(job=job, run_token="coordinator", count=3)  # planning again keeps what exists
    first = services.job_part_claim(job_id=job.pk, run_token="a")
    second = services.job_part_claim(job_id=job.pk, run_token="b")
    assert (first.index, second.index) == (0, 1) and first.started_at is not None
    assert services.job_part_finish(part=first, run_token="a", data={"made": 0})
    assert not services.job_part_finish(part=second, run_token="a", data={"made": 1})  # not a's part
    third = services.job_part_claim(job_id=job.pk, run_token="a")
    assert third.index == 2
    assert services.job_part_claim(job_id=job.pk, run_token="c") is None  # all held or done
    # b dies: once its heartbeat is stale, c takes part 1; b waking up again cannot finish it.
    JobPart.objects.filter(pk=second.pk).update(heartbeat_at=second.heartbeat_at - timedelta(hours=1))
    again = services.job_part_claim(job_id=job.pk, run_token="c")
    assert again.index == 1 and again.attempts == 2
    assert not services.job_part_finish(part=second, run_token="b", data={"made": "late"})
    assert services.job_part_finish(part=again, run_token="c", data={"made": 1})
    # a fails part 2 and gives it back: it is free at once.
    services.job_part_release(part=third, run_token="a")
    assert services.job_part_claim(job_id=job.pk, run_token="c").index == 2
    assert list(JobPart.objects.filter(job=job, status=JobPart.Status.DONE).values_list("data", flat=True)) == [
        {"made": 0},
        {"made": 1},
    ]


def test_a_job_shares_its_parts_with_a_helper_and_gets_every_parts_data_in_order(job, monkeypatch):
    done_by: dict[int, str] = {}

    def part_handler(part):
        done_by[part.index] = part.run_token
        path = part.save("out.txt", f"part {part.index}".encode())
        return {"index": part.index, "path": path}

    def handler(ctx):
        helped = []

        def progress(done):
            if len(done) == 1 and not helped:  # another worker joins in after the first part
                helped.append(runner.job_parts_help(job_id=ctx.job.pk))
            ctx.progress(done=len(done), total=5, message="")

        made = ctx.run_parts(5, on_progress=progress)
        assert [m["index"] for m in made] == [0, 1, 2, 3, 4]
        assert [ctx.storage.open(m["path"]).read() for m in made] == [f"part {n}".encode() for n in range(5)]
        return JobResult(message=f"helper did {helped[0]}")

    monkeypatch.setitem(registry._HANDLERS, KIND, handler)
    monkeypatch.setitem(registry._PART_HANDLERS, KIND, part_handler)
    runner.job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert job.message == "helper did 4"
    assert len(set(done_by.values())) == 2 and set(done_by) == set(range(5))


def test_a_helper_gives_back_a_part_it_fails_and_the_jobs_own_run_fails_the_job(job, monkeypatch):
    job = _running(job)
    services.job_parts_plan(job=job, run_token="coordinator", count=2)
    monkeypatch.setitem(registry._PART_HANDLERS, KIND, lambda part: 1 / 0)
    assert runner.job_parts_help(job_id=job.pk) == 0
    assert set(JobPart.objects.filter(job=job).values_list("status", flat=True)) == {JobPart.Status.WAITING}


def test_a_helper_of_a_finished_or_dead_job_does_nothing(job, monkeypatch):
    monkeypatch.setitem(registry._PART_HANDLERS, KIND, lambda part: {})
    assert runner.job_parts_help(job_id=job.pk) == 0  # not running yet
    job = _running(job)
    Job.objects.filter(pk=job.pk).update(heartbeat_at=job.heartbeat_at - timedelta(hours=1))
    assert runner.job_parts_help(job_id=job.pk) == 0  # its run died before it had parts: no waiting for it


def test_a_helper_stays_when_the_parts_appear_just_after_it_found_none(job, monkeypatch):
    """The job's run plans its parts at the very moment the helper's first claim finds none."""
    job = _running(job)
    monkeypatch.setitem(registry._PART_HANDLERS, KIND, lambda part: {"index": part.index})
    real_claim = services.job_part_claim
    calls = []

    def claim_then_plan(**kwargs):
        found = real_claim(**kwargs)
        if not calls:
            services.job_parts_plan(job=job, run_token="coordinator", count=3)
        calls.append(found)
        return found

    monkeypatch.setattr(services, "job_part_claim", claim_then_plan)
    assert runner.job_parts_help(job_id=job.pk) == 3
    assert calls[0] is None
