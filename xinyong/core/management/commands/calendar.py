"""`manage.py calendar add-workdays | status | load`: the working-day calendar from the command line.

stdout carries only the answer (a date, the status lines, the load summary); warnings go to stderr.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from xinyong.core.calendar import (
    YearStatus,
    add_working_days,
    calendar_status,
    fallback_warning,
    load_calendar_file,
    next_year_missing,
    parse_date_text,
)
from xinyong.core.errors import ApplicationError


class Command(BaseCommand):
    help = "工作日日历：按工作日计算期限、查看已覆盖的年份、载入国务院公布的节假日安排。"

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{add-workdays,status,load}")
        add = actions.add_parser("add-workdays", help="起算日之后第 N 个工作日（次日起算）")
        add.add_argument("start", help="起算日，如 2025-09-29")
        add.add_argument("n", help="工作日天数（非负整数）")
        status = actions.add_parser("status", help="列出已有数据的年份，并检查明年是否缺数据")
        status.add_argument("--today", help="按此日期判断“明年”（默认今天）")
        load = actions.add_parser("load", help="载入某年的节假日安排（CSV 或 JSON）")
        load.add_argument("path", help="文件路径")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "add-workdays":
            self.add_workdays(options["start"], options["n"])
        elif action == "status":
            self.status(options.get("today"))
        else:
            self.load(options["path"])

    def add_workdays(self, start_text: str, n_text: str) -> None:
        start = _parse_date(start_text, "起算日")
        try:
            n = int(n_text)
        except ValueError:
            raise CommandError(f"工作日天数“{n_text}”不是整数。") from None
        if n < 0:
            raise CommandError(f"工作日天数不能为负数（收到 {n}）。")
        result = add_working_days(start, n)
        self.stdout.write(result.date.isoformat())
        if result.used_fallback:
            self.stderr.write(fallback_warning(result.fallback_years))

    def status(self, today_text: str | None) -> None:
        today = _parse_date(today_text, "--today") if today_text else None
        years = calendar_status()
        if not years:
            self.stdout.write("日历表中没有任何年份的数据。")
        for year in years:
            self.stdout.write(_status_line(year))
        if next_year_missing(today):
            next_year = (today or timezone.localdate()).year + 1
            self.stderr.write(
                f"警告：{next_year} 年的节假日安排尚未载入（或不完整）。国务院公布后请用 "
                f"`manage.py calendar load 文件` 载入；在此之前按周一至周五并扣除法定固定假日估算。"
            )

    def load(self, path: str) -> None:
        try:
            with transaction.atomic():
                summary = load_calendar_file(path)
                # The command is the adapter that may reach the audit app (core itself imports no other app).
                from xinyong.audit.services import audit_log

                audit_log(
                    actor="system:manage.py",
                    action="calendar.load",
                    object_type="core.calendarday",
                    object_id=str(summary.year),
                    object_repr=f"{summary.year} 年节假日安排",
                    after={
                        "file": summary.file_name,
                        "rows": summary.rows_in_file,
                        "holidays": summary.holidays,
                        "adjusted_workdays": summary.adjusted_workdays,
                    },
                )
        except ApplicationError as exc:
            raise CommandError(exc.message) from None
        adjacent = f"另更新相邻年份 {summary.other_days} 天；" if summary.other_days else ""
        self.stdout.write(
            f"已载入 {summary.file_name}：{summary.year} 年共 {_days_in(summary.year)} 天"
            f"（文件中 {summary.rows_in_file} 行，其余按周一至周五规则补全），{adjacent}"
            f"周一至周五放假 {summary.holidays} 天，调休上班 {summary.adjusted_workdays} 天。"
        )
        for warning in summary.warnings:
            self.stderr.write(warning)


def _parse_date(text: str, label: str) -> date:
    try:
        return parse_date_text(text)
    except ValueError:
        raise CommandError(f"{label}“{text}”不是有效日期，应为 YYYY-MM-DD，如 2025-09-29。") from None


def _days_in(year: int) -> int:
    return (date(year + 1, 1, 1) - date(year, 1, 1)).days


def _status_line(year: YearStatus) -> str:
    gap = "" if year.complete else "（不完整）"
    return (
        f"{year.year} 年：{year.days} 天{gap}，工作日 {year.workdays} 天，"
        f"周一至周五放假 {year.holidays} 天，调休上班 {year.adjusted_workdays} 天；来源：{year.source_summary}"
    )
