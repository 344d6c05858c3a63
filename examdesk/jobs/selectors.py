"""Reads for jobs, scoped: a job is visible to its owner and to admins of its centre, to no one else.

A job shared with a centre's staff (`Job.shared_with`, a capability) is visible to the centre's staff who hold
that capability, and only to them: its owner too loses it on leaving the centre.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from examdesk.centres.permissions import Capability, can
from examdesk.jobs.models import Job


def access_job_by_id(*, actor: Any, job_id: uuid.UUID) -> Job:
    job = Job.objects.select_related("centre", "owner").filter(pk=job_id).first()
    if job is None or not actor.is_authenticated:
        raise Http404("No such job.")
    if job.shared_with:
        if job.centre is not None and can(actor, job.centre, Capability(job.shared_with)):
            return job
        raise Http404("No such job.")
    if job.owner_id == actor.pk:
        return job
    if job.centre is not None and can(actor, job.centre, Capability.MANAGE_STAFF):
        return job
    raise Http404("No such job.")


def job_list_for_owner(*, actor: Any, limit: int = 50) -> QuerySet[Job]:
    return Job.objects.filter(owner=actor).select_related("centre").order_by("-created_at")[:limit]
