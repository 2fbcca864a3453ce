from __future__ import annotations

from typing import Any

from django.db import transaction

from xinyong.accounts.permissions import require_permission
from xinyong.audit.services import audit_log
from xinyong.core.errors import Issue, ValidationFailed

from .choices import FieldType, Required, Sensitivity
from .models import CatalogItem
from .seed import SEED_ITEMS


def catalog_seed(**_: Any) -> list[CatalogItem]:
    """Create the shipped catalogue items that are missing (never overwrites existing ones)."""
    created = []
    with transaction.atomic():
        for spec in SEED_ITEMS:
            if CatalogItem.objects.filter(code=spec["code"]).exists():
                continue
            item = CatalogItem.objects.create(subject_kinds=["法人及非法人组织", "自然人", "个体工商户"], **spec)
            audit_log(actor="system", action="catalog.seed", obj=item, after={"code": item.code, "name": item.name})
            created.append(item)
    return created


def validate_field_schema(fields: Any) -> list[Issue]:
    """Check a field schema as the platform edits it: codes unique, types and rules known."""
    issues: list[Issue] = []
    if not isinstance(fields, list) or not fields:
        return [Issue("schema_invalid", "字段定义应为非空列表。", "fields")]
    seen_codes: set[str] = set()
    seen_labels: set[str] = set()
    for index, spec in enumerate(fields, start=1):
        where = f"第 {index} 个字段"
        if not isinstance(spec, dict) or not spec.get("code") or not spec.get("label"):
            issues.append(Issue("schema_invalid", f"{where}缺少代码或名称。", "fields"))
            continue
        if spec["code"] in seen_codes or spec["label"] in seen_labels:
            issues.append(Issue("schema_duplicate", f"{where}（{spec['code']}）的代码或名称重复。", "fields"))
        seen_codes.add(spec["code"])
        seen_labels.add(spec["label"])
        if spec.get("type") not in FieldType.values:
            issues.append(
                Issue("schema_invalid", f"{where}（{spec['code']}）的类型“{spec.get('type')}”无效。", "fields")
            )
        if spec.get("required", Required.OPTIONAL) not in Required.values:
            issues.append(Issue("schema_invalid", f"{where}（{spec['code']}）的必填规则无效。", "fields"))
        if spec.get("sensitivity", Sensitivity.PUBLIC) not in Sensitivity.values:
            issues.append(Issue("schema_invalid", f"{where}（{spec['code']}）的敏感级别无效。", "fields"))
        if spec.get("type") in (FieldType.ENUM, FieldType.MULTI_ENUM) and not spec.get("enum"):
            issues.append(Issue("schema_invalid", f"{where}（{spec['code']}）是枚举类型，须列出可选值。", "fields"))
    return issues


def catalog_item_update(*, actor: Any, item: CatalogItem, changes: dict[str, Any]) -> CatalogItem:
    """Platform upkeep of a catalogue item; a changed field schema bumps the item's version."""
    require_permission(actor, "catalog.change_catalogitem")
    allowed = {
        "name",
        "fields",
        "disclosure",
        "public_basis",
        "requires_leadership_approval",
        "reporting_deadline_days",
        "severity_tiers",
        "is_active",
        "effective_from",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationFailed([Issue("unknown_field", f"不能修改：{'、'.join(sorted(unknown))}", None)])
    if "fields" in changes:
        issues = validate_field_schema(changes["fields"])
        if issues:
            raise ValidationFailed(issues)
    with transaction.atomic():
        item = CatalogItem.objects.select_for_update().get(pk=item.pk)
        before = {k: getattr(item, k) for k in changes}
        for key, value in changes.items():
            setattr(item, key, value)
        if "fields" in changes and changes["fields"] != before["fields"]:
            item.version += 1
        item.save()
        audit_log(
            actor=actor,
            action="catalog.update",
            obj=item,
            before=before,
            after={k: getattr(item, k) for k in changes} | {"version": item.version},
        )
    return item
