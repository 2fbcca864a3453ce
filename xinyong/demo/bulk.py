"""`--scale N`: bulk-insert generated subjects and records, block by block, in bounded memory.

The services are bypassed for speed, so this module writes what they would have written: subjects
with the HMAC lookup hash, Fernet ciphertext and mask for persons; records with data keyed by field
code (ID numbers masked, ciphertext in `protected`), the default source key, the reporting time in
working days, and the RecordVersion rows of each state. One audit event summarises the load.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import partial
from typing import Any, cast

from django.db import connection, reset_queries, transaction
from django.db.models import Field, Model
from django.utils import timezone

from xinyong.accounts.models import Department
from xinyong.audit.services import audit_log
from xinyong.catalog.models import CatalogItem
from xinyong.core.calendar import fallback_is_workday
from xinyong.core.identifiers import mask_citizen_id
from xinyong.core.models import CalendarDay
from xinyong.core.text import normalize_name
from xinyong.records.models import CreditRecord, RecordVersion
from xinyong.subjects import pii
from xinyong.subjects.choices import CITIZEN_ID_TYPE
from xinyong.subjects.models import Subject

from .generator import Block
from .loader import DELETE_REASON, clerks_by_department, existing_source_keys
from .rows import PERSON, DemoRow, DemoSubject

ID_FIELD = {"XK": "XK_XDR_ZJHM", "CF": "CF_XDR_ZJHM"}
ACTIONS = {"submitted": "submit", "deleted": "delete"}


class WorkdayIndex:
    """Working days between two dates, counted as `calendar.working_days_between` counts them.

    One read of the calendar table for the whole span (days without a row follow the same fallback
    rule, `calendar.fallback_is_workday`), then prefix sums answer any pair of dates in O(1).
    """

    def __init__(self, first: dt.date, last: dt.date) -> None:
        self.first = first
        stored = dict(CalendarDay.objects.filter(date__range=(first, last)).values_list("date", "is_workday"))
        days = (last - first).days + 1
        self._workdays = [0] * (days + 1)
        self._fallbacks = [0] * (days + 1)
        for offset in range(days):
            day = first + dt.timedelta(days=offset)
            flag = stored.get(day)
            self._workdays[offset + 1] = self._workdays[offset] + (fallback_is_workday(day) if flag is None else flag)
            self._fallbacks[offset + 1] = self._fallbacks[offset] + (flag is None)

    def between(self, start: dt.date, end: dt.date) -> tuple[int, bool]:
        """(working days after `start` up to and including `end`, whether the fallback rule was used)."""
        if end <= start:
            return 0, False
        a, b = (start - self.first).days + 1, (end - self.first).days + 1
        return self._workdays[b] - self._workdays[a], self._fallbacks[b] > self._fallbacks[a]


@dataclass
class BulkCounts:
    subjects: int = 0
    subjects_existing: int = 0
    records: int = 0
    records_existing: int = 0
    versions: int = 0

    def add(self, other: BulkCounts) -> None:
        for name, value in asdict(other).items():
            setattr(self, name, getattr(self, name) + value)


class _Table:
    """Raw inserts for one model: rows are tuples in `columns` order, values already adapted (`_Adapt`).

    Model instances and bulk_create's per-value compilation cost more than the database does here.
    SQLite: multi-row INSERT … RETURNING id (ids come back in insertion order, as bulk_create relies
    on too). PostgreSQL: ids drawn from the table's sequence, then COPY, which is many times faster
    than big INSERTs through psycopg (it re-parses every long statement). The driver's cursor is used
    directly, so DEBUG's query log keeps no copy of 500-row statements.
    """

    def __init__(self, model: type[Model], columns: list[str]) -> None:
        fields = [cast(Field, model._meta.get_field(name)) for name in columns]
        quote = connection.ops.quote_name
        self.table = model._meta.db_table
        self.columns = ", ".join(quote(field.column) for field in fields)
        # Identifiers come from the model's own metadata, values are parameters: nothing user-supplied.
        self.head = f"INSERT INTO {quote(self.table)} ({self.columns}) VALUES "  # noqa: S608
        self.placeholder = "(" + ", ".join(["%s"] * len(fields)) + ")"
        self.batch = max(1, min(500, 30000 // len(fields)))  # SQLite allows 32,766 parameters

    def insert(self, rows: list[tuple[Any, ...]], *, returning: bool = False) -> list[int]:
        if not rows:
            return []
        with connection.cursor() as wrapper:
            if connection.vendor == "postgresql":
                return self._copy(wrapper.cursor, rows, returning)
            return self._insert(wrapper.cursor, rows, returning)

    def _insert(self, cursor: Any, rows: list[tuple[Any, ...]], returning: bool) -> list[int]:
        ids: list[int] = []
        for start in range(0, len(rows), self.batch):
            batch = rows[start : start + self.batch]
            sql = self.head + ", ".join([self.placeholder] * len(batch))
            cursor.execute(sql + (" RETURNING id" if returning else ""), [v for row in batch for v in row])
            if returning:
                ids.extend(row[0] for row in cursor.fetchall())
        return ids

    def _copy(self, cursor: Any, rows: list[tuple[Any, ...]], returning: bool) -> list[int]:
        quote = connection.ops.quote_name
        ids: list[int] = []
        columns = self.columns
        if returning:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [self.table, len(rows)]
            )
            ids = [row[0] for row in cursor.fetchall()]
            rows = [(pk, *row) for pk, row in zip(ids, rows, strict=True)]
            columns = f"{quote('id')}, {columns}"
        with cursor.copy(f"COPY {quote(self.table)} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return ids


class _Adapt:
    """What the model fields would call to hand JSON, date and datetime values to this backend."""

    def __init__(self) -> None:
        ops = connection.ops
        self.json: Callable[[Any], Any] = partial(ops.adapt_json_value, encoder=None)
        self.date: Callable[[dt.date], Any] = ops.adapt_datefield_value
        self.datetime: Callable[[dt.datetime], Any] = ops.adapt_datetimefield_value


SUBJECT_COLUMNS = [
    "kind",
    "name",
    "name_normalized",
    "uscc",
    "org_code",
    "registration_no",
    "id_type",
    "id_hash",
    "id_encrypted",
    "id_masked",
    "legal_representative",
    "status",
    "created_at",
    "updated_at",
]
RECORD_COLUMNS = [
    "item",
    "subject",
    "provider",
    "source_key",
    "document_no",
    "decision_date",
    "received_on",
    "reporting_working_days",
    "reporting_estimated",
    "data",
    "protected",
    "status",
    "version",
    "status_reason",
    "content_hash",
    "raw_digest",
    "created_by",
    "created_at",
    "updated_at",
]
VERSION_COLUMNS = [
    "record",
    "version",
    "action",
    "status",
    "data",
    "protected",
    "subject",
    "document_no",
    "decision_date",
    "changed_by",
    "changed_at",
    "reason",
]


class BulkLoader:
    """Writes blocks from `generator.scale_blocks`; one transaction per block, so a rerun resumes."""

    def __init__(self, *, departments: dict[str, Department], first: dt.date, today: dt.date) -> None:
        """`departments`: demo department code → Department (from `loader.ensure_organisation`)."""
        if not connection.features.can_return_rows_from_bulk_insert:
            raise RuntimeError("批量载入需要 SQLite 3.35 以上或 PostgreSQL（INSERT … RETURNING）。")
        self.items = {item.code: item.pk for item in CatalogItem.objects.filter(code__in=["XK", "CF"])}
        self.departments = {code: department.pk for code, department in departments.items()}
        self.clerks = {code: user.pk for code, user in clerks_by_department().items()}
        self.workdays = WorkdayIndex(first - dt.timedelta(days=1), today)
        self.adapt = _Adapt()
        self.counts = BulkCounts()
        self.blocks, self._analyze_at = 0, 1
        self.subjects = _Table(Subject, SUBJECT_COLUMNS)
        self.records = _Table(CreditRecord, RECORD_COLUMNS)
        self.versions = _Table(RecordVersion, VERSION_COLUMNS)

    def load(self, block: Block) -> BulkCounts:
        counts = BulkCounts()
        with transaction.atomic():
            now = self.adapt.datetime(timezone.now())
            subject_ids = self._subjects(block.subjects, counts, now)
            self._records(block.rows, subject_ids, counts, now)
        self.counts.add(counts)
        reset_queries()  # under DEBUG Django keeps the last 9,000 statements: not ours to keep
        self.blocks += 1
        if connection.vendor == "postgresql" and self.blocks == self._analyze_at:
            self._analyze()
        return counts

    def _analyze(self) -> None:
        """Refresh PostgreSQL's statistics as the tables grow (1, 4, 16, … blocks): with the stale
        numbers of a young table the planner scans a whole provider's records for each key lookup."""
        self._analyze_at *= 4
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            for model in (Subject, CreditRecord, RecordVersion):
                cursor.execute(f"ANALYZE {quote(model._meta.db_table)}")

    def _subjects(self, subjects: list[DemoSubject], counts: BulkCounts, now: Any) -> dict[str, int]:
        """Subject code (USCC or ID number) → primary key, creating the missing ones."""
        hashes = {s.id_number: pii.id_lookup_hash(CITIZEN_ID_TYPE, s.id_number) for s in subjects if s.id_number}
        by_hash = dict(Subject.objects.filter(id_hash__in=list(hashes.values())).values_list("id_hash", "pk"))
        ids = {number: by_hash[h] for number, h in hashes.items() if h in by_hash}
        by_uscc = Subject.objects.filter(uscc__in=[s.uscc for s in subjects if s.uscc]).values_list("uscc", "pk")
        ids.update((uscc or "", pk) for uscc, pk in by_uscc)
        new = [s for s in subjects if s.code not in ids]
        rows = [_subject_row(s, hashes.get(s.id_number or ""), now) for s in new]
        ids.update(zip([s.code for s in new], self.subjects.insert(rows, returning=True), strict=True))
        counts.subjects += len(new)
        counts.subjects_existing += len(subjects) - len(new)
        return ids

    def _records(self, rows: list[DemoRow], subject_ids: dict[str, int], counts: BulkCounts, now: Any) -> None:
        keyed = []
        for row in rows:
            code = row.subject.uscc or pii.id_lookup_hash(CITIZEN_ID_TYPE, row.subject.id_number or "")
            keyed.append(
                (row, (self.departments[row.department], self.items[row.item_code], f"{row.document_no}|{code}"))
            )
        existing = existing_source_keys([key for _, key in keyed])
        new = [(row, key[2]) for row, key in keyed if key not in existing]
        records = [self._record(row, key, subject_ids[row.subject.code], now) for row, key in new]
        record_ids = self.records.insert(records, returning=True)
        versions = [
            v for record_id, record in zip(record_ids, records, strict=True) for v in _versions(record_id, record, now)
        ]
        self.versions.insert(versions)
        counts.records += len(records)
        counts.records_existing += len(rows) - len(records)
        counts.versions += len(versions)

    def _record(self, row: DemoRow, key: str, subject_id: int, now: Any) -> tuple[Any, ...]:
        """A CreditRecord as record_create stores it (column order: RECORD_COLUMNS), values adapted."""
        protected = {}
        if row.subject.kind == PERSON and row.subject.id_number:
            protected[ID_FIELD[row.item_code]] = pii.encrypt(row.subject.id_number)
        days, estimated = self.workdays.between(row.decision_date, row.received_on)
        reason = DELETE_REASON if row.status == "deleted" else ""
        adapt = self.adapt
        return (
            self.items[row.item_code],
            subject_id,
            self.departments[row.department],
            key,
            row.document_no,
            adapt.date(row.decision_date),
            adapt.date(row.received_on),
            days,
            estimated,
            adapt.json(row.stored_data()),
            adapt.json(protected),
            row.status,
            1,
            reason,
            "",  # no digest: a later import of the same row stores it as a new version once
            "",
            self.clerks.get(row.department),
            now,
            now,
        )

    def summarise(self, *, seed: int, requested: int, seconds: float) -> None:
        """The one audit event of a bulk load."""
        after: dict[str, Any] = {
            "seed": seed,
            "requested_records": requested,
            **asdict(self.counts),
            "seconds": round(seconds, 1),
        }
        with transaction.atomic():
            audit_log(
                actor="system",
                action="demo.bulk_load",
                object_type="records.creditrecord",
                object_repr=f"演示数据批量载入 {self.counts.records} 条",
                after=after,
            )


def _subject_row(demo: DemoSubject, id_hash: str | None, now: Any) -> tuple[Any, ...]:
    """A Subject as subjects.services creates it (column order: SUBJECT_COLUMNS)."""
    person: tuple[Any, ...]
    if demo.id_number:
        person = (None, "", "", CITIZEN_ID_TYPE, id_hash, pii.encrypt(demo.id_number), mask_citizen_id(demo.id_number))
    else:
        person = (demo.uscc, (demo.uscc or "")[8:17], "", "", None, "", "")
    return (demo.kind, demo.name, normalize_name(demo.name), *person, demo.legal_representative, "active", now, now)


def _versions(record_id: int, record: tuple[Any, ...], now: Any) -> list[tuple[Any, ...]]:
    """What record_create (then record_submit / record_delete) archive: one row per state."""
    by_name = dict(zip(RECORD_COLUMNS, record, strict=True))
    status, reason = by_name["status"], by_name["status_reason"]

    def version(action: str, state: str, why: str) -> tuple[Any, ...]:
        return (
            record_id,
            1,
            action,
            state,
            by_name["data"],
            by_name["protected"],
            by_name["subject"],
            by_name["document_no"],
            by_name["decision_date"],
            by_name["created_by"],
            now,
            why,
        )

    versions = [version("create", "draft", "")]
    if status in ACTIONS:
        versions.append(version(ACTIONS[status], status, reason))
    return versions
