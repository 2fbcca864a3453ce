from __future__ import annotations

from typing import Any

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.dispatch import receiver

from xinyong.audit.services import audit_log

from .roles import ROLE_PERMISSIONS


def sync_roles(using: str = "default", **_: Any) -> None:
    """Make every role Group hold exactly the permissions of the role table (idempotent)."""
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    with transaction.atomic(using=using):
        for role, perms in ROLE_PERMISSIONS.items():
            group = Group.objects.using(using).get_or_create(name=str(role))[0]
            wanted = []
            for perm in perms:
                app_label, codename = perm.split(".")
                wanted.append(Permission.objects.using(using).get(content_type__app_label=app_label, codename=codename))
            group.permissions.set(wanted)


@receiver(user_logged_in)
def audit_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_log(actor=user, action="auth.login", obj=user)


@receiver(user_logged_out)
def audit_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_log(actor=user, action="auth.logout", obj=user)


@receiver(user_login_failed)
def audit_login_failed(sender: Any, credentials: dict, request: Any = None, **kwargs: Any) -> None:
    username = str(credentials.get("username", ""))[:150]
    audit_log(
        actor=f"anonymous:{username}", action="auth.login_failed", object_type="accounts.user", object_repr=username
    )
