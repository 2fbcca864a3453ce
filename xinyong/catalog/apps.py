from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "xinyong.catalog"
    label = "catalog"
