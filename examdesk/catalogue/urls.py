from django.urls import path

from examdesk.catalogue import views, views_products

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
    path("products/", views_products.product_list, name="products"),
    path("products/upload/", views_products.products_upload, name="products_upload"),
    path("products/<int:pk>/", views_products.product_detail, name="product_detail"),
    path("products/<int:pk>/file/", views_products.product_file, name="product_file"),
    path("products/<int:pk>/active/", views_products.product_active, name="product_active"),
    path("products/<int:pk>/sections/<int:section_pk>/audio/", views_products.section_audio, name="section_audio"),
]
