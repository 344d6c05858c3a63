from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "examdesk.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        # Django's own last_login receiver, replaced by one that leaves the outbox's sign-ins to the outbox
        # (examdesk.accounts.sign_in_events); django.contrib.auth, earlier in INSTALLED_APPS, has connected it.
        from django.contrib.auth.signals import user_logged_in

        from examdesk.accounts.sign_in_events import last_login_update

        user_logged_in.disconnect(dispatch_uid="update_last_login")
        user_logged_in.connect(last_login_update, dispatch_uid="examdesk_last_login_update")
