"""Working-day calendar (STANDARDS.md §5), against the table the migrations seeded — no fixtures."""

from __future__ import annotations

import importlib
import json
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from datetime import date
from io import StringIO
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xinyong.core.calendar import (
    add_working_days,
    calendar_status,
    is_workday,
    load_calendar_file,
    next_year_missing,
    working_days_between,
)
from xinyong.core.errors import ApplicationError
from xinyong.core.models import CalendarDay

pytestmark = pytest.mark.django_db

# An illustrative 2027 schedule (not the official one): 元旦 1/1–1/3, 春节 Sat 2/6 – Sun 2/14 with
# working Saturdays 1/30 and 2/20, 国庆 10/1–10/7 with working Saturday 10/9.
GOOD_2027_CSV = """date,is_workday,name
2027-01-01,休,元旦
2027-01-02,休,元旦
2027-01-03,休,元旦
2027-01-30,班,调休上班
2027-02-06,0,春节
2027-02-07,0,春节
2027-02-08,0,春节
2027-02-09,0,春节
2027-02-10,false,春节
2027-02-11,否,春节
2027-02-12,0,春节
2027-02-13,0,春节
2027-02-14,0,春节
2027-02-20,1,
2027-05-01,0,劳动节
2027-05-02,0,劳动节
2027-10-01,0,国庆节
2027-10-02,0,国庆节
2027-10-03,0,国庆节
2027-10-04,0,国庆节
2027-10-05,0,国庆节
2027-10-06,0,国庆节
2027-10-07,0,国庆节
2027-10-09,是,调休上班
"""


def snapshot() -> list[tuple[date, bool, str, str]]:
    return list(CalendarDay.objects.order_by("date").values_list("date", "is_workday", "name", "source"))


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------------------
# The seeded table
# ------------------------------------------------------------------------------
def test_migrations_seeded_every_covered_year_with_chinese_names() -> None:
    assert CalendarDay.objects.filter(date__year=2026).count() == 365
    assert CalendarDay.objects.filter(date__year=2024).count() == 366
    assert not CalendarDay.objects.filter(date__year=2027).exists()
    assert CalendarDay.objects.order_by("date").first().date == date(2004, 1, 1)  # type: ignore[union-attr]
    new_year = CalendarDay.objects.get(date=date(2026, 2, 17))
    assert (new_year.is_workday, new_year.name, new_year.source) == (False, "春节", "chinese-calendar 1.11.0")
    assert CalendarDay.objects.get(date=date(2026, 2, 14)).name == "调休上班"
    assert CalendarDay.objects.get(date=date(2026, 10, 1)).name == "国庆节"
    assert CalendarDay.objects.get(date=date(2026, 3, 2)).name == ""
    assert sorted(set(CalendarDay.objects.exclude(name="").values_list("name", flat=True))) == sorted(
        {"元旦", "春节", "清明节", "劳动节", "端午节", "国庆节", "中秋节", "调休上班", "抗战胜利70周年纪念日"}
    )


def test_seed_migration_reverses_and_reruns_in_batches() -> None:
    migration = importlib.import_module("xinyong.core.migrations.0002_seed_calendar")
    editor = SimpleNamespace(connection=connection)
    migration.unseed(django_apps, editor)
    assert not CalendarDay.objects.exists()
    with CaptureQueriesContext(connection) as queries:
        migration.seed(django_apps, editor)
    days = CalendarDay.objects.count()
    assert days > 20 * 365 and CalendarDay.objects.filter(date__year=2026).count() == 365
    inserts = [q for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("INSERT")]
    assert 0 < len(inserts) < days / 150  # batched (SQLite's parameter limit: ~200 days a statement), not one each


# ------------------------------------------------------------------------------
# Deadlines
# ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2025, 9, 29), 5, date(2025, 10, 13)),  # STANDARDS.md §5, 国庆+中秋 2025 and Sat 10/11 worked
        (date(2025, 1, 24), 5, date(2025, 2, 7)),  # STANDARDS.md §5, Sun 1/26 worked, 春节 1/28–2/4
    ],
)
def test_standards_examples(start: date, n: int, expected: date) -> None:
    result = add_working_days(start, n)
    assert (result.date, result.used_fallback, result.fallback_years) == (expected, False, ())


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        # From Thu 2/12: Fri 2/13 (1), Sat 2/14 worked (2), 2/15–2/23 off, 2/24 (3), 2/25 (4), 2/26 (5),
        # 2/27 (6), Sat 2/28 worked (7), Sun 3/1 off, Mon 3/2 (8).
        (1, date(2026, 2, 13)),
        (2, date(2026, 2, 14)),
        (3, date(2026, 2, 24)),
        (5, date(2026, 2, 26)),
        (7, date(2026, 2, 28)),
        (8, date(2026, 3, 2)),
    ],
)
def test_spring_festival_2026(n: int, expected: date) -> None:
    result = add_working_days(date(2026, 2, 12), n)
    assert (result.date, result.used_fallback) == (expected, False)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 9, 18), 1, date(2026, 9, 20)),  # Sun 9/20 is worked
        (date(2026, 9, 18), 3, date(2026, 9, 22)),
        # Tue 9/29: Wed 9/30 (1), 10/1–10/7 off, Thu 10/8 (2), Fri 10/9 (3), Sat 10/10 worked (4), Mon 10/12 (5)
        (date(2026, 9, 29), 2, date(2026, 10, 8)),
        (date(2026, 9, 29), 4, date(2026, 10, 10)),
        (date(2026, 9, 29), 5, date(2026, 10, 12)),
    ],
)
def test_national_day_2026(start: date, n: int, expected: date) -> None:
    assert add_working_days(start, n).date == expected


def test_is_workday_reads_the_table_and_flags_fallback() -> None:
    assert is_workday(date(2026, 2, 14)) == (True, False)
    assert is_workday(date(2026, 10, 7)) == (False, False)
    assert is_workday(date(2026, 10, 10)) == (True, False)
    assert is_workday(date(2027, 1, 1)) == (False, True)
    assert is_workday(date(2027, 1, 4)) == (True, True)


def test_deadline_crossing_into_a_year_without_data_falls_back_and_says_so() -> None:
    # Mon 2026-12-28: 12/29 (1), 12/30 (2), 12/31 (3), 2027-01-01 fixed holiday, weekend, 1/4 (4), 1/5 (5)
    result = add_working_days(date(2026, 12, 28), 5)
    assert (result.date, result.used_fallback, result.fallback_years) == (date(2027, 1, 5), True, (2027,))
    inside = add_working_days(date(2026, 12, 28), 3)
    assert (inside.date, inside.used_fallback) == (date(2026, 12, 31), False)


def test_year_missing_entirely_uses_fixed_statutory_dates() -> None:
    # Mon 2030-04-29: 4/30 (1), 5/1–5/2 fixed holidays, Fri 5/3 (2), 5/6 (3), 5/7 (4), 5/8 (5)
    result = add_working_days(date(2030, 4, 29), 5)
    assert (result.date, result.fallback_years) == (date(2030, 5, 8), (2030,))
    # Tue 2030-10-01 … Thu 10-03 fixed; 2031 crossed too
    october = add_working_days(date(2030, 9, 30), 3)
    assert october.date == date(2030, 10, 8)
    across = add_working_days(date(2030, 12, 30), 3)
    assert (across.date, across.fallback_years) == (date(2031, 1, 3), (2030, 2031))


def test_zero_and_negative_n() -> None:
    assert add_working_days(date(2026, 2, 15), 0).date == date(2026, 2, 15)
    with pytest.raises(ValueError):
        add_working_days(date(2026, 2, 15), -1)


def test_long_deadline_across_two_years() -> None:
    result = add_working_days(date(2025, 1, 1), 248 + 248)  # 2025 and 2026 have 248 working days each
    assert (result.date, result.used_fallback) == (date(2026, 12, 31), False)


def test_working_days_between_for_the_seven_day_rule() -> None:
    # Thu 2026-02-12 → Tue 2026-02-24: 2/13, Sat 2/14, 2/24 → 3 working days.
    count = working_days_between(date(2026, 2, 12), date(2026, 2, 24))
    assert (count.days, count.used_fallback) == (3, False)
    assert working_days_between(date(2026, 2, 12), date(2026, 2, 12)).days == 0
    assert working_days_between(date(2026, 2, 24), date(2026, 2, 12)).days == 0
    across = working_days_between(date(2026, 12, 30), date(2027, 1, 5))  # 12/31, 1/4, 1/5
    assert (across.days, across.used_fallback, across.fallback_years) == (3, True, (2027,))


def test_edits_take_effect_at_once_and_a_deleted_row_falls_back() -> None:
    CalendarDay.objects.filter(date=date(2026, 3, 2)).update(is_workday=False, name="临时休息")
    assert add_working_days(date(2026, 2, 27), 2).date == date(2026, 3, 3)  # Sat 2/28 (1), Tue 3/3 (2)
    CalendarDay.objects.filter(date=date(2026, 2, 28)).delete()
    result = add_working_days(date(2026, 2, 27), 2)
    assert (result.date, result.used_fallback, result.fallback_years) == (date(2026, 3, 4), True, (2026,))


# ------------------------------------------------------------------------------
# Status and loading
# ------------------------------------------------------------------------------
def test_status_counts_and_next_year_check() -> None:
    by_year = {status.year: status for status in calendar_status()}
    assert min(by_year) == 2004 and max(by_year) == 2026
    y2026 = by_year[2026]
    assert (y2026.days, y2026.complete, y2026.adjusted_workdays) == (365, True, 6)
    assert y2026.workdays == 248
    assert y2026.source_summary == "chinese-calendar 1.11.0 ×365"
    assert next_year_missing(date(2026, 11, 26)) is True
    assert next_year_missing(date(2025, 11, 26)) is False


def test_loading_2027_covers_the_year_and_deadlines_use_it(tmp_path: Path) -> None:
    summary = load_calendar_file(write(tmp_path, "2027.csv", GOOD_2027_CSV))
    assert (summary.year, summary.rows_in_file, summary.days_written, summary.other_days) == (2027, 24, 365, 0)
    assert (summary.holidays, summary.adjusted_workdays, summary.warnings) == (11, 3, ())
    assert CalendarDay.objects.filter(date__year=2027).count() == 365
    assert next_year_missing(date(2026, 11, 26)) is False
    # Thu 2027-02-04: Fri 2/5 (1), 2/6–2/14 off, Mon 2/15 (2), Tue 2/16 (3); fallback would say 2/9.
    result = add_working_days(date(2027, 2, 4), 3)
    assert (result.date, result.used_fallback) == (date(2027, 2, 16), False)
    assert add_working_days(date(2027, 2, 18), 2).date == date(2027, 2, 20)  # Sat 2/20 worked
    across = add_working_days(date(2026, 12, 28), 5)  # 12/29, 12/30, 12/31, 1/4, 1/5 — no fallback now
    assert (across.date, across.used_fallback) == (date(2027, 1, 5), False)
    day = CalendarDay.objects.get(date=date(2027, 2, 20))
    assert (day.is_workday, day.name, day.source) == (True, "调休上班", "file:2027.csv")
    filled = CalendarDay.objects.get(date=date(2027, 3, 1))
    assert (filled.is_workday, filled.source) == (True, "weekday-rule")


def test_reloading_a_year_replaces_it(tmp_path: Path) -> None:
    load_calendar_file(write(tmp_path, "2027.csv", GOOD_2027_CSV))
    document = {"year": 2027, "days": [{"date": "2027-01-01", "is_workday": False, "name": "元旦"}]}
    summary = load_calendar_file(write(tmp_path, "2027-v2.json", json.dumps(document, ensure_ascii=False)))
    assert summary.days_written == 365
    assert CalendarDay.objects.filter(date__year=2027).count() == 365
    assert CalendarDay.objects.get(date=date(2027, 2, 8)).is_workday is True  # 春节 no longer in the file
    assert CalendarDay.objects.get(date=date(2027, 1, 1)).source == "file:2027-v2.json"
    assert len(summary.warnings) == 1 and "2027-10-01" in summary.warnings[0]  # Fri 10/1 left as working


def test_days_of_the_adjacent_year_are_updated_without_replacing_that_year(tmp_path: Path) -> None:
    before_2026 = [row for row in snapshot() if row[0].year == 2026 and row[0] != date(2026, 12, 31)]
    text = GOOD_2027_CSV + "2026-12-31,休,元旦\n"
    summary = load_calendar_file(write(tmp_path, "2027.csv", text))
    assert (summary.year, summary.days_written, summary.other_days) == (2027, 366, 1)
    assert [row for row in snapshot() if row[0].year == 2026 and row[0] != date(2026, 12, 31)] == before_2026
    changed = CalendarDay.objects.get(date=date(2026, 12, 31))
    assert (changed.is_workday, changed.name, changed.source) == (False, "元旦", "file:2027.csv")
    assert add_working_days(date(2026, 12, 30), 1).date == date(2027, 1, 4)


def test_json_list_form_is_accepted(tmp_path: Path) -> None:
    rows = [{"date": "2028-01-01", "is_workday": 0, "name": "元旦"}, {"date": "2028/1/29", "is_workday": "班"}]
    summary = load_calendar_file(write(tmp_path, "2028.json", json.dumps(rows, ensure_ascii=False)))
    assert (summary.year, summary.days_written) == (2028, 366)
    assert CalendarDay.objects.get(date=date(2028, 1, 29)).is_workday is True


@pytest.mark.parametrize(
    ("name", "text", "fragment"),
    [
        ("bad-date.csv", "date,is_workday,name\n2027-01-01,0,元旦\n2027-02-30,0,春节\n", "第 3 行"),
        ("bad-flag.csv", "date,is_workday,name\n2027-01-01,maybe,元旦\n", "is_workday“maybe”"),
        ("dup.csv", "date,is_workday,name\n2027-01-01,0,元旦\n2027-01-01,1,\n", "与第 2 行重复"),
        ("header.csv", "day,workday\n2027-01-01,0\n", "表头"),
        ("empty.csv", "date,is_workday,name\n", "没有任何日期行"),
        ("late.csv", "date,is_workday,name\n2026-02-16,1,\n2026-13-01,0,\n", "第 3 行"),
        ("year.json", '{"year": 2027, "days": [{"date": "2029-01-01", "is_workday": 0}]}', "2027 年或相邻"),
        ("typo.csv", "date,is_workday\n2027-01-01,0\n2027-01-02,0\n2072-01-03,0\n", "第 4 行"),
        ("range.json", '{"year": 1927, "days": [{"date": "1927-01-01", "is_workday": 0}]}', "顶层"),
        ("broken.json", '[{"date": "2027-01-01",', "JSON"),
    ],
)
def test_bad_files_change_nothing(tmp_path: Path, name: str, text: str, fragment: str) -> None:
    before = snapshot()
    with pytest.raises(ApplicationError) as caught:
        load_calendar_file(write(tmp_path, name, text))
    assert caught.value.status == 400 and caught.value.code == "calendar_file_invalid"
    assert fragment in caught.value.message and "未载入" in caught.value.message
    assert snapshot() == before


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ApplicationError, match="文件不存在"):
        load_calendar_file(tmp_path / "none.csv")


# ------------------------------------------------------------------------------
# The management command
# ------------------------------------------------------------------------------
def run_command(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("calendar", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_command_add_workdays_prints_only_the_date() -> None:
    assert run_command("add-workdays", "2025-09-29", "5") == ("2025-10-13\n", "")


def test_command_warns_on_stderr_when_falling_back() -> None:
    out, err = run_command("add-workdays", "2026-12-28", "5")
    assert out == "2027-01-05\n"
    assert "警告：2027 年没有节假日数据" in err


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("add-workdays", "2025-02-30", "5"), "不是有效日期"),
        (("add-workdays", "2025-09-29", "five"), "不是整数"),
        (("add-workdays", "2025-09-29", "-1"), "不能为负数"),
        (("status", "--today", "tomorrow"), "不是有效日期"),
    ],
)
def test_command_rejects_bad_arguments(args: tuple[str, ...], fragment: str) -> None:
    with pytest.raises(CommandError, match=fragment):
        run_command(*args)


def test_command_status_lists_years_and_warns_without_failing() -> None:
    out, err = run_command("status", "--today", "2026-11-26")
    lines = out.splitlines()
    assert len(lines) == 2026 - 2004 + 1
    assert lines[-1].startswith("2026 年：365 天，工作日 248 天")
    assert "2027 年的节假日安排尚未载入" in err
    _, quiet = run_command("status", "--today", "2025-11-26")
    assert quiet == ""


def test_command_load(tmp_path: Path) -> None:
    out, err = run_command("load", str(write(tmp_path, "2027.csv", GOOD_2027_CSV)))
    assert out.startswith("已载入 2027.csv：2027 年共 365 天") and err == ""
    from xinyong.audit.models import AuditEvent

    event = AuditEvent.objects.get(action="calendar.load")
    assert event.object_id == "2027" and (event.after or {}).get("file") == "2027.csv"
    before = snapshot()
    with pytest.raises(CommandError, match="第 2 行"):
        run_command("load", str(write(tmp_path, "bad.csv", "date,is_workday\n2027-01-01,x\n")))
    assert snapshot() == before


@pytest.fixture(scope="session")
def database_url(django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A DATABASE_URL a subprocess can open that holds the migrated test database's contents.

    Session-scoped so it runs outside any test transaction: SQLite's test database lives in memory
    and is copied to a file; PostgreSQL's is used as it is.
    """
    db = settings.DATABASES["default"]
    with django_db_blocker.unblock():
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            target = tmp_path_factory.mktemp("calendar") / "copy.sqlite3"
            with closing(sqlite3.connect(target)) as copy:
                connection.connection.backup(copy)
            return f"sqlite:///{target}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def test_command_in_a_real_process(database_url: str) -> None:
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    completed = subprocess.run(
        [sys.executable, "manage.py", "calendar", "add-workdays", "2025-09-29", "5"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout == "2025-10-13\n"


# ------------------------------------------------------------------------------
# Admin
# ------------------------------------------------------------------------------
def test_admin_lists_and_edits_days(admin_client: Client) -> None:
    changelist = reverse("admin:core_calendarday_changelist")
    page = admin_client.get(changelist, {"date__year": "2026", "date__month": "2", "q": "春节"})
    assert page.status_code == 200
    assert page.context["cl"].result_count == 9  # 2/15–2/23
    day = CalendarDay.objects.get(date=date(2026, 3, 2))
    response = admin_client.post(
        reverse("admin:core_calendarday_change", args=[day.pk]),
        {"date": "2026-03-02", "is_workday": "", "name": "临时休息"},
    )
    assert response.status_code == 302
    day.refresh_from_db()
    assert (day.is_workday, day.name, day.source) == (False, "临时休息", "manual")
    from xinyong.audit.models import AuditEvent

    edit = AuditEvent.objects.get(action="calendar.edit")
    assert (edit.before or {}).get("is_workday") is True and (edit.after or {}).get("name") == "临时休息"


def test_workdays_until_agrees_with_working_days_between() -> None:
    from xinyong.core.calendar import WorkdaysUntil

    end = date(2026, 11, 26)
    until = WorkdaysUntil(end, earliest=date(2026, 1, 1))
    for start in [date(2026, 11, 25), date(2026, 9, 28), date(2026, 2, 12), date(2025, 12, 30), date(2019, 5, 5), end]:
        assert until(start) == working_days_between(start, end), start
    into_2027 = WorkdaysUntil(date(2027, 1, 6))
    assert into_2027(date(2026, 12, 30)) == working_days_between(date(2026, 12, 30), date(2027, 1, 6))
    assert into_2027(date(2026, 12, 30)).used_fallback
