"""Reads on objections, repairs, complaints and litigation. Department scoping happens here: platform
clerks and supervisors see every case, a provider's reviewer only its own department's; anyone else
gets 404 (missing and forbidden look the same)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from xinyong.accounts.permissions import has_permission
from xinyong.audit.services import audit_log
from xinyong.core.calendar import WorkdaysUntil
from xinyong.core.errors import NotFound
from xinyong.publication.models import PublicRecord

from .choices import ObjectionStatus, Step
from .models import Complaint, Evidence, Litigation, Objection, ObjectionRecord, RepairApplication
from .services.overdue import STEPS, overdue_objections

VIEW_ALL = "objections.view_all_objections"
DECIDE = "objections.decide_objection"
HANDLE = "objections.handle_objection"


def _scope(viewer: Any) -> Q | None:
    """Q() for everything, a department filter for a reviewer, None for anyone else."""
    if has_permission(viewer, VIEW_ALL):
        return Q()
    department_id = getattr(viewer, "department_id", None)
    if department_id is not None and has_permission(viewer, DECIDE):
        return Q(provider_id=department_id)
    return None


def can_view_cases(viewer: Any) -> bool:
    return _scope(viewer) is not None


def objections_visible_to(viewer: Any) -> QuerySet[Objection]:
    scope = _scope(viewer)
    if scope is None:
        raise NotFound("未找到该页面。", code="objections_not_visible")
    return Objection.objects.filter(scope).select_related("provider", "applicant", "subject")


def objection_list(*, viewer: Any, filters: dict[str, str] | None = None) -> QuerySet[Objection]:
    filters = filters or {}
    qs = objections_visible_to(viewer)
    if filters.get("status") in ObjectionStatus.values:
        qs = qs.filter(status=filters["status"])
    if filters.get("overdue"):
        qs = qs.filter(pk__in=overdue_objections().values("pk"))
    return qs.order_by("-created_at", "-id")


def objection_get(*, viewer: Any, pk: int) -> Objection:
    objection = objections_visible_to(viewer).filter(pk=pk).first()
    if objection is None:
        raise NotFound("未找到该异议。", code="objection_not_found")
    return objection


def overdue_list(*, viewer: Any) -> QuerySet[Objection]:
    scope = _scope(viewer)
    if scope is None:
        raise NotFound("未找到该页面。", code="objections_not_visible")
    return overdue_objections().filter(scope).select_related("subject").order_by("overdue_since", "id")


@dataclass(frozen=True)
class StepDue:
    """The step an open objection waits for, its due date and the working days left (negative: late)."""

    step: str
    label: str
    due: dt.date
    days_left: int
    overdue: bool


def days_left_counter(today: dt.date, dues: Iterable[dt.date]) -> Callable[[dt.date], int]:
    """Working days from `today` to each due date (negative once past), with one calendar query for all:
    the days in (today, due] are the days in (today, end] minus those in (due, end]."""
    dates = [today, *dues]
    until = WorkdaysUntil(max(dates), min(dates) - dt.timedelta(days=1))
    from_today = until(today).days
    return lambda due: from_today - until(due).days


def current_step(
    objection: Objection, today: dt.date | None = None, days_left: Callable[[dt.date], int] | None = None
) -> StepDue | None:
    found = STEPS.get(ObjectionStatus(objection.status)) if objection.status in ObjectionStatus.values else None
    if found is None:
        return None
    step, due_field = found
    today = today or timezone.localdate()
    due: dt.date = getattr(objection, due_field)
    left = (days_left or days_left_counter(today, [due]))(due)
    return StepDue(step, Step(step).label, due, left, objection.overdue_step == step or due < today)


def objection_rows(objections: Iterable[Objection], today: dt.date | None = None) -> list[dict[str, Any]]:
    """List rows: each case with its current step (one calendar query for the whole page)."""
    today = today or timezone.localdate()
    cases = list(objections)
    counter = days_left_counter(today, [d for o in cases for d in (o.accept_due, o.forward_due, o.decide_due)])
    return [{"case": o, "step": current_step(o, today, counter)} for o in cases]


def step_table(objection: Objection, today: dt.date | None = None) -> list[dict[str, Any]]:
    """Every step with its due date, when it was done, and the working days left for the open one."""
    today = today or timezone.localdate()
    done = {Step.ACCEPT: objection.accepted_on, Step.FORWARD: objection.forwarded_on, Step.DECIDE: objection.decided_on}
    dues = {Step.ACCEPT: objection.accept_due, Step.FORWARD: objection.forward_due, Step.DECIDE: objection.decide_due}
    now = current_step(objection, today)
    return [
        {
            "label": step.label,
            "due": dues[step],
            "done_on": done[step],
            "current": now if now is not None and now.step == step else None,
        }
        for step in Step
    ]


def public_records_for(record_ids: list[int], today: dt.date | None = None) -> list[PublicRecord]:
    """The public records a visitor chose (public projection only, within their publicity window)."""
    today = today or timezone.localdate()
    in_window = Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    return list(PublicRecord.objects.filter(in_window, record_id__in=record_ids).order_by("-decision_date"))


def _repair_scope(viewer: Any) -> Q:
    if has_permission(viewer, VIEW_ALL):
        return Q()
    if _scope(viewer) is None:
        raise NotFound("未找到该页面。", code="repairs_not_visible")
    return Q(record__provider_id=viewer.department_id)


def repair_list(*, viewer: Any, status: str = "") -> QuerySet[RepairApplication]:
    qs = RepairApplication.objects.filter(_repair_scope(viewer)).select_related(
        "record__item", "record__subject", "record__provider", "applicant"
    )
    return qs.filter(status=status) if status else qs


def repair_get(*, viewer: Any, pk: int) -> RepairApplication:
    application = repair_list(viewer=viewer).filter(pk=pk).first()
    if application is None:
        raise NotFound("未找到该信用修复申请。", code="repair_not_found")
    return application


def _cases_allowed(viewer: Any) -> None:
    if not (has_permission(viewer, HANDLE) or has_permission(viewer, VIEW_ALL)):
        raise NotFound("未找到该页面。", code="cases_not_visible")


def complaint_list(*, viewer: Any) -> QuerySet[Complaint]:
    _cases_allowed(viewer)
    return Complaint.objects.select_related("record", "objection", "created_by")


def litigation_list(*, viewer: Any) -> QuerySet[Litigation]:
    _cases_allowed(viewer)
    return Litigation.objects.select_related("record", "created_by")


def evidence_open(*, viewer: Any, pk: int) -> Evidence:
    """An evidence file for staff who may see its case; the read is audited (it may hold personal data)."""
    evidence = Evidence.objects.select_related("raw_file").filter(pk=pk).first()
    visible = evidence is not None and (
        (evidence.objection_id and objections_visible_to(viewer).filter(pk=evidence.objection_id).exists())
        or (evidence.repair_id and repair_list(viewer=viewer).filter(pk=evidence.repair_id).exists())
    )
    if evidence is None or not visible:
        raise NotFound("未找到该材料。", code="evidence_not_found")
    audit_log(actor=viewer, action="evidence.download", obj=evidence)
    return evidence


def objection_flags(record_ids: Iterable[int]) -> dict[int, str]:
    """record id → tracking number, for records under an accepted objection (shown as 异议处理中 to staff
    and government users, as the public projection's flag shows it to the public)."""
    flagged = (ObjectionStatus.ACCEPTED, ObjectionStatus.FORWARDED)
    rows = ObjectionRecord.objects.filter(record_id__in=list(record_ids), is_open=True, objection__status__in=flagged)
    return dict(rows.values_list("record_id", "objection__tracking_no"))
