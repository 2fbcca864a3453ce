from __future__ import annotations

import importlib
from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def policy_seed(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """Re-create missing seeded policy rows after every migrate (and after a test database flush).

    The rows come from data migration 0002; its seed is idempotent and only adds what is missing,
    so rules edited by the platform are left as they are.
    """
    from django.apps import apps

    if not apps.get_model("publication", "PublicityRule")._default_manager.using(using).exists():
        importlib.import_module("xinyong.publication.migrations.0002_seed_policies").seed(apps, None)


class PublicationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "xinyong.publication"
    verbose_name = "审核与公示"

    def ready(self) -> None:
        post_migrate.connect(policy_seed, sender=self, dispatch_uid="xinyong.publication.policy_seed")
