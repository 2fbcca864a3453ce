"""Read and prepare a batch's rows in a second process while the main process writes to the database.

The import has two halves of similar cost — parsing + validating, and writing — and the machine has
two cores: a spawned process (no inherited database connections) reads the file and prepares chunks,
and sends them over a bounded queue, so memory stays flat however long the file is.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from queue import Empty
from typing import Any

from .reader import FileRejected, RawRow
from .rows import AcceptedRow, ImportSpec, RowIssue, prepare_chunk, raw_digest

QUEUE_DEPTH = 3
PREPARING_PROCESSES = 2  # each reads the whole file and prepares every other chunk


@dataclass
class PreparedChunk:
    rows: int  # rows of the file in this chunk
    last_line: int
    accepted: list[AcceptedRow]
    issues: list[RowIssue]  # the unreadable rows', then the rejected rows' (in line order)
    unchanged: list[tuple[int, str]]  # (line, source key) of rows stored before exactly as written


class DigestIndex:
    """Which raw-row fingerprints the provider already stored for this item (read-only queries)."""

    def __init__(self, spec: ImportSpec):
        self.provider_id, self.item_id = spec.provider_id, spec.item_id

    def known(self, digests: list[str]) -> dict[str, str]:
        from xinyong.records.models import CreditRecord

        from .writer import select_in

        query = (
            f"SELECT raw_digest, source_key FROM {CreditRecord._meta.db_table} "
            "WHERE provider_id = %s AND item_id = %s AND"
        )
        return dict(select_in(query, [self.provider_id, self.item_id], "raw_digest", digests))


def reader_issue(row: RawRow) -> RowIssue | None:
    if row.error:
        return RowIssue(row.line, "error", "", "", "", "row_unreadable", row.error)
    if row.extra_cells:
        return RowIssue(
            row.line,
            "error",
            "",
            "",
            "",
            "extra_cells",
            f"该行比表头多出 {row.extra_cells} 个非空单元格，请检查是否错列。",
        )
    if row.formula_columns:
        return RowIssue(
            row.line,
            "error",
            "",
            "",
            "",
            "formula_not_allowed",
            "该行含有公式单元格，请复制后“选择性粘贴为数值”再上传。",
        )
    return None


class ChunkSelector:
    """Which rows a preparing process builds: those after `after_line` in the chunks numbered `part`
    modulo `parts`. Called once per row of the file, in order (blank records excluded)."""

    def __init__(self, after_line: int, size: int, part: int = 0, parts: int = 1):
        self.after_line, self.size, self.part, self.parts = after_line, size, part, parts
        self.seen = 0

    def __call__(self, line: int) -> bool:
        if line <= self.after_line:
            return False
        number = self.seen // self.size
        self.seen += 1
        return number % self.parts == self.part


def raw_chunks(rows: Iterator[RawRow], size: int, wanted: ChunkSelector | None = None) -> Iterator[list[RawRow]]:
    """The selected rows in chunks of `size`: `wanted` filters here unless the reader applied it already."""
    chunk: list[RawRow] = []
    for row in rows:
        if wanted is not None and not wanted(row.line):
            continue
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def prepare_raw_chunk(spec: ImportSpec, chunk: list[RawRow], index: DigestIndex | None = None) -> PreparedChunk:
    issues, readable = [], []
    for raw in chunk:
        issue = reader_issue(raw)
        if issue is not None:
            issues.append(issue)
        else:
            readable.append((raw.line, raw.values, raw_digest(spec, raw.values)))
    known = index.known([digest for _, _, digest in readable]) if index is not None else {}
    unchanged = [(line, known[digest]) for line, _, digest in readable if digest in known]
    fresh = [row for row in readable if row[2] not in known] if known else readable
    accepted = []
    for row, row_issues in prepare_chunk(spec, fresh):
        issues.extend(row_issues)
        if row is not None:
            accepted.append(row)
    return PreparedChunk(len(chunk), chunk[-1].line, accepted, issues, unchanged)


def _open(
    path: str,
    original_name: str,
    is_json: bool,
    spec: ImportSpec,
    max_bytes: int,
    encoding: str | None,
    wanted: ChunkSelector,
) -> Any:
    if is_json:
        from xinyong.catalog.validation import RowValidator

        from .jsonrows import JsonRows

        return JsonRows(Path(path), RowValidator(spec.fields, spec.roles).resolve_key)
    from .reader import open_tabular

    return open_tabular(
        Path(path), original_name=original_name, max_bytes=max_bytes, known_encoding=encoding, wanted=wanted
    )


def local_chunks(tabular: Any, spec: ImportSpec, after_line: int, size: int) -> Iterator[PreparedChunk]:
    index = DigestIndex(spec)
    for chunk in raw_chunks(tabular.rows, size, ChunkSelector(after_line, size)):
        yield prepare_raw_chunk(spec, chunk, index)


def _produce(
    spec: ImportSpec,
    path: str,
    original_name: str,
    is_json: bool,
    after_line: int,
    size: int,
    queue: Any,
    max_bytes: int,
    part: int = 0,
    parts: int = 1,
    encoding: str | None = None,
) -> None:
    """Read the whole file; prepare the chunks numbered `part` modulo `parts` (the others are skipped)."""
    try:
        import django

        django.setup()  # a spawned process: its own settings and its own (read-only) database connection
        index = DigestIndex(spec)
        wanted = ChunkSelector(after_line, size, part, parts)
        with _open(path, original_name, is_json, spec, max_bytes, encoding, wanted) as tabular:
            selected = getattr(tabular, "selected_by", None) is wanted  # the reader skipped the other rows
            for chunk in raw_chunks(tabular.rows, size, None if selected else wanted):
                queue.put(("chunk", prepare_raw_chunk(spec, chunk, index)))
        queue.put(("done", None))
    except FileRejected as exc:
        queue.put(("rejected", (exc.code, exc.message)))
    except Exception as exc:  # reported to the main process, which fails the batch with it
        queue.put(("crashed", repr(exc)))


def parallel_chunks(
    spec: ImportSpec,
    path: Path,
    original_name: str,
    is_json: bool,
    after_line: int,
    size: int,
    max_bytes: int,
    parts: int | None = None,
    encoding: str | None = None,
) -> Iterator[PreparedChunk]:
    """Chunks prepared by `parts` spawned processes (chunk n by process n mod parts), in file order."""
    parts = parts or PREPARING_PROCESSES
    context = multiprocessing.get_context("spawn")
    queues = [context.Queue(maxsize=QUEUE_DEPTH) for _ in range(parts)]
    processes = [
        context.Process(
            target=_produce,
            args=(spec, str(path), original_name, is_json, after_line, size, queue, max_bytes, part, parts, encoding),
            daemon=True,
        )
        for part, queue in enumerate(queues)
    ]
    for process in processes:
        process.start()
    try:
        number = 0
        while True:
            kind, payload = _next(queues[number % parts], processes[number % parts])
            if kind == "chunk":
                yield payload
                number += 1
            elif kind == "done":  # the process whose turn it is has no chunk left: the file is done
                return
            elif kind == "rejected":
                raise FileRejected(code=payload[0], message=payload[1])
            else:
                raise FileRejected(code="import_worker_failed", message=f"文件解析出错：{payload}")
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()
            process.join(timeout=10)


def _next(queue: Any, process: Any) -> tuple[str, Any]:
    while True:
        try:
            item: tuple[str, Any] = queue.get(timeout=5)
        except Empty:
            if not process.is_alive():
                raise FileRejected(
                    code="import_worker_died", message="文件解析进程意外退出，请重新导入该批次。"
                ) from None
            continue
        return item
