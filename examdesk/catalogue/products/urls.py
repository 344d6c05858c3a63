"""Mounted by catalogue/urls.py at products/, in the "catalogue" namespace (names unchanged: catalogue:products…)."""

from django.urls import path

from examdesk.catalogue.products import views

urlpatterns = [
    path("", views.product_list, name="products"),
    path("upload/", views.products_upload, name="products_upload"),
    path("<int:pk>/", views.product_detail, name="product_detail"),
    path("<int:pk>/file/", views.product_file, name="product_file"),
    path("<int:pk>/active/", views.product_active, name="product_active"),
    path("<int:pk>/sections/<int:section_pk>/audio/", views.section_audio, name="section_audio"),
]
