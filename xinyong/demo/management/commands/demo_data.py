"""`manage.py demo_data`: the demo city, a benchmark load, or the files departments would upload.

    demo_data                              # base demo (idempotent), writes var/demo-accounts.txt
    demo_data --scale 100000               # bulk: 100,000 records about ~33,000 subjects
    demo_data --scale 100000 --publish     # … then the demo reviewers approve what was submitted
    demo_data --export DIR [--no-load]     # also (or only) write XK/CF files, CSV and/or XLSX
    demo_data --scale 1000000 --export DIR --no-load --format csv --bad-ratio 0.02

Progress goes to stderr; the summary to stdout.
"""

from __future__ import annotations

import datetime as dt
import math
import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from xinyong.demo.bulk import BulkLoader
from xinyong.demo.export import FORMATS, Exporter, ExportSummary
from xinyong.demo.generator import DEFAULT_SEED, base_dataset, decision_window, scale_blocks
from xinyong.demo.loader import BaseSummary, ensure_organisation, load_base_demo, write_accounts_file
from xinyong.demo.review import review_all


class Command(BaseCommand):
    help = (
        "生成韶山市演示数据：单位、各角色账号、信用主体、行政许可和行政处罚（可重复运行）；"
        "--scale N 批量生成 N 条记录用于性能测试；--export 输出各部门报送格式的 CSV/XLSX 文件。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"随机种子（默认 {DEFAULT_SEED}）")
        parser.add_argument("--scale", type=int, metavar="N", help="批量生成 N 条记录（许可约四成、处罚约六成）")
        parser.add_argument("--export", metavar="DIR", help="把生成的行政许可、行政处罚写成报送文件")
        parser.add_argument("--format", choices=("csv", "xlsx", "both"), default="both", help="导出格式（默认 both）")
        parser.add_argument("--no-load", action="store_true", help="只写文件，不写数据库（须与 --export 同用）")
        parser.add_argument(
            "--bad-ratio",
            type=float,
            default=0.0,
            metavar="R",
            help="导出时故意写错约 R 比例的行（如 0.02），错行清单见 *.bad-rows.csv",
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="--scale 载入后由演示账号整批审核已报送的记录（终审后公示或仅政务共享）",
        )
        parser.add_argument(
            "--accounts-file", metavar="PATH", help="演示账号清单的写入位置（默认 var/demo-accounts.txt）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self._check(options)
        load = not options["no_load"]
        exporter = self._exporter(options)
        progress = options["verbosity"] > 0
        if options["scale"] is None:
            self._base(options, load, exporter, progress)
        else:
            self._scale(options, load, exporter, progress)
        if exporter is not None:
            self._report_export(exporter.close(), Path(options["export"]))

    def _check(self, options: dict[str, Any]) -> None:
        if options["no_load"] and not options["export"]:
            raise CommandError("--no-load 只能与 --export 同用（否则什么也不做）。")
        if not 0 <= options["bad_ratio"] < 1:
            raise CommandError(f"--bad-ratio 应在 0 到 1 之间，收到 {options['bad_ratio']}。")
        if options["bad_ratio"] and not options["export"]:
            raise CommandError("--bad-ratio 只对导出的文件起作用，请同时给出 --export 目录。")
        if options["publish"] and (options["scale"] is None or options["no_load"]):
            raise CommandError("--publish 只能与 --scale 同用（且须载入数据库）。")
        if options["scale"] is not None and options["scale"] < 1:
            raise CommandError(f"--scale 应为正整数，收到 {options['scale']}。")

    def _exporter(self, options: dict[str, Any]) -> Exporter | None:
        if not options["export"]:
            return None
        formats = FORMATS if options["format"] == "both" else (options["format"],)
        return Exporter(Path(options["export"]), formats=formats, bad_ratio=options["bad_ratio"], seed=options["seed"])

    def _accounts_path(self, options: dict[str, Any]) -> Path:
        return Path(options["accounts_file"] or Path(settings.VAR_DIR) / "demo-accounts.txt")

    def _base(self, options: dict[str, Any], load: bool, exporter: Exporter | None, progress: bool) -> None:
        if load:
            summary = load_base_demo(
                seed=options["seed"], accounts_file=self._accounts_path(options), progress=progress
            )
            self._report_base(summary, self._accounts_path(options))
        if exporter is not None:
            for row in base_dataset(options["seed"])[1]:
                exporter.write(row)

    def _report_base(self, s: BaseSummary, accounts: Path) -> None:
        if s.records == 0 and s.subjects == 0 and s.users == 0 and s.departments == 0:
            self.stdout.write(f"演示数据已存在，未做任何修改（已有记录 {s.skipped} 条）。用时 {s.seconds:.1f} 秒。")
        else:
            self.stdout.write(
                f"演示数据已载入：单位 {s.departments} 个，目录报送单位设置 {s.providers} 项，账号 {s.users} 个，"
                f"信用主体 {s.subjects} 个，记录 {s.records} 条（已报送 {s.submitted}，删除 {s.deleted}，"
                f"已存在跳过 {s.skipped}）；红黑名单和信用承诺 {s.lists} 条；"
                f"审核后公示 {s.published}、仅政务共享 {s.shared_only}、"
                f"公示期已满 {s.expired}；公告 {s.notices} 篇；异议 {s.objections}、信用修复 {s.repairs}、"
                f"投诉 {s.complaints} 件，退回记录 {s.returned} 条。用时 {s.seconds:.1f} 秒。"
            )
        self.stdout.write(f"演示账号清单：{accounts}")

    def _scale(self, options: dict[str, Any], load: bool, exporter: Exporter | None, progress: bool) -> None:
        n, seed = options["scale"], options["seed"]
        loader = None
        if load:
            departments = ensure_organisation()
            write_accounts_file(self._accounts_path(options))
            loader = BulkLoader(departments=departments, first=decision_window()[0], today=dt.date.today())
        started = time.perf_counter()  # the organisation (password hashing) is not part of the rate
        bar = tqdm(total=n, desc="生成记录", unit="条", file=sys.stderr, disable=not progress, smoothing=0.1)
        with bar:
            for block in scale_blocks(n, seed):
                if loader is not None:
                    loader.load(block)
                if exporter is not None:
                    for row in block.rows:
                        exporter.write(row)
                bar.update(len(block.rows))
        seconds = time.perf_counter() - started
        if loader is not None:
            loader.summarise(seed=seed, requested=n, seconds=seconds)
            c = loader.counts
            self.stdout.write(
                f"批量载入完成：信用主体新建 {c.subjects} 个（已存在 {c.subjects_existing}），记录新建 {c.records} 条"
                f"（已存在 {c.records_existing}），记录版本 {c.versions} 条。"
            )
        rate = n / seconds if seconds else math.inf
        self.stdout.write(f"共 {n} 条记录，用时 {seconds:.1f} 秒，{rate:,.0f} 条/秒。")
        if loader is not None and options["publish"]:
            self._publish(progress)

    def _publish(self, progress: bool) -> None:
        with tqdm(desc="整批审核", unit="条", file=sys.stderr, disable=not progress, smoothing=0.1) as bar:
            c = review_all(progress=bar.update)
        self.stdout.write(
            f"整批审核完成：{c.approved} 次审核通过，公示 {c.published}、仅政务共享 {c.shared_only}、"
            f"公示期已满 {c.expired}。用时 {c.seconds:.1f} 秒。"
        )

    def _report_export(self, summary: ExportSummary, directory: Path) -> None:
        parts = [f"{code} {rows} 行（故意写错 {summary.bad[code]} 行）" for code, rows in summary.rows.items()]
        self.stdout.write(f"已导出到 {directory}：" + "；".join(parts))
        for path in summary.paths:
            self.stdout.write(f"  {path}")
