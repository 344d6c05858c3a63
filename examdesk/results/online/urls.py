from django.urls import path

from examdesk.results.online import views

app_name = "online"

urlpatterns = [
    path("", views.home, name="home"),
    path("register/", views.register, name="register"),
    path("register/account/", views.register_account, name="register_account"),
    path("register/check-your-email/", views.register_sent, name="register_sent"),
    path("register/confirm/<str:token>/", views.register_confirm, name="register_confirm"),
    path("sign-in/", views.sign_in, name="sign_in"),
    path("forgotten-password/", views.forgotten_password, name="forgotten_password"),
    path("forgotten-password/sent/", views.forgotten_password_sent, name="forgotten_password_sent"),
    path("entries/<int:entry_id>/", views.entry_detail, name="entry"),
    path("entries/<int:entry_id>/statement.pdf", views.statement, name="statement"),
]
