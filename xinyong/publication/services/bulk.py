"""Approving a whole batch at once: done by the background worker, in chunks, with progress."""

from __future__ import annotations

from array import array
from typing import Any

from django.db import transaction
from django.utils import timezone

from xinyong.accounts.permissions import has_permission
from xinyong.audit.services import audit_log
from xinyong.core.errors import InvalidTransition, NotFound, PermissionDenied
from xinyong.records.models import CreditRecord, SubmissionBatch

from ..choices import BulkStatus, ReviewStage
from ..models import BulkReview
from .chunk import Chunker
from .review import STAGES, stages_of

CHUNK = 2000


def _waiting(batch: SubmissionBatch, stage: str) -> Any:
    qs = CreditRecord.objects.filter(batch=batch, status=STAGES[stage][0])
    if stage == ReviewStage.PLATFORM:
        return qs
    if stage == ReviewStage.LEADERSHIP:
        return qs.filter(item__requires_leadership_approval=True)
    return qs


def _stage_for(actor: Any, batch: SubmissionBatch) -> str:
    for stage in stages_of(actor):
        if stage == ReviewStage.PROVIDER and batch.department_id != getattr(actor, "department_id", None):
            continue
        if _waiting(batch, stage).exists():
            return stage
    if not stages_of(actor):
        raise PermissionDenied("您没有审核权限。")
    raise InvalidTransition("该批次没有等待您审核的记录。", code="nothing_to_review")


def bulk_review_start(*, actor: Any, batch: SubmissionBatch, reason: str = "") -> BulkReview:
    """Queue the approval of every record of the batch waiting at the actor's stage."""
    if not any(has_permission(actor, perm) for _, _, perm in STAGES.values()):
        raise NotFound("未找到该批次。", code="batch_not_found")
    from ..tasks import bulk_review_task

    with transaction.atomic():
        stage = _stage_for(actor, batch)
        bulk = BulkReview.objects.create(
            stage=stage,
            batch=batch,
            reason=reason.strip(),
            requested_by=actor,
            total=_waiting(batch, stage).count(),
        )
        audit_log(actor=actor, action="review.bulk_start", obj=bulk, after={"batch": batch.pk, "stage": stage})
        transaction.on_commit(lambda: bulk_review_task.enqueue(bulk.pk))
    return bulk


def bulk_review_run(bulk_id: int) -> BulkReview:
    """Approve the batch's waiting records chunk by chunk; each chunk commits with the progress."""
    bulk = BulkReview.objects.select_related("batch", "requested_by").get(pk=bulk_id)
    if bulk.status == BulkStatus.COMPLETED:
        return bulk
    BulkReview.objects.filter(pk=bulk.pk).update(status=BulkStatus.RUNNING)
    chunker = Chunker(
        actor=bulk.requested_by, stage=bulk.stage, reason=bulk.reason, today=timezone.localdate(), bulk=bulk
    )
    # The ids first, in one pass; then each chunk by primary key ("the next N waiting records" with LIMIT
    # reads again, for each chunk, every record of the batch approved by the chunks before it).
    waiting = array("q", _waiting(bulk.batch, bulk.stage).order_by("pk").values_list("pk", flat=True))
    try:
        for start in range(0, len(waiting), CHUNK):
            ids = list(waiting[start : start + CHUNK])
            with transaction.atomic():
                bulk.approved += chunker.approve(ids)
                bulk.processed += len(ids)
                bulk.save(update_fields=["processed", "approved"])
    except Exception as exc:
        bulk.status, bulk.failure_message = BulkStatus.FAILED, f"{type(exc).__name__}: {exc}"[:1000]
        bulk.save(update_fields=["status", "failure_message"])
        raise
    bulk.status, bulk.finished_at = BulkStatus.COMPLETED, timezone.now()
    bulk.skipped = max(bulk.total - bulk.approved, 0)
    bulk.save(update_fields=["status", "finished_at", "skipped"])
    audit_log(actor=bulk.requested_by, action="review.bulk_done", obj=bulk, after={"approved": bulk.approved})
    return bulk
