"""The audit log's filters: an action (or a group of actions) by its Chinese label, an actor, a date range."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from xinyong.audit.labels import ACTION_GROUPS, ACTION_LABELS
from xinyong.audit.models import AuditEvent

FILTERS = ("action", "actor", "date_from", "date_to")


def _action_q(value: str) -> Q | None:
    if value.startswith("group:") and value[6:] in ACTION_GROUPS:
        q = Q()
        for code in ACTION_GROUPS[value[6:]][1]:
            q |= Q(action__startswith=code) if code.endswith((".", "_")) else Q(action=code)
        return q
    if value in ACTION_LABELS:
        return Q(action=value)
    return None


def _day(value: str, label: str, errors: list[str]) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        errors.append(f"{label}“{value[:20]}”不是有效日期，请按 2026-12-08 的格式填写；已忽略该条件。")
        return None


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def audit_filtered(params: Mapping[str, Any]) -> tuple[QuerySet[AuditEvent], dict[str, str], list[str]]:
    """The events matching the filters, newest first; the filters as given; what could not be used and why."""
    filters = {k: str(params.get(k, "")).strip()[:100] for k in FILTERS}
    errors: list[str] = []
    events = AuditEvent.objects.select_related("department").order_by("-seq")
    if filters["action"]:
        q = _action_q(filters["action"])
        if q is None:
            errors.append("所选操作不存在，已忽略该条件。")
            filters["action"] = ""
        else:
            events = events.filter(q)
    if filters["actor"]:
        events = events.filter(actor_label__icontains=filters["actor"])
    first = _day(filters["date_from"], "起始日期", errors)
    last = _day(filters["date_to"], "截止日期", errors)
    if first and last and first > last:
        errors.append("起始日期晚于截止日期，没有符合条件的事件。")
    if first:
        events = events.filter(occurred_at__gte=_start_of(first))
    if last:
        events = events.filter(occurred_at__lt=_start_of(last + dt.timedelta(days=1)))
    return events, filters, errors
