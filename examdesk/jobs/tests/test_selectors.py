from __future__ import annotations

import pytest
from django.http import Http404

from examdesk.core.tests.factories import CentreFactory, UserFactory
from examdesk.jobs.models import Job
from examdesk.jobs.selectors import access_job_by_id

pytestmark = pytest.mark.django_db

ASKED: list[str] = []


def rule_allowing_reports(user, centre, *, shared_with: str) -> bool:
    """A stand-in for the centres app's rule (settings.EXAMDESK_JOB_CENTRE_RULE)."""
    ASKED.append(shared_with)
    return shared_with == "reports"


@pytest.fixture
def rule(settings):
    settings.EXAMDESK_JOB_CENTRE_RULE = f"{__name__}.rule_allowing_reports"
    ASKED.clear()
    return ASKED


def test_the_owner_sees_their_job_without_asking_the_centre(rule):
    owner = UserFactory()
    job = Job.objects.create(owner=owner, centre=CentreFactory(), kind="test.kind", title="A job")
    assert access_job_by_id(actor=owner, job_id=job.pk) == job
    assert rule == []


def test_someone_else_sees_a_centre_job_only_when_the_centres_rule_says_so(rule):
    centre, other = CentreFactory(), UserFactory()
    private = Job.objects.create(owner=UserFactory(), centre=centre, kind="test.kind", title="Private")
    shared = Job.objects.create(
        owner=UserFactory(), centre=centre, kind="test.kind", title="Shared", shared_with="reports"
    )
    with pytest.raises(Http404):
        access_job_by_id(actor=other, job_id=private.pk)
    assert access_job_by_id(actor=other, job_id=shared.pk) == shared
    assert rule == ["", "reports"]


def test_a_job_shared_with_a_capability_is_closed_to_its_owner_when_the_rule_refuses(rule):
    owner = UserFactory()
    job = Job.objects.create(owner=owner, centre=CentreFactory(), kind="test.kind", title="Shared", shared_with="x")
    with pytest.raises(Http404):
        access_job_by_id(actor=owner, job_id=job.pk)
