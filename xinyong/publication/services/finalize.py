"""What happens at the last approval, and when a change request is refused."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from xinyong.audit.services import audit_log
from xinyong.records.choices import RecordStatus
from xinyong.records.models import CreditRecord, RecordVersion
from xinyong.records.services import record_transition

from .. import projection
from ..choices import ChangeKind, ChangeStatus
from ..models import ChangeRequest, PublicRecord, RecordPublicity
from ..policy import Outcome, decide
from .notices import correction_notice, withdrawal_notice

S = RecordStatus


def _save_publicity(record: CreditRecord, outcome: Outcome) -> None:
    RecordPublicity.objects.update_or_create(
        record=record,
        defaults={
            "is_public": outcome.is_public,
            "basis": outcome.basis,
            "not_public_reason": outcome.not_public_reason[:200],
            "rule": outcome.rule,
            "starts_on": outcome.starts_on,
            "repair_from": outcome.repair_from,
            "ends_on": outcome.ends_on,
        },
    )


def _close(change: ChangeRequest | None, status: str) -> None:
    if change is not None:
        change.status, change.decided_at = status, timezone.now()
        change.save(update_fields=["status", "decided_at"])


def _apply_removal(*, actor: Any, record: CreditRecord, change: ChangeRequest) -> None:
    target = S.WITHDRAWN if change.kind == ChangeKind.WITHDRAW else S.DELETED
    record_transition(actor=actor, record=record, target=target, action=change.kind, reason=change.reason)
    seen = projection.withdraw(record)
    if seen is not None:
        withdrawal_notice(record=record, seen=seen, reason=change.reason, kind=change.kind)
    _close(change, ChangeStatus.APPROVED)


def target_of(outcome: Outcome, today: dt.date) -> tuple[str, str]:
    """(status, action) the last approval leads to: expired, published or shared only."""
    if outcome.expired_on(today):
        return S.EXPIRED, "expire"
    return (S.PUBLISHED, "publish") if outcome.is_public else (S.SHARED_ONLY, "share_only")


def finalize(*, actor: Any, record: CreditRecord, today: dt.date) -> CreditRecord:
    """Publish, share only, or carry out an approved withdrawal/deletion; keep the public view in step."""
    change = ChangeRequest.objects.filter(record=record, status=ChangeStatus.OPEN).first()
    if change is not None and change.kind in (ChangeKind.WITHDRAW, ChangeKind.DELETE):
        _apply_removal(actor=actor, record=record, change=change)
        return record
    outcome = decide(record, today)
    _save_publicity(record, outcome)
    target, action = target_of(outcome, today)
    record_transition(actor=actor, record=record, target=target, action=action, reason=outcome.not_public_reason)
    reason = change.reason if change is not None else record.status_reason
    if target == S.PUBLISHED:
        before, now = projection.project(record, outcome)
        if before is not None and before.version != now.version:
            correction_notice(record=record, seen=before, now=now, reason=reason)
    else:
        seen = projection.withdraw(record)
        if seen is not None:
            correction_notice(record=record, seen=seen, now=None, reason=reason)
    _close(change, ChangeStatus.APPROVED)
    return record


def _restore_content(*, actor: Any, record: CreditRecord, version: int, reason: str) -> None:
    old = RecordVersion.objects.filter(record=record, version=version).order_by("-id").first()
    if old is None or old.version == record.version:
        return
    record.subject_id, record.data, record.protected = old.subject_id, old.data, old.protected
    record.document_no, record.decision_date = old.document_no, old.decision_date
    record.version += 1
    record.content_hash = record.raw_digest = ""
    record.save()
    RecordVersion.objects.create(
        record=record,
        version=record.version,
        action="restore",
        status=record.status,
        data=record.data,
        protected=record.protected,
        subject_id=record.subject_id,
        document_no=record.document_no,
        decision_date=record.decision_date,
        changed_by=actor,
        reason=reason,
    )


def change_reject(*, actor: Any, record: CreditRecord, change: ChangeRequest, reason: str) -> CreditRecord:
    """A refused correction/withdrawal: the record returns to what it was, the proposal stays archived."""
    if change.kind == ChangeKind.CORRECT:
        _restore_content(actor=actor, record=record, version=change.base_version, reason=f"更正未通过审核：{reason}")
    before = {"status": record.status}
    record.status, record.status_reason = change.previous_status, f"{change.get_kind_display()}申请未通过：{reason}"
    record.save(update_fields=["status", "status_reason", "updated_at"])
    _close(change, ChangeStatus.REJECTED)
    audit_log(
        actor=actor,
        action="record.change_rejected",
        obj=record,
        before=before,
        after={"status": record.status, "change": change.pk, "kind": change.kind, "reason": reason},
    )
    return record


def still_public(record: CreditRecord) -> bool:
    return PublicRecord.objects.filter(record=record).exists()
