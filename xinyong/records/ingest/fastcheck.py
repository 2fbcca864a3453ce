"""The import's fast path through `RowValidator`: per-field checks compiled once per file header.

A row the fast path accepts gets exactly the data `RowValidator.validate_codes` would give it. A row it
cannot accept outright — a missing required value, a bad value, anything that warns — gets `None`, and
the caller validates it again with `validate_codes`, so every issue and its message still come from
one place. The value checks themselves are `RowValidator.check_value`, run once per distinct value
(agency codes, dates, amounts and category lists repeat from row to row) and remembered.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from xinyong.catalog.choices import FieldType, Required
from xinyong.catalog.validation import DEFAULT_MAX, LEGAL_KINDS, LONG_TERM_ISO, MAX_VALUE_CHARS, RowValidator
from xinyong.core.identifiers import citizen_id_is_clean, uscc_is_clean

REJECT: Any = object()  # "validate this row again the slow way"
CACHE_LIMIT = 200_000
CACHED_TYPES = frozenset({FieldType.DATE, FieldType.ENUM, FieldType.MULTI_ENUM, FieldType.MONEY, FieldType.USCC})
Check = Callable[[str, list[str]], Any]  # (value, the row's cells) -> clean value or REJECT
Needed = Callable[[str, list[str]], bool]  # (subject kind, the row's cells) -> is an empty value an error


class FastValidator:
    """`validator` compiled for a file whose column `columns[code]` holds field `code`: the per-field checks
    written out as one function for this header (`_compile`), which is about twice as fast as looping over
    them."""

    def __init__(self, validator: RowValidator, columns: dict[str, int]):
        self.validator = validator
        self.kind_index = columns.get(validator.kind_code)
        self.plan: list[tuple[str, int | None, Check, Needed | None]] = [
            (spec["code"], columns.get(spec["code"]), _check_for(validator, spec, columns), _needed_for(spec, columns))
            for spec in validator.fields
        ]
        self.decision_code = validator.decision_code
        self.not_before = validator.not_before
        self.today_iso = validator.today_iso
        self._fast = self._compile()

    def __call__(self, values: list[str]) -> dict[str, Any] | None:
        """The clean data of a row with no issue at all, keyed by field code in catalogue order; else None."""
        return self._fast(values)

    def _compile(self) -> Callable[[list[str]], dict[str, Any] | None]:
        """One function for the plan: for each field, the cell, its check (text length inline; cached types
        through their cache's dict, called only for a value not seen yet) and, when empty, whether it is needed."""
        names: dict[str, Any] = {"REJECT": REJECT, "cross_fields_ok": self._cross_fields_ok}
        kind = f"values[{self.kind_index}]" if self.kind_index is not None else '""'
        lines = ["def fast(values):", f"    kind = {kind}", "    data = {}"]
        for number, (code, index, check, needed) in enumerate(self.plan):
            names[f"code_{number}"] = code
            if needed is not None:
                names[f"needed_{number}"] = needed
            if index is None:
                if needed is not None:
                    lines += [f"    if needed_{number}(kind, values):", "        return None"]
                continue
            lines += [f"    value = values[{index}]", "    if value:"]
            limit = getattr(check, "text_limit", None)
            cache = getattr(check, "cache", None)
            if limit is not None:
                lines += [
                    f"        if len(value) > {limit}:",
                    "            return None",
                    f"        data[code_{number}] = value",
                ]
            else:
                if cache is not None:
                    names[f"cache_{number}"] = cache
                    lines += [
                        f"        clean = cache_{number}.get(value, cache_{number})",
                        f"        if clean is cache_{number}:",
                        f"            clean = check_{number}(value, values)",
                    ]
                    if check.is_list:  # type: ignore[attr-defined]
                        lines += ["        elif clean is not REJECT:", "            clean = list(clean)"]
                else:
                    lines.append(f"        clean = check_{number}(value, values)")
                names[f"check_{number}"] = check
                lines += [
                    "        if clean is REJECT:",
                    "            return None",
                    "        if clean is not None:",
                    f"            data[code_{number}] = clean",
                ]
            if needed is not None:
                lines += [f"    elif needed_{number}(kind, values):", "        return None"]
        lines.append("    return data if cross_fields_ok(data) else None")
        exec("\n".join(lines), names)  # noqa: S102 — our own source, from the catalogue's field types only
        function: Callable[[list[str]], dict[str, Any] | None] = names["fast"]
        return function

    def _cross_fields_ok(self, data: dict[str, Any]) -> bool:
        decision = data.get(self.decision_code)
        if decision and decision > self.today_iso and decision != LONG_TERM_ISO:
            return False
        for code, other in self.not_before:
            value, earlier = data.get(code), data.get(other)
            if value and earlier and value < earlier:
                return False
        return True


def _needed_for(spec: dict[str, Any], columns: dict[str, int]) -> Needed | None:
    """When an empty value is an error (`RowValidator.is_required`); None when it never is."""
    required, rule = spec.get("required", Required.OPTIONAL), spec.get("required_if")
    if required == Required.ALWAYS:
        return lambda kind, values: True
    if required == Required.LEGAL:
        return lambda kind, values: kind in LEGAL_KINDS
    if required == Required.NATURAL:
        return lambda kind, values: kind == "自然人"
    if not rule:
        return None
    index = columns.get(rule["field"])
    split = RowValidator.is_required

    def needed(kind: str, values: list[str]) -> bool:
        other = values[index] if index is not None else ""
        return split(required, rule, {rule["field"]: other}, kind)

    return needed


def _check_for(validator: RowValidator, spec: dict[str, Any], columns: dict[str, int]) -> Check:
    kind = spec["type"]
    if kind in (FieldType.TEXT, FieldType.LONG_TEXT):
        limit = min(spec.get("max_length") or DEFAULT_MAX.get(kind, 200), MAX_VALUE_CHARS)

        def text(value: str, values: list[str]) -> Any:
            return value if len(value) <= limit else REJECT

        text.text_limit = int(limit)  # type: ignore[attr-defined]  # written inline by FastValidator._compile
        return text
    if kind in CACHED_TYPES:
        return _cached(validator, spec)
    type_index = columns.get(spec.get("type_field", ""))
    type_code, today = spec.get("type_field", ""), validator.today

    def uncached(value: str, values: list[str]) -> Any:  # identity numbers: depend on the type column
        if len(value) > MAX_VALUE_CHARS:
            return REJECT
        id_type = values[type_index] if type_index is not None else ""
        if id_type in ("", "身份证") and citizen_id_is_clean(value, today):
            return value
        return _run(validator, spec, value, {type_code: id_type} if id_type else {})

    return uncached


def _cached(validator: RowValidator, spec: dict[str, Any]) -> Check:
    cache: dict[str, Any] = {}
    is_list, is_uscc = spec["type"] == FieldType.MULTI_ENUM, spec["type"] == FieldType.USCC

    def check(value: str, values: list[str]) -> Any:
        clean = cache.get(value, cache)
        if clean is cache:
            if len(cache) > CACHE_LIMIT:
                cache.clear()
            if len(value) > MAX_VALUE_CHARS:
                clean = REJECT
            elif is_uscc and uscc_is_clean(value):
                clean = value
            else:
                clean = _run(validator, spec, value, {})
            cache[value] = clean
        return list(clean) if is_list and clean is not REJECT else clean

    check.cache = cache  # type: ignore[attr-defined]  # looked up inline by FastValidator._compile
    check.is_list = is_list  # type: ignore[attr-defined]
    return check


def _run(validator: RowValidator, spec: dict[str, Any], value: str, raw: dict[str, str]) -> Any:
    clean, clean_run = validator.check_value(spec, value, raw)
    return clean if clean_run else REJECT
