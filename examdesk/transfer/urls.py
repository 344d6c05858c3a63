from django.urls import path

from examdesk.transfer import views

app_name = "transfer"

urlpatterns = [
    path("import/", views.import_start, name="import"),
    path("import/<uuid:batch_id>/", views.import_preview, name="preview"),
    path("export/", views.export, name="export"),
    path("template/<str:kind>/", views.template_download, name="template"),
]
