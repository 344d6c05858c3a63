"""The Django admin, for board staff only, signing in through Examdesk's own sign-in page."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode


class BoardAdminSite(admin.AdminSite):
    site_header = "Examdesk board administration"
    site_title = "Examdesk admin"

    def has_permission(self, request: HttpRequest) -> bool:
        from examdesk.centres.permissions import is_board_staff

        user: Any = request.user
        return bool(user.is_active and user.is_staff and is_board_staff(user))

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        target = request.GET.get("next") or reverse("admin:index")
        return redirect(f"{reverse('accounts:login')}?{urlencode({'next': target})}")


class BoardAdminConfig(AdminConfig):
    default_site = "examdesk.root.admin_site.BoardAdminSite"
