"""Publishing many records at once: the set-based equivalent of the last approval.

For records taken as having passed the whole review that were never published (a demo or benchmark
load, data brought over from an older platform), `publish_in_bulk` writes what `services.finalize`
would write one by one: the same outcome as `policy.decide` (rules read once, not per record), the
RecordPublicity, the public projection (PublicSubject, PublicRecord) and the record's new status.
Chunk by chunk, one transaction each. It writes no RecordVersion and no audit event per record:
one audit event summarises the run.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from array import array
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from typing import Any, cast

from django.db import connection, transaction
from django.db.models import Count, Field, IntegerField, Model, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from xinyong.accounts.models import Department
from xinyong.audit.services import audit_log
from xinyong.catalog.models import CatalogItem
from xinyong.records.choices import RecordStatus
from xinyong.records.models import CreditRecord
from xinyong.subjects.models import Subject

from . import projection
from .choices import ITEM_GROUPS, PublicGroup
from .models import PublicBasis, PublicRecord, PublicSubject, RecordPublicity
from .policy import Outcome, RuleBook
from .services.finalize import target_of

S = RecordStatus

# Records the last approval may still decide about: not yet final, never published before.
ELIGIBLE = (S.DRAFT, S.SUBMITTED, S.PROVIDER_APPROVED, S.PLATFORM_APPROVED, S.LEADERSHIP_APPROVED)
COUNT_CHUNK = 5000
# What the policy and the projection read (the rest of a record is not loaded: a third of the time).
RECORD_READ = ("item", "subject", "provider", "document_no", "decision_date", "data", "version", "status")
SUBJECT_READ = ("kind", "name", "uscc", "id_hash", "id_masked")


@dataclass
class BackfillCounts:
    records: int = 0
    published: int = 0
    shared_only: int = 0
    expired: int = 0
    public_subjects: int = 0
    seconds: float = 0.0


def publish_in_bulk(
    *,
    records: QuerySet[CreditRecord],
    today: dt.date,
    chunk: int = 5000,
    progress: Callable[[int], None] | None = None,
) -> BackfillCounts:
    """Publish, share only or expire every eligible record of `records`, as their last approval would.

    Eligible: status draft or under review, and no RecordPublicity yet (a record published before goes
    through the one-by-one services). `progress` is called with the number of records of each chunk.
    """
    started = time.perf_counter()
    # The ids first, in one pass; then each chunk by primary key. ("The next N eligible records" with
    # LIMIT makes both planners read every eligible record through the status index for each chunk.)
    eligible = records.filter(status__in=ELIGIBLE, publicity__isnull=True).order_by("pk")
    ids = array("q", eligible.values_list("pk", flat=True).iterator(chunk_size=20_000))
    reading = (
        CreditRecord.objects.select_related("subject")
        .only(*RECORD_READ, *(f"subject__{name}" for name in SUBJECT_READ))
        .order_by()
    )
    run = _Run(today)
    for start in range(0, len(ids), chunk):
        with transaction.atomic():
            batch = list(reading.filter(pk__in=list(ids[start : start + chunk])).select_for_update(of=("self",)))
            run.publish([record for record in batch if record.status in ELIGIBLE])
        if progress is not None:
            progress(len(batch))
    refresh_counts(run.touched)
    run.counts.seconds = round(time.perf_counter() - started, 1)
    with transaction.atomic():
        audit_log(
            actor=None,
            action="publicity.backfill",
            object_type="publication",
            object_repr=f"批量公示 {run.counts.records} 条记录",
            after={**asdict(run.counts), "today": today.isoformat()},
        )
    return run.counts


class _Run:
    """What stays the same from chunk to chunk: the rules, the items and providers, the counts."""

    def __init__(self, today: dt.date) -> None:
        self.today = today
        self.book = RuleBook()
        self.items = {item.pk: item for item in CatalogItem.objects.all()}
        self.providers = {department.pk: department for department in Department.objects.all()}
        self.counts = BackfillCounts()
        self.touched: set[int] = set()
        self.publicity = _Writer(RecordPublicity, [*PUBLICITY, "decided_at"])
        self.public_records = _Writer(PublicRecord, PUBLIC_RECORD)

    def publish(self, batch: list[CreditRecord]) -> None:
        now = timezone.now()
        own = {basis.record_id: basis for basis in PublicBasis.objects.filter(record__in=batch)}
        decided: list[tuple[CreditRecord, Outcome, str]] = []
        for record in batch:
            record.item, record.provider = self.items[record.item_id], self.providers[record.provider_id]
            outcome = self.book.decide(record, self.today, own.get(record.pk))
            decided.append((record, outcome, target_of(outcome, self.today)[0]))
        stamp = connection.ops.adapt_datetimefield_value(now)
        self.publicity.write([_publicity(record, outcome, stamp) for record, outcome, _ in decided])
        public = [(record, outcome) for record, outcome, target in decided if target == S.PUBLISHED]
        self.counts.public_subjects += ensure_public_subjects((record.subject for record, _ in public), stamp)
        self.public_records.write([_public_record(record, outcome, stamp) for record, outcome in public])
        self.touched.update(record.subject_id for record, _ in public)
        _set_statuses(decided, now)
        self.counts.records += len(batch)
        self.counts.published += len(public)
        self.counts.shared_only += sum(target == S.SHARED_ONLY for _, _, target in decided)
        self.counts.expired += sum(target == S.EXPIRED for _, _, target in decided)


class _Writer:
    """Rows straight into a table: COPY on PostgreSQL, executemany elsewhere (as the import's writer does).
    Model instances and bulk_create's per-value preparation cost several times more than the database.

    Rows give `columns` in order; every other column gets its field's default (computed once), so a
    field added to the model later is written as bulk_create would write it.
    """

    def __init__(self, model: type[Model], columns: list[str]) -> None:
        quote = connection.ops.quote_name
        given = [cast(Field, model._meta.get_field(name)) for name in columns]
        rest = [f for f in model._meta.concrete_fields if f not in given and not f.primary_key]
        self.defaults = tuple(_default(field) for field in rest)
        names = ", ".join(quote(field.column) for field in [*given, *rest])
        table = quote(model._meta.db_table)
        # Identifiers from the model's metadata, values as parameters: nothing user-supplied in the SQL.
        self.copy = f"COPY {table} ({names}) FROM STDIN"
        self.insert = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * (len(given) + len(rest)))})"  # noqa: S608

    def write(self, rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        if self.defaults:
            rows = [row + self.defaults for row in rows]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(self.copy) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cursor.executemany(self.insert, rows)


def _default(field: Field) -> Any:
    value = field.get_default()
    if value is None and not field.null:
        raise TypeError(f"{field.model.__name__}.{field.name} has no default: the bulk publication must set it")
    return field.get_db_prep_save(value, connection)


PUBLICITY = ["record", "is_public", "basis", "not_public_reason", "rule", "starts_on", "repair_from", "ends_on"]
PUBLIC_RECORD = [
    "record",
    "subject",
    "group",
    "item_name",
    "list_name",
    "version",
    "document_no",
    "decision_date",
    "provider_name",
    "fields",
    "basis",
    "starts_on",
    "repair_from",
    "ends_on",
    "under_objection",
    "published_at",
]
SUBJECT_VALUES = ["kind", "display_name", "display_code", "name_search", "name_pairs", "uscc", "id_hash"]
PUBLIC_SUBJECT = ["subject", "slug", *SUBJECT_VALUES, *projection.COUNT_FIELDS.values(), "updated_at"]


def _day(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _publicity(record: CreditRecord, outcome: Outcome, now: Any) -> tuple[Any, ...]:
    """As `finalize._save_publicity` stores it (column order: PUBLICITY, then decided_at)."""
    return (
        record.pk,
        outcome.is_public,
        outcome.basis,
        outcome.not_public_reason[:200],
        outcome.rule.pk if outcome.rule is not None else None,
        _day(outcome.starts_on),
        _day(outcome.repair_from),
        _day(outcome.ends_on),
        now,
    )


def _public_record(record: CreditRecord, outcome: Outcome, now: Any) -> tuple[Any, ...]:
    """As `projection.project` stores a record published for the first time (column order: PUBLIC_RECORD)."""
    return (
        record.pk,
        record.subject_id,
        ITEM_GROUPS.get(record.item.code, PublicGroup.OTHER),
        record.item.name,
        projection.list_name(record),
        record.version,
        record.document_no,
        _day(record.decision_date),
        record.provider.name,
        json.dumps(projection.public_fields(record), ensure_ascii=False),
        outcome.basis,
        _day(outcome.starts_on),
        _day(outcome.repair_from),
        _day(outcome.ends_on),
        False,
        now,
    )


def ensure_public_subjects(subjects: Iterable[Subject], now: Any) -> int:
    """A PublicSubject for each subject that has none (existing ones are brought up to date). Returns how
    many were created. On SQLite the name index (FTS5) follows through its triggers."""
    by_id = {subject.pk: subject for subject in subjects}
    existing = {ps.pk: ps for ps in PublicSubject.objects.filter(subject_id__in=list(by_id))}
    for subject_id, public in existing.items():
        values = projection.public_subject_values(by_id[subject_id])
        changed = [name for name, value in values.items() if getattr(public, name) != value]
        if changed:
            for name in changed:
                setattr(public, name, values[name])
            public.save(update_fields=[*changed, "updated_at"])
    zeros = (0,) * len(projection.COUNT_FIELDS)
    rows = []
    for subject_id, subject in by_id.items():
        if subject_id not in existing:
            values = projection.public_subject_values(subject)
            slug = projection.new_slug(subject)
            rows.append((subject_id, slug, *(values[name] for name in SUBJECT_VALUES), *zeros, now))
    _Writer(PublicSubject, PUBLIC_SUBJECT).write(rows)
    return len(rows)


def _set_statuses(decided: list[tuple[CreditRecord, Outcome, str]], now: dt.datetime) -> None:
    """One UPDATE per (status, reason): the reason is `finalize`'s (the outcome's not-public reason)."""
    groups: dict[tuple[str, str], list[int]] = {}
    for record, outcome, target in decided:
        groups.setdefault((target, outcome.not_public_reason), []).append(record.pk)
    for (status, reason), ids in groups.items():
        CreditRecord.objects.filter(pk__in=ids).update(status=status, status_reason=reason, updated_at=now)


def refresh_counts(subject_ids: Iterable[int]) -> None:
    """Recount the public records of these subjects by group, set-based (`projection.refresh_counts`
    for many subjects: one UPDATE per few thousand subjects, a correlated count per group)."""
    ids = sorted(subject_ids)
    counts: dict[str, Any] = {
        field: Coalesce(Subquery(_count_of(group)), Value(0), output_field=IntegerField())
        for group, field in projection.COUNT_FIELDS.items()
    }
    for start in range(0, len(ids), COUNT_CHUNK):
        with transaction.atomic():
            PublicSubject.objects.filter(subject_id__in=ids[start : start + COUNT_CHUNK]).update(
                **counts, updated_at=timezone.now()
            )


def _count_of(group: str) -> QuerySet[PublicRecord, Any]:
    return (
        PublicRecord.objects.filter(subject_id=OuterRef("subject_id"), group=group)
        .order_by()
        .values("subject_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
