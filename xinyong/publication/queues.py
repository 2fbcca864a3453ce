"""Reads for the review and sharing screens: review queues, bulk reviews, a record's publication state,
and the shared (government-only) records of one subject.

Scoping happens here, so no view can forget it: a provider reviewer sees only its own department's
submissions, and what a viewer may not see is "not found".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from xinyong.accounts.permissions import has_permission, require_permission
from xinyong.catalog.choices import Sensitivity
from xinyong.core import identifiers
from xinyong.core.errors import Issue, NotFound, ValidationFailed
from xinyong.core.text import normalize_name
from xinyong.records.batches import batch_visible_to
from xinyong.records.choices import RecordStatus
from xinyong.records.models import CreditRecord, RecordVersion, SubmissionBatch
from xinyong.subjects.models import Subject

from .choices import ChangeKind, ChangeStatus, ReviewStage
from .models import BulkReview, ChangeRequest, Disclosure, PublicBasis, RecordPublicity, RecordReview
from .policy import display_value
from .search import identity_hashes
from .services.review import STAGES, stage_of, stages_of

NEW_SUBMISSION = "new"
KIND_CHOICES = [(NEW_SUBMISSION, "新报送"), *ChangeKind.choices]
SHARED_STATUSES = (RecordStatus.PUBLISHED, RecordStatus.SHARED_ONLY)


# --- review queues ---------------------------------------------------------------------------------


def _stage_records(viewer: Any, stage: str) -> QuerySet[CreditRecord]:
    """Every record waiting for `stage` that this viewer may review there (none if it may not)."""
    if stage not in stages_of(viewer):
        return CreditRecord.objects.none()
    qs = CreditRecord.objects.filter(status=STAGES[stage][0])
    if stage == ReviewStage.PROVIDER:
        department_id = getattr(viewer, "department_id", None)
        return qs.filter(provider_id=department_id) if department_id else qs.none()
    if stage == ReviewStage.LEADERSHIP:
        return qs.filter(item__requires_leadership_approval=True)
    return qs


def queue_counts(viewer: Any) -> dict[str, int]:
    """How many records wait for each of the viewer's stages (one count query per stage).

    Kept on the user object for the request, as `role_permissions` is: the menu and the page share it.
    """
    cached = getattr(viewer, "_xinyong_queue_counts", None)
    if cached is None:
        cached = {stage: _stage_records(viewer, stage).count() for stage in stages_of(viewer)}
        if getattr(viewer, "is_authenticated", False):
            viewer._xinyong_queue_counts = cached
    return dict(cached)


def _filter_text(qs: QuerySet[CreditRecord], text: str) -> QuerySet[CreditRecord]:
    text = text.strip()
    if not text:
        return qs
    return qs.filter(
        Q(document_no__icontains=text)
        | Q(subject__name_normalized__contains=normalize_name(text))
        | Q(subject__uscc=text.upper())
    )


def _filter_kind(qs: QuerySet[CreditRecord], kind: str) -> QuerySet[CreditRecord]:
    open_changes = ChangeRequest.objects.filter(record=OuterRef("pk"), status=ChangeStatus.OPEN)
    if kind == NEW_SUBMISSION:
        return qs.filter(~Exists(open_changes))
    if kind in ChangeKind.values:
        return qs.filter(Exists(open_changes.filter(kind=kind)))
    return qs


def review_queue(*, viewer: Any, filters: dict[str, str] | None = None) -> QuerySet[CreditRecord]:
    """The records waiting at one of the viewer's stages (`filters["stage"]`, default the first), oldest first.

    Filters: `item` (catalogue code), `batch` (id), `q` (document number, subject name or USCC),
    `kind` ("new" for a first submission, or a change request kind: correct / withdraw / delete).
    Each row carries `change_kind`, the kind of its open change request (None for a new submission).
    """
    filters = filters or {}
    stages = stages_of(viewer)
    stage = filters.get("stage") or (stages[0] if stages else "")
    qs = _stage_records(viewer, stage) if stage in STAGES else CreditRecord.objects.none()
    open_change = ChangeRequest.objects.filter(record=OuterRef("pk"), status=ChangeStatus.OPEN).values("kind")[:1]
    qs = qs.select_related("item", "subject", "provider", "batch").annotate(change_kind=Subquery(open_change))
    if filters.get("item"):
        qs = qs.filter(item__code=filters["item"])
    if str(filters.get("batch") or "").isdigit():
        qs = qs.filter(batch_id=int(filters["batch"]))
    qs = _filter_kind(_filter_text(qs, filters.get("q") or ""), filters.get("kind") or "")
    return qs.order_by("updated_at", "id")


@dataclass(frozen=True)
class BatchWaiting:
    """What the viewer could approve in one batch at once."""

    stage: str
    count: int

    @property
    def stage_label(self) -> str:
        return str(ReviewStage(self.stage).label)


def batch_waiting(*, viewer: Any, batch: SubmissionBatch) -> BatchWaiting | None:
    """The first of the viewer's stages with records of this batch waiting, and how many."""
    for stage in stages_of(viewer):
        count = _stage_records(viewer, stage).filter(batch=batch).count()
        if count:
            return BatchWaiting(stage, count)
    return None


def bulk_review_get(*, viewer: Any, pk: int) -> BulkReview:
    """A bulk review of a batch the viewer may see."""
    bulk = (
        BulkReview.objects.select_related("batch__item", "requested_by")
        .filter(pk=pk, batch__in=batch_visible_to(viewer).values("pk"))
        .first()
    )
    if bulk is None:
        raise NotFound("未找到该整批审核。", code="bulk_review_not_found")
    return bulk


# --- one record's publication state ----------------------------------------------------------------


@dataclass(frozen=True)
class PublicationState:
    """What the record detail page shows about review and publicity."""

    stage: str | None
    reviews: list[RecordReview]
    publicity: RecordPublicity | None
    basis: PublicBasis | None
    open_change: ChangeRequest | None
    disclosure_count: int
    corrected: list[tuple[str, str, str]]  # (label, before, proposed) of an open correction

    @property
    def stage_label(self) -> str:
        return str(ReviewStage(self.stage).label) if self.stage else ""


def _corrected_fields(record: CreditRecord, change: ChangeRequest | None) -> list[tuple[str, str, str]]:
    """What an open correction changes, field by field, against the version it started from."""
    if change is None or change.kind != ChangeKind.CORRECT:
        return []
    base = RecordVersion.objects.filter(record=record, version=change.base_version).order_by("-id").first()
    if base is None:
        return []
    rows = []
    for spec in record.item.fields:
        before, after = display_value(base.data.get(spec["code"])), display_value(record.data.get(spec["code"]))
        if before != after:
            rows.append((spec["label"], before, after))
    return rows


def publication_state(record: CreditRecord) -> PublicationState:
    """For a record the caller already obtained through a scoped selector."""
    change = (
        ChangeRequest.objects.filter(record=record, status=ChangeStatus.OPEN).select_related("requested_by").first()
    )
    return PublicationState(
        stage=stage_of(record),
        reviews=list(RecordReview.objects.filter(record=record).select_related("reviewer").order_by("id")),
        publicity=RecordPublicity.objects.filter(record=record).first(),
        basis=PublicBasis.objects.filter(record=record).first(),
        open_change=change,
        disclosure_count=Disclosure.objects.filter(record=record).count(),
        corrected=_corrected_fields(record, change),
    )


# --- shared query (government users) -------------------------------------------------------------


@dataclass(frozen=True)
class SharedRecord:
    """A record as a government user receives it: the approved version, and any change still under review."""

    record: CreditRecord
    fields: list[tuple[str, str]]
    pending: ChangeRequest | None = None
    approved: RecordVersion | None = None  # the version in force while `pending` is under review
    proposed: list[tuple[str, str, str]] = field(default_factory=list)  # (label, in force, proposed)

    @property
    def document_no(self) -> str:
        return self.approved.document_no if self.approved else self.record.document_no

    @property
    def decision_date(self) -> dt.date:
        return self.approved.decision_date if self.approved else self.record.decision_date

    @property
    def version(self) -> int:
        return self.approved.version if self.approved else self.record.version

    @property
    def status(self) -> str:
        return self.pending.previous_status if self.pending else self.record.status

    @property
    def status_label(self) -> str:
        return str(RecordStatus(self.status).label)

    @property
    def pending_label(self) -> str:
        return f"{ChangeKind(self.pending.kind).label}审核中" if self.pending else ""


def shared_fields(record: CreditRecord, data: dict[str, Any] | None = None) -> list[tuple[str, str]]:
    """(label, value) of every field that is public or shared (never "secret"); ID numbers stay masked."""
    data = record.data if data is None else data
    return [
        (spec["label"], display_value(data.get(spec["code"])))
        for spec in record.item.fields
        if spec.get("sensitivity", Sensitivity.PUBLIC) != Sensitivity.SECRET and data.get(spec["code"])
    ]


def _pending_shared(subject: Subject) -> list[SharedRecord]:
    """Records whose approved version is about `subject` and that have a change under review.

    The approved version stays in force (the public still sees it), so government users see it too.
    """
    changes = (
        ChangeRequest.objects.filter(status=ChangeStatus.OPEN, previous_status__in=SHARED_STATUSES)
        .exclude(record__status__in=SHARED_STATUSES)
        .filter(Q(record__subject=subject) | Q(record__versions__subject=subject))
        .select_related("record__item", "record__provider", "record__subject")
        .distinct()
    )
    found = []
    for change in changes:
        record = change.record
        base = RecordVersion.objects.filter(record=record, version=change.base_version).order_by("-id").first()
        if base is None or base.subject_id != subject.pk:
            continue
        secret = {spec["label"] for spec in record.item.fields if spec.get("sensitivity") == Sensitivity.SECRET}
        proposed = [row for row in _corrected_fields(record, change) if row[0] not in secret]
        found.append(SharedRecord(record, shared_fields(record, base.data), change, base, proposed))
    return found


def _subject_by_code(code: str) -> Subject | None:
    normalized = identifiers.normalize(code)
    if not normalized:
        raise ValidationFailed([Issue("code_required", "请输入统一社会信用代码或身份证件号码。", "code")])
    subject = Subject.objects.filter(uscc=normalized).first()
    if subject is not None:
        return subject
    return Subject.objects.filter(id_hash__in=identity_hashes(normalized)).first()


def shared_records_for(*, viewer: Any, code: str) -> tuple[Subject | None, list[SharedRecord]]:
    """A subject's published and shared-only records from every provider, for a government user.

    A record whose correction, withdrawal or deletion is under review is included in its approved version.

    The caller delivers them with `disclosure_log` in the same transaction.
    """
    require_permission(viewer, "records.view_shared_records", "只有共享用户可以查询政务共享信用记录。")
    subject = _subject_by_code(code)
    if subject is None:
        return None, []
    records = CreditRecord.objects.filter(subject=subject, status__in=SHARED_STATUSES).select_related(
        "item", "provider", "subject"
    )
    rows = [SharedRecord(record, shared_fields(record)) for record in records] + _pending_shared(subject)
    rows.sort(key=lambda row: (row.decision_date, row.record.pk), reverse=True)
    return subject, rows


def can_query_shared(viewer: Any) -> bool:
    return has_permission(viewer, "records.view_shared_records")
