"""The board's results files: upload, preview (nothing written), import or drop, and the problem report.

Board staff only: anyone else signed in gets 404, as for every page they may not see.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import storages
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from examdesk.audit.models import AuditEvent
from examdesk.audit.services import audit_record
from examdesk.centres.models import Board
from examdesk.core.errors import ApplicationError
from examdesk.jobs.models import Job
from examdesk.results.files import services
from examdesk.results.files.forms import ResultsFileUploadForm
from examdesk.results.models import ResultsFile
from examdesk.transfer.forms import DateOrderForm

NOT_FOUND = "No such page."


def _boards(request: HttpRequest) -> QuerySet[Board]:
    if request.user.pk is None:
        raise Http404(NOT_FOUND)
    boards = Board.objects.filter(staff__user_id=request.user.pk).order_by("name")
    if not boards.exists():
        raise Http404(NOT_FOUND)
    return boards


def _results_file(request: HttpRequest, file_id: uuid.UUID) -> ResultsFile:
    found = ResultsFile.objects.select_related("board", "owner").filter(pk=file_id, board__in=_boards(request)).first()
    if found is None:
        raise Http404(NOT_FOUND)
    return found


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    boards = _boards(request)
    posted = request.method == "POST"
    form = ResultsFileUploadForm(request.POST if posted else None, request.FILES if posted else None, boards=boards)
    if request.method == "POST" and form.is_valid():
        results_file, _job = services.results_file_start(
            actor=request.user, board=form.chosen_board(), upload=form.cleaned_data["file"]
        )
        # The file's own page shows the check as it runs (htmx), then the preview: no job page in between.
        return redirect("results_files:preview", file_id=results_file.pk)
    files = ResultsFile.objects.filter(board__in=boards).select_related("board", "owner")[:50]
    return render(
        request,
        "results/files/upload.html",
        {"form": form, "files": files, "several_boards": len(boards) > 1},
    )


def _running_job(request: HttpRequest, results_file: ResultsFile) -> Job | None:
    return (
        Job.objects.filter(
            owner_id=request.user.pk,
            kind__in=[services.PREVIEW_JOB, services.COMMIT_JOB],
            params__file=str(results_file.pk),
        )
        .order_by("-created_at")
        .first()
    )


@login_required
@require_http_methods(["GET", "POST"])
def preview(request: HttpRequest, file_id: uuid.UUID) -> HttpResponse:
    results_file = _results_file(request, file_id)
    action = request.POST.get("action") if request.method == "POST" else None
    date_form = DateOrderForm(request.POST if action == "date_order" else None)
    if action == "date_order" and date_form.is_valid():
        services.results_file_set_date_order(
            actor=request.user, results_file=results_file, date_order=date_form.cleaned_data["date_order"]
        )
        return redirect("results_files:preview", file_id=results_file.pk)
    if action == "commit":
        try:
            services.results_file_commit_start(actor=request.user, results_file=results_file)
        except ApplicationError as error:
            messages.error(request, error.message)
        return redirect("results_files:preview", file_id=results_file.pk)
    if action == "cancel":
        services.results_file_cancel(results_file=results_file)
        messages.success(request, gettext("Nothing was imported. Fix the file and upload it again when you are ready."))
        return redirect("results_files:upload")
    return render(
        request,
        "results/files/preview.html",
        {
            "results_file": results_file,
            "summary": results_file.summary,
            "done": results_file.summary.get("done"),
            "problems": results_file.problems,
            "date_form": date_form,
            "job": _running_job(request, results_file),
            "zone": results_file.board.time_zone,
            "good": sum(results_file.summary.get(key, 0) for key in ("new_results", "changed_results", "unchanged")),
        },
    )


@login_required
@require_GET
def report(request: HttpRequest, file_id: uuid.UUID) -> HttpResponseBase:
    results_file = _results_file(request, file_id)
    path = results_file.summary.get("report_path")
    if not path or results_file.status not in (ResultsFile.Status.READY, ResultsFile.Status.COMMITTED):
        raise Http404(NOT_FOUND)
    audit_record(
        action=AuditEvent.Action.DOWNLOAD,
        request=request,
        summary=f"Downloaded the problem report of results file {results_file.file_name}",
        data={"results_file": str(results_file.pk)},
    )
    stem = results_file.file_name.rsplit(".", 1)[0] or "results"
    return FileResponse(
        storages["private"].open(path, "rb"),
        as_attachment=True,
        filename=f"problems-{stem}.xlsx",
        content_type=services.XLSX,
    )
