from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "xinyong.records"
    label = "records"
