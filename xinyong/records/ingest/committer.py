"""Commit one prepared chunk of a batch: its subjects, records, row issues and the batch's progress together.

Chunks are committed strictly in file order (one process at a time, see `parallel.py`), so the
batch's `processed_line` always means "every line up to here is stored or reported", and a batch
interrupted anywhere resumes after it with no row lost and none stored twice.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from xinyong.subjects.models import Subject

from ..models import CreditRecord, SubmissionBatch
from .producer import PreparedChunk
from .rows import AcceptedRow, RowIssue
from .writer import ChunkCounts, RecordWriter, SubjectResolver, analyze, integrity_errors

ANALYZE_AFTER = frozenset({1, 4, 16, 64})  # after these many chunks PostgreSQL's statistics are refreshed

# (source key, its line): what a chunk took, told to the other processes — as text, because each process
# hashes strings with its own random seed
KeyLines = list[tuple[str, int]]


def relaxed_commit() -> None:
    """PostgreSQL: this transaction's commit does not wait for its WAL to reach the disk. A server crash may
    then lose the last chunks committed (well under a second of them), never part of one: the batch's
    processed line is in the same transaction, so the batch resumes before them from its archived file."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


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

    def learn(self, taken: KeyLines) -> None:
        """Keys another process committed for this batch."""
        seen = self.seen
        for key, line in taken:
            seen.setdefault(hash(key), line)

    def commit(self, chunk: PreparedChunk, number: int) -> KeyLines:
        """Commit the batch's chunk `number` (from 0); the keys it took."""
        counts = ChunkCounts(issues=list(chunk.issues))
        with transaction.atomic():
            relaxed_commit()
            taken = self._write(chunk.accepted, counts, chunk.unchanged)
            self._advance(chunk, counts)
        if number + 1 in ANALYZE_AFTER and counts.created:
            analyze(CreditRecord._meta.db_table, Subject._meta.db_table)  # the tables grow fast
        return taken

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

    def _write(self, prepared: list[AcceptedRow], counts: ChunkCounts, unchanged: list[tuple[int, str]]) -> KeyLines:
        taken: KeyLines = []
        seen = self.seen
        for line, key in unchanged:
            first = seen.get(hash(key))
            if first is not None:
                counts.issues.append(self._duplicate(line, first, ""))
            else:
                seen[hash(key)] = line
                taken.append((key, line))
                counts.unchanged += 1
        unique = []
        for row in prepared:
            first = seen.get(hash(row.source_key))
            if first is not None:
                counts.issues.append(self._duplicate(row.line, first, row.document_no))
                continue
            seen[hash(row.source_key)] = row.line
            taken.append((row.source_key, row.line))
            unique.append(row)
        subjects = self.resolver.resolve(unique, counts) if unique else {}
        for row in unique:
            counts.issues.extend(row.warnings)
        if self.fresh and unique:
            try:
                with transaction.atomic():
                    self.writer.insert(unique, subjects)
                counts.created = len(unique)
                return taken
            except integrity_errors():
                self.fresh = False  # another batch stored records of the item meanwhile: look keys up
        self._insert_or_update(unique, subjects, counts)
        return taken

    def _insert_or_update(self, unique: list[AcceptedRow], subjects: dict[str, int], counts: ChunkCounts) -> None:
        existing = self.writer.existing([r.source_key for r in unique])
        new, changed = [], []
        for row in unique:
            found = existing.get(row.source_key)
            if found is None:
                new.append(row)
            elif found[1] == row.content_hash:
                counts.unchanged += 1
            else:
                changed.append((found[0], row))
        self.writer.insert(new, subjects)
        self.writer.update(changed, subjects)
        counts.created, counts.updated = len(new), len(changed)

    def _advance(self, chunk: PreparedChunk, counts: ChunkCounts) -> None:
        """The chunk's row issues and the batch's counters, in the chunk's transaction. The counters are
        added in SQL: another process may have committed the previous chunk."""
        self.writer.issues(counts.issues)
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
