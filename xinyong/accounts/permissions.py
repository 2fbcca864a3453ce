from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Permission

from xinyong.core.errors import PermissionDenied

_CACHE_ATTR = "_xinyong_role_perms"


def role_permissions(user: Any) -> frozenset[str]:
    """The permissions a user holds through its roles; cached on the user object for the request."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        rows = Permission.objects.filter(group__user=user).values_list("content_type__app_label", "codename")
        cached = frozenset(f"{app}.{code}" for app, code in rows)
        setattr(user, _CACHE_ATTR, cached)
    return cached


def has_permission(user: Any, perm: str) -> bool:
    return perm in role_permissions(user)


def require_permission(user: Any, perm: str, message: str = "您没有执行此操作的权限。") -> None:
    if not has_permission(user, perm):
        raise PermissionDenied(message)
