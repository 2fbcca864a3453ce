from __future__ import annotations

import importlib
from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def time_limit_seed(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """Re-create the seeded time limits when the table is empty (after a test database flush)."""
    from django.apps import apps

    if not apps.get_model("objections", "TimeLimit")._default_manager.using(using).exists():
        importlib.import_module("xinyong.objections.migrations.0002_seed_time_limits").seed(apps, None)


class ObjectionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "xinyong.objections"
    verbose_name = "异议与信用修复"

    def ready(self) -> None:
        post_migrate.connect(time_limit_seed, sender=self, dispatch_uid="xinyong.objections.time_limit_seed")
