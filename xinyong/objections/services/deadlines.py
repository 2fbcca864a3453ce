"""Working-day limits from the policy table, counted on the platform's calendar (fallback flagged)."""

from __future__ import annotations

import datetime as dt

from xinyong.core.calendar import WorkdayResult, add_working_days

from ..choices import LimitKey
from ..models import TimeLimit

DEFAULTS = {
    LimitKey.OBJECTION_ACCEPT: 1,
    LimitKey.OBJECTION_FORWARD: 2,
    LimitKey.OBJECTION_DECIDE: 5,
    LimitKey.REPAIR_DECIDE: 5,
}


def limit(key: str, on: dt.date) -> int:
    """The limit in force on `on` (the latest row effective by then; the seeded default otherwise)."""
    row = TimeLimit.objects.filter(key=key, effective_from__lte=on).order_by("-effective_from").first()
    return row.working_days if row else DEFAULTS[LimitKey(key)]


def due(key: str, start: dt.date) -> WorkdayResult:
    """`start` plus the limit in working days (the count starts the day after, STANDARDS.md §5)."""
    return add_working_days(start, limit(key, start))
