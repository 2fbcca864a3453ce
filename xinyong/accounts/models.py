from __future__ import annotations

from django.contrib.auth.models import AbstractUser, Group
from django.db import models

from .choices import DepartmentKind, Role, TokenScope


class Department(models.Model):
    """A government unit: a provider of credit information, the platform manager, or a supervisor."""

    code = models.SlugField("单位代码", max_length=32, unique=True, help_text="简短英文代码，如 SCJGJ")
    name = models.CharField("单位名称", max_length=100, unique=True)
    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True, null=True, blank=True)
    kind = models.CharField("类型", max_length=16, choices=DepartmentKind.choices, default=DepartmentKind.PROVIDER)
    parent = models.ForeignKey(
        "self", verbose_name="上级单位", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    is_active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """Every staff user belongs to one department; roles are Groups named after Role values."""

    full_name = models.CharField("姓名", max_length=50, blank=True)
    department = models.ForeignKey(
        Department, verbose_name="所属单位", null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    phone = models.CharField("联系电话", max_length=20, blank=True)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def role_names(self) -> list[str]:
        return [g.name for g in self.groups.all()]

    def role_labels(self) -> list[str]:
        labels = dict(Role.choices)
        return [labels.get(name, name) for name in self.role_names]


class ApiToken(models.Model):
    """A department's API credential. The secret is shown once; only its SHA-256 is kept."""

    department = models.ForeignKey(
        Department, verbose_name="所属单位", on_delete=models.PROTECT, related_name="api_tokens"
    )
    name = models.CharField("用途说明", max_length=100)
    prefix = models.CharField("令牌前缀", max_length=12, unique=True)
    secret_hash = models.CharField(max_length=64)
    scopes = models.JSONField("权限范围", default=list)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField("有效期至", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"
        ordering = ["-created_at"]
        permissions = [("manage_api_tokens", "签发和吊销接口令牌")]

    def __str__(self) -> str:
        return f"{self.department.name} / {self.name} ({self.prefix})"

    def scope_labels(self) -> list[str]:
        labels = dict(TokenScope.choices)
        return [labels.get(s, s) for s in self.scopes]


__all__ = ["ApiToken", "Department", "Group", "User"]
