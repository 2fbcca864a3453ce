"""Database writes of one import chunk: subjects, new records, new versions, row issues.

Plain multi-row SQL for the records themselves (the import's hot path); the ORM for the rest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from xinyong.core.calendar import WorkdaysUntil
from xinyong.subjects.columns import SubjectColumns
from xinyong.subjects.models import Subject

from ..choices import RecordStatus
from ..models import BatchRowIssue, CreditRecord, RecordVersion, SubmissionBatch
from .rows import AcceptedRow, RowIssue
from .workflow import Existing

IMPORTED_STATUS = RecordStatus.SUBMITTED
SUBJECT_COLUMNS = [*SubjectColumns._fields, "created_at", "updated_at"]
RECORD_COLUMNS = [
    "item_id",
    "subject_id",
    "provider_id",
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
    "batch_id",
    "source_line",
    "created_by_id",
    "created_at",
    "updated_at",
]
CREATE_ATTEMPTS = 3
UNIT_SEPARATOR = chr(31)
LOOKUP_SLICE = 5000  # SQLite ≥ 3.32 takes 32,766 parameters; PostgreSQL far more


@dataclass
class ChunkCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    warnings: int = 0
    issues: list[RowIssue] = field(default_factory=list)


def write_rows(table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    """Insert many rows: COPY on PostgreSQL (several times faster), one prepared multi-row statement elsewhere."""
    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


def integrity_errors() -> tuple[type[Exception], ...]:
    """Django's IntegrityError and the driver's own (COPY runs on the driver's cursor, unwrapped)."""
    driver: Any = connection.Database  # type: ignore[attr-defined]
    return (IntegrityError, driver.IntegrityError)


def analyze(*tables: str) -> None:
    """Refresh PostgreSQL's statistics of tables that grew fast, so key lookups use their indexes."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"ANALYZE {table}")


def select_in(sql: str, params: list[Any], column: str, values: list[str]) -> list[tuple[Any, ...]]:
    """Rows of `sql` (ending in WHERE ... AND) whose `column` is one of `values`: plain SQL, because the
    ORM's per-value parameter handling was a fifth of the import's writing time."""
    found: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for part in _sliced(values):
            if connection.vendor == "postgresql":
                joined = UNIT_SEPARATOR.join(part)
                if joined and joined.count(UNIT_SEPARATOR) == len(part) - 1:  # no value holds the separator
                    # One text parameter split by the server: a list parameter costs ~3 µs a value to send.
                    cursor.execute(f"{sql} {column} = ANY(string_to_array(%s, chr(31)))", [*params, joined])
                else:
                    cursor.execute(f"{sql} {column} = ANY(%s)", [*params, part])
            else:
                cursor.execute(f"{sql} {column} IN ({', '.join(['%s'] * len(part))})", [*params, *part])
            found.extend(cursor.fetchall())
    return found


def draw_ids(table: str, count: int) -> list[int]:
    """PostgreSQL: `count` new ids from the table's sequence, ascending (used or not, never given again)."""
    if not count:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) AS id FROM generate_series(1, %s) ORDER BY id",
            [table, count],
        )
        return [pk for (pk,) in cursor.fetchall()]


def _sliced(values: list[Any]) -> list[list[Any]]:
    return [values[i : i + LOOKUP_SLICE] for i in range(0, len(values), LOOKUP_SLICE)]


class SubjectResolver:
    """Find or create the subjects of a chunk in a few queries; a new name under a known code warns."""

    def resolve(
        self, rows: list[AcceptedRow], counts: ChunkCounts, drawn: dict[str, int] | None = None
    ) -> dict[str, int]:
        """Look the chunk's subjects up now and create the missing ones (with their `drawn` ids when the
        plan drew some: a later chunk may already refer to them)."""
        keys = self._keys(rows)
        for attempt in range(CREATE_ATTEMPTS):
            found: dict[str, tuple[int, str]] = {}
            self._lookup(*keys, found)
            try:
                with transaction.atomic():  # another batch may create one of them first: look again
                    self._create_missing(rows, found, drawn or {})
                break
            except integrity_errors():
                if attempt + 1 == CREATE_ATTEMPTS:
                    raise
        counts.issues.extend(self._mismatches(rows, found))
        return {key: pk for key, (pk, _) in found.items()}

    def plan(
        self, rows: list[AcceptedRow], claimed: dict[str, tuple[int, str]], *, draw: bool = True
    ) -> tuple[dict[str, tuple[int, str]], dict[str, int], list[RowIssue]]:
        """Before anything is written: the chunk's subjects found in the database or `claimed` by chunks not
        yet committed, and for the others ids drawn from the sequence (PostgreSQL; `draw` false: 0, the id is
        found when the records are inserted). Returns every row's subject, the drawn ids of those to create,
        and the warnings (name mismatches, then the rows' own)."""
        found: dict[str, tuple[int, str]] = {}
        usccs, hashes = self._keys(rows)
        self._lookup(
            [key for key in usccs if key not in claimed], [h for h in hashes if f"id:{h}" not in claimed], found
        )
        new: dict[str, int] = {}
        for row in rows:
            key = row.subject_key
            if key not in found:
                if key in claimed:
                    found[key] = claimed[key]
                else:
                    new[key] = 0
                    found[key] = (0, row.subject.name_normalized)  # the first row's name, as the subject will have
        if draw:
            for key, pk in zip(new, draw_ids(Subject._meta.db_table, len(new)), strict=True):
                new[key] = pk
                found[key] = (pk, found[key][1])
        warnings = self._mismatches(rows, found)
        for row in rows:
            warnings.extend(row.warnings)
        return found, new, warnings

    def create(self, rows: list[AcceptedRow], drawn: dict[str, int]) -> None:
        """Insert the planned new subjects under their drawn ids."""
        new = _subject_rows(rows, drawn.__contains__)
        write_rows(Subject._meta.db_table, ["id", *SUBJECT_COLUMNS], [(drawn[k], *v) for k, v in new.items()])

    def create_or_ignore(self, rows: list[AcceptedRow], planned: dict[str, int]) -> int:
        """SQLite: insert the planned new subjects, passing over any that exists by now; how many were new."""
        if not planned:
            return 0
        new = _subject_rows(rows, planned.__contains__)
        marks = ", ".join(["%s"] * len(SUBJECT_COLUMNS))
        with connection.cursor() as cursor:  # the table name from model metadata; every value is a parameter
            cursor.executemany(
                f"INSERT OR IGNORE INTO {Subject._meta.db_table} ({', '.join(SUBJECT_COLUMNS)}) VALUES ({marks})",
                list(new.values()),
            )
            return int(cursor.rowcount)

    @staticmethod
    def _keys(rows: list[AcceptedRow]) -> tuple[list[str], list[str]]:
        """The chunk's USCCs and identity hashes, each once."""
        usccs = sorted({r.subject_key for r in rows if r.subject.uscc})
        hashes = sorted({r.subject_key[3:] for r in rows if not r.subject.uscc})
        return usccs, hashes

    @staticmethod
    def _mismatches(rows: list[AcceptedRow], found: dict[str, tuple[int, str]]) -> list[RowIssue]:
        return [
            RowIssue(
                row.line,
                "warning",
                "",
                "行政相对人名称",
                row.subject.name,
                "subject_name_mismatch",
                "该代码已登记的主体名称与本行名称不一致，已按代码归入同一主体，请核实。",
            )
            for row in rows
            if found[row.subject_key][1] != row.subject.name_normalized
        ]

    @staticmethod
    def _lookup(usccs: list[str], hashes: list[str], found: dict[str, tuple[int, str]]) -> None:
        table = Subject._meta.db_table
        for pk, uscc, name in select_in(f"SELECT id, uscc, name_normalized FROM {table} WHERE", [], "uscc", usccs):
            found[uscc] = (pk, name)
        query = f"SELECT id, id_hash, name_normalized FROM {table} WHERE"
        for pk, id_hash, name in select_in(query, [], "id_hash", hashes):
            found[f"id:{id_hash}"] = (pk, name)

    def _create_missing(
        self, rows: list[AcceptedRow], found: dict[str, tuple[int, str]], drawn: dict[str, int]
    ) -> None:
        """Insert the chunk's new subjects with one multi-row statement (under their drawn ids, if any), then
        read the ids of those without one back."""
        subjects = {row.subject_key: row.subject for row in reversed(rows) if row.subject_key not in found}
        if not subjects:
            return
        new = _subject_rows(rows, subjects.__contains__)
        with_ids = [(drawn[key], *values) for key, values in new.items() if key in drawn]
        write_rows(Subject._meta.db_table, ["id", *SUBJECT_COLUMNS], with_ids)
        for key in new:
            if key in drawn:
                found[key] = (drawn[key], subjects[key].name_normalized)
        rest = [key for key in new if key not in drawn]
        write_rows(Subject._meta.db_table, SUBJECT_COLUMNS, [new[key] for key in rest])
        usccs = [key for key in rest if subjects[key].uscc]
        hashes = [str(subjects[key].id_hash) for key in rest if not subjects[key].uscc]
        self._lookup(usccs, hashes, found)


def _subject_rows(rows: list[AcceptedRow], wanted: Callable[[str], bool]) -> dict[str, tuple[Any, ...]]:
    """The columns (SUBJECT_COLUMNS) of the subjects to create, by key, each from its first row `wanted`."""
    now = db_timestamp(timezone.now())
    new: dict[str, tuple[Any, ...]] = {}
    for row in rows:
        key = row.subject_key
        if key not in new and wanted(key):
            new[key] = (*row.subject, now, now)
    return new


def db_timestamp(value: dt.datetime) -> Any:
    """A timestamp as the database driver would send it (SQLite: the text its adapter makes), once per chunk
    instead of once per row and column."""
    return value.isoformat(" ") if connection.vendor == "sqlite" else value


class RecordWriter:
    def __init__(self, batch: SubmissionBatch):
        self.batch = batch
        self.received_on = batch.received_on or timezone.localdate()
        self._elapsed: dict[str, tuple[int, bool]] = {}
        self._until = WorkdaysUntil(self.received_on)
        self.vendor = connection.vendor
        meta = CreditRecord._meta
        self.table = meta.db_table
        self.version_table = RecordVersion._meta.db_table

    def _elapsed_days(self, decision_date: str) -> tuple[int, bool]:
        cached = self._elapsed.get(decision_date)
        if cached is None:
            result = self._until(dt.date.fromisoformat(decision_date))
            cached = self._elapsed[decision_date] = (result.days, result.used_fallback)
        return cached

    def _json(self) -> str:
        return "CAST(%s AS jsonb)" if self.vendor == "postgresql" else "%s"

    def existing(self, keys: list[str]) -> dict[str, Existing]:
        """The records these source keys found, with what the record workflow needs to know of them."""
        query = (
            f"SELECT source_key, id, content_hash, status FROM {self.table} WHERE provider_id = %s AND item_id = %s AND"
        )
        rows = select_in(query, [self.batch.department_id, self.batch.item_id], "source_key", keys)
        return {key: Existing(pk, digest, status) for key, pk, digest, status in rows}

    def insert(self, rows: list[AcceptedRow], subjects: dict[str, int], drawn: dict[int, int] | None = None) -> None:
        """New records; under the ids `drawn` for their lines, when given (in file order: chunks written at
        once by several processes keep their rows' order)."""
        if not rows:
            return
        params = self._params(rows, lambda row: (subjects[row.subject_key],))
        if drawn:
            with_ids = [(drawn[row.line], *values) for row, values in zip(rows, params, strict=True)]
            write_rows(self.table, ["id", *RECORD_COLUMNS], with_ids)
        else:
            write_rows(self.table, RECORD_COLUMNS, params)

    def resolving_params(self, rows: list[AcceptedRow]) -> list[tuple[Any, ...]]:
        """SQLite: the new records' parameters for `insert_resolving`, made before the chunk's turn to write —
        the subject as its USCC and identity hash, found by the statement itself once the subjects exist."""
        return self._params(rows, lambda row: (row.subject.uscc, row.subject.id_hash))

    def insert_resolving(self, params: list[tuple[Any, ...]]) -> None:
        table = Subject._meta.db_table
        subject = f"COALESCE((SELECT id FROM {table} WHERE uscc = %s), (SELECT id FROM {table} WHERE id_hash = %s))"
        marks = ", ".join(subject if column == "subject_id" else "%s" for column in RECORD_COLUMNS)
        with connection.cursor() as cursor:  # table names from model metadata; every value is a parameter
            cursor.executemany(f"INSERT INTO {self.table} ({', '.join(RECORD_COLUMNS)}) VALUES ({marks})", params)

    def _params(
        self, rows: list[AcceptedRow], subject_of: Callable[[AcceptedRow], tuple[Any, ...]]
    ) -> list[tuple[Any, ...]]:
        now = db_timestamp(timezone.now())
        batch = self.batch
        item, provider, status = batch.item_id, batch.department_id, str(IMPORTED_STATUS)
        received: Any = self.received_on.isoformat() if self.vendor == "sqlite" else self.received_on  # as adapted
        elapsed, ids, actor = self._elapsed_days, batch.pk, batch.submitted_by_id
        return [
            (
                item,
                *subject_of(row),
                provider,
                row.source_key,
                row.document_no,
                row.decision_date,
                received,
                *elapsed(row.decision_date),
                row.data_json,
                row.protected,
                status,
                1,
                "",
                row.content_hash,
                row.raw_digest,
                ids,
                row.line,
                actor,
                now,
                now,
            )
            for row in rows
        ]

    def update(self, rows: list[tuple[int, AcceptedRow]], subjects: dict[str, int]) -> None:
        """Archive the current state of each changed record, then store the new content as the next version."""
        if not rows:
            return
        now = timezone.now()
        actor = self.batch.submitted_by_id
        archive = (  # table names from model metadata; every value is a parameter
            f"INSERT INTO {self.version_table} (record_id, version, action, status, data, protected, subject_id, "
            "document_no, decision_date, changed_by_id, changed_at, reason) "
            f"SELECT id, version, 'superseded_by_import', status, data, protected, subject_id, document_no, "
            f"decision_date, %s, %s, %s FROM {self.table} WHERE id = %s"
        )
        j = self._json()
        update = (  # table names from model metadata; every value is a parameter
            f"UPDATE {self.table} SET subject_id = %s, document_no = %s, decision_date = %s, data = {j}, "
            f"protected = {j}, content_hash = %s, raw_digest = %s, version = version + 1, status = %s, "
            "status_reason = %s, "
            "batch_id = %s, source_line = %s, reporting_working_days = %s, reporting_estimated = %s, "
            "updated_at = %s WHERE id = %s"
        )
        reason = f"批次 {self.batch.pk} 第 {{line}} 行报送了新内容"
        archive_params, update_params = [], []
        for pk, row in rows:
            days, estimated = self._elapsed_days(row.decision_date)
            archive_params.append((actor, now, reason.format(line=row.line), pk))
            update_params.append(
                (
                    subjects[row.subject_key],
                    row.document_no,
                    row.decision_date,
                    row.data_json,
                    row.protected,
                    row.content_hash,
                    row.raw_digest,
                    IMPORTED_STATUS,
                    reason.format(line=row.line),
                    self.batch.pk,
                    row.line,
                    days,
                    estimated,
                    now,
                    pk,
                )
            )
        with connection.cursor() as cursor:
            cursor.executemany(archive, archive_params)
            cursor.executemany(update, update_params)

    def issues(self, issues: list[RowIssue]) -> None:
        if issues:
            BatchRowIssue.objects.bulk_create(
                [
                    BatchRowIssue(
                        batch_id=self.batch.pk,
                        line=i.line,
                        level=i.level,
                        field_code=i.field_code[:64],
                        field_label=i.field_label[:100],
                        value=i.value[:200],
                        code=i.code[:64],
                        message=i.message,
                    )
                    for i in issues
                ],
                batch_size=1000,
            )
