from django.urls import include, path

from examdesk.catalogue import views

app_name = "catalogue"

urlpatterns = [
    path("", views.qualification_list, name="qualifications"),
    path("qualifications/new/", views.qualification_create, name="qualification_create"),
    path("qualifications/upload/", views.qualifications_upload, name="qualifications_upload"),
    path("qualifications/<int:pk>/", views.qualification_detail, name="qualification_detail"),
    path("qualifications/<int:pk>/edit/", views.qualification_edit, name="qualification_edit"),
    path("qualifications/<int:pk>/file/", views.qualification_file, name="qualification_file"),
    path("series/", views.series_list, name="series"),
    path("series/new/", views.series_create, name="series_create"),
    path("series/<int:pk>/edit/", views.series_edit, name="series_edit"),
    path("series/<int:pk>/releases/", views.series_releases, name="series_releases"),
    path("release-dates/", views.release_dates, name="release_dates"),
    path("products/", include("examdesk.catalogue.products.urls")),
]
