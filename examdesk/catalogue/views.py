"""The board's catalogue pages (qualifications, files, series, release times) and the public list of release dates.

Board pages answer 404 to anyone who is not staff of a board, as if they did not exist.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import yaml
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from examdesk.catalogue import selectors, services
from examdesk.catalogue.definitions import DefinitionError, Problem, parse_data, parse_text, problems_found
from examdesk.catalogue.forms import (
    BandFormSet,
    ComponentFormSet,
    QualificationForm,
    QualificationInput,
    QualificationUploadForm,
    ReleasesForm,
    SeriesForm,
)
from examdesk.catalogue.models import Qualification, Series
from examdesk.catalogue.release_dates import release_dates_context
from examdesk.centres.models import Board
from examdesk.centres.selectors import board_for_staff
from examdesk.core.time import now as current_time

EXTRA_ROWS = 3
NEW_COMPONENT_ROWS = 6
NEW_BAND_ROWS = 8


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _validation_messages(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


# --- Qualifications ----------------------------------------------------------------------------------------------


@login_required
@require_GET
def qualification_list(request: HttpRequest) -> HttpResponse:
    board = board_for_staff(actor=request.user)
    return render(
        request,
        "catalogue/qualification_list.html",
        {"board": board, "qualifications": selectors.qualification_list(board=board)},
    )


@login_required
@require_GET
def qualification_detail(request: HttpRequest, pk: int) -> HttpResponse:
    board = board_for_staff(actor=request.user)
    qualification = selectors.qualification_get(board=board, pk=pk)
    step = Decimal(1).scaleb(-qualification.decimals)
    bands = selectors.qualification_bands(qualification=qualification)  # highest first
    rows = []
    upper = qualification.overall_max
    for band in bands:
        rows.append({"band": band, "from": _plain(band.min_score), "to": _plain(upper)})
        upper = band.min_score - step
    return render(
        request,
        "catalogue/qualification_detail.html",
        {
            "board": board,
            "qualification": qualification,
            "components": selectors.qualification_components(qualification=qualification),
            "bands": rows,
            "releases": selectors.releases_of_qualification(qualification=qualification),
            "plain_min": _plain(qualification.overall_min),
            "plain_max": _plain(qualification.overall_max),
        },
    )


@login_required
@require_GET
def qualification_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The qualification as a qualification file, to keep, edit and load again."""
    board = board_for_staff(actor=request.user)
    qualification = selectors.qualification_get(board=board, pk=pk)
    text = yaml.safe_dump(
        {"qualifications": [selectors.qualification_data(qualification)]},
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
    )
    response = HttpResponse(text, content_type="application/yaml; charset=utf-8")
    safe_code = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in qualification.code)
    response["Content-Disposition"] = f'attachment; filename="qualification-{safe_code}.yaml"'
    return response


def _blank_rows(count: int) -> list[dict[str, Any]]:
    return [{} for _ in range(count)]


def _initial(qualification: Qualification | None) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    if qualification is None:
        return (
            {"results_online": True, "aggregation": "mean", "rounding": "half_up", "decimals": 0},
            _blank_rows(NEW_COMPONENT_ROWS),
            _blank_rows(NEW_BAND_ROWS),
        )
    basics = {
        "code": qualification.code,
        "name": qualification.name,
        "family": qualification.family,
        "results_online": qualification.results_online,
        "aggregation": qualification.aggregation,
        "rounding": qualification.rounding,
        "decimals": qualification.decimals,
        "overall_min": _plain(qualification.overall_min),
        "overall_max": _plain(qualification.overall_max),
    }
    components = [
        {
            "code": c.code,
            "name": c.name,
            "min_score": _plain(c.min_score),
            "max_score": _plain(c.max_score),
            "weight": _plain(c.weight),
        }
        for c in selectors.qualification_components(qualification=qualification)
    ]
    bands = [
        {
            "min_score": _plain(b.min_score),
            "grade": b.grade,
            "label": b.label,
            "cefr_level": b.cefr_level,
            "awards_certificate": b.awards_certificate,
        }
        for b in selectors.qualification_bands(qualification=qualification)
    ]
    return basics, components + _blank_rows(EXTRA_ROWS), bands + _blank_rows(EXTRA_ROWS)


def _formsets(data: QueryDict | None, components: list[dict[str, Any]], bands: list[dict[str, Any]]) -> tuple[Any, Any]:
    if data is None:
        return ComponentFormSet(prefix="components", initial=components), BandFormSet(prefix="bands", initial=bands)
    return ComponentFormSet(data, prefix="components"), BandFormSet(data, prefix="bands")


def _qualification_page(request: HttpRequest, board: Board, qualification: Qualification | None) -> HttpResponse:
    creating = qualification is None
    basics_initial, component_initial, band_initial = _initial(qualification)
    problems: list[tuple[str, str]] = []
    if request.method == "POST":
        basics = QualificationForm(request.POST, initial=basics_initial)
        components, bands = _formsets(request.POST, component_initial, band_initial)
    else:
        basics = QualificationForm(initial=basics_initial)
        components, bands = _formsets(None, component_initial, band_initial)
    if not creating:
        basics.fields["code"].disabled = True
        basics.fields["code"].help_text = "The board's code. It cannot be changed."
    if request.method == "POST":
        basics.is_valid()
        components.is_valid()
        bands.is_valid()
        typed = QualificationInput(basics, components, bands)
        try:
            definition = parse_data(typed.data())[0]
            if creating and selectors.qualification_code_exists(board=board, code=definition.code):
                raise DefinitionError.from_details(
                    [
                        Problem(
                            "qualifications[0].code",
                            "code",
                            f"a qualification with the code {definition.code} already exists; edit it instead.",
                        )
                    ]
                )
            saved = services.qualification_define(board=board, definition=definition, actor=request.user)
        except DefinitionError as error:
            problems = typed.show(error.details)
        except (ValidationError, IntegrityError) as error:
            texts = _validation_messages(error) if isinstance(error, ValidationError) else [str(error)]
            problems = typed.show([Problem("", "", text) for text in texts])
        else:
            messages.success(
                request, f"Qualification {saved.code} {saved.name} has been {'created' if creating else 'saved'}."
            )
            return redirect("catalogue:qualification_detail", pk=saved.pk)
    return render(
        request,
        "catalogue/qualification_form.html",
        {
            "board": board,
            "qualification": qualification,
            "creating": creating,
            "basics": basics,
            "components": components,
            "bands": bands,
            "problems": problems,
            "extra_rows": EXTRA_ROWS,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def qualification_create(request: HttpRequest) -> HttpResponse:
    board = board_for_staff(actor=request.user)
    return _qualification_page(request, board, None)


@login_required
@require_http_methods(["GET", "POST"])
def qualification_edit(request: HttpRequest, pk: int) -> HttpResponse:
    board = board_for_staff(actor=request.user)
    qualification = selectors.qualification_get(board=board, pk=pk)
    return _qualification_page(request, board, qualification)


@login_required
@require_http_methods(["GET", "POST"])
def qualifications_upload(request: HttpRequest) -> HttpResponse:
    board = board_for_staff(actor=request.user)
    form = (
        QualificationUploadForm(request.POST, request.FILES) if request.method == "POST" else QualificationUploadForm()
    )
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            definitions = parse_text(form.cleaned_data["file"], file_name=form.file_name)
            codes = [d.code for d in definitions]
            before = selectors.qualification_snapshots(board=board, codes=codes)
            loaded = services.qualifications_load(board=board, definitions=definitions, actor=request.user)
            after = selectors.qualification_snapshots(board=board, codes=codes)
        except DefinitionError as error:
            problems = error.problems
        except ValidationError as error:
            problems = _validation_messages(error)
        else:
            created = [q.code for q in loaded if q.code not in before]
            updated = [q.code for q in loaded if q.code in before and before[q.code] != after.get(q.code)]
            unchanged = [q.code for q in loaded if q.code in before and before[q.code] == after.get(q.code)]
            parts = []
            if created:
                parts.append(_("created {codes}").format(codes=", ".join(created)))
            if updated:
                parts.append(_("updated {codes}").format(codes=", ".join(updated)))
            if unchanged:
                parts.append(_("unchanged {codes}").format(codes=", ".join(unchanged)))
            messages.success(request, f"{form.file_name} is loaded: {'; '.join(parts)}.")
            return redirect("catalogue:qualifications")
    return render(
        request,
        "catalogue/qualification_upload.html",
        {
            "board": board,
            "form": form,
            "extra_errors": [problems_found(form.file_name, len(problems))] if problems else [],
            "extra_errors_field": "id_file",
            "problems": problems,
            "extra_rows": EXTRA_ROWS,
        },
    )


# --- Series and release times ------------------------------------------------------------------------------------


@login_required
@require_GET
def series_list(request: HttpRequest) -> HttpResponse:
    board = board_for_staff(actor=request.user)
    return render(
        request, "catalogue/series_list.html", {"board": board, "series_list": selectors.series_list(board=board)}
    )


def _series_page(request: HttpRequest, board: Board, series: Series | None) -> HttpResponse:
    creating = series is None
    initial = {} if series is None else {"code": series.code, "name": series.name, "starts_on": series.starts_on}
    form = SeriesForm(request.POST or None, initial=initial)
    if not creating:
        form.fields["code"].disabled = True
        form.fields["code"].help_text = "Short code used in results files. It cannot be changed."
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        if creating and selectors.series_code_exists(board=board, code=code):
            form.add_error("code", f"A series with the code {code} already exists.")
        else:
            saved = services.series_save(
                board=board,
                code=code,
                name=form.cleaned_data["name"],
                starts_on=form.cleaned_data["starts_on"],
                actor=request.user,
            )
            messages.success(
                request, f"Series {saved.name} ({saved.code}) has been {'created' if creating else 'saved'}."
            )
            return redirect("catalogue:series")
    return render(
        request, "catalogue/series_form.html", {"board": board, "form": form, "series": series, "creating": creating}
    )


@login_required
@require_http_methods(["GET", "POST"])
def series_create(request: HttpRequest) -> HttpResponse:
    board = board_for_staff(actor=request.user)
    return _series_page(request, board, None)


@login_required
@require_http_methods(["GET", "POST"])
def series_edit(request: HttpRequest, pk: int) -> HttpResponse:
    board = board_for_staff(actor=request.user)
    return _series_page(request, board, selectors.series_get(board=board, pk=pk))


@login_required
@require_http_methods(["GET", "POST"])
def series_releases(request: HttpRequest, pk: int) -> HttpResponse:
    board = board_for_staff(actor=request.user)
    series = selectors.series_get(board=board, pk=pk)
    rows = selectors.release_rows(series=series, now=current_time())
    form = ReleasesForm(request.POST or None, rows=rows, zone=board.time_zone)
    if request.method == "POST" and form.is_valid():
        changed = services.series_releases_schedule(series=series, released_at=form.times(), actor=request.user)
        if changed:
            names = ", ".join(q.code for q in changed)
            messages.success(request, f"Release times saved for {names}.")
        else:
            messages.success(request, _("Nothing changed: the release times are as they were."))
        return redirect("catalogue:series_releases", pk=series.pk)
    lines = [{"row": row, "field": form[f"q{row.qualification.pk}"]} for row in rows]
    return render(
        request,
        "catalogue/series_releases.html",
        {"board": board, "series": series, "form": form, "lines": lines, "zone": board.time_zone},
    )


# --- Public ------------------------------------------------------------------------------------------------------


@require_GET
def release_dates(request: HttpRequest) -> HttpResponse:
    """When results appear, for everyone: signed in or not (shown in their centre's zone as well)."""
    return render(request, "catalogue/release_dates.html", release_dates_context(request))
