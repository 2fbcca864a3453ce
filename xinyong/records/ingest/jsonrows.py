"""Rows pushed as JSON through the API, read back from their archived copy like a file."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from .reader import RawRow


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "；".join(_text(v) for v in value)
    return str(value).strip()


class JsonRows:
    """The TabularFile shape over {"item": ..., "rows": [{field: value}, ...]}: row N is line N."""

    kind = "json"
    encoding = "utf-8"
    expected_rows: int | None = None

    def __init__(self, path: Path, resolve: Callable[[str], str | None] | None = None):
        """`resolve` maps a key (field code or Chinese label) to its field code, so that rows may use either."""
        with open(path, encoding="utf-8") as handle:
            payload = json.load(handle)
        self._resolve = resolve or (lambda key: None)
        self._rows: list[Any] = [self._keyed(row) for row in payload.get("rows", [])]
        self.expected_rows = len(self._rows)
        headers: dict[str, None] = {}
        for row in self._rows:
            if isinstance(row, dict):
                headers.update(dict.fromkeys(row))
        self.headers = list(headers)
        self.rows = self._iter()

    def _keyed(self, row: Any) -> Any:
        if not isinstance(row, dict):
            return row
        return {self._resolve(str(key)) or str(key): value for key, value in row.items()}

    def _iter(self) -> Iterator[RawRow]:
        width = len(self.headers)
        for number, row in enumerate(self._rows, start=1):
            if not isinstance(row, dict):
                yield RawRow(
                    line=number, values=[""] * width, error=f"第 {number} 条不是 JSON 对象（应为 {{字段: 值}}）。"
                )
                continue
            yield RawRow(line=number, values=[_text(row.get(h)) for h in self.headers])

    def close(self) -> None:
        self._rows = []

    def __enter__(self) -> JsonRows:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
