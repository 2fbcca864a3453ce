"""Daily: mark objection steps that missed their working-day deadline and tell those responsible."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand

from xinyong.objections.services.overdue import objections_mark_overdue


class Command(BaseCommand):
    help = "标记逾期未办理的异议环节，并通知责任单位和督查部门（每日运行）"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--today", type=dt.date.fromisoformat, help="按指定日期执行（YYYY-MM-DD），默认今天")

    def handle(self, *args: Any, **options: Any) -> None:
        summary = objections_mark_overdue(today=options["today"])
        self.stdout.write(f"{summary.today}：新标记逾期异议 {summary.marked} 件。")
