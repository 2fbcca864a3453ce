"""The policy tables are data the platform edits (DESIGN.md §6): publicity rules and non-publication rules.

Every change is audited; rules are never deleted (end one with `effective_to` and add its successor),
because a record is judged by the rules in force on its decision date.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.forms import model_to_dict
from django.http import HttpRequest

from xinyong.audit.services import audit_log

from .models import ExclusionRule, PublicityRule


class AuditedPolicyAdmin(admin.ModelAdmin[Any]):
    def save_model(self, request: HttpRequest, obj: models.Model, form: Any, change: bool) -> None:
        before = model_to_dict(type(obj)._default_manager.get(pk=obj.pk)) if change else None
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit_log(
                actor=request.user,
                action=f"policy.{'edit' if change else 'add'}",
                obj=obj,
                before=before,
                after=model_to_dict(obj),
            )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PublicityRule)
class PublicityRuleAdmin(AuditedPolicyAdmin):
    list_display = [
        "item_code",
        "tier",
        "effective_from",
        "effective_to",
        "published",
        "repair_after_months",
        "ends_after_months",
        "valid_until_field",
        "basis",
    ]
    list_filter = ["item_code", "tier", "published"]


@admin.register(ExclusionRule)
class ExclusionRuleAdmin(AuditedPolicyAdmin):
    list_display = ["item_code", "field_code", "equals", "provider_code", "effective_from", "effective_to", "reason"]
    list_filter = ["item_code"]
