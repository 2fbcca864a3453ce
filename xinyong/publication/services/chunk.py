"""Approving many records at one stage as set operations: the rules of `review.approve_locked` and
`finalize.finalize` applied to a chunk of records at once.

Per chunk: one RecordReview row and the RecordVersion rows of each record, the status by one UPDATE per
(status, reason) group (checked against the transition table for the whole group), the policy read once
(`RuleBook`), the publicity rows and the public projection written in bulk, and one audit event listing
the record ids with their content hashes. A record with an open change request or already in the public
view (a correction, a withdrawal, a republication: notices and restorations) takes the one-by-one path.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.db import connection
from django.db.models import Exists, Field, Model, OuterRef
from django.utils import timezone

from xinyong.accounts.models import Department
from xinyong.audit.services import audit_log
from xinyong.catalog.models import CatalogItem
from xinyong.core.errors import InvalidTransition
from xinyong.records.choices import RecordStatus, can_transition
from xinyong.records.models import CreditRecord, RecordVersion

from .. import setwrite
from ..choices import ChangeStatus, ReviewDecision, ReviewStage
from ..models import BulkReview, ChangeRequest, PublicBasis, PublicRecord, RecordPublicity, RecordReview
from ..policy import Outcome, RuleBook
from .finalize import target_of
from .review import STAGES, approve_locked

S = RecordStatus
REVIEW = ["record", "record_version", "stage", "decision", "reason", "reviewer", "bulk", "created_at"]
UPDATED = ("status", "status_reason", "updated_at")
ARCHIVED = ["version", "status", "data", "protected", "subject", "document_no", "decision_date"]


class Chunker:
    """What stays the same from chunk to chunk of one stage: the rules, the items, the providers, the writers."""

    def __init__(self, *, actor: Any, stage: str, reason: str, today: dt.date, bulk: BulkReview | None) -> None:
        self.actor, self.stage, self.reason, self.today, self.bulk = actor, stage, reason, today, bulk
        self.book = RuleBook()
        self.items = {item.pk: item for item in CatalogItem.objects.all()}
        self.providers = {department.pk: department for department in Department.objects.all()}
        self.reviews = setwrite.Writer(RecordReview, REVIEW)
        self.publicity = setwrite.Writer(RecordPublicity, [*setwrite.PUBLICITY, "decided_at"])
        self.public_records = setwrite.Writer(PublicRecord, setwrite.PUBLIC_RECORD)

    def approve(self, ids: list[int]) -> int:
        """Approve those of `ids` still waiting at the stage (call inside a transaction). Returns how many."""
        waiting, approved, _ = STAGES[self.stage]
        candidates = CreditRecord.objects.filter(pk__in=ids, status=waiting)
        if self.stage == ReviewStage.LEADERSHIP:
            candidates = candidates.filter(item__requires_leadership_approval=True)
        rows = list(
            candidates.select_for_update(of=("self",))
            .annotate(open_change=Exists(ChangeRequest.objects.filter(record=OuterRef("pk"), status=ChangeStatus.OPEN)))
            .annotate(seen=Exists(PublicRecord.objects.filter(record=OuterRef("pk"))))
            .order_by("pk")
            .values_list("pk", "version", "content_hash", "item_id", "open_change", "seen")
        )
        singly = [pk for pk, _, _, item, change, seen in rows if self._final(item) and (change or seen)]
        alone = set(singly)
        together = [row for row in rows if row[0] not in alone]
        now = timezone.now()
        stamp = connection.ops.adapt_datetimefield_value(now)
        self._review(together, stamp)
        transition(
            [pk for pk, *_ in together], waiting, approved, f"approve_{self.stage}", self.reason, self.actor, now
        )
        self._finalize([pk for pk, _, _, item, _, _ in together if self._final(item)], now, stamp)
        self._one_by_one(singly)
        self._audit(rows)
        return len(rows)

    def _final(self, item_id: int) -> bool:
        leadership = self.items[item_id].requires_leadership_approval
        return self.stage == (ReviewStage.LEADERSHIP if leadership else ReviewStage.PLATFORM)

    def _review(self, rows: list[tuple[Any, ...]], stamp: Any) -> None:
        bulk_id = self.bulk.pk if self.bulk is not None else None
        approved = ReviewDecision.APPROVED
        self.reviews.write(
            [
                (pk, version, self.stage, approved, self.reason, self.actor.pk, bulk_id, stamp)
                for pk, version, *_ in rows
            ]
        )

    def _finalize(self, ids: list[int], now: dt.datetime, stamp: Any) -> None:
        if not ids:
            return
        records = list(setwrite.reading().filter(pk__in=ids))
        own = {basis.record_id: basis for basis in PublicBasis.objects.filter(record_id__in=ids)}
        decided: list[tuple[CreditRecord, Outcome, str]] = []
        for record in records:
            record.item, record.provider = self.items[record.item_id], self.providers[record.provider_id]
            outcome = self.book.decide(record, self.today, own.get(record.pk))
            decided.append((record, outcome, target_of(outcome, self.today)[0]))
        self.publicity.write([setwrite.publicity_row(record, outcome, stamp) for record, outcome, _ in decided])
        public = [(record, outcome) for record, outcome, target in decided if target == S.PUBLISHED]
        setwrite.ensure_public_subjects((record.subject for record, _ in public), stamp)
        self.public_records.write([setwrite.public_record_row(record, outcome, stamp) for record, outcome in public])
        setwrite.refresh_counts({record.subject_id for record, _ in public})
        groups: dict[tuple[str, str], list[int]] = {}
        for record, outcome, target in decided:
            groups.setdefault((target, outcome.not_public_reason), []).append(record.pk)
        source = S.LEADERSHIP_APPROVED if self.stage == ReviewStage.LEADERSHIP else S.PLATFORM_APPROVED
        for (target, reason), group in groups.items():
            transition(group, source, target, target_of_action(target), reason, self.actor, now)

    def _one_by_one(self, ids: list[int]) -> None:
        locked = CreditRecord.objects.select_related("item", "subject", "provider").filter(pk__in=ids).order_by("pk")
        for record in locked:
            approve_locked(
                actor=self.actor, record=record, stage=self.stage, reason=self.reason, today=self.today, bulk=self.bulk
            )

    def _audit(self, rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        audit_log(
            actor=self.actor,
            action="review.bulk_chunk",
            obj=self.bulk,
            object_type="" if self.bulk is not None else "records.creditrecord",
            after={
                "stage": self.stage,
                "reason": self.reason,
                "records": [[pk, content_hash] for pk, _, content_hash, *_ in rows],
            },
        )


ACTIONS: dict[str, str] = {S.PUBLISHED: "publish", S.SHARED_ONLY: "share_only", S.EXPIRED: "expire"}


def target_of_action(target: str) -> str:
    return ACTIONS[target]


def _column(model: type[Model], name: str) -> str:
    return str(cast(Field, model._meta.get_field(name)).column)


def transition(ids: list[int], source: str, target: str, action: str, reason: str, actor: Any, now: Any) -> None:
    """`records.services.record_transition` for a group of records all in `source`: the status by one UPDATE,
    each record's new state archived (RecordVersion) by one INSERT … SELECT."""
    if not ids:
        return
    if not can_transition(source, target):
        raise InvalidTransition(f"记录状态“{S(source).label}”不能变为“{S(target).label}”。")
    quote = connection.ops.quote_name
    table, marks = quote(CreditRecord._meta.db_table), ", ".join(["%s"] * len(ids))
    stamp = connection.ops.adapt_datetimefield_value(now)
    status, status_reason, updated_at = (quote(_column(CreditRecord, name)) for name in UPDATED)
    update = (
        f"UPDATE {table} SET {status} = %s, {status_reason} = %s, {updated_at} = %s WHERE {quote('id')} IN ({marks})"  # noqa: S608
    )
    record_columns = ", ".join(quote(_column(CreditRecord, name)) for name in ARCHIVED)
    names = ["record", *ARCHIVED, "action", "changed_by", "changed_at", "reason"]
    version_columns = ", ".join(quote(_column(RecordVersion, name)) for name in names)
    # Identifiers from the models' metadata, values as parameters.
    sql = (
        f"INSERT INTO {quote(RecordVersion._meta.db_table)} ({version_columns}) "  # noqa: S608
        f"SELECT {quote('id')}, {record_columns}, %s, %s, %s, %s FROM {table} "
        f"WHERE {quote('id')} IN ({marks})"
    )
    changed_by = actor.pk if getattr(actor, "pk", None) else None
    with connection.cursor() as cursor:
        cursor.execute(update, [target, reason, stamp, *ids])
        cursor.execute(sql, [action, changed_by, stamp, reason, *ids])
