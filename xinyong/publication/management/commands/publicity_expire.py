"""Daily: end publicity windows that have run out (run from cron; see docs/operations/tasks.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand

from xinyong.publication.services import publicity_expire


class Command(BaseCommand):
    help = "结束已到公示截止期的信用记录的公示（每日运行）"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--today", type=dt.date.fromisoformat, help="按指定日期执行（YYYY-MM-DD），默认今天")

    def handle(self, *args: Any, **options: Any) -> None:
        summary = publicity_expire(today=options["today"])
        self.stdout.write(f"{summary.today}：{summary.expired} 条记录公示期届满，已停止公示和共享。")
