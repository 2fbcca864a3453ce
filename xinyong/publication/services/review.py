"""The review chain (Articles 8 and 10): provider reviewer, platform, and leadership where required.

The last approval publishes the record, keeps it for government sharing only (Article 11), or
carries out an approved withdrawal or deletion. A rejection returns a new submission to draft, and
a change request to the state the record had before it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from xinyong.accounts.permissions import has_permission, require_permission
from xinyong.core.errors import InvalidTransition, Issue, NotFound, ValidationFailed
from xinyong.notifications.workflow import notify_record_returned
from xinyong.records.choices import RecordStatus
from xinyong.records.models import CreditRecord
from xinyong.records.services import record_transition

from ..choices import ReviewDecision, ReviewStage
from ..models import BulkReview, ChangeRequest, RecordReview
from .finalize import change_reject, finalize

S = RecordStatus

# stage → (status waiting for it, status after approval, permission)
STAGES: dict[str, tuple[str, str, str]] = {
    ReviewStage.PROVIDER: (S.SUBMITTED, S.PROVIDER_APPROVED, "records.review_as_provider"),
    ReviewStage.PLATFORM: (S.PROVIDER_APPROVED, S.PLATFORM_APPROVED, "records.review_as_platform"),
    ReviewStage.LEADERSHIP: (S.PLATFORM_APPROVED, S.LEADERSHIP_APPROVED, "records.approve_as_leadership"),
}


def stage_of(record: CreditRecord) -> str | None:
    """Which review the record is waiting for, if any."""
    if record.status == S.PLATFORM_APPROVED and not record.item.requires_leadership_approval:
        return None
    return next((stage for stage, (waiting, _, _) in STAGES.items() if waiting == record.status), None)


def stages_of(actor: Any) -> list[str]:
    """The review stages the actor may act at."""
    return [stage for stage, (_, _, perm) in STAGES.items() if has_permission(actor, perm)]


def _lock_for_review(actor: Any, record: CreditRecord) -> tuple[CreditRecord, str]:
    locked = (
        CreditRecord.objects.select_for_update()
        .select_related("item", "subject", "provider")
        .filter(pk=record.pk)
        .first()
    )
    if locked is None:
        raise NotFound("未找到该信用记录。", code="record_not_found")
    stage = stage_of(locked)
    if stage is None:
        raise InvalidTransition(
            f"记录当前状态为“{locked.get_status_display()}”，不在待审核环节。", code="not_in_review"
        )
    require_permission(actor, STAGES[stage][2], f"该记录正等待{ReviewStage(stage).label}，您没有该环节的审核权限。")
    if stage == ReviewStage.PROVIDER and locked.provider_id != getattr(actor, "department_id", None):
        raise NotFound("未找到该信用记录。", code="record_not_found")
    return locked, stage


def _review(
    actor: Any, record: CreditRecord, stage: str, decision: str, reason: str, bulk: BulkReview | None
) -> RecordReview:
    return RecordReview.objects.create(
        record=record,
        record_version=record.version,
        stage=stage,
        decision=decision,
        reason=reason,
        reviewer=actor,
        bulk=bulk,
    )


def approve_locked(
    *, actor: Any, record: CreditRecord, stage: str, reason: str, today: dt.date, bulk: BulkReview | None = None
) -> CreditRecord:
    _review(actor, record, stage, ReviewDecision.APPROVED, reason, bulk)
    record_transition(actor=actor, record=record, target=STAGES[stage][1], action=f"approve_{stage}", reason=reason)
    last = ReviewStage.LEADERSHIP if record.item.requires_leadership_approval else ReviewStage.PLATFORM
    if stage == last:
        finalize(actor=actor, record=record, today=today)
    return record


def record_approve(*, actor: Any, record: CreditRecord, reason: str = "", today: dt.date | None = None) -> CreditRecord:
    """Approve at the stage the record is waiting for; the last approval publishes it or shares it only."""
    with transaction.atomic():
        locked, stage = _lock_for_review(actor, record)
        return approve_locked(
            actor=actor, record=locked, stage=stage, reason=reason.strip(), today=today or timezone.localdate()
        )


def record_reject(*, actor: Any, record: CreditRecord, reason: str) -> CreditRecord:
    """Return a record with reasons: a submission goes back to draft, a change request is refused."""
    if not reason.strip():
        raise ValidationFailed([Issue("reason_required", "退回时请填写退回理由。", "reason")])
    with transaction.atomic():
        locked, stage = _lock_for_review(actor, record)
        _review(actor, locked, stage, ReviewDecision.REJECTED, reason.strip(), None)
        change = ChangeRequest.objects.filter(record=locked, status="open").first()
        if change is not None:
            return change_reject(actor=actor, record=locked, change=change, reason=reason.strip())
        record_transition(actor=actor, record=locked, target=S.DRAFT, action=f"reject_{stage}", reason=reason.strip())
        notify_record_returned(record=locked, reason=reason.strip(), stage_label=ReviewStage(stage).label)
        return locked
