from django.urls import URLPattern, URLResolver, include, path

from examdesk.sittings import views

app_name = "sittings"

credit_pages = [
    path("", views.credits, name="credits"),
    path("allocate/", views.allocate, name="allocate"),
    path("ledger.csv", views.ledger_export, name="ledger_export"),
]

# One candidate's attempt in a sitting.
attempt_pages = [
    path("measures/", views.measures, name="measures"),
    path("evidence/<str:measure_code>/", views.evidence, name="evidence"),
    path("void/", views.void, name="void"),
]

sitting_pages: list[URLPattern | URLResolver] = [
    path("", views.sitting_detail, name="detail"),
    path("edit/", views.sitting_edit, name="edit"),
    path("slips.pdf", views.slips_pdf, name="slips"),
    path("codes.csv", views.codes_csv, name="codes_csv"),
    path("attempts/<int:attempt_id>/", include(attempt_pages)),
]

urlpatterns = [
    path("credits/", include(credit_pages)),
    path("sittings/", views.sitting_list, name="list"),
    path("sittings/new/", views.sitting_new, name="new"),
    path("sittings/<int:sitting_id>/", include(sitting_pages)),
]
