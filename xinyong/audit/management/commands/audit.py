from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from xinyong.audit.services import audit_verify


class Command(BaseCommand):
    help = "审计日志工具：verify 校验整条哈希链是否完整。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="校验审计哈希链；链完整时退出码为 0")

    def handle(self, *args: Any, **options: Any) -> None:
        result = audit_verify()
        if not result.ok:
            raise CommandError(
                f"审计链校验失败：第一个异常事件序号 {result.first_bad_seq}：{result.reason}"
                f"（此前已校验 {result.checked} 条）"
            )
        self.stdout.write(f"审计链完整：共校验 {result.checked} 条事件。")
