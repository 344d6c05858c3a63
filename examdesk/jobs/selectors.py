"""Reads for jobs, scoped: a job is visible to its owner and to admins of its centre, to no one else.

A job shared with a centre's staff (`Job.shared_with`, a capability) is visible to the centre's staff who hold
that capability, and only to them: its owner too loses it on leaving the centre.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.utils.module_loading import import_string

from examdesk.jobs.models import Job


def _centre_allows(actor: Any, centre: Any, *, shared_with: str) -> bool:
    # The centre's rule comes from the centres app through settings, as Django loads its auth backends:
    # jobs lies below centres and must not import it.
    rule = import_string(settings.EXAMDESK_JOB_CENTRE_RULE)
    return bool(rule(actor, centre, shared_with=shared_with))


def access_job_by_id(*, actor: Any, job_id: uuid.UUID) -> Job:
    job = Job.objects.select_related("centre", "owner").filter(pk=job_id).first()
    if job is None or not actor.is_authenticated:
        raise Http404("No such job.")
    if job.shared_with:
        if job.centre is not None and _centre_allows(actor, job.centre, shared_with=job.shared_with):
            return job
        raise Http404("No such job.")
    if job.owner_id == actor.pk:
        return job
    if job.centre is not None and _centre_allows(actor, job.centre, shared_with=""):
        return job
    raise Http404("No such job.")


def job_list_for_owner(*, actor: Any, limit: int = 50) -> QuerySet[Job]:
    return Job.objects.filter(owner=actor).select_related("centre").order_by("-created_at")[:limit]
