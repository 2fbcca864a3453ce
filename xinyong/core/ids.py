"""Ids taken from a URL or a form: digits only, within the range of a database key, else None."""

from __future__ import annotations

from collections.abc import Iterable

MAX_ID = 2**63 - 1  # the largest value a BigAutoField (and SQLite INTEGER) holds


def parse_id(value: object) -> int | None:
    """A positive key from user input, or None when it is not one (never an overflow further down)."""
    text = str(value or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 19:
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def parse_ids(values: Iterable[object], cap: int) -> list[int]:
    """The first `cap` values that are keys, each once, in the order given."""
    ids = [i for i in (parse_id(v) for v in list(values)[:cap]) if i is not None]
    return list(dict.fromkeys(ids))
