"""Working days (STANDARDS.md §5): deadline arithmetic over the editable CalendarDay table.

"Within N working days" counts from the day after the start date; adjusted Saturdays/Sundays (调休)
count, statutory holidays do not. A date without a row falls back to Monday–Friday minus the fixed
statutory dates (1 Jan, 1–2 May, 1–3 Oct); every result says whether that fallback was used and for
which years, so callers can warn. Nothing here raises for a missing year.

Each call runs one query for the range it needs (no cache), so edits made through the admin or
`manage.py calendar load` take effect at once.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, NamedTuple

from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.utils import timezone

from xinyong.core.errors import ApplicationError, Issue
from xinyong.core.models import CalendarDay

ONE_DAY = timedelta(days=1)
FIXED_STATUTORY_HOLIDAYS = frozenset({(1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3)})
ADJUSTED_WORKDAY_NAME = "调休上班"
WEEKDAY_RULE_SOURCE = "weekday-rule"
_WEEKEND = (1, 7)  # Django's __week_day lookup: 1 = Sunday, 7 = Saturday
_MAX_CHUNK_DAYS = 3660
_DATE_TEXT = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")
_FLAGS = {"1": True, "true": True, "是": True, "班": True, "0": False, "false": False, "否": False, "休": False}
_MIN_YEAR, _MAX_YEAR = 2000, 2100
_NAME_MAX = 50
_MAX_ISSUES_SHOWN = 5


@dataclass(frozen=True)
class WorkdayResult:
    date: date
    used_fallback: bool
    fallback_years: tuple[int, ...]


@dataclass(frozen=True)
class WorkdayCount:
    days: int
    used_fallback: bool
    fallback_years: tuple[int, ...]


class WorkdayCheck(NamedTuple):
    is_workday: bool
    used_fallback: bool


@dataclass(frozen=True)
class YearStatus:
    year: int
    days: int
    workdays: int
    holidays: int  # Monday–Friday days off
    adjusted_workdays: int  # Saturdays/Sundays worked (调休上班)
    sources: tuple[tuple[str, int], ...]

    @property
    def complete(self) -> bool:
        return self.days == _days_in_year(self.year)

    @property
    def source_summary(self) -> str:
        return "，".join(f"{source or '（未注明）'} ×{count}" for source, count in self.sources)


@dataclass(frozen=True)
class LoadSummary:
    file_name: str
    year: int  # the year the file schedules, now fully covered
    rows_in_file: int
    days_written: int
    holidays: int  # Monday–Friday days off in `year`
    adjusted_workdays: int  # Saturdays/Sundays worked in `year`
    other_days: int  # days of the adjacent years listed in the file
    warnings: tuple[str, ...] = field(default=())


# ------------------------------------------------------------------------------
# Deadline arithmetic
# ------------------------------------------------------------------------------
def fallback_is_workday(day: date) -> bool:
    """The rule for a date with no row: Monday–Friday, minus the fixed statutory dates."""
    return day.weekday() < 5 and (day.month, day.day) not in FIXED_STATUTORY_HOLIDAYS


def _stored_days(first: date, last: date) -> dict[date, bool]:
    return dict(CalendarDay.objects.filter(date__range=(first, last)).values_list("date", "is_workday"))


def _resolve(day: date, stored: dict[date, bool], fallback_years: set[int]) -> bool:
    flag = stored.get(day)
    if flag is None:
        fallback_years.add(day.year)
        return fallback_is_workday(day)
    return flag


def add_working_days(start: date, n: int) -> WorkdayResult:
    """The n-th working day after `start` (n = 0 returns `start`; negative n raises ValueError)."""
    if n < 0:
        raise ValueError("n must be zero or positive")
    fallback_years: set[int] = set()
    day, remaining = start, n
    chunk = min(2 * n + 30, _MAX_CHUNK_DAYS)  # 2n + 30 days always holds n working days in practice
    while remaining:
        stored = _stored_days(day + ONE_DAY, day + timedelta(days=chunk))
        for _ in range(chunk):
            day += ONE_DAY
            if _resolve(day, stored, fallback_years):
                remaining -= 1
                if not remaining:
                    break
    return WorkdayResult(day, bool(fallback_years), tuple(sorted(fallback_years)))


def working_days_between(start: date, end: date) -> WorkdayCount:
    """Working days after `start` up to and including `end` (0 when `end` is not after `start`)."""
    if end <= start:
        return WorkdayCount(0, False, ())
    stored = _stored_days(start + ONE_DAY, end)
    fallback_years: set[int] = set()
    days = sum(1 for day in _days(start + ONE_DAY, end) if _resolve(day, stored, fallback_years))
    return WorkdayCount(days, bool(fallback_years), tuple(sorted(fallback_years)))


class WorkdaysUntil:
    """Many `working_days_between(start, end)` for one `end` (an import's receipt date): one query, then
    a running count backwards from `end`, so each distinct start costs a dictionary lookup."""

    def __init__(self, end: date, earliest: date | None = None):
        self.end = end
        self._first = end
        self._counts: dict[date, tuple[int, int]] = {}  # start -> (working days, days without data)
        self._extend_to(earliest or end - timedelta(days=366))

    def _extend_to(self, first: date) -> None:
        stored = _stored_days(first + ONE_DAY, self.end)
        counts: dict[date, tuple[int, int]] = {}
        days = fallback = 0
        day = self.end
        while day > first:
            flag = stored.get(day)
            if flag is None:
                fallback += 1
                flag = fallback_is_workday(day)
            days += int(flag)
            counts[day - ONE_DAY] = (days, fallback)  # working days in (day - 1, end]
            day -= ONE_DAY
        self._first, self._counts = first, counts

    def __call__(self, start: date) -> WorkdayCount:
        if start >= self.end:
            return WorkdayCount(0, False, ())
        if start < self._first:
            self._extend_to(start - timedelta(days=366))
        days, fallback = self._counts[start]
        years: tuple[int, ...] = ()
        if fallback:  # rare: name the years without data exactly
            years = working_days_between(start, self.end).fallback_years
        return WorkdayCount(days, bool(fallback), years)


def is_workday(day: date) -> WorkdayCheck:
    stored = CalendarDay.objects.filter(date=day).values_list("is_workday", flat=True).first()
    if stored is None:
        return WorkdayCheck(fallback_is_workday(day), True)
    return WorkdayCheck(stored, False)


def fallback_warning(years: tuple[int, ...] | list[int]) -> str:
    """The Chinese warning to show when a result used the fallback rule."""
    listed = "、".join(str(year) for year in sorted(years))
    return f"警告：{listed} 年没有节假日数据，按周一至周五并扣除法定固定假日（1月1日，5月1日至2日，10月1日至3日）估算。"


# ------------------------------------------------------------------------------
# Coverage
# ------------------------------------------------------------------------------
def calendar_status() -> list[YearStatus]:
    """One entry per year that has rows, oldest first."""
    weekend = Q(date__week_day__in=_WEEKEND)
    counts = (
        CalendarDay.objects.annotate(year=ExtractYear("date"))
        .values("year")
        .annotate(
            days=Count("id"),
            workdays=Count("id", filter=Q(is_workday=True)),
            holidays=Count("id", filter=Q(is_workday=False) & ~weekend),
            adjusted=Count("id", filter=Q(is_workday=True) & weekend),
        )
        .order_by("year")
    )
    sources = _sources_by_year()
    return [
        YearStatus(
            year=row["year"],
            days=row["days"],
            workdays=row["workdays"],
            holidays=row["holidays"],
            adjusted_workdays=row["adjusted"],
            sources=tuple(sources.get(row["year"], [])),
        )
        for row in counts
    ]


def _sources_by_year() -> dict[int, list[tuple[str, int]]]:
    rows = (
        CalendarDay.objects.annotate(year=ExtractYear("date"))
        .values_list("year", "source")
        .annotate(n=Count("id"))
        .order_by("year", "-n", "source")
    )
    sources: dict[int, list[tuple[str, int]]] = {}
    for year, source, n in rows:
        sources.setdefault(year, []).append((source, n))
    return sources


def year_is_covered(year: int) -> bool:
    return CalendarDay.objects.filter(date__year=year).count() == _days_in_year(year)


def next_year_missing(today: date | None = None) -> bool:
    """True when the year after `today` (default: local today) lacks a full set of rows."""
    today = today or timezone.localdate()
    return not year_is_covered(today.year + 1)


def _days_in_year(year: int) -> int:
    return (date(year + 1, 1, 1) - date(year, 1, 1)).days


def _days(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += ONE_DAY


# ------------------------------------------------------------------------------
# Loading a year's schedule from a file
# ------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Row:
    day: date
    is_workday: bool
    name: str


def parse_date_text(text: str) -> date:
    """YYYY-MM-DD (or YYYY/M/D, as spreadsheets write it); ValueError otherwise."""
    match = _DATE_TEXT.match(text.strip())
    if not match:
        raise ValueError(text)
    year, month, day = (int(part) for part in match.groups())
    return date(year, month, day)


def _parse_flag(raw: Any) -> bool | None:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int) and raw in (0, 1):
        return bool(raw)
    return _FLAGS.get(str(raw).strip().lower()) if isinstance(raw, str) else None


def _parse_record(where: str, record: dict[str, Any], issues: list[Issue]) -> _Row | None:
    raw_date, raw_flag = record.get("date"), record.get("is_workday")
    name = str(record.get("name") or "").strip()
    try:
        day = parse_date_text(str(raw_date or ""))
    except ValueError:
        issues.append(Issue("bad_date", f"{where}：日期“{raw_date or ''}”无效，应为 YYYY-MM-DD 格式的真实日期。"))
        return None
    flag = _parse_flag(raw_flag)
    if flag is None:
        text = "" if raw_flag is None else raw_flag
        issues.append(Issue("bad_flag", f"{where}：is_workday“{text}”无法识别，应为 1/0、true/false、是/否 或 班/休。"))
    if not _MIN_YEAR <= day.year <= _MAX_YEAR:
        issues.append(Issue("bad_year", f"{where}：年份 {day.year} 超出范围（{_MIN_YEAR}–{_MAX_YEAR}）。"))
    if len(name) > _NAME_MAX:
        issues.append(Issue("bad_name", f"{where}：名称超过 {_NAME_MAX} 个字。"))
    if flag is None or not _MIN_YEAR <= day.year <= _MAX_YEAR:
        return None
    if not name and flag and day.weekday() >= 5:
        name = ADJUSTED_WORKDAY_NAME
    return _Row(day, flag, name)


def _decode(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise _file_error(path.name, "文件不存在。") from exc
    except OSError as exc:
        raise _file_error(path.name, f"无法读取文件（{exc.strerror or exc}）。") from exc
    for encoding in ("utf-8-sig", "gb18030"):  # gb18030: CSV saved by Excel on a Chinese system
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _file_error(path.name, "文件编码无法识别，请另存为 UTF-8 编码。")


def _csv_records(text: str, issues: list[Issue]) -> list[tuple[str, dict[str, Any]]]:
    reader = csv.DictReader(io.StringIO(text))
    header = [(column or "").strip().lower() for column in reader.fieldnames or []]
    if "date" not in header or "is_workday" not in header:
        issues.append(Issue("bad_header", "第 1 行：表头应为 date,is_workday,name。"))
        return []
    reader.fieldnames = header
    records = []
    try:
        for record in reader:
            if any((value or "").strip() for value in record.values() if isinstance(value, str)):
                records.append((f"第 {reader.line_num} 行", record))
    except csv.Error as exc:
        issues.append(Issue("bad_csv", f"第 {reader.line_num} 行：CSV 格式错误（{exc}）。"))
    return records


def _json_records(text: str, issues: list[Issue]) -> tuple[list[tuple[str, dict[str, Any]]], int | None]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        issues.append(Issue("bad_json", f"第 {exc.lineno} 行：不是有效的 JSON（{exc.msg}）。"))
        return [], None
    year = data.get("year") if isinstance(data, dict) else None
    items = data.get("days") if isinstance(data, dict) else data
    bad_year = year is not None and (type(year) is not int or not _MIN_YEAR <= year <= _MAX_YEAR)
    if not isinstance(items, list) or bad_year:
        issues.append(Issue("bad_json", '顶层应为记录列表，或 {"year": 2027, "days": [...]}。'))
        return [], None
    records = []
    for index, item in enumerate(items, start=1):
        if isinstance(item, dict):
            records.append((f"第 {index} 条记录", item))
        else:
            issues.append(Issue("bad_record", f"第 {index} 条记录：应为含 date、is_workday、name 的对象。"))
    return records, year


def _parse_file(path: Path) -> tuple[list[_Row], int]:
    """The file's valid rows and the year it schedules; raises with every problem found."""
    text = _decode(path)
    issues: list[Issue] = []
    is_json = path.suffix.lower() == ".json" or text.lstrip()[:1] in ("[", "{")
    records, declared = _json_records(text, issues) if is_json else (_csv_records(text, issues), None)
    located = _unique_rows(records, issues)
    year = declared or _main_year([row for _, row in located])
    for where, row in located:
        if abs(row.day.year - year) > 1:
            issues.append(Issue("bad_year", f"{where}：日期 {row.day} 不在 {year} 年或相邻年份内。"))
    if not issues and not located:
        issues.append(Issue("empty_file", "文件中没有任何日期行。"))
    if issues:
        raise _invalid_file_error(path.name, issues)
    return [row for _, row in located], year


def _unique_rows(records: list[tuple[str, dict[str, Any]]], issues: list[Issue]) -> list[tuple[str, _Row]]:
    located: list[tuple[str, _Row]] = []
    first_seen: dict[date, str] = {}
    for where, record in records:
        row = _parse_record(where, record, issues)
        if row is None:
            continue
        if row.day in first_seen:
            issues.append(Issue("duplicate_date", f"{where}：日期 {row.day} 与{first_seen[row.day]}重复。"))
            continue
        first_seen[row.day] = where
        located.append((where, row))
    return located


def _main_year(rows: list[_Row]) -> int:
    """The year most rows fall in (a schedule may also list a few days of the adjacent years)."""
    counts = Counter(row.day.year for row in rows)
    return max(counts, key=lambda year: (counts[year], year)) if counts else 0


def _invalid_file_error(file_name: str, issues: list[Issue]) -> ApplicationError:
    shown = "；".join(issue.message.rstrip("。") for issue in issues[:_MAX_ISSUES_SHOWN])
    more = f"；另有 {len(issues) - _MAX_ISSUES_SHOWN} 处错误" if len(issues) > _MAX_ISSUES_SHOWN else ""
    message = f"日历文件 {file_name} 未载入（未做任何修改）：{shown}{more}。"
    return ApplicationError(code="calendar_file_invalid", message=message, status=400, issues=issues)


def _file_error(file_name: str, detail: str) -> ApplicationError:
    return ApplicationError(
        code="calendar_file_unreadable", message=f"日历文件 {file_name} 未载入：{detail}", status=400
    )


def _year_rows(year: int, explicit: dict[date, _Row], source: str) -> list[CalendarDay]:
    rows = []
    for day in _days(date(year, 1, 1), date(year, 12, 31)):
        row = explicit.get(day)
        if row is None:
            rows.append(CalendarDay(date=day, is_workday=day.weekday() < 5, name="", source=WEEKDAY_RULE_SOURCE))
        else:
            rows.append(CalendarDay(date=day, is_workday=row.is_workday, name=row.name, source=source))
    return rows


def _fixed_date_warnings(rows: list[CalendarDay]) -> tuple[str, ...]:
    worked = [r.date for r in rows if r.is_workday and (r.date.month, r.date.day) in FIXED_STATUTORY_HOLIDAYS]
    return tuple(f"提示：{day} 是法定假日，但文件未将其列为休息日（已按工作日载入），请核对。" for day in worked)


def load_calendar_file(path: str | Path) -> LoadSummary:
    """Validate a CSV/JSON schedule and write it, all or nothing.

    The file schedules one year (JSON "year", else the year most rows fall in). That year is replaced
    whole: days listed get `source = "file:<name>"`, the others follow the plain Monday–Friday rule
    (source "weekday-rule"), so the year counts as covered. Days listed in the adjacent years (a 元旦
    break starting on 30 December, say) are updated one by one and the rest of those years is left alone.
    """
    path = Path(path)
    rows, year = _parse_file(path)
    source = f"file:{path.name}"[:100]
    explicit = {row.day: row for row in rows}
    objs = _year_rows(year, explicit, source) + [
        CalendarDay(date=row.day, is_workday=row.is_workday, name=row.name, source=source)
        for row in rows
        if row.day.year != year
    ]
    with transaction.atomic():
        CalendarDay.objects.bulk_create(
            objs,
            batch_size=500,
            update_conflicts=True,
            unique_fields=["date"],
            update_fields=["is_workday", "name", "source", "updated_at"],
        )
    in_year = [obj for obj in objs if obj.date.year == year]
    return LoadSummary(
        file_name=path.name,
        year=year,
        rows_in_file=len(rows),
        days_written=len(objs),
        holidays=sum(1 for o in in_year if not o.is_workday and o.date.weekday() < 5),
        adjusted_workdays=sum(1 for o in in_year if o.is_workday and o.date.weekday() >= 5),
        other_days=len(objs) - len(in_year),
        warnings=_fixed_date_warnings(in_year),
    )
