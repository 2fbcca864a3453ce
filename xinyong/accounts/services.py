"""Writes about users, departments and API tokens. Each call is one transaction with its audit event."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone

from xinyong.audit.services import audit_log
from xinyong.core.errors import ApplicationError, Issue, NotFound, ValidationFailed

from .choices import Role, TokenScope
from .models import ApiToken, Department, User
from .permissions import require_permission

# Roles whose upkeep pages live in Django's admin site (the working-day calendar).
ADMIN_SITE_ROLES: frozenset[str] = frozenset({Role.PLATFORM_CLERK.value})
TOKEN_PREFIX = "xy"  # noqa: S105 - a public marker, not a secret


def _user_snapshot(user: User) -> dict[str, Any]:
    return {
        "username": user.username,
        "full_name": user.full_name,
        "is_active": user.is_active,
        "department": user.department.code if user.department else None,
        "roles": sorted(g.name for g in user.groups.all()),
    }


def user_create(
    *,
    actor: Any,
    username: str,
    password: str,
    full_name: str,
    department: Department | None,
    roles: list[str],
    email: str = "",
    check_actor: bool = True,
) -> User:
    if check_actor:
        require_permission(actor, "accounts.add_user")
    unknown = [r for r in roles if r not in Role.values]
    if unknown:
        raise ValidationFailed([Issue("unknown_role", f"未知角色：{'、'.join(unknown)}", "roles")])
    if User.objects.filter(username=username).exists():
        raise ValidationFailed([Issue("username_taken", f"用户名“{username}”已被使用。", "username")])
    user = User(
        username=username,
        full_name=full_name,
        department=department,
        email=email,
        is_staff=bool(ADMIN_SITE_ROLES & set(roles)),
    )
    try:
        validate_password(password, user)
    except DjangoValidationError as exc:
        raise ValidationFailed([Issue("weak_password", m, "password") for m in exc.messages]) from exc
    with transaction.atomic():
        user.set_password(password)
        user.save()
        user.groups.set(Group.objects.filter(name__in=roles))
        audit_log(actor=actor, action="user.create", obj=user, after=_user_snapshot(user))
    return user


def user_set_roles(*, actor: Any, user: User, roles: list[str]) -> User:
    require_permission(actor, "accounts.change_user")
    with transaction.atomic():
        before = _user_snapshot(user)
        user.is_staff = bool(ADMIN_SITE_ROLES & set(roles))
        user.save(update_fields=["is_staff"])
        user.groups.set(Group.objects.filter(name__in=roles))
        audit_log(actor=actor, action="user.set_roles", obj=user, before=before, after=_user_snapshot(user))
    return user


def _hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def api_token_create(
    *,
    actor: Any,
    department: Department,
    name: str,
    scopes: list[str],
    expires_at: Any = None,
) -> tuple[ApiToken, str]:
    """Create a token; the plaintext is returned once and never stored."""
    require_permission(actor, "accounts.manage_api_tokens")
    bad = [s for s in scopes if s not in TokenScope.values]
    if bad or not scopes:
        raise ValidationFailed([Issue("invalid_scope", f"无效的权限范围：{'、'.join(bad) or '（空）'}", "scopes")])
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            department=department,
            name=name,
            prefix=prefix,
            secret_hash=_hash_secret(secret),
            scopes=sorted(scopes),
            created_by=actor,
            expires_at=expires_at,
        )
        audit_log(
            actor=actor,
            action="api_token.create",
            obj=token,
            department=department,
            after={"name": name, "prefix": prefix, "scopes": sorted(scopes)},
        )
    return token, f"{TOKEN_PREFIX}_{prefix}_{secret}"


def api_token_revoke(*, actor: Any, token: ApiToken) -> ApiToken:
    require_permission(actor, "accounts.manage_api_tokens")
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            audit_log(
                actor=actor,
                action="api_token.revoke",
                obj=token,
                department=token.department,
                after={"prefix": token.prefix},
            )
    return token


class TokenRejected(ApplicationError):
    def __init__(self, code: str, message: str, status: int = 401) -> None:
        super().__init__(code=code, message=message, status=status)


def api_token_authenticate(raw: str, *, scope: str, endpoint: str = "") -> ApiToken:
    """Resolve a presented token; every accepted use is audited."""
    parts = (raw or "").split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
        raise TokenRejected("token_malformed", "访问令牌格式不正确。")
    token = ApiToken.objects.select_related("department").filter(prefix=parts[1]).first()
    if token is None or not hmac.compare_digest(token.secret_hash, _hash_secret(parts[2])):
        raise TokenRejected("token_invalid", "访问令牌无效。")
    now = timezone.now()
    if token.revoked_at is not None:
        raise TokenRejected("token_revoked", "访问令牌已被吊销。")
    if token.expires_at is not None and token.expires_at <= now:
        raise TokenRejected("token_expired", "访问令牌已过期。")
    if scope and scope not in token.scopes:
        raise TokenRejected("token_scope", f"访问令牌没有“{dict(TokenScope.choices).get(scope, scope)}”权限。", 403)
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        audit_log(
            actor=f"token:{token.prefix}",
            action="api_token.use",
            obj=token,
            department=token.department,
            after={"scope": scope, "endpoint": endpoint},
        )
    return token


def department_get(code: str) -> Department:
    department = Department.objects.filter(code=code).first()
    if department is None:
        raise NotFound(f"单位“{code}”不存在。", code="department_not_found")
    return department
