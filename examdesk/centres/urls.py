from django.urls import URLPattern, URLResolver, include, path

from examdesk.centres import views

app_name = "centres"

board_pages: list[URLPattern | URLResolver] = [
    path("", views.board_centres, name="board_centres"),
    path("new/", views.board_centre_create, name="board_centre_create"),
    path("new/time-zones/", views.board_centre_time_zones, name="board_centre_time_zones"),
    path("<str:number>/edit/", views.board_centre_edit, name="board_centre_edit"),
    path("api-keys/", include("examdesk.api.board_urls")),
]

staff_pages = [
    path("", views.staff, name="staff"),
    path("invite/", views.staff_invite, name="staff_invite"),
    path("<int:user_id>/unlock/", views.staff_unlock, name="staff_unlock"),
    path("<int:user_id>/two-step/reset/", views.staff_second_factor_reset, name="staff_second_factor_reset"),
    path("roles/<int:membership_id>/remove/", views.membership_remove, name="membership_remove"),
    path("invitations/<int:invitation_id>/withdraw/", views.invitation_revoke, name="invitation_revoke"),
]

urlpatterns = [
    path("switch/", views.switch_centre, name="switch"),
    path("board/", include(board_pages)),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("", include("examdesk.reports.overview_urls")),  # the centre's overview (home) and the board's
    path("<str:number>/staff/", include(staff_pages)),
    path("<str:number>/audit/", include("examdesk.centres.audit_log.urls")),
    path("<str:number>/candidates/", include("examdesk.people.urls")),
    path("<str:number>/candidates/", include("examdesk.transfer.urls")),
    path("<str:number>/results/", include("examdesk.results.centre.urls")),
    path("<str:number>/results-access/", include("examdesk.access.urls")),
    path("<str:number>/", include("examdesk.sittings.urls")),
    path("<str:number>/sittings/<int:sitting_id>/", include("examdesk.marking.urls")),
    path("<str:number>/sittings/<int:sitting_id>/console/", include("examdesk.player.console.urls")),
    path("<str:number>/reports/", include("examdesk.reports.urls")),
    path("<str:number>/api-keys/", include("examdesk.api.urls")),
]
