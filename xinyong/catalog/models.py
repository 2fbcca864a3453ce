from __future__ import annotations

from typing import Any

from django.db import models

from .choices import Disclosure, Domain


class CatalogItem(models.Model):
    """A category of credit information (信息类别) with its field schema and publication rules.

    `fields` is a list of field specs: {code, label, type, required, enum?, max_length?, sensitivity,
    required_if?, help?}. `field_roles` names the fields that carry the subject, the document number
    and the decision date. Catalogue versions are dated by `effective_from` and `version`.
    """

    code = models.CharField("目录代码", max_length=16, unique=True)
    name = models.CharField("信息类别", max_length=100)
    domain = models.CharField("基础目录类别", max_length=16, choices=Domain.choices)
    subject_kinds = models.JSONField("适用主体类别", default=list)
    fields = models.JSONField("字段", default=list)
    field_roles = models.JSONField("关键字段", default=dict)
    disclosure = models.CharField("公开属性", max_length=16, choices=Disclosure.choices)
    severity_tiers = models.JSONField("失信严重程度分级", default=list, blank=True)
    requires_leadership_approval = models.BooleanField("需领导小组审批", default=False)
    public_basis = models.TextField(
        "公开依据", blank=True, help_text="已通过政府渠道公开或法律法规要求公开的依据；为空则仅政务共享"
    )
    reporting_deadline_days = models.PositiveSmallIntegerField("报送时限（工作日）", default=7)
    providers = models.ManyToManyField(
        "accounts.Department", verbose_name="报送单位", blank=True, related_name="catalog_items"
    )
    version = models.PositiveIntegerField("版本", default=1)
    effective_from = models.DateField("生效日期", null=True, blank=True)
    is_active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "目录项"
        verbose_name_plural = "信用信息目录"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def field_map(self) -> dict[str, dict[str, Any]]:
        return {spec["code"]: spec for spec in self.fields}

    def role(self, name: str) -> str:
        return str(self.field_roles.get(name) or "")
