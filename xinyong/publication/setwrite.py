"""Writing the publication tables for many records at once (used by the whole-batch approval).

Rows go straight into a table, as the import's writer does; what they hold is what `services.finalize`
and `projection.project` would write for a record published for the first time.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any, cast

from django.db import connection, transaction
from django.db.models import Count, Field, IntegerField, Model, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from xinyong.records.models import CreditRecord
from xinyong.subjects.models import Subject

from . import projection
from .choices import ITEM_GROUPS, PublicGroup
from .models import PublicRecord, PublicSubject
from .policy import Outcome

COUNT_CHUNK = 5000
# What the policy and the projection read (the rest of a record is not loaded: a third of the time).
RECORD_READ = ("item", "subject", "provider", "document_no", "decision_date", "data", "version", "status")
SUBJECT_READ = ("kind", "name", "uscc", "id_hash", "id_masked")


def reading() -> QuerySet[CreditRecord]:
    """Records with what the policy and the projection read, and their subjects."""
    return (
        CreditRecord.objects.select_related("subject")
        .only(*RECORD_READ, *(f"subject__{name}" for name in SUBJECT_READ))
        .order_by("pk")
    )


class Writer:
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


def publicity_row(record: CreditRecord, outcome: Outcome, now: Any) -> tuple[Any, ...]:
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


def public_record_row(record: CreditRecord, outcome: Outcome, now: Any) -> tuple[Any, ...]:
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
    Writer(PublicSubject, PUBLIC_SUBJECT).write(rows)
    return len(rows)


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
