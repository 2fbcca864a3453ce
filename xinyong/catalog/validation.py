"""Validate one row of credit information against its catalogue item's field schema.

Used by hand entry in the back office, by the JSON API and by file imports, so it is built once per
item (`RowValidator(item)`) and then called per row without further database access.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from xinyong.core import identifiers
from xinyong.core.errors import Issue

from .choices import FieldType, Required

LONG_TERM = dt.date(2099, 12, 31)
LONG_TERM_ISO = LONG_TERM.isoformat()
EXCEL_EPOCH = dt.date(1899, 12, 30)
MAX_VALUE_CHARS = 100_000
DEFAULT_MAX = {FieldType.TEXT: 200, FieldType.LONG_TEXT: 4000}
LEGAL_KINDS = frozenset({"法人及非法人组织", "个体工商户"})
_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_COMPACT_DATE_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SPLIT_RE = re.compile(r"[;；]")
ALLOW_LISTED = "“{label}”：该代码未通过校验，但已经人工核实列入白名单。"


def _bracket_key(label: str) -> str:
    """Headers arrive with full-width or half-width brackets: compare them in one form."""
    return label.replace("（", "(").replace("）", ")")


def parse_date(text: str) -> dt.date | None:
    """YYYY/MM/DD, YYYY-MM-DD, YYYY年M月D日, YYYYMMDD, an ISO datetime, or an Excel serial number."""
    text = text.strip()
    match = _DATE_RE.match(text) or _COMPACT_DATE_RE.match(text)
    if match is None and ("T" in text or " " in text):
        match = _DATE_RE.match(re.split(r"[T ]", text, maxsplit=1)[0])
    if match is not None:
        try:
            return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            return None
    try:
        serial = float(text)
    except ValueError:
        return None
    if 1 <= serial < 2958466 and serial == int(serial):
        return EXCEL_EPOCH + dt.timedelta(days=int(serial))
    return None


@dataclass
class RowResult:
    data: dict[str, Any] = field(default_factory=dict)
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def allowed_codes() -> frozenset[str]:
    """The allow-list of legacy codes (`IdentifierAllowance`): accepted with a warning despite their check."""
    from xinyong.subjects.models import IdentifierAllowance

    return frozenset(IdentifierAllowance.objects.values_list("code", flat=True))


Checker = Callable[["RowValidator", dict[str, Any], str, dict[str, str], "RowResult"], Any]


def cell_text(value: Any) -> str:
    """A submitted value as the text of a cell: a list (a multi-choice field, as stored) joined by semicolons."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "；".join(str(part).strip() for part in value)
    return str(value).strip()


class RowValidator:
    """Built once per catalogue item (the field plan is compiled), then called per row."""

    CACHE_LIMIT = 200_000

    def __init__(
        self,
        fields: list[dict[str, Any]],
        roles: Mapping[str, str],
        *,
        today: dt.date | None = None,
        allowed_codes: frozenset[str] = frozenset(),
    ):
        self.fields = fields
        self.allowed_codes = allowed_codes  # codes that fail their check but were verified by hand
        self.by_code = {spec["code"]: spec for spec in fields}
        self.by_label = {_bracket_key(spec["label"]): spec["code"] for spec in fields}
        self.roles = roles
        self.today = today or dt.date.today()
        self.today_iso = self.today.isoformat()
        self.kind_code = roles.get("subject_kind", "")
        self.decision_code = roles.get("decision_date", "")
        self._plan = [
            (
                spec["code"],
                spec,
                _CHECKERS[spec["type"]],
                spec.get("required", Required.OPTIONAL),
                spec.get("required_if"),
            )
            for spec in fields
        ]
        self.not_before = [(spec["code"], spec["not_before"]) for spec in fields if spec.get("not_before")]
        # Identifier checks and dates repeat across rows (agency codes, decision dates): remember them.
        self.uscc_cache: dict[str, Any] = {}
        self.date_cache: dict[str, dt.date | None] = {}

    @classmethod
    def for_item(cls, item: Any, today: dt.date | None = None) -> RowValidator:
        return cls(item.fields, item.field_roles, today=today, allowed_codes=allowed_codes())

    def resolve_key(self, key: str) -> str | None:
        """A column header or JSON key: the field code or the standard's Chinese label."""
        key = key.strip().lstrip("\ufeff")
        if key in self.by_code:
            return key
        upper = key.upper()
        if upper in self.by_code:
            return upper
        return self.by_label.get(_bracket_key(key))

    def validate(self, row: Mapping[str, Any]) -> RowResult:
        """Validate a row keyed by field codes or Chinese labels (hand entry, JSON)."""
        raw: dict[str, str] = {}
        unknown = []
        for key, value in row.items():
            code = self.resolve_key(str(key))
            if code is None:
                unknown.append(Issue("unknown_field", f"未知字段“{key}”，不属于本目录项。", str(key)))
                continue
            raw[code] = cell_text(value)
        result = self.validate_codes(raw)
        result.errors[:0] = unknown
        return result

    def validate_codes(self, raw: dict[str, str]) -> RowResult:
        """Validate a row already keyed by field code with stripped text values (the import's fast path)."""
        result = RowResult()
        kind = raw.get(self.kind_code, "")
        errors, data = result.errors, result.data
        for code, spec, checker, required, rule in self._plan:
            value = raw.get(code)
            if not value:
                if (required != Required.OPTIONAL or rule) and self.is_required(required, rule, raw, kind):
                    errors.append(Issue("required", f"“{spec['label']}”为必填项。", code))
                continue
            if len(value) > MAX_VALUE_CHARS:
                errors.append(Issue("value_too_long", f"“{spec['label']}”内容过长（{len(value)} 字），已拒收。", code))
                continue
            clean = checker(self, spec, value, raw, result)
            if clean is not None:
                data[code] = clean
        self._check_cross_field(result)
        return result

    @staticmethod
    def is_required(required: str, rule: dict[str, str] | None, raw: dict[str, str], kind: str) -> bool:
        """Whether an empty value of a field with this requirement is an error in a row of this subject kind."""
        if required == Required.ALWAYS:
            return True
        if required == Required.LEGAL:
            return kind in LEGAL_KINDS
        if required == Required.NATURAL:
            return kind == "自然人"
        if rule:
            return rule["contains"] in _SPLIT_RE.split(raw.get(rule["field"], ""))
        return False

    def _check_cross_field(self, result: RowResult) -> None:
        data = result.data
        decision = data.get(self.decision_code)
        if decision and decision > self.today_iso and decision != LONG_TERM_ISO:
            label = self.by_code[self.decision_code]["label"]
            result.errors.append(
                Issue("date_in_future", f"“{label}”{decision} 晚于今天，决定日期不能是将来的日期。", self.decision_code)
            )
        for code, other in self.not_before:
            value, earlier = data.get(code), data.get(other)
            if value and earlier and value < earlier:
                result.errors.append(
                    Issue(
                        "date_before",
                        f"“{self.by_code[code]['label']}”{value} 早于“{self.by_code[other]['label']}”{earlier}。",
                        code,
                    )
                )

    def check_value(self, spec: dict[str, Any], value: str, raw: dict[str, str]) -> tuple[Any, bool]:
        """One non-empty value through its field's checker alone: its clean form, and whether it raised no
        issue at all (neither error nor warning). `raw`: the other values the check reads (an identity
        number's type)."""
        scratch = RowResult()
        clean = _CHECKERS[spec["type"]](self, spec, value, raw, scratch)
        return clean, not (scratch.errors or scratch.warnings)

    def cached_date(self, text: str) -> dt.date | None:
        cache = self.date_cache
        if text in cache:
            return cache[text]
        if len(cache) > self.CACHE_LIMIT:
            cache.clear()
        parsed = cache[text] = parse_date(text)
        return parsed

    def cached_uscc(self, text: str) -> Any:
        cache = self.uscc_cache
        found = cache.get(text)
        if found is None:
            if len(cache) > self.CACHE_LIMIT:
                cache.clear()
            found = cache[text] = identifiers.check_uscc(text)
        return found


def _text(v: RowValidator, spec: dict[str, Any], value: str, raw: dict[str, str], result: RowResult) -> str | None:
    limit = spec.get("max_length") or DEFAULT_MAX.get(spec["type"], 200)
    if len(value) > limit:
        result.errors.append(
            Issue("too_long", f"“{spec['label']}”最多 {limit} 字，实际 {len(value)} 字。", spec["code"])
        )
        return None
    return value


def _date(v: RowValidator, spec: dict[str, Any], value: str, raw: dict[str, str], result: RowResult) -> str | None:
    parsed = v.cached_date(value)
    if parsed is None or parsed.year < 1949:
        result.errors.append(
            Issue(
                "date_invalid",
                f"“{spec['label']}”的日期“{value[:40]}”无效，"
                "应写作 YYYY/MM/DD、YYYY-MM-DD、YYYY年M月D日 或 Excel 日期。",
                spec["code"],
            )
        )
        return None
    if parsed > LONG_TERM:
        result.errors.append(Issue("date_invalid", f"“{spec['label']}”不能晚于 2099/12/31（长期）。", spec["code"]))
        return None
    return parsed.isoformat()


def _enum(v: RowValidator, spec: dict[str, Any], value: str, raw: dict[str, str], result: RowResult) -> str | None:
    if value not in spec["enum"]:
        result.errors.append(
            Issue(
                "enum_invalid",
                f"“{spec['label']}”的值“{value[:40]}”无效，应为：{'、'.join(spec['enum'])}。",
                spec["code"],
            )
        )
        return None
    return value


def _multi_enum(
    v: RowValidator, spec: dict[str, Any], value: str, raw: dict[str, str], result: RowResult
) -> list[str] | None:
    parts = [p.strip() for p in _SPLIT_RE.split(value) if p.strip()]
    bad = [p for p in parts if p not in spec["enum"]]
    if bad or not parts:
        result.errors.append(
            Issue(
                "enum_invalid",
                f"“{spec['label']}”中的“{'、'.join(bad)[:60]}”无效，应为：{'、'.join(spec['enum'])}（多个以分号分隔）。",
                spec["code"],
            )
        )
        return None
    return list(dict.fromkeys(parts))


def _money(v: RowValidator, spec: dict[str, Any], value: str, raw: dict[str, str], result: RowResult) -> str | None:
    try:
        amount = Decimal(value.replace(",", ""))
    except InvalidOperation:
        amount = Decimal("NaN")
    if not amount.is_finite() or amount < 0 or amount >= Decimal("1e9"):
        result.errors.append(
            Issue(
                "money_invalid", f"“{spec['label']}”的金额“{value[:40]}”无效，应为以万元为单位的非负数。", spec["code"]
            )
        )
        return None
    return format(amount.normalize(), "f")


def _uscc(v: RowValidator, spec: dict[str, Any], value: str, raw: dict[str, str], result: RowResult) -> str | None:
    check = v.cached_uscc(value)
    result.warnings.extend(Issue(w.code, f"“{spec['label']}”：{w.message}", spec["code"]) for w in check.warnings)
    if not check.valid:
        if check.normalized in v.allowed_codes:
            result.warnings.append(Issue("uscc_allow_listed", ALLOW_LISTED.format(label=spec["label"]), spec["code"]))
            return check.normalized
        result.errors.extend(Issue(e.code, f"“{spec['label']}”：{e.message}", spec["code"]) for e in check.errors)
        return None
    return check.normalized


def _id_number(v: RowValidator, spec: dict[str, Any], value: str, raw: dict[str, str], result: RowResult) -> str | None:
    id_type = raw.get(spec.get("type_field", ""), "") or "身份证"
    if id_type != "身份证":
        return identifiers.normalize(value)
    check = identifiers.check_citizen_id(value, today=v.today)
    if not check.valid:
        result.errors.extend(Issue(e.code, f"“{spec['label']}”：{e.message}", spec["code"]) for e in check.errors)
        return None
    return check.normalized


_CHECKERS: dict[str, Checker] = {
    FieldType.TEXT: _text,
    FieldType.LONG_TEXT: _text,
    FieldType.DATE: _date,
    FieldType.ENUM: _enum,
    FieldType.MULTI_ENUM: _multi_enum,
    FieldType.MONEY: _money,
    FieldType.USCC: _uscc,
    FieldType.ID_NUMBER: _id_number,
}
