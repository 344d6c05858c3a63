from django.urls import path

from examdesk.sittings import views

app_name = "sittings"

urlpatterns = [
    path("credits/", views.credits, name="credits"),
    path("credits/allocate/", views.allocate, name="allocate"),
    path("credits/ledger.csv", views.ledger_export, name="ledger_export"),
    path("sittings/", views.sitting_list, name="list"),
    path("sittings/new/", views.sitting_new, name="new"),
    path("sittings/<int:sitting_id>/", views.sitting_detail, name="detail"),
    path("sittings/<int:sitting_id>/edit/", views.sitting_edit, name="edit"),
    path("sittings/<int:sitting_id>/slips.pdf", views.slips_pdf, name="slips"),
    path("sittings/<int:sitting_id>/codes.csv", views.codes_csv, name="codes_csv"),
    path("sittings/<int:sitting_id>/attempts/<int:attempt_id>/measures/", views.measures, name="measures"),
    path(
        "sittings/<int:sitting_id>/attempts/<int:attempt_id>/evidence/<str:measure_code>/",
        views.evidence,
        name="evidence",
    ),
    path("sittings/<int:sitting_id>/attempts/<int:attempt_id>/void/", views.void, name="void"),
]
