from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "xinyong.accounts"
    label = "accounts"
    verbose_name = "用户与单位"

    def ready(self) -> None:
        from . import signals

        # After every migrate (and every test-database flush), re-create the role groups.
        post_migrate.connect(signals.sync_roles, sender=self, dispatch_uid="xinyong.accounts.sync_roles")
