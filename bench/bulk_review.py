"""Whole-batch approval benchmark: one 行政处罚 batch of N records approved by the provider's reviewer,
then by the platform (which publishes them), timing `bulk_review_run` for each stage.

    python bench/bulk_review.py                      # 10,000 records, SQLite in a temporary directory
    python bench/bulk_review.py --rows 2000          # a quick look
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bo_bench python bench/bulk_review.py   # PostgreSQL
    python bench/bulk_review.py --keep               # keep the temporary directory (database, files)

Not timed: migrate, the demo organisation (departments, accounts) and generating the file with the demo
exporter (`manage.py demo_data --scale … --export DIR --no-load --format csv`, cut to N rows).
Timed: the import with `manage.py import_records` (the rows arrive as submitted records of one batch;
the first row of the table and the reference of its last column, "÷ import" = the stage's records/s over
the import's), then `bulk_review_run(bulk_id)` for the provider stage and for the platform stage (which
publishes), with the task backend set to the dummy one so that `bulk_review_start` only queues.
records/s = records ÷ wall seconds; "CPU s" is this process's CPU time (the database work of SQLite
included; PostgreSQL's server not), a steadier figure when other processes share the machine (the load
average is printed).
For PostgreSQL, give a database the script may create and drop (its name must start with "bo_").
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEPARTMENT, REVIEWER, PLATFORM = "SCJGJ", "scjgj_reviewer", "fgj_platform"
# `demo_data --scale N` writes about 55–60 % of its rows as 行政处罚: ask for enough, keep the first N.
SCALE_FACTOR = 2


def _setup(workdir: Path) -> None:
    os.environ["XINYONG_VAR_DIR"] = str(workdir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ["XINYONG_TASK_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
    os.environ["XINYONG_DEBUG"] = "false"  # DEBUG keeps every query in memory
    url = os.environ.get("DATABASE_URL", "")
    if url and not url.rsplit("/", 1)[-1].startswith("bo_"):
        sys.exit("DATABASE_URL: the database name must start with bo_ (it is dropped and created again)")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _reset_postgresql() -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    name = connection.settings_dict["NAME"]
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')


def _make_file(workdir: Path, rows: int) -> Path:
    from django.core.management import call_command

    export = workdir / "export"
    call_command("demo_data", scale=rows * SCALE_FACTOR, export=str(export), no_load=True, format="csv", verbosity=0)
    source = next(export.glob("*CF*.csv"))
    target = workdir / f"CF-{rows}.csv"
    with (
        source.open(encoding="utf-8-sig", newline="") as src,
        target.open("w", encoding="utf-8-sig", newline="") as dst,
    ):
        reader, writer = csv.reader(src), csv.writer(dst)
        writer.writerow(next(reader))
        written = 0
        for row in reader:
            if written == rows:
                break
            writer.writerow(row)
            written += 1
    if written < rows:
        sys.exit(f"the demo exporter wrote only {written} 行政处罚 rows; raise SCALE_FACTOR")
    return target


def _prepare(workdir: Path, rows: int) -> tuple[int, float, float]:
    """The batch id, and the import's wall and CPU seconds."""
    from django.core.management import call_command

    from xinyong.demo.loader import ensure_organisation
    from xinyong.records.models import SubmissionBatch

    call_command("migrate", verbosity=0)
    ensure_organisation()
    path = _make_file(workdir, rows)
    started, cpu = time.perf_counter(), time.process_time()
    call_command("import_records", str(path), department=DEPARTMENT, item="CF", verbosity=0)
    return SubmissionBatch.objects.latest("id").pk, time.perf_counter() - started, time.process_time() - cpu


def _time_stage(batch_id: int, username: str) -> tuple[str, int, float, float]:
    from xinyong.accounts.models import User
    from xinyong.publication.services import bulk_review_run, bulk_review_start
    from xinyong.records.models import SubmissionBatch

    actor = User.objects.get(username=username)
    bulk = bulk_review_start(actor=actor, batch=SubmissionBatch.objects.get(pk=batch_id))
    started, cpu = time.perf_counter(), time.process_time()
    bulk = bulk_review_run(bulk.pk)
    return bulk.stage, bulk.approved, time.perf_counter() - started, time.process_time() - cpu


def _line(stage: str, records: int, seconds: float, cpu: float, import_rate: float) -> str:
    """One row of the table; the last column is the stage's speed as a fraction of the import's."""
    rate = records / seconds
    per = 1000 * cpu / max(records, 1)
    return f"{stage:<10} {records:>9} {seconds:>9.1f} {rate:>10.0f} {cpu:>7.1f} {per:>10.3f} {rate / import_rate:>9.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000, help="records in the batch (default 10,000)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bo-bench-"))
    try:
        _setup(workdir)
        _reset_postgresql()
        from django.db import connection

        from xinyong.records.models import CreditRecord

        batch_id, import_seconds, import_cpu = _prepare(workdir, args.rows)
        waiting = CreditRecord.objects.filter(batch_id=batch_id, status="submitted").count()
        print(f"database: {connection.vendor}; batch {batch_id}: {waiting} submitted records")
        print(f"load average at start: {os.getloadavg()[0]:.2f} ({os.cpu_count()} cores)")
        header = f"{'stage':<10} {'records':>9} {'seconds':>9} {'records/s':>10} {'CPU s':>7} {'CPU ms/rec':>10}"
        print(f"{header} {'÷ import':>9}")
        import_rate = waiting / import_seconds
        print(_line("import", waiting, import_seconds, import_cpu, import_rate))
        for username in (REVIEWER, PLATFORM):
            stage, approved, seconds, cpu = _time_stage(batch_id, username)
            print(_line(stage, approved, seconds, cpu, import_rate))
        published = CreditRecord.objects.filter(batch_id=batch_id, status__in=["published", "shared_only"]).count()
        print(f"published or shared only afterwards: {published}")
    finally:
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
