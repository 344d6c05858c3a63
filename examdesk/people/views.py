from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from examdesk.centres.models import Centre
from examdesk.centres.permissions import Capability, can
from examdesk.centres.selectors import access_centre_by_number
from examdesk.core.errors import ApplicationError
from examdesk.people import services
from examdesk.people.arrangements import ArrangementsForm, candidate_arrangements_set, describe, form_initial
from examdesk.people.forms import CandidateFilterForm, CandidateForm, ChangeUniqueIdForm
from examdesk.people.models import CandidateArrangements, VocabularyTerm
from examdesk.people.selectors import (
    access_candidate_by_id,
    candidate_groups,
    candidate_list_for_centre,
    centre_has_candidates,
    group_list_for_centre,
    group_names_of,
    unique_id_taken,
)

PAGE_SIZE = 50


def _terms(centre: Centre) -> dict[str, dict[str, str]]:
    return {
        "ethnicity": services.vocabulary_terms(centre=centre, vocabulary=VocabularyTerm.Vocabulary.ETHNICITY),
        "sen": services.vocabulary_terms(centre=centre, vocabulary=VocabularyTerm.Vocabulary.SEN),
    }


@login_required
def candidate_list(request: HttpRequest, number: str) -> HttpResponse:
    centre = access_centre_by_number(actor=request.user, number=number, capability=Capability.VIEW_CANDIDATES)
    form = CandidateFilterForm(request.GET or None, centre=centre)
    filters = form.cleaned_data if form.is_valid() else {}
    group = filters.get("group")
    candidates = candidate_list_for_centre(
        centre=centre,
        search=filters.get("q") or "",
        group_id=group.pk if group else None,
        status=filters.get("status") or "active",
    )
    page = Paginator(candidates, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "people/candidate_list.html",
        {
            "centre": centre,
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "groups_of": group_names_of([c.pk for c in page.object_list]),
            "can_manage": can(request.user, centre, Capability.MANAGE_CANDIDATES),
            "any_candidates": bool(page.object_list) or centre_has_candidates(centre=centre),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def candidate_create(request: HttpRequest, number: str) -> HttpResponse:
    centre = access_centre_by_number(actor=request.user, number=number, capability=Capability.MANAGE_CANDIDATES)
    form = CandidateForm(request.POST or None, centre=centre, terms=_terms(centre))
    if request.method == "POST" and form.is_valid():
        try:
            candidate = services.candidate_create(
                actor=request.user, centre=centre, data=form.to_data(), request=request
            )
        except ApplicationError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, f"{candidate.full_name} has been added.")
            return redirect("centres:people:detail", number=centre.number, candidate_id=candidate.pk)
    return render(
        request,
        "people/candidate_form.html",
        {
            "centre": centre,
            "form": form,
            "creating": True,
            "group_names": group_list_for_centre(centre=centre),
        },
    )


@login_required
def candidate_detail(request: HttpRequest, number: str, candidate_id: int) -> HttpResponse:
    centre = access_centre_by_number(actor=request.user, number=number, capability=Capability.VIEW_CANDIDATES)
    candidate = access_candidate_by_id(centre=centre, candidate_id=candidate_id)
    terms = _terms(centre)
    return render(
        request,
        "people/candidate_detail.html",
        {
            "centre": centre,
            "candidate": candidate,
            "ethnicity": terms["ethnicity"].get(candidate.ethnicity, candidate.ethnicity),
            "sen": terms["sen"].get(candidate.sen_status, candidate.sen_status),
            "written": candidate.values_as_written or {},
            "can_manage": can(request.user, centre, Capability.MANAGE_CANDIDATES),
            "arrangements": describe(CandidateArrangements.objects.filter(candidate=candidate).first()),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def candidate_arrangements(request: HttpRequest, number: str, candidate_id: int) -> HttpResponse:
    """The candidate's access arrangements for online assessments (every sitting without its own)."""
    centre = access_centre_by_number(actor=request.user, number=number, capability=Capability.MANAGE_CANDIDATES)
    candidate = access_candidate_by_id(centre=centre, candidate_id=candidate_id)
    current = CandidateArrangements.objects.filter(candidate=candidate).first()
    form = ArrangementsForm(request.POST or None, initial=form_initial(current))
    if request.method == "POST" and form.is_valid():
        row = candidate_arrangements_set(
            actor=request.user, candidate=candidate, values=form.cleaned_data, request=request
        )
        messages.success(request, _("Access arrangements saved: %(now)s.") % {"now": describe(row)})
        return redirect("centres:people:detail", number=centre.number, candidate_id=candidate.pk)
    return render(
        request, "people/candidate_arrangements.html", {"centre": centre, "candidate": candidate, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def candidate_edit(request: HttpRequest, number: str, candidate_id: int) -> HttpResponse:
    centre = access_centre_by_number(actor=request.user, number=number, capability=Capability.MANAGE_CANDIDATES)
    candidate = access_candidate_by_id(centre=centre, candidate_id=candidate_id)
    initial = {
        "unique_id": candidate.unique_id,
        "first_name": candidate.first_name,
        "last_name": candidate.last_name,
        "date_of_birth": candidate.date_of_birth,
        "gender": candidate.gender,
        "nationality": candidate.nationality.code,
        "ethnicity": candidate.ethnicity,
        "sen_status": candidate.sen_status,
        "upn": candidate.upn,
        "email": candidate.email,
        "groups": candidate_groups(candidate=candidate),
    }
    form = CandidateForm(request.POST or None, initial=initial, centre=centre, terms=_terms(centre))
    form.fields["unique_id"].disabled = True
    form.fields["unique_id"].help_text = "Change the unique ID from the candidate's page."
    if request.method == "POST" and form.is_valid():
        services.candidate_update(actor=request.user, candidate=candidate, data=form.to_data(), request=request)
        messages.success(request, f"{candidate.full_name}'s details have been saved.")
        return redirect("centres:people:detail", number=centre.number, candidate_id=candidate.pk)
    return render(
        request,
        "people/candidate_form.html",
        {
            "centre": centre,
            "form": form,
            "creating": False,
            "candidate": candidate,
            "group_names": group_list_for_centre(centre=centre),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def candidate_change_id(request: HttpRequest, number: str, candidate_id: int) -> HttpResponse:
    """Two steps: type the new ID, then confirm it on a page that says what changing it means."""
    centre = access_centre_by_number(actor=request.user, number=number, capability=Capability.MANAGE_CANDIDATES)
    candidate = access_candidate_by_id(centre=centre, candidate_id=candidate_id)
    form = ChangeUniqueIdForm(request.POST or None)
    confirming = False
    if request.method == "POST" and form.is_valid():
        new_id = form.cleaned_data["new_unique_id"]
        if request.POST.get("confirm") == "yes":
            try:
                services.candidate_change_unique_id(
                    actor=request.user, candidate=candidate, new_unique_id=new_id, request=request
                )
            except ApplicationError as error:
                form.add_error("new_unique_id", error.message)
            else:
                messages.success(request, f"The unique ID is now {new_id}.")
                return redirect("centres:people:detail", number=centre.number, candidate_id=candidate.pk)
        elif unique_id_taken(centre=centre, unique_id=new_id, other_than=candidate):
            # Said at once, rather than after a confirmation of a change that cannot be made.
            form.add_error("new_unique_id", services.ID_TAKEN.format(unique_id=new_id))
        else:
            confirming = True
    return render(
        request,
        "people/candidate_change_id.html",
        {
            "centre": centre,
            "candidate": candidate,
            "form": form,
            "confirming": confirming,
        },
    )


@login_required
@require_POST
def candidate_set_active(request: HttpRequest, number: str, candidate_id: int) -> HttpResponse:
    centre = access_centre_by_number(actor=request.user, number=number, capability=Capability.MANAGE_CANDIDATES)
    candidate = access_candidate_by_id(centre=centre, candidate_id=candidate_id)
    active = request.POST.get("active") == "yes"
    services.candidate_set_active(actor=request.user, candidate=candidate, active=active, request=request)
    if active:
        messages.success(request, f"{candidate.full_name} is active again.")
    else:
        messages.success(
            request,
            f"{candidate.full_name} has been deactivated. Their records are kept; "
            "reactivate them from this page at any time.",
        )
    return redirect("centres:people:detail", number=centre.number, candidate_id=candidate.pk)
