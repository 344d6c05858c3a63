"""The centre switcher and the centre's menu, on every page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from examdesk.centres.models import Centre
from examdesk.centres.permissions import Capability, capabilities_at, is_board_staff
from examdesk.centres.selectors import centre_list_for_actor

SESSION_KEY = "current_centre"
# Menu items whose pages have pages below them, which keep the item highlighted.
SECTIONS_WITH_SUBPAGES = ("Candidates", "Results", "Results access", "Sittings", "Reports", "API keys")


def centre_switcher(request: HttpRequest) -> dict[str, Any]:
    """`switcher`, worked out only when a template reads it: the candidates' pages never do, so they pay
    none of its queries."""
    return {"switcher": SimpleLazyObject(lambda: _switcher(request))}


def _switcher(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    centres = list(centre_list_for_actor(actor=user).only("number", "name", "board_id", "kind"))
    match = getattr(request, "resolver_match", None)
    number = (match.kwargs.get("number") if match else None) or request.session.get(SESSION_KEY)
    current = next((c for c in centres if c.number == number), None)
    nav: list[dict[str, Any]] = []
    path = request.path
    if current is not None:
        granted = capabilities_at(user, current)
        items = [("Overview", reverse("centres:home", args=[current.number]), Capability.VIEW_CENTRE)]
        items.append(("Candidates", reverse("centres:people:list", args=[current.number]), Capability.VIEW_CANDIDATES))
        items.append(
            ("Results", reverse("centres:centre_results:list", args=[current.number]), Capability.VIEW_RESULTS)
        )
        url = reverse("centres:sittings:list", args=[current.number])
        items.append(("Sittings", url, Capability.VIEW_SITTINGS))
        items.append(("Reports", reverse("centres:reports:report", args=[current.number]), Capability.VIEW_SITTINGS))
        if current.kind == Centre.Kind.EXAM:
            url = reverse("centres:access:status", args=[current.number])
            items.append(("Results access", url, Capability.MANAGE_REGISTRATIONS))
        items.append(("Staff", reverse("centres:staff", args=[current.number]), Capability.MANAGE_STAFF))
        items.append(("Audit log", reverse("centres:audit:log", args=[current.number]), Capability.VIEW_AUDIT))
        items.append(("API keys", reverse("centres:api:keys", args=[current.number]), Capability.MANAGE_STAFF))
        for label, url, needed in items:
            if needed in granted:
                nav.append(
                    {
                        "label": label,
                        "url": url,
                        "active": path == url or (label in SECTIONS_WITH_SUBPAGES and path.startswith(url)),
                    }
                )
    if is_board_staff(user):
        url = reverse("centres:board_overview")
        nav.append({"label": "Board overview", "url": url, "active": path == url})
        url = reverse("centres:board_centres")
        nav.append(
            {
                "label": "All centres (board)",
                "url": url,
                "active": path.startswith(url) and path != reverse("centres:board_overview"),
            }
        )
        series_url = reverse("catalogue:series")
        catalogue_url = reverse("catalogue:qualifications")
        products_url = reverse("catalogue:products")
        on_series = path.startswith(series_url)
        on_products = path.startswith(products_url)
        nav.append(
            {
                "label": "Qualifications (board)",
                "url": catalogue_url,
                "active": path.startswith(catalogue_url)
                and not on_series
                and not on_products
                and "release-dates" not in path,
            }
        )
        nav.append({"label": "Series and release dates (board)", "url": series_url, "active": on_series})
        nav.append({"label": "Products (board)", "url": products_url, "active": on_products})
        files_url = reverse("results_files:upload")
        nav.append({"label": "Results files (board)", "url": files_url, "active": path.startswith(files_url)})
    return {"centres": centres, "current": current, "nav": nav}
