from django.urls import path

from examdesk.accounts import views
from examdesk.accounts.language import language_switch
from examdesk.accounts.second_factor import views as second_factor

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change_view, name="password_change"),
    path("password-reset/", views.password_reset_request_view, name="password_reset"),
    path("password-reset/sent/", views.password_reset_sent_view, name="password_reset_sent"),
    path("reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("reset/done/", views.password_reset_complete_view, name="password_reset_complete"),
    path("two-step/", second_factor.manage, name="second_factor"),
    path("two-step/set-up/", second_factor.enrol, name="second_factor_enrol"),
    path("two-step/recovery-codes/", second_factor.recovery_codes, name="second_factor_codes"),
    path("two-step/recovery-codes/new/", second_factor.recovery_codes_renew, name="second_factor_codes_renew"),
    path("two-step/turn-off/", second_factor.remove, name="second_factor_remove"),
    path("language/", language_switch, name="language"),
    path("two-step/code/", second_factor.challenge, name="second_factor_challenge"),
]
