"""The overview pages, which centres/urls.py includes by name (the overview reads apps that centres may not import):
/centres/board/overview/ is "centres:board_overview" and /centres/<number>/ is "centres:home"."""

from django.urls import path

from examdesk.reports import views

urlpatterns = [
    path("board/overview/", views.board_overview, name="board_overview"),
    path("<str:number>/", views.centre_overview, name="home"),
]
