from django.urls import include, path

from examdesk.catalogue import views

app_name = "catalogue"

qualification_pages = [
    path("new/", views.qualification_create, name="qualification_create"),
    path("upload/", views.qualifications_upload, name="qualifications_upload"),
    path("<int:pk>/", views.qualification_detail, name="qualification_detail"),
    path("<int:pk>/edit/", views.qualification_edit, name="qualification_edit"),
    path("<int:pk>/file/", views.qualification_file, name="qualification_file"),
]

series_pages = [
    path("", views.series_list, name="series"),
    path("new/", views.series_create, name="series_create"),
    path("<int:pk>/edit/", views.series_edit, name="series_edit"),
    path("<int:pk>/releases/", views.series_releases, name="series_releases"),
]

urlpatterns = [
    path("", views.qualification_list, name="qualifications"),
    path("qualifications/", include(qualification_pages)),
    path("series/", include(series_pages)),
    path("release-dates/", views.release_dates, name="release_dates"),
    path("products/", include("examdesk.catalogue.products.urls")),
]
