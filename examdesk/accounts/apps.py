from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "examdesk.accounts"
    label = "accounts"
    verbose_name = "Accounts"
