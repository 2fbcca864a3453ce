from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "xinyong.portal"
    label = "portal"
