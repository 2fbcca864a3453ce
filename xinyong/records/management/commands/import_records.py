"""python manage.py import_records --department SCJGJ --item CF penalties.csv"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from xinyong.accounts.models import Department
from xinyong.catalog.models import CatalogItem
from xinyong.core.errors import ApplicationError
from xinyong.records.batches import batch_submit_file
from xinyong.records.choices import BatchChannel, BatchStatus
from xinyong.records.ingest.parallel import ImportInterrupted
from xinyong.records.ingest.pipeline import batch_run
from xinyong.records.models import SubmissionBatch

ACTOR = "system:manage.py"


class Command(BaseCommand):
    help = "导入一个报送文件（CSV/XLSX），显示进度并打印汇总；--resume 继续一个中断的批次。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", nargs="?", help="CSV 或 XLSX 文件")
        parser.add_argument("--department", help="报送单位代码，如 SCJGJ")
        parser.add_argument("--item", help="目录代码，如 CF（行政处罚）、XK（行政许可）")
        parser.add_argument(
            "--resume", type=int, metavar="BATCH_ID", help="继续导入一个中断的批次（确认原导入进程已停止）"
        )
        parser.add_argument(
            "--resume-stalled",
            action="store_true",
            help="把所有停滞超过 3 分钟的批次重新交给后台任务（可由 cron 定时执行）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["resume_stalled"]:
            self._requeue_stalled()
            return
        batch = self._resume(options["resume"]) if options["resume"] else self._submit(options)
        bar = tqdm(
            total=batch.expected_rows or None,
            unit="行",
            desc=f"批次 {batch.pk}",
            file=self.stderr._out,
            disable=options["verbosity"] == 0,
            initial=batch.total,
        )

        def progress(b: SubmissionBatch) -> None:
            if b.expected_rows and bar.total != b.expected_rows:
                bar.total = b.expected_rows
            bar.update(b.total - bar.n)

        try:
            batch = batch_run(batch.pk, progress=progress, force=bool(options["resume"]))
        except ImportInterrupted as exc:
            raise CommandError(f"批次 {batch.pk}：{exc.message}命令：import_records --resume {batch.pk}") from None
        finally:
            bar.close()
        self._print_summary(batch)
        if batch.status == BatchStatus.FAILED:
            raise CommandError(f"批次 {batch.pk} 导入失败：{batch.failure_message}（{batch.failure_code}）")

    def _submit(self, options: dict[str, Any]) -> SubmissionBatch:
        if not (options["file"] and options["department"] and options["item"]):
            raise CommandError("请指定文件、--department 和 --item，或用 --resume 批次号 继续中断的批次。")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        department = Department.objects.filter(code=options["department"]).first()
        item = CatalogItem.objects.filter(code=options["item"]).first()
        if department is None:
            raise CommandError(f"单位代码“{options['department']}”不存在。")
        if item is None:
            raise CommandError(f"目录代码“{options['item']}”不存在。")
        try:
            with open(path, "rb") as source:
                return batch_submit_file(
                    actor=ACTOR,
                    department=department,
                    item=item,
                    source=source,
                    file_name=path.name,
                    size=path.stat().st_size,
                    channel=BatchChannel.COMMAND,
                    enqueue=False,
                )
        except ApplicationError as exc:
            raise CommandError(f"{exc.message}（{exc.code}）") from None

    def _requeue_stalled(self) -> None:
        from xinyong.records.ingest.pipeline import batch_is_stalled
        from xinyong.records.tasks import batch_import_task

        stalled = [b for b in SubmissionBatch.objects.filter(status=BatchStatus.RUNNING) if batch_is_stalled(b)]
        for batch in stalled:
            batch_import_task.enqueue(batch.pk)
        self.stdout.write(f"已重新排队 {len(stalled)} 个停滞的批次：{'、'.join(str(b.pk) for b in stalled) or '无'}")

    def _resume(self, batch_id: int) -> SubmissionBatch:
        batch = SubmissionBatch.objects.filter(pk=batch_id).first()
        if batch is None:
            raise CommandError(f"批次 {batch_id} 不存在。")
        if batch.status in (BatchStatus.COMPLETED, BatchStatus.FAILED):
            raise CommandError(f"批次 {batch_id} 已{batch.get_status_display()}，无需继续。")
        return batch

    def _print_summary(self, batch: SubmissionBatch) -> None:
        self.stdout.write(
            f"批次 {batch.pk}（{batch.item.name}，{batch.department.name}，{batch.file_name}）："
            f"{batch.get_status_display()}\n"
            f"  共 {batch.total} 行：入库 {batch.accepted_count}"
            f"（新增 {batch.created_count}，更新 {batch.updated_count}），"
            f"未变化 {batch.unchanged_count}，拒收 {batch.rejected_count}；提示 {batch.warning_count} 行。"
        )
        if batch.unknown_columns:
            self.stdout.write(f"  未识别的列（已忽略）：{'、'.join(batch.unknown_columns)}")
        if batch.rejected_count:
            self.stdout.write(f"  拒收行清单：/api/v1/batches/{batch.pk}/errors.csv 或管理端“报送批次”页面。")
