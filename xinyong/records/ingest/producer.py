"""Read a batch's rows and prepare them in chunks: reader problems, unchanged rows, validated rows.

`local_chunks` prepares every chunk in the calling process; `part_chunks` only every `parts`-th one,
for the importing processes of `parallel.py`, each of which reads the whole file.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .reader import RawRow
from .rows import AcceptedRow, ImportSpec, RowIssue, prepare_chunk, preparer_for, raw_digest


@dataclass
class PreparedChunk:
    rows: int  # rows of the file in this chunk
    last_line: int
    accepted: list[AcceptedRow]
    issues: list[RowIssue]  # the unreadable rows', then the rejected rows' (in line order)
    unchanged: list[tuple[int, str]]  # (line, source key) of rows stored before exactly as written


class KnownRows:
    """Which rows the provider already stored for this item exactly as written (read-only queries).

    A row is looked up by the source key it would get (`RowPreparer.candidate_key`, through the unique
    key's index) and is unchanged when the stored record's raw fingerprint is the row's: identical cells
    under the same catalogue version. No index on the fingerprint itself is needed."""

    def __init__(self, spec: ImportSpec):
        self.provider_id, self.item_id = spec.provider_id, spec.item_id

    def stored_digests(self, keys: list[str]) -> dict[str, str]:
        from xinyong.records.models import CreditRecord

        from .writer import select_in

        if not keys:
            return {}
        query = (
            f"SELECT source_key, raw_digest FROM {CreditRecord._meta.db_table} "
            "WHERE provider_id = %s AND item_id = %s AND"
        )
        return dict(select_in(query, [self.provider_id, self.item_id], "source_key", keys))


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


def prepare_raw_chunk(spec: ImportSpec, chunk: list[RawRow], index: KnownRows | None = None) -> PreparedChunk:
    issues, readable = [], []
    for raw in chunk:
        issue = reader_issue(raw)
        if issue is not None:
            issues.append(issue)
        else:
            readable.append((raw.line, raw.values, raw_digest(spec, raw.values)))
    unchanged: list[tuple[int, str]] = []
    fresh = readable
    if index is not None:
        candidate_key = preparer_for(spec).candidate_key
        keys = [candidate_key(values) for _, values, _ in readable]
        stored = index.stored_digests(sorted({key for key in keys if key}))
        if stored:
            fresh = []
            for row, key in zip(readable, keys, strict=True):
                if key is not None and stored.get(key) == row[2]:
                    unchanged.append((row[0], key))
                else:
                    fresh.append(row)
    accepted = []
    for prepared, row_issues in prepare_chunk(spec, fresh):
        issues.extend(row_issues)
        if prepared is not None:
            accepted.append(prepared)
    return PreparedChunk(len(chunk), chunk[-1].line, accepted, issues, unchanged)


def open_rows(
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


def local_chunks(
    tabular: Any, spec: ImportSpec, after_line: int, size: int, *, fresh: bool = False
) -> Iterator[PreparedChunk]:
    """`fresh`: the provider has no record of the item but this batch's own — nothing to look up (a row
    exactly like an earlier one of the same file is still caught, as a duplicate, by its key)."""
    index = None if fresh else KnownRows(spec)
    for chunk in raw_chunks(tabular.rows, size, ChunkSelector(after_line, size)):
        yield prepare_raw_chunk(spec, chunk, index)


@dataclass(frozen=True)
class FileSource:
    """Where a preparing process reads the batch's rows from (plain data: sent to spawned processes)."""

    path: str
    original_name: str
    is_json: bool
    max_bytes: int
    encoding: str | None


def part_chunks(
    spec: ImportSpec, source: FileSource, after_line: int, size: int, part: int, parts: int, *, fresh: bool = False
) -> Iterator[tuple[int, PreparedChunk]]:
    """Read the whole file; prepare the chunks numbered `part` modulo `parts` (the others are skipped).
    Yields (chunk number, chunk); numbers count from 0 after `after_line`. `fresh` as for `local_chunks`."""
    index = None if fresh else KnownRows(spec)
    wanted = ChunkSelector(after_line, size, part, parts)
    with open_rows(
        source.path, source.original_name, source.is_json, spec, source.max_bytes, source.encoding, wanted
    ) as tabular:
        selected = getattr(tabular, "selected_by", None) is wanted  # the reader skipped the other rows
        for number, chunk in enumerate(raw_chunks(tabular.rows, size, None if selected else wanted)):
            yield part + number * parts, prepare_raw_chunk(spec, chunk, index)
