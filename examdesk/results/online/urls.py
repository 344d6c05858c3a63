from django.urls import include, path

from examdesk.results.online import views

app_name = "online"

registration_pages = [
    path("", views.register, name="register"),
    path("account/", views.register_account, name="register_account"),
    path("check-your-email/", views.register_sent, name="register_sent"),
    path("confirm/<str:token>/", views.register_confirm, name="register_confirm"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("register/", include(registration_pages)),
    path("sign-in/", views.sign_in, name="sign_in"),
    path("forgotten-password/", views.forgotten_password, name="forgotten_password"),
    path("forgotten-password/sent/", views.forgotten_password_sent, name="forgotten_password_sent"),
    path("entries/<int:entry_id>/", views.entry_detail, name="entry"),
    path("entries/<int:entry_id>/statement.pdf", views.statement, name="statement"),
]
