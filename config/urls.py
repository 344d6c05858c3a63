from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from examdesk.api.site import api
from examdesk.core import views as core_views

urlpatterns = [
    path("", include("examdesk.root.urls")),
    path("healthz", core_views.healthz, name="healthz"),
    path("account/", include("examdesk.accounts.urls")),
    path("centres/", include("examdesk.centres.urls")),
    path("jobs/", include("examdesk.jobs.urls")),
    path("catalogue/", include("examdesk.catalogue.urls")),
    path("board/results-files/", include("examdesk.results.files.urls")),
    path("results/", include("examdesk.results.online.urls")),
    path("verify/", include("examdesk.results.verification.urls")),
    path("code/", include("examdesk.player.urls")),
    # Django's JavaScript catalogue: gettext(), ngettext() and interpolate() for the player's scripts.
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

handler404 = "examdesk.core.views.error_404"
handler403 = "examdesk.core.views.error_403"
handler500 = "examdesk.core.views.error_500"
