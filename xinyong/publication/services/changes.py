"""Correcting, withdrawing or deleting an approved record: a change request through the same review."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from xinyong.accounts.permissions import require_permission
from xinyong.audit.services import audit_log
from xinyong.core.errors import InvalidTransition, Issue, ValidationFailed
from xinyong.records.choices import RecordStatus
from xinyong.records.models import CreditRecord
from xinyong.records.services import RecordResult, record_lock_own, record_revise, record_transition

from ..choices import ChangeKind, ChangeStatus
from ..models import ChangeRequest

CHANGEABLE = frozenset({RecordStatus.PUBLISHED, RecordStatus.SHARED_ONLY})


def _open(
    *, actor: Any, record: CreditRecord, kind: str, reason: str, permission: str = "records.submit_record"
) -> tuple[CreditRecord, ChangeRequest]:
    require_permission(actor, permission, "您没有申请更正或撤销信用记录的权限。")
    if not reason.strip():
        raise ValidationFailed([Issue("reason_required", "请填写原因。", "reason")])
    locked = record_lock_own(actor, record)
    if locked.status not in CHANGEABLE:
        raise InvalidTransition(
            f"记录当前状态为“{locked.get_status_display()}”，只有已公示或仅政务共享的记录可以申请{ChangeKind(kind).label}。"
        )
    if ChangeRequest.objects.filter(record=locked, status=ChangeStatus.OPEN).exists():
        raise InvalidTransition("该记录已有一项正在审核的变更申请。", code="change_already_open")
    change = ChangeRequest.objects.create(
        record=locked,
        kind=kind,
        reason=reason.strip(),
        previous_status=locked.status,
        base_version=locked.version,
        requested_by=actor,
    )
    audit_log(actor=actor, action=f"change.{kind}", obj=locked, after={"change": change.pk, "reason": change.reason})
    return locked, change


def record_request_correction(
    *,
    actor: Any,
    record: CreditRecord,
    fields: dict[str, Any],
    reason: str,
    today: dt.date | None = None,
    permission: str = "records.submit_record",
) -> RecordResult:
    """New content for an approved record. The public keeps seeing the old one until it is approved.

    `permission`: the provider clerk's right by default; a reviewer deciding an objection "corrected"
    passes `objections.decide_objection`.
    """
    with transaction.atomic():
        locked, change = _open(
            actor=actor, record=record, kind=ChangeKind.CORRECT, reason=reason, permission=permission
        )
        result = record_revise(
            actor=actor, record=locked, fields=fields, reason=change.reason, today=today, permission=permission
        )
        record_transition(
            actor=actor, record=locked, target=RecordStatus.SUBMITTED, action="submit_correction", reason=change.reason
        )
    return result


def record_request_removal(*, actor: Any, record: CreditRecord, kind: str, reason: str) -> ChangeRequest:
    """Ask to withdraw (revoked decision) or delete an approved record; it stays public until approved."""
    if kind not in (ChangeKind.WITHDRAW, ChangeKind.DELETE):
        raise ValidationFailed([Issue("change_kind_invalid", "申请类型只能是撤销或删除。", "kind")])
    with transaction.atomic():
        locked, change = _open(actor=actor, record=record, kind=kind, reason=reason)
        record_transition(
            actor=actor, record=locked, target=RecordStatus.SUBMITTED, action=f"submit_{kind}", reason=change.reason
        )
    return change
