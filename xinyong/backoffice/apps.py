from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "xinyong.backoffice"
    label = "backoffice"
