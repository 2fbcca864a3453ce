"""Complaints (投诉) and litigation (诉讼) about records, tracked to their outcome."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from xinyong.accounts.permissions import require_permission
from xinyong.audit.services import audit_log
from xinyong.core.errors import InvalidTransition, Issue, ValidationFailed
from xinyong.records.models import CreditRecord

from ..choices import CaseStatus
from ..models import Complaint, Litigation

PERMISSION = "objections.handle_objection"


def _required(**values: str) -> None:
    labels = {"complainant": "投诉人", "content": "投诉内容", "court": "法院", "case_no": "案号", "outcome": "办理结果"}
    issues = [
        Issue(f"{name}_required", f"请填写{labels[name]}。", name)
        for name, value in values.items()
        if not value.strip()
    ]
    if issues:
        raise ValidationFailed(issues)


def complaint_register(
    *, actor: Any, complainant: str, contact: str, content: str, record: CreditRecord | None = None
) -> Complaint:
    require_permission(actor, PERMISSION, "您没有登记投诉的权限。")
    _required(complainant=complainant, content=content)
    with transaction.atomic():
        complaint = Complaint.objects.create(
            record=record,
            complainant=complainant.strip(),
            contact=contact.strip(),
            content=content.strip(),
            created_by=actor,
        )
        audit_log(
            actor=actor, action="complaint.register", obj=complaint, after={"record": getattr(record, "pk", None)}
        )
    return complaint


def complaint_close(*, actor: Any, complaint: Complaint, outcome: str, objection: Any = None) -> Complaint:
    require_permission(actor, PERMISSION, "您没有办理投诉的权限。")
    _required(outcome=outcome)
    with transaction.atomic():
        complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if complaint.status != CaseStatus.OPEN:
            raise InvalidTransition("该投诉已办结。")
        complaint.status, complaint.outcome, complaint.closed_at = CaseStatus.CLOSED, outcome.strip(), timezone.now()
        complaint.objection = objection
        complaint.save()
        audit_log(actor=actor, action="complaint.close", obj=complaint, after={"outcome": complaint.outcome})
    return complaint


def litigation_register(*, actor: Any, record: CreditRecord, court: str, case_no: str, filed_on: dt.date) -> Litigation:
    require_permission(actor, PERMISSION, "您没有登记诉讼的权限。")
    _required(court=court, case_no=case_no)
    with transaction.atomic():
        case = Litigation.objects.create(
            record=record, court=court.strip(), case_no=case_no.strip(), filed_on=filed_on, created_by=actor
        )
        audit_log(
            actor=actor, action="litigation.register", obj=case, after={"record": record.pk, "case_no": case.case_no}
        )
    return case


def litigation_close(*, actor: Any, case: Litigation, outcome: str) -> Litigation:
    require_permission(actor, PERMISSION, "您没有办理诉讼登记的权限。")
    _required(outcome=outcome)
    with transaction.atomic():
        case = Litigation.objects.select_for_update().get(pk=case.pk)
        if case.status != CaseStatus.OPEN:
            raise InvalidTransition("该诉讼已办结。")
        case.status, case.outcome, case.closed_at = CaseStatus.CLOSED, outcome.strip(), timezone.now()
        case.save()
        audit_log(actor=actor, action="litigation.close", obj=case, after={"outcome": case.outcome})
    return case
