"""Publication policy: may a record be public, on what basis, and for how long (STANDARDS.md §2–3, §6).

Everything here is read from the editable rule tables; a record is judged by the rules in force on
its decision date.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Q

from xinyong.catalog.choices import Disclosure
from xinyong.records.models import CreditRecord

from .models import ExclusionRule, PublicBasis, PublicityRule

RuleT = TypeVar("RuleT", PublicityRule, ExclusionRule)

TIER_LABEL = "失信严重程度"
DEFAULT_TIER = "一般"


def add_months(start: dt.date, months: int) -> dt.date:
    """民法典 Art. 201–203: the period ends on the same-numbered day, or the month's last day."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Outcome:
    """What the last approval leads to."""

    is_public: bool
    basis: str
    not_public_reason: str
    rule: PublicityRule | None
    starts_on: dt.date
    repair_from: dt.date | None
    ends_on: dt.date | None

    def expired_on(self, today: dt.date) -> bool:
        return self.ends_on is not None and self.ends_on < today


def display_value(value: Any) -> str:
    """A field value as text: several choices joined with 「；」."""
    if isinstance(value, list):
        return "；".join(str(v) for v in value)
    return "" if value is None else str(value)


def record_tier(record: CreditRecord) -> str:
    for spec in record.item.fields:
        if spec.get("label") == TIER_LABEL:
            return display_value(record.data.get(spec["code"])) or DEFAULT_TIER
    return ""


def _in_force_filter(record: CreditRecord) -> Q:
    return Q(
        Q(effective_to__isnull=True) | Q(effective_to__gte=record.decision_date),
        item_code=record.item.code,
        effective_from__lte=record.decision_date,
    )


def choose_rule(record: CreditRecord, in_force: Iterable[PublicityRule]) -> PublicityRule | None:
    """The most specific of the rules in force for the record (its tier before any tier, then the newest)."""
    tier = record_tier(record)
    rules = sorted(in_force, key=lambda r: (r.tier != tier, r.tier != "", -r.effective_from.toordinal()))
    return next((r for r in rules if r.tier in (tier, "")), None)


def rule_for(record: CreditRecord) -> PublicityRule | None:
    return choose_rule(record, PublicityRule.objects.filter(_in_force_filter(record)))


def _date_field(record: CreditRecord, code: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(record.data.get(code) or ""))
    except ValueError:
        return None


def window(record: CreditRecord, rule: PublicityRule | None) -> tuple[dt.date | None, dt.date | None]:
    """(earliest repair, automatic end) counted from the decision date."""
    if rule is None:
        return None, None
    decided = record.decision_date
    if rule.valid_until_field:
        ends = _date_field(record, rule.valid_until_field)
    else:
        ends = add_months(decided, rule.ends_after_months) if rule.ends_after_months else None
    months = rule.repair_after_months
    if rule.longer_repair_months:
        text = " ".join(display_value(v) for v in record.data.values())
        if any(word in text for word in rule.longer_repair_keywords):
            months = rule.longer_repair_months
    return (add_months(decided, months) if months else None), ends


def basis_text(record: CreditRecord, own: PublicBasis | None) -> str:
    """The record's own Article 11 basis if it has one, else its catalogue item's."""
    return own.describe() if own else record.item.public_basis.strip()


def public_basis(record: CreditRecord) -> str:
    return basis_text(record, PublicBasis.objects.filter(record=record).first())


def exclusion_reason(record: CreditRecord) -> str:
    return matching_exclusion(record, ExclusionRule.objects.filter(_in_force_filter(record)))


def matching_exclusion(record: CreditRecord, in_force: Iterable[ExclusionRule]) -> str:
    """The reason of the first exclusion rule (of those in force for the record) that the record meets."""
    for rule in in_force:
        if rule.provider_code and rule.provider_code != record.provider.code:
            continue
        if display_value(record.data.get(rule.field_code)) == rule.equals:
            return rule.reason
    return ""


def decide(record: CreditRecord, today: dt.date) -> Outcome:
    """Public or shared only, with the basis, the rule and the window (Article 11, STANDARDS §3)."""
    return judge(record, rule=rule_for(record), basis=public_basis(record), exclusion=lambda: exclusion_reason(record))


def judge(record: CreditRecord, *, rule: PublicityRule | None, basis: str, exclusion: Callable[[], str]) -> Outcome:
    """`decide` with the rule and the basis already found; `exclusion` is asked only when it matters."""
    repair_from, ends_on = window(record, rule)
    reason = ""
    if record.item.disclosure != Disclosure.PUBLIC:
        reason = f"目录项“{record.item.name}”的公开属性为{record.item.get_disclosure_display()}"
    elif not basis:
        reason = "无《办法》第十一条规定的公开依据（未经政府渠道公开，亦无法律法规要求公开），仅供政务共享"
    else:
        reason = exclusion()
        if not reason and rule is not None and not rule.published:
            reason = f"按{rule.basis}"
    return Outcome(
        is_public=not reason,
        basis=basis,
        not_public_reason=reason,
        rule=rule,
        starts_on=record.decision_date,
        repair_from=repair_from,
        ends_on=ends_on,
    )


class RuleBook:
    """Every publicity and exclusion rule, read once: `decide` for many records without a query each."""

    def __init__(self) -> None:
        self._publicity: dict[str, list[PublicityRule]] = {}
        self._exclusions: dict[str, list[ExclusionRule]] = {}
        for rule in PublicityRule.objects.order_by("item_code", "effective_from", "tier", "pk"):
            self._publicity.setdefault(rule.item_code, []).append(rule)
        for exclusion in ExclusionRule.objects.order_by("item_code", "field_code", "pk"):
            self._exclusions.setdefault(exclusion.item_code, []).append(exclusion)

    def decide(self, record: CreditRecord, today: dt.date, own_basis: PublicBasis | None) -> Outcome:
        """The same outcome as `decide(record, today)`; `own_basis` is the record's PublicBasis, if any."""
        code, day = record.item.code, record.decision_date
        rule = choose_rule(record, _covering(self._publicity.get(code, []), day))
        exclusions = self._exclusions.get(code, [])
        return judge(
            record,
            rule=rule,
            basis=basis_text(record, own_basis),
            exclusion=lambda: matching_exclusion(record, _covering(exclusions, day)),
        )


def _covering(rules: Iterable[RuleT], day: dt.date) -> list[RuleT]:
    return [r for r in rules if r.effective_from <= day and (r.effective_to is None or r.effective_to >= day)]
