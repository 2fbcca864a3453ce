"""The import of one submission batch: header checks, then chunks of rows committed one at a time, in
file order — here for small batches, by `parallel.py`'s processes for large ones.

A chunk's records, row issues and the batch's progress commit together (`committer.py`), so a batch
interrupted at any point resumes after its last committed line with no row lost and none stored twice.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from xinyong.audit.services import audit_log
from xinyong.catalog.models import CatalogItem
from xinyong.catalog.validation import RowValidator, allowed_codes
from xinyong.core.errors import ApplicationError

from ..batches import import_max_bytes
from ..choices import BatchChannel, BatchStatus
from ..filestore import raw_file_local_copy
from ..models import CreditRecord, RawFile, SubmissionBatch
from .committer import ChunkCommitter
from .jsonrows import JsonRows
from .parallel import ImportInterrupted, ImportJob, import_in_parallel
from .producer import FileSource, local_chunks
from .reader import FileRejected, TabularFile, open_tabular
from .rows import HeaderMap, ImportSpec

CHUNK_ROWS: int = settings.XINYONG_IMPORT_CHUNK_ROWS
PARALLEL_MIN_ROWS: int = settings.XINYONG_IMPORT_PARALLEL_MIN_ROWS
# Below PARALLEL_MIN_ROWS a second process costs more to start than it saves. A running batch with no
# committed chunk for STALE_AFTER has lost its importing process and may be taken over.
STALE_AFTER = dt.timedelta(minutes=3)
Progress = Callable[[SubmissionBatch], None]
COUNTER_FIELDS = [
    "total",
    "created_count",
    "updated_count",
    "unchanged_count",
    "rejected_count",
    "warning_count",
    "processed_line",
    "heartbeat_at",
]


def spec_for(batch: SubmissionBatch, headers: list[str]) -> ImportSpec:
    received = batch.received_on or timezone.localdate()
    return ImportSpec(
        fields=batch.item.fields,
        roles=batch.item.field_roles,
        headers=headers,
        today_iso=received.isoformat(),
        hmac_key=settings.XINYONG_PII_HMAC_KEY.encode("utf-8"),
        item_version=batch.item.version,
        provider_id=batch.department_id,
        item_id=batch.item_id,
        allowed_codes=tuple(sorted(allowed_codes())),
    )


def check_headers(item: CatalogItem, headers: list[str]) -> HeaderMap:
    """Refuse a file whose header cannot be this item's; report unknown extra columns."""
    header_map = HeaderMap(RowValidator.for_item(item), headers)
    if header_map.duplicates:
        raise FileRejected(
            code="headers_duplicate",
            message=f"表头中有重复的字段：{'、'.join(header_map.duplicates)}是同一个字段，请只保留一列。",
        )
    if not header_map.columns:
        other = _item_matching(headers, exclude=item)
        hint = (
            f"看起来是“{other.name}”的文件，请在上传时选择正确的信息类别。" if other else "请下载该目录的模板核对表头。"
        )
        raise FileRejected(
            code="headers_wrong_item", message=f"表头与“{item.name}”目录不符：没有一列能对应到该目录的字段。{hint}"
        )
    missing = [
        f["label"] for f in item.fields if f.get("required") == "always" and f["code"] not in header_map.mapped_codes
    ]
    if missing:
        other = _item_matching(headers, exclude=item)
        hint = f"看起来是“{other.name}”的文件。" if other else ""
        raise FileRejected(
            code="headers_missing_required", message=f"文件缺少“{item.name}”的必填列：{'、'.join(missing)}。{hint}"
        )
    return header_map


def _item_matching(headers: list[str], *, exclude: CatalogItem) -> CatalogItem | None:
    best, best_score = None, 0
    for other in CatalogItem.objects.exclude(pk=exclude.pk):
        score = len(HeaderMap(RowValidator.for_item(other), headers).columns)
        if score > best_score:
            best, best_score = other, score
    return best if best_score >= 3 else None


class BatchImporter:
    def __init__(self, batch: SubmissionBatch, tabular: TabularFile | JsonRows):
        self.batch = batch
        self.tabular = tabular
        self.header_map = check_headers(batch.item, tabular.headers)
        self.spec = spec_for(batch, tabular.headers)
        # No record of this item from this provider but the batch's own: every key is new (no lookups).
        others = CreditRecord.objects.filter(provider_id=batch.department_id, item_id=batch.item_id)
        self.fresh = not others.exclude(batch=batch).exists()

    def run(self, path: Path, progress: Progress | None = None) -> None:
        batch = self.batch
        after = batch.processed_line

        def committed() -> None:
            batch.refresh_from_db(fields=COUNTER_FIELDS)
            if progress:
                progress(batch)

        if (batch.expected_rows or 0) - batch.total >= PARALLEL_MIN_ROWS:
            source = FileSource(
                str(path),
                batch.file_name,
                isinstance(self.tabular, JsonRows),
                import_max_bytes(batch.channel),
                self.tabular.encoding,
            )
            import_in_parallel(ImportJob(batch.pk, self.spec, source, after, CHUNK_ROWS, self.fresh), committed)
            committed()
            return
        committer = ChunkCommitter(batch, fresh=self.fresh)
        chunks = local_chunks(self.tabular, self.spec, after, CHUNK_ROWS, fresh=self.fresh)
        for number, chunk in enumerate(chunks):
            committer.commit(chunk, number)
            committed()


def batch_run(batch_id: int, progress: Progress | None = None, *, force: bool = False) -> SubmissionBatch:
    """Import (or resume) a batch. Safe to call again after any interruption."""
    batch = _claim(batch_id, force)
    if batch.status != BatchStatus.RUNNING:
        return batch
    try:
        with tempfile.TemporaryDirectory(prefix="xinyong-import-") as tmp:
            assert batch.raw_file is not None
            path = raw_file_local_copy(batch.raw_file, Path(tmp))
            opened = (
                JsonRows(path, RowValidator.for_item(batch.item).resolve_key)
                if batch.channel == BatchChannel.API_JSON
                else open_tabular(
                    path,
                    original_name=batch.file_name,
                    max_bytes=import_max_bytes(batch.channel),
                    known_encoding=batch.raw_file.text_encoding or None,
                )
            )
            with opened as tabular:
                _remember_text_facts(batch.raw_file, tabular)
                importer = BatchImporter(batch, tabular)
                _record_header_facts(batch, importer, path, tabular)
                importer.run(path, progress)
    except ImportInterrupted:
        raise  # not the file's fault: the batch stays running and resumes (`import_records --resume`, the sweep)
    except ApplicationError as exc:
        return _fail(batch, exc.code, exc.message)
    return _complete(batch)


def batch_is_stalled(batch: SubmissionBatch) -> bool:
    """A running batch whose importer has shown no progress for a while: its process has died."""
    last = batch.heartbeat_at or batch.started_at
    return batch.status == BatchStatus.RUNNING and (last is None or timezone.now() - last > STALE_AFTER)


class BatchBusy(ApplicationError):
    def __init__(self, batch: SubmissionBatch) -> None:
        super().__init__(
            code="batch_busy",
            status=409,
            message=f"批次 {batch.pk} 正在由另一个进程导入（最近进展 {batch.heartbeat_at:%H:%M:%S}），请稍后再试。",
        )


def _claim(batch_id: int, force: bool) -> SubmissionBatch:
    """Take the batch: a pending one, or a running one whose importer stopped (or `force`)."""
    with transaction.atomic():
        batch = (
            SubmissionBatch.objects.select_for_update(of=("self",)).select_related("item", "raw_file").get(pk=batch_id)
        )
        if batch.status == BatchStatus.RUNNING and not force and not batch_is_stalled(batch):
            raise BatchBusy(batch)
        if batch.status in (BatchStatus.PENDING, BatchStatus.RUNNING):
            batch.status = BatchStatus.RUNNING
            batch.started_at = batch.started_at or timezone.now()
            batch.heartbeat_at = timezone.now()
            batch.save(update_fields=["status", "started_at", "heartbeat_at"])
    return batch


def _remember_text_facts(raw: RawFile, tabular: Any) -> None:
    """A CSV's encoding and line feeds, once its whole-file check passed: the same bytes never need it again."""
    newlines = getattr(tabular, "newlines", None)
    if tabular.kind == "csv" and newlines is not None and not raw.text_encoding:
        raw.text_encoding, raw.line_feeds = tabular.encoding, newlines
        RawFile.objects.filter(pk=raw.pk).update(text_encoding=raw.text_encoding, line_feeds=newlines)


def _record_header_facts(batch: SubmissionBatch, importer: BatchImporter, path: Path, tabular: Any) -> None:
    batch.unknown_columns = importer.header_map.unknown
    if batch.expected_rows is None:
        batch.expected_rows = estimate_rows(path, tabular, batch.raw_file)
    batch.save(update_fields=["unknown_columns", "expected_rows"])


def estimate_rows(path: Path, tabular: Any, raw: RawFile | None = None) -> int | None:
    if tabular.kind != "csv":
        return getattr(tabular, "expected_rows", None)
    newlines = getattr(tabular, "newlines", None)
    if newlines is None and raw is not None:
        newlines = raw.line_feeds
    if newlines is not None:
        return max(newlines - 1, 0)  # counted while the encoding was checked
    lines = 0
    with open(path, "rb") as handle:
        while block := handle.read(1024 * 1024):
            lines += block.count(b"\n")
    return max(lines - 1, 0)


def _fail(batch: SubmissionBatch, code: str, message: str) -> SubmissionBatch:
    with transaction.atomic():
        batch.status, batch.failure_code, batch.failure_message = BatchStatus.FAILED, code, message
        batch.finished_at = timezone.now()
        batch.save(update_fields=["status", "failure_code", "failure_message", "finished_at"])
        audit_log(
            actor=batch.submitted_by or _token_label(batch),
            action="batch.fail",
            obj=batch,
            department=batch.department,
            after={"code": code, "message": message},
        )
    return batch


def _complete(batch: SubmissionBatch) -> SubmissionBatch:
    with transaction.atomic():
        batch.status, batch.finished_at = BatchStatus.COMPLETED, timezone.now()
        batch.save(update_fields=["status", "finished_at"])
        audit_log(
            actor=batch.submitted_by or _token_label(batch),
            action="batch.complete",
            obj=batch,
            department=batch.department,
            after=batch_summary(batch),
        )
    return batch


def _token_label(batch: SubmissionBatch) -> str:
    return f"token:{batch.token.prefix}" if batch.token_id and batch.token else "system"


def batch_summary(batch: SubmissionBatch) -> dict[str, Any]:
    return {
        "id": batch.pk,
        "status": batch.status,
        "item": batch.item.code,
        "department": batch.department.code,
        "file_name": batch.file_name,
        "sha256": batch.raw_file.sha256 if batch.raw_file else None,
        "total": batch.total,
        "accepted": batch.accepted_count,
        "created": batch.created_count,
        "updated": batch.updated_count,
        "unchanged": batch.unchanged_count,
        "rejected": batch.rejected_count,
        "warnings": batch.warning_count,
        "unknown_columns": batch.unknown_columns,
        "progress_percent": batch.progress_percent,
        "failure_code": batch.failure_code,
        "failure_message": batch.failure_message,
    }
