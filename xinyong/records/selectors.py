"""Reads on credit records. Department scoping happens here, so no view can forget it."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from xinyong.accounts.permissions import has_permission
from xinyong.core.errors import NotFound
from xinyong.core.text import normalize_name

from .choices import RecordStatus
from .models import CreditRecord


def records_visible_to(viewer: Any) -> QuerySet[CreditRecord]:
    base = CreditRecord.objects.select_related("item", "subject", "provider")
    if has_permission(viewer, "records.view_all_records"):
        return base
    department = getattr(viewer, "department", None)
    if department is not None and has_permission(viewer, "records.view_department_records"):
        return base.filter(provider=department)
    return base.none()


def record_list(*, viewer: Any, filters: dict[str, str] | None = None) -> QuerySet[CreditRecord]:
    filters = filters or {}
    qs = records_visible_to(viewer)
    status = filters.get("status")
    qs = qs.filter(status=status) if status else qs.exclude(status=RecordStatus.DELETED)
    if filters.get("item"):
        qs = qs.filter(item__code=filters["item"])
    query = (filters.get("q") or "").strip()
    if query:
        qs = qs.filter(
            Q(document_no__icontains=query)
            | Q(subject__name_normalized__contains=normalize_name(query))
            | Q(subject__uscc=query.upper())
        )
    return qs.order_by("-updated_at", "-id")


def record_get(*, viewer: Any, pk: int) -> CreditRecord:
    record = records_visible_to(viewer).filter(pk=pk).first()
    if record is None:
        raise NotFound("未找到该信用记录。", code="record_not_found")
    return record
