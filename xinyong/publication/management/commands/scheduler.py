"""The platform's periodic jobs, for machines without cron (scripts/run starts it next to the worker).

Each job is also a command of its own for cron or a systemd timer in production
(docs/operations/tasks.md): `publicity_expire` daily, `import_records --resume-stalled` every few minutes.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

SWEEP_EVERY = 3600  # the publicity sweep is cheap and idempotent: hourly keeps a day's expiry on its day
STALLED_EVERY = 300


class Command(BaseCommand):
    help = "按时执行定期任务：公示期届满处理和异议逾期标记（每小时）、停滞导入批次重新排队（每5分钟）"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="各执行一次后退出")

    def handle(self, *args: Any, **options: Any) -> None:
        last: dict[str, float] = {}
        while True:
            now = time.monotonic()
            if now - last.get("sweep", -SWEEP_EVERY) >= SWEEP_EVERY:
                self._run("publicity_expire")
                self._run("objections_overdue")
                last["sweep"] = now
            if now - last.get("stalled", -STALLED_EVERY) >= STALLED_EVERY:
                self._run("import_records", "--resume-stalled")
                last["stalled"] = now
            if options["once"]:
                return
            time.sleep(30)

    def _run(self, *command: str) -> None:
        self.stdout.write(f"[{timezone.localtime():%Y-%m-%d %H:%M:%S}] {' '.join(command)}")
        try:
            call_command(*command, stdout=self.stdout, stderr=self.stderr)
        except Exception as exc:  # a failed run is reported and retried on the next round
            self.stderr.write(f"  失败：{type(exc).__name__}: {exc}")
