from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "xinyong.accounts"
    label = "accounts"
