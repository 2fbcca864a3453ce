"""行政许可 rows: the template type, and how one decision is written from a template (table: `licence_kinds`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .rows import INDIVIDUAL, LEGAL, LONG_TERM, PERSON, RowContext, add_months, doc_number

Text = Callable[[RowContext], str]
ORGS = frozenset({LEGAL, INDIVIDUAL})


@dataclass(frozen=True)
class LicenceKind:
    key: str
    department: str
    doc_name: str  # 行政许可决定文书名称
    doc_prefix: str  # 行政许可决定文书号 = prefix〔year〕n号
    category: str  # 许可类别
    cert_name: str  # 许可证书名称 ("" when the decision is the document)
    number: Text | None  # 许可编号
    content: Text  # 许可内容
    tags: frozenset[str] | None  # None: any legal person or sole proprietor
    kinds: frozenset[str]
    valid_months: int | None  # None: long-term (2099/12/31)
    weight: int

    def fits(self, kind: str, tags: frozenset[str]) -> bool:
        return kind in self.kinds and (self.tags is None or kind == PERSON or bool(self.tags & tags))


def K(
    key: str,
    department: str,
    doc_name: str,
    *,
    doc_prefix: str,
    category: str,
    cert_name: str,
    number: Text | None,
    content: Text,
    tags: tuple[str, ...] | None,
    kinds: frozenset[str],
    valid_months: int | None,
    weight: int,
) -> LicenceKind:
    """A table entry (see `licence_kinds`)."""
    frozen = None if tags is None else frozenset(tags)
    return LicenceKind(
        key, department, doc_name, doc_prefix, category, cert_name, number, content, frozen, kinds, valid_months, weight
    )


def licence_values(kind: LicenceKind, ctx: RowContext, department_name: str, department_uscc: str) -> dict[str, Any]:
    """The 行政许可 fields (typed) for one decision, keyed by field code, in catalogue order."""
    subject, decided = ctx.subject, ctx.decided
    until = LONG_TERM if kind.valid_months is None else add_months(decided, kind.valid_months) - dt.timedelta(days=1)
    values: dict[str, Any] = {"XK_XDR_MC": subject.name, "XK_XDR_LB": subject.kind_label}
    if subject.kind == PERSON:
        values.update({"XK_XDR_ZJLX": "身份证", "XK_XDR_ZJHM": subject.id_number})
    else:
        values.update({"XK_XDR_SHXYM": subject.uscc, "XK_FRDB": subject.legal_representative})
    values.update(
        {
            "XK_XKWS": kind.doc_name,
            "XK_WSH": doc_number(kind.doc_prefix, decided, ctx.sequence),
            "XK_XKLB": kind.category,
            "XK_XKZS": kind.cert_name,
            "XK_XKBH": kind.number(ctx) if kind.number else "",
            "XK_NR": kind.content(ctx),
            "XK_JDRQ": decided,
            "XK_YXQZ": decided,
            "XK_YXQZI": until,
            "XK_XKJG": department_name,
            "XK_XKJGDM": department_uscc,
            "XK_ZT": "有效" if until >= ctx.reference else "无效",
            "XK_LYDW": department_name,
            "XK_LYDWDM": department_uscc,
        }
    )
    return values
