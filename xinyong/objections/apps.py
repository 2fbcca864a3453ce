from django.apps import AppConfig


class ObjectionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "xinyong.objections"
    verbose_name = "异议与信用修复"
