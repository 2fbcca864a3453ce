"""Public reads: subject pages, red and black lists, notices and headline figures.

Everything here reads the projection (`PublicSubject`, `PublicRecord`) or the portal's own notices,
and keeps only records whose publicity has not ended on `today`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Count
from django.utils import timezone

from xinyong.core.errors import NotFound

from .choices import NoticeKind, PublicGroup
from .models import Notice, PublicRecord, PublicSubject
from .search import as_code, code_lookup, current

HEADLINE_CACHE_SECONDS = 300
MAX_RECORDS_SHOWN = 1000
LIST_PAGE_SIZE = 20
NOTICE_PAGE_SIZE = 20
LIST_GROUPS = {"red": PublicGroup.RED, "black": PublicGroup.BLACK}


@dataclass(frozen=True)
class RecordGroup:
    group: str
    label: str
    records: list[PublicRecord]


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


@dataclass(frozen=True)
class SubjectPage:
    """A public subject as its page and the API show it: its current records, grouped, and their counts."""

    subject: PublicSubject
    groups: list[RecordGroup]
    counts: dict[str, int]  # current records per group, all of them (also past MAX_RECORDS_SHOWN)


def public_subject_page(slug_or_code: str, *, today: dt.date | None = None) -> SubjectPage:
    """A subject with its current public records, by slug, USCC or identity number; 404 when it has none.

    By public identifier this is one query (the records with their subject); by code, two."""
    day = _today(today)
    value = (slug_or_code or "").strip()[:40]
    records = _current_records(day, subject__slug=value) if value else []
    if not records and (code := as_code(value)) is not None and (found := code_lookup(code)) is not None:
        records = _current_records(day, subject=found)
    if not records:
        raise NotFound("未找到该主体的公示信息。", code="subject_not_found")
    subject = records[0].subject
    if len(records) < MAX_RECORDS_SHOWN:
        counts = {group: sum(r.group == group for r in records) for group in PublicGroup.values}
    else:
        counts = _current_counts(subject, day)
    return SubjectPage(subject=subject, groups=_grouped(records), counts=counts)


def _current_records(day: dt.date, **subject: object) -> list[PublicRecord]:
    """At most MAX_RECORDS_SHOWN current records of one subject, newest first, each with its subject."""
    records = PublicRecord.objects.filter(current(day), **subject).select_related("subject")
    return list(records.order_by("-decision_date", "-pk")[:MAX_RECORDS_SHOWN])


def _current_counts(subject: PublicSubject, day: dt.date) -> dict[str, int]:
    records = PublicRecord.objects.filter(current(day), subject=subject)
    rows = dict(records.values_list("group").annotate(n=Count("pk")).order_by())
    return {group: int(rows.get(group, 0)) for group in PublicGroup.values}


def _grouped(records: list[PublicRecord]) -> list[RecordGroup]:
    """Records in 信用中国 group order, keeping their order within a group."""
    return [
        RecordGroup(group=value, label=label, records=[r for r in records if r.group == value])
        for value, label in PublicGroup.choices
    ]


def public_list_entries(
    group: str, list_name: str | None = None, page: int | str = 1, *, today: dt.date | None = None
) -> Page:
    """One page of a red or black list (all lists of the group, or one list by name)."""
    entries = PublicRecord.objects.filter(current(_today(today)), group=group).select_related("subject")
    if list_name:
        entries = entries.filter(list_name=list_name)
    paginator = Paginator(entries.order_by("-decision_date", "-pk"), LIST_PAGE_SIZE)
    return paginator.get_page(page)


def public_list_names(group: str, *, today: dt.date | None = None) -> list[tuple[str, int]]:
    """The names of the lists in a group with their current entry counts."""
    rows = (
        PublicRecord.objects.filter(current(_today(today)), group=group)
        .values_list("list_name")
        .annotate(n=Count("pk"))
        .order_by("list_name")
    )
    return [(name or "（未注明名单名称）", n) for name, n in rows]


def notices_latest(n: int = 5, *, kinds: list[str] | None = None) -> list[Notice]:
    notices = Notice.objects.only("pk", "kind", "title", "published_at")
    if kinds:
        notices = notices.filter(kind__in=kinds)
    return list(notices.order_by("-published_at", "-pk")[:n])


def notices_page(page: int | str = 1, *, kind: str | None = None) -> Page:
    notices = Notice.objects.only("pk", "kind", "title", "published_at")
    if kind in NoticeKind.values:
        notices = notices.filter(kind=kind)
    return Paginator(notices.order_by("-published_at", "-pk"), NOTICE_PAGE_SIZE).get_page(page)


def notice_get(pk: int | str) -> Notice:
    notice = Notice.objects.only("pk", "kind", "title", "body", "published_at").filter(pk=_int(pk)).first()
    if notice is None:
        raise NotFound("未找到该公告。", code="notice_not_found")
    return notice


def _int(value: int | str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def headline_counts(*, today: dt.date | None = None) -> dict[str, int]:
    """Subjects and current records by group for the home page, computed at most every 5 minutes."""
    day = _today(today)
    key = f"xinyong:headline-counts:{day.isoformat()}"
    cached = cache.get(key)
    if cached is not None:
        return dict(cached)
    by_group = dict(PublicRecord.objects.filter(current(day)).values_list("group").annotate(n=Count("pk")).order_by())
    counts = {group: int(by_group.get(group, 0)) for group in PublicGroup.values}
    counts["records"] = sum(by_group.values())
    counts["subjects"] = PublicSubject.objects.count()
    cache.set(key, counts, HEADLINE_CACHE_SECONDS)
    return counts
