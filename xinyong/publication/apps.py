from django.apps import AppConfig


class PublicationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "xinyong.publication"
    verbose_name = "审核与公示"
