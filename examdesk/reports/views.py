"""Reports at /centres/<number>/reports/: the choice of candidates, the report on screen, its files."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from examdesk.centres.context_processors import SESSION_KEY
from examdesk.centres.models import Centre
from examdesk.centres.permissions import Capability, capabilities_at, is_board_staff
from examdesk.centres.selectors import (
    access_centre_by_number,
    board_centre_list,
    board_for_staff,
    exam_centres_of,
    preparation_centres_of,
)
from examdesk.core.http import attachment
from examdesk.people.selectors import access_group_by_id
from examdesk.reports import files, overview, selectors
from examdesk.reports.charts import chart_svg, report_charts
from examdesk.reports.forms import ReportForm
from examdesk.reports.jobs import report_export_audit, report_export_request
from examdesk.sittings.selectors import access_sitting_by_id

#: Reports of more candidates than this are written by a job, with a progress bar.
JOB_THRESHOLD = 2000
#: The page lists this many rows; the files have them all.
SCREEN_ROWS = 500


@login_required
@require_GET
def centre_overview(request: HttpRequest, number: str) -> HttpResponse:
    """/centres/<number>/: the centre's details, what needs attention now, and how its candidates did."""
    centre = access_centre_by_number(actor=request.user, number=number)
    request.session[SESSION_KEY] = centre.number
    granted = frozenset(str(capability) for capability in capabilities_at(request.user, centre))
    return render(
        request,
        "reports/overview.html",
        {
            "centre": centre,
            "capabilities": granted,
            "exam_centres": exam_centres_of(centre=centre),
            "preparation_centres": preparation_centres_of(centre=centre),
            "attention": overview.attention_items(actor=request.user, centres=[centre], capabilities=granted),
            "charts": overview.grade_charts(centres=[centre], capabilities=granted),
            "waiting": overview.entries_waiting(centres=[centre]),
        },
    )


@login_required
@require_GET
def board_overview(request: HttpRequest) -> HttpResponse:
    """/centres/board/overview/: the same overview across every centre of the board."""
    if not is_board_staff(request.user):
        raise Http404("No such page.")
    board = board_for_staff(actor=request.user)
    centres = list(board_centre_list(actor=request.user).select_related("board"))
    everything = frozenset(str(capability) for capability in Capability)
    return render(
        request,
        "reports/board_overview.html",
        {
            "board": board,
            "centres": centres,
            "attention": overview.attention_items(
                actor=request.user, centres=centres, capabilities=everything, board=True
            ),
            "charts": overview.grade_charts(
                centres=[c for c in centres if c.kind == Centre.Kind.EXAM], capabilities=everything
            ),
            "waiting": overview.entries_waiting(centres=centres),
        },
    )


def _threshold() -> int:
    return int(getattr(settings, "EXAMDESK_REPORT_JOB_THRESHOLD", JOB_THRESHOLD))


def _form(request: HttpRequest, centre: Centre) -> ReportForm | None:
    """The report's form, once the page is asked for a report. A group or sitting id of another centre is 404."""
    if not request.GET:
        return None
    scope = request.GET.get("scope")
    value = request.GET.get(scope or "", "")
    if scope == "group" and value.isdigit():
        access_group_by_id(centre=centre, group_id=int(value))
    elif scope == "sitting" and value.isdigit():
        access_sitting_by_id(
            actor=request.user, centre=centre, sitting_id=int(value), capability=Capability.VIEW_SITTINGS
        )
    return ReportForm(request.GET, centre=centre)


@login_required
@require_GET
def report(request: HttpRequest, number: str) -> HttpResponse:
    centre = access_centre_by_number(actor=request.user, number=number, capability=Capability.VIEW_SITTINGS)
    form = _form(request, centre)
    context: dict[str, Any] = {"centre": centre, "form": form or ReportForm(centre=centre), "report": None}
    if form is not None and form.is_valid():
        built = selectors.report_build(centre=centre, criteria=form.criteria())
        charts = [
            {"chart": chart, "svg": chart_svg(chart, element_id=f"chart-{index}"), "id": f"chart-{index}"}
            for index, chart in enumerate(report_charts(built))
        ]
        context.update(
            report=built,
            charts=charts,
            header=selectors.header(built),
            rows=[(row, selectors.text_cells(built, row)) for row in built.rows[:SCREEN_ROWS]],
            cut=len(built.rows) > SCREEN_ROWS,
            screen_rows=SCREEN_ROWS,
            query=request.GET.urlencode(),
            as_job=built.candidates > _threshold(),
            formats=[("csv", "CSV"), ("xlsx", "XLSX (Excel)"), ("pdf", "PDF (printable)")],
        )
    return render(request, "reports/report.html", context)


@login_required
@require_GET
def export(request: HttpRequest, number: str, fmt: str) -> HttpResponse:
    centre = access_centre_by_number(actor=request.user, number=number, capability=Capability.VIEW_SITTINGS)
    if fmt not in files.FORMATS:
        raise Http404("No such format.")
    form = _form(request, centre)
    if form is None or not form.is_valid():
        return redirect(reverse("centres:reports:report", args=[centre.number]) + "?" + request.GET.urlencode())
    criteria = form.criteria()
    if selectors.report_size(centre=centre, criteria=criteria) > _threshold():
        _attempts, _title, chosen, _notes = selectors.selection(centre=centre, criteria=criteria)
        job = report_export_request(
            actor=request.user,
            centre=centre,
            criteria=criteria,
            fmt=fmt,
            described=selectors.describe(centre=centre, criteria=criteria, chosen=chosen),
            request=request,
        )
        return redirect("jobs:detail", job_id=job.pk)
    built = selectors.report_build(centre=centre, criteria=criteria)
    report_export_audit(
        actor=request.user,
        centre=centre,
        fmt=fmt,
        described=built.described,
        params={"criteria": criteria.as_params(), "format": fmt},
        request=request,
    )
    return attachment(files.render(built, fmt), content_type=files.FORMATS[fmt], name=files.file_name(built, fmt))
