"""The shapes the generator produces: an invented subject, the context of one record, one record row.

A row's `values` are typed (dates, Decimals, lists); `export_fields()` gives them as a department's
file would carry them (YYYY/MM/DD, ';'-joined, amounts in 万元, ID numbers in full) and
`stored_data()` as `record_create` stores them (ISO dates, lists, ID numbers masked).
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from xinyong.core.identifiers import mask_citizen_id

from .names import STREETS, VILLAGES
from .organisation import DemoDepartment

LONG_TERM = dt.date(2099, 12, 31)
ID_FIELDS = frozenset({"XK_XDR_ZJHM", "CF_XDR_ZJHM", "XK_FR_ZJHM", "CF_FR_ZJHM"})

LEGAL, INDIVIDUAL, PERSON = "legal_person", "individual_business", "natural_person"
KIND_LABELS = {LEGAL: "法人及非法人组织", INDIVIDUAL: "个体工商户", PERSON: "自然人"}


@dataclass(frozen=True)
class DemoSubject:
    kind: str  # a SubjectKind value
    name: str
    uscc: str | None
    id_number: str | None
    legal_representative: str
    town: str
    tags: frozenset[str]
    brand: str = ""
    male: bool = True

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def code(self) -> str:
        return self.uscc or self.id_number or ""


@dataclass
class RowContext:
    """What a template needs to write one record."""

    rng: random.Random
    subject: DemoSubject
    department: DemoDepartment
    decided: dt.date
    sequence: int
    reference: dt.date  # the day the demo's data is "as of" (licence status)


@dataclass
class DemoRow:
    item_code: str  # "XK" or "CF"
    department: str  # DemoDepartment.code
    subject: DemoSubject
    values: dict[str, Any]
    received_on: dt.date
    status: str = "draft"  # "draft", "submitted" or "deleted"
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def document_no(self) -> str:
        return str(self.values[f"{self.item_code}_WSH"])

    @property
    def decision_date(self) -> dt.date:
        value = self.values[f"{self.item_code}_JDRQ"]
        assert isinstance(value, dt.date)
        return value

    def export_fields(self) -> dict[str, str]:
        return {code: export_value(value) for code, value in self.values.items()}

    def stored_data(self) -> dict[str, Any]:
        """As the validator cleans it: empty fields left out, dates ISO, lists de-duplicated, IDs masked."""
        data: dict[str, Any] = {}
        for code, value in self.values.items():
            kind = type(value)
            if kind is str:
                if value:
                    data[code] = mask_citizen_id(value) if code in ID_FIELDS else value
            elif value not in (None, []):
                data[code] = stored_value(code, value)
        return data


def export_value(value: Any) -> str:
    if isinstance(value, dt.date):
        return f"{value:%Y/%m/%d}"
    if isinstance(value, Decimal):
        return money_text(value)
    if isinstance(value, list | tuple):
        return ";".join(value)
    return "" if value is None else str(value)


def stored_value(code: str, value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return money_text(value)
    if isinstance(value, list | tuple):
        return list(dict.fromkeys(value))
    if code in ID_FIELDS:
        return mask_citizen_id(value)
    return value


def money_text(amount: Decimal) -> str:
    """As the validator normalises it: no exponent, no trailing zeros."""
    return format(amount.normalize(), "f")


def wan(yuan: int | float) -> Decimal:
    """Yuan to 万元 (the unit of the standard), exact to the yuan."""
    return (Decimal(round(yuan)) / Decimal(10000)).normalize()


def date_cn(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def add_months(day: dt.date, months: int) -> dt.date:
    """Same-numbered day `months` later, or that month's last day (民法典 Art. 201–203)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def doc_number(prefix: str, day: dt.date, sequence: int) -> str:
    return f"{prefix}〔{day.year}〕{sequence}号"


def address(ctx: RowContext) -> str:
    rng, town = ctx.rng, ctx.subject.town
    if ctx.subject.kind == PERSON or rng.random() < 0.3:
        return f"韶山市{town}{rng.choice(VILLAGES)}村{rng.randint(1, 18)}组"
    return f"韶山市{town}{rng.choice(STREETS)}{rng.randint(1, 388)}号"
