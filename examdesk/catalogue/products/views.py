"""The board's product pages: online assessments (sections, items with their keys, audio, extra measures), loaded
from assessment files, switched on and off, downloaded again as files.

Every page answers 404 to anyone who is not staff of the board, as if it did not exist: keys and marks are shown
here and nowhere a centre or candidate can reach.
"""

from __future__ import annotations

import yaml
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from examdesk.catalogue.definitions import DefinitionError, problems_found
from examdesk.catalogue.products import selectors, services
from examdesk.catalogue.products.assessments import parse_text as parse_assessments
from examdesk.catalogue.products.assessments import safe_code
from examdesk.catalogue.products.forms import AssessmentUploadForm
from examdesk.centres.selectors import board_for_staff


@login_required
@require_GET
def product_list(request: HttpRequest) -> HttpResponse:
    board = board_for_staff(actor=request.user)
    return render(
        request, "catalogue/product_list.html", {"board": board, "products": selectors.product_list(board=board)}
    )


@login_required
@require_GET
def product_detail(request: HttpRequest, pk: int) -> HttpResponse:
    board = board_for_staff(actor=request.user)
    product = selectors.product_get(board=board, pk=pk)
    sections = list(selectors.product_sections(product=product))
    item_count, total_marks = selectors.product_totals(sections=sections)
    return render(
        request,
        "catalogue/product_detail.html",
        {
            "board": board,
            "product": product,
            "sections": sections,
            "measures": selectors.product_measures(product=product),
            "has_sittings": selectors.product_has_sittings(product),
            "item_count": item_count,
            "total_marks": total_marks,
        },
    )


@login_required
@require_GET
def product_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The product as an assessment file, to keep, edit and load again."""
    board = board_for_staff(actor=request.user)
    product = selectors.product_get(board=board, pk=pk)
    text = yaml.safe_dump(
        {"assessments": [selectors.assessment_data(product)]},
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=110,
    )
    response = HttpResponse(text, content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="assessment-{safe_code(product.code)}.yaml"'
    return response


@login_required
@require_GET
def section_audio(request: HttpRequest, pk: int, section_pk: int) -> FileResponse:
    """A section's audio, streamed from private storage to board staff (the page's player; ?download=1 saves it)."""
    board = board_for_staff(actor=request.user)
    product = selectors.product_get(board=board, pk=pk)
    section = selectors.product_section_get(product=product, pk=section_pk)
    handle, content_type = selectors.section_audio(section=section)
    download = request.GET.get("download") == "1"
    response = FileResponse(
        handle,
        as_attachment=download,
        filename=selectors.audio_file_name(section=section),
        content_type=content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def product_active(request: HttpRequest, pk: int) -> HttpResponse:
    board = board_for_staff(actor=request.user)
    product = selectors.product_get(board=board, pk=pk)
    active = request.POST.get("active") == "1"
    services.product_set_active(product=product, active=active, actor=request.user)
    if active:
        messages.success(request, f"{product.name} is active: centres with credits can create sittings for it.")
    else:
        messages.success(
            request,
            f"{product.name} is inactive: no new sittings can be created for it. Sittings already created go on.",
        )
    return redirect("catalogue:product_detail", pk=product.pk)


@login_required
@require_http_methods(["GET", "POST"])
def products_upload(request: HttpRequest) -> HttpResponse:
    board = board_for_staff(actor=request.user)
    form = AssessmentUploadForm(request.POST, request.FILES) if request.method == "POST" else AssessmentUploadForm()
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            definitions = parse_assessments(form.cleaned_data["file"], file_name=form.file_name)
            loaded = services.assessments_load(board=board, definitions=definitions, actor=request.user)
        except DefinitionError as error:
            problems = error.problems
        except ValidationError as error:
            problems = [str(message) for message in error.messages]
        else:
            parts = [f"{result.outcome} {result.product.code}" for result in loaded]
            messages.success(request, f"{form.file_name} is loaded: {'; '.join(parts)}.")
            if len(loaded) == 1:
                return redirect("catalogue:product_detail", pk=loaded[0].product.pk)
            return redirect("catalogue:products")
    return render(
        request,
        "catalogue/product_upload.html",
        {
            "board": board,
            "form": form,
            "extra_errors": [problems_found(form.file_name, len(problems))] if problems else [],
            "extra_errors_field": "id_file",
            "problems": problems,
        },
    )
