"""Commit one prepared chunk of a batch: its subjects, records, row issues and the batch's progress together.

Chunks are committed strictly in file order (one process at a time, see `parallel.py`), so the
batch's `processed_line` always means "every line up to here is stored or reported", and a batch
interrupted anywhere resumes after it with no row lost and none stored twice.

A chunk is first *planned*: the keys it takes (a key used twice in one file is reported as a
duplicate) and its subjects — found, claimed by the previous chunk, or new (on PostgreSQL with ids
drawn from the table's sequence). Plans are made in file order too, but they are cheap and need no
turn. On PostgreSQL the chunk's rows are then written *before* its turn to commit: several processes
write at once and only the commits wait for each other. A chunk whose early write or commit fails on
a conflict (another batch stored the same subject or record meanwhile) is written again after its
turn, looking everything up. SQLite has one writer at a time: a chunk is written after its turn,
from its plan (the records' parameters made beforehand, their subjects' ids found by the insert
statement), or looking everything up when the plan no longer holds.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from typing import Any

from django.db import DatabaseError, connection, transaction
from django.db.models import F
from django.utils import timezone

from xinyong.subjects.models import Subject

from ..models import CreditRecord, SubmissionBatch
from .producer import PreparedChunk
from .rows import AcceptedRow, RowIssue
from .workflow import request_corrections, sort_changed
from .writer import ChunkCounts, RecordWriter, SubjectResolver, analyze, draw_ids, integrity_errors

ANALYZE_AFTER = frozenset({1, 4, 16, 64})  # after these many chunks PostgreSQL's statistics are refreshed
EARLY_LOCK_TIMEOUT = "5s"  # an early write waiting this long on another batch's rows is written after its turn
CONFLICT_STATES = frozenset({"23505", "23503", "55P03", "40P01"})  # unique, foreign key, lock timeout, deadlock

# (source key, its line): what a chunk took, told to the other processes — as text, because each process
# hashes strings with its own random seed
KeyLines = list[tuple[str, int]]
# subject key -> (id, normalised name): the subjects a chunk found or will create
Subjects = dict[str, tuple[int, str]]


def relaxed_commit() -> None:
    """PostgreSQL: this transaction's commit does not wait for its WAL to reach the disk. A server crash may
    then lose the last chunks committed (well under a second of them), never part of one: the batch's
    processed line is in the same transaction, so the batch resumes before them from its archived file."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _bounded_lock_waits() -> None:
    """An early write holds its transaction open until its turn: it must never wait long for another
    transaction's locks (that one might be waiting, outside the database, for this one's turn)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL lock_timeout = '{EARLY_LOCK_TIMEOUT}'")


def _is_conflict(exc: BaseException) -> bool:
    """Django wraps the driver's error (the cause); COPY raises the driver's own."""
    state = getattr(exc, "sqlstate", None) or getattr(exc.__cause__, "sqlstate", None)
    return state in CONFLICT_STATES


@dataclass
class ChunkPlan:
    """What a chunk will store, decided before anything is written."""

    chunk: PreparedChunk
    number: int
    rows: list[AcceptedRow]  # the rows to store: each key's first row in the file
    taken: KeyLines
    counts: ChunkCounts  # the chunk's issues and duplicates so far, its unchanged rows
    subjects: Subjects | None = None  # every row's subject; the new ones with their drawn ids (SQLite: 0)
    new_subjects: dict[str, int] = field(default_factory=dict)  # subject key -> drawn id, of those to create
    warnings: list[RowIssue] = field(default_factory=list)  # the subjects' name mismatches and the rows' warnings
    record_ids: dict[int, int] = field(default_factory=dict)  # PostgreSQL: line -> drawn id, for a new record
    params: list[tuple[Any, ...]] | None = None  # SQLite, new item: the records' insert parameters, made early

    def claims(self) -> Subjects:
        """The subjects this chunk creates, as the other importing processes need them (key -> id, name)."""
        subjects = self.subjects or {}
        return {key: subjects[key] for key in self.new_subjects}


class Checkpointer:
    """SQLite: copies the write-ahead log into the database file when asked, in a thread with its own
    connection. A passive checkpoint blocks no reader or writer; most of its time is spent waiting for
    the disk (it syncs the log, then the database file), with Python's lock released."""

    def __init__(self, path: str):
        self.path = path
        self.wanted = threading.Event()
        self.stopping = False
        self.failure: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="sqlite-checkpoint", daemon=True)
        self.thread.start()

    def request(self) -> None:
        if self.failure is not None:
            raise self.failure
        self.wanted.set()

    def close(self, *, check: bool = True) -> None:
        """The last checkpoint asked for is done (with `check`, its error raised here)."""
        self.stopping = True
        self.wanted.set()
        self.thread.join()
        if check and self.failure is not None:
            raise self.failure

    def _run(self) -> None:
        try:
            with closing(sqlite3.connect(self.path, timeout=20, isolation_level=None)) as database:
                while True:
                    self.wanted.wait()
                    self.wanted.clear()
                    # Read before the checkpoint: a request that came during it, then `close`, gets one more.
                    stopping = self.stopping
                    database.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                    if stopping:
                        return
        except sqlite3.Error as exc:  # told to the importing thread at its next request
            self.failure = exc


class ChunkCommitter:
    """Writes a batch's chunks. Remembers the source keys the batch has taken (its own chunks' and, through
    `learn`, the other importing processes'), to report a key used twice in one file."""

    def __init__(self, batch: SubmissionBatch, *, fresh: bool):
        self.batch = batch
        self.writer = RecordWriter(batch)
        self.resolver = SubjectResolver()
        rows = CreditRecord.objects.filter(batch=batch).values_list("source_key", "source_line")
        # Keys already taken in this file, as 64-bit hashes: a million keys fit in ~90 MB instead of ~210 MB.
        self.seen: dict[int, int] = {hash(key): line or 0 for key, line in rows}
        # No record of this item from this provider but the batch's own: every key is new (no lookups),
        # unless another batch stores some meanwhile — an insert that collides falls back to looking up.
        self.fresh = fresh
        self.writes_early = connection.vendor == "postgresql"
        # Subjects other processes' chunks create, by chunk number, until those chunks are committed.
        self.claimed: dict[int, Subjects] = {}
        self.checkpoints: Checkpointer | None = None

    def learn(self, taken: KeyLines, number: int, subjects: Subjects | None) -> None:
        """Keys another process's chunk `number` took for this batch, and the subjects it creates."""
        seen = self.seen
        for key, line in taken:
            seen.setdefault(hash(key), line)
        if subjects:
            self.claimed[number] = subjects

    def forget_until(self, number: int) -> None:
        """Chunks up to `number` are committed: their subjects are found in the database from now on."""
        for done in [n for n in self.claimed if n <= number]:
            del self.claimed[done]

    def commit(self, chunk: PreparedChunk, number: int) -> KeyLines:
        """Plan and commit the batch's chunk `number` (from 0) in this process alone; the keys it took."""
        plan = self.plan(chunk, number)
        self.tidy(number, self.write(plan))
        return plan.taken

    def plan(self, chunk: PreparedChunk, number: int) -> ChunkPlan:
        """Which rows the chunk stores (each key's first row in the file) and, where rows are written early,
        their subjects. Needs every earlier chunk's keys and claimed subjects `learn`ed."""
        counts = ChunkCounts(issues=list(chunk.issues))
        taken: KeyLines = []
        seen = self.seen
        for line, key in chunk.unchanged:
            first = seen.get(hash(key))
            if first is not None:
                counts.issues.append(self._duplicate(line, first, ""))
            else:
                seen[hash(key)] = line
                taken.append((key, line))
                counts.unchanged += 1
        unique = []
        for row in chunk.accepted:
            first = seen.get(hash(row.source_key))
            if first is not None:
                counts.issues.append(self._duplicate(row.line, first, row.document_no))
                continue
            seen[hash(row.source_key)] = row.line
            taken.append((row.source_key, row.line))
            unique.append(row)
        plan = ChunkPlan(chunk, number, unique, taken, counts)
        if unique:
            claimed: Subjects = {}
            for subjects in self.claimed.values():
                claimed.update(subjects)
            early = self.writes_early
            plan.subjects, plan.new_subjects, plan.warnings = self.resolver.plan(unique, claimed, draw=early)
            if early:
                ids = draw_ids(CreditRecord._meta.db_table, len(unique))
                plan.record_ids = {row.line: pk for row, pk in zip(unique, ids, strict=True)}
            elif self.fresh:
                plan.params = self.writer.resolving_params(unique)
        return plan

    def write(self, plan: ChunkPlan, wait_turn: Callable[[], None] | None = None) -> ChunkCounts:
        """Store the plan and commit it after `wait_turn` returns (the previous chunk is committed)."""
        wait = wait_turn or (lambda: None)
        if plan.subjects is not None and self.writes_early:
            try:
                return self._transaction(plan, lambda: self._store(plan, plan.subjects), wait, early=True)
            except (DatabaseError, connection.Database.Error) as exc:  # type: ignore[attr-defined]
                if not _is_conflict(exc):
                    raise
                self.fresh = False  # another batch stores rows of the item too: look everything up
        wait()
        if plan.subjects is not None and not self.writes_early:  # SQLite: planned before the turn, written in it
            return self._transaction(plan, lambda: self._store_planned(plan), lambda: None)
        return self._transaction(plan, lambda: self._store(plan, None), lambda: None)

    def _transaction(
        self, plan: ChunkPlan, store: Callable[[], ChunkCounts], wait: Callable[[], None], *, early: bool = False
    ) -> ChunkCounts:
        """One chunk's transaction: its rows, its row issues, then — after `wait` — the batch's counters."""
        with transaction.atomic():
            relaxed_commit()
            if early:
                _bounded_lock_waits()
            counts = store()
            self.writer.issues(counts.issues)
            wait()
            self._count(plan.chunk, counts)
        return counts

    def tidy(self, number: int, counts: ChunkCounts) -> None:
        """Upkeep after chunk `number` committed, once the next chunk may commit (off the path that waits):
        PostgreSQL's statistics while the tables grow fast; SQLite's checkpoint of its write-ahead log, when
        this connection does not checkpoint at its commits (`checkpoints`)."""
        if connection.vendor == "postgresql":
            if number + 1 in ANALYZE_AFTER and counts.created:
                analyze(CreditRecord._meta.db_table, Subject._meta.db_table)
        elif self.checkpoints is not None:
            self.checkpoints.request()

    def checkpoint_after_commits(self) -> None:
        """SQLite: this connection's commits no longer copy the write-ahead log into the database file (the
        commit that crosses 1,000 pages does, by default); after each chunk `tidy` asks a thread of this
        process to do it, while this one prepares its next chunk and the other process commits its own.
        `close` waits for the last checkpoint."""
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA wal_autocheckpoint = 0")
            self.checkpoints = Checkpointer(str(connection.settings_dict["NAME"]))

    def close(self, *, check: bool = True) -> None:
        """The last checkpoint is done; with `check`, its failure is raised."""
        if self.checkpoints is not None:
            checkpoints, self.checkpoints = self.checkpoints, None
            checkpoints.close(check=check)

    def _duplicate(self, line: int, first: int, value: str) -> RowIssue:
        return RowIssue(
            line,
            "error",
            "",
            "",
            value,
            "duplicate_in_file",
            f"与第 {first} 行的数据主键（文书号+主体代码）重复，本行未入库。",
        )

    def _store_planned(self, plan: ChunkPlan) -> ChunkCounts:
        """SQLite, in turn: the planned subjects (any another batch created meanwhile is passed over), then the
        records, which find their subjects' ids themselves. When the plan no longer holds (a subject existed
        after all, a key is taken), the chunk is stored looking everything up."""
        created = self.resolver.create_or_ignore(plan.rows, plan.new_subjects)
        if created == len(plan.new_subjects) and plan.params is not None:
            try:
                with transaction.atomic():
                    self.writer.insert_resolving(plan.params)
                counts = ChunkCounts(issues=[*plan.counts.issues, *plan.warnings], unchanged=plan.counts.unchanged)
                counts.created = len(plan.rows)
                return counts
            except integrity_errors():
                self.fresh = False  # another batch stored records of the item meanwhile: look keys up
        return self._store(plan, None)

    def _store(self, plan: ChunkPlan, subjects: Subjects | None) -> ChunkCounts:
        """The plan's subjects and records: as planned (`subjects`), or looked up now (None)."""
        counts = ChunkCounts(issues=list(plan.counts.issues), unchanged=plan.counts.unchanged)
        unique = plan.rows
        if not unique:
            return counts
        if subjects is not None:
            self.resolver.create(unique, plan.new_subjects)
            counts.issues.extend(plan.warnings)
            ids = {key: pk for key, (pk, _) in subjects.items()}
        else:
            ids = self.resolver.resolve(unique, counts, plan.new_subjects if self.writes_early else None)
            for row in unique:
                counts.issues.extend(row.warnings)
        if self.fresh:
            try:
                with transaction.atomic():
                    self.writer.insert(unique, ids, plan.record_ids)
                counts.created = len(unique)
                return counts
            except integrity_errors():
                if subjects is not None:
                    raise  # written again after the turn
                self.fresh = False  # another batch stored records of the item meanwhile: look keys up
        self._insert_or_update(unique, ids, counts, plan.record_ids)
        return counts

    def _insert_or_update(
        self, unique: list[AcceptedRow], subjects: dict[str, int], counts: ChunkCounts, drawn: dict[int, int]
    ) -> None:
        """New rows are inserted; rows whose record has other content follow the record workflow."""
        existing = self.writer.existing([r.source_key for r in unique])
        new, changed = [], []
        for row in unique:
            found = existing.get(row.source_key)
            if found is None:
                new.append(row)
            elif found.content_hash == row.content_hash:
                counts.unchanged += 1
            else:
                changed.append((found, row))
        self.writer.insert(new, subjects, drawn)
        decided = sort_changed(changed)
        self.writer.update(decided.in_place, subjects)
        corrected, refused = request_corrections(self.batch, decided.corrections)
        counts.issues.extend([*decided.refused, *refused])
        counts.created, counts.updated = len(new), len(decided.in_place) + corrected

    def _count(self, chunk: PreparedChunk, counts: ChunkCounts) -> None:
        """The batch's counters, in the chunk's transaction (after its row issues). They are added in SQL:
        another process may have committed the previous chunk."""
        rejected_lines = {i.line for i in counts.issues if i.level == "error"}
        warned_lines = {i.line for i in counts.issues if i.level == "warning"}
        SubmissionBatch.objects.filter(pk=self.batch.pk).update(
            total=F("total") + chunk.rows,
            created_count=F("created_count") + counts.created,
            updated_count=F("updated_count") + counts.updated,
            unchanged_count=F("unchanged_count") + counts.unchanged,
            rejected_count=F("rejected_count") + len(rejected_lines),
            warning_count=F("warning_count") + len(warned_lines - rejected_lines),
            processed_line=chunk.last_line,
            heartbeat_at=timezone.now(),
        )
