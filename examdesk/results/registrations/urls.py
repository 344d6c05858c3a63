"""Results Online registration letters, for a whole series or one candidate (under /centres/<number>/results/)."""

from django.urls import path

from examdesk.results.registrations import views

urlpatterns = [
    path("letters/", views.series_letters, name="series_letters"),
    path("candidates/<int:candidate_id>/letter/", views.letter, name="letter"),
    path("candidates/<int:candidate_id>/secret/", views.secret_reissue, name="secret_reissue"),
    path("candidates/<int:candidate_id>/email/", views.email_correct, name="email_correct"),
]
