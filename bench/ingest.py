"""Ingest benchmark: a 行政处罚 file of N rows imported end to end on SQLite and PostgreSQL.

    python bench/ingest.py                       # the full requirement: 1,000,000 rows, both databases
    python bench/ingest.py --rows 50000 --databases sqlite
    python bench/ingest.py --keep                # keep the temporary databases and media for a look

For each database, in a fresh database of its own:

1. `manage.py migrate`, then the demo organisation (departments, catalogue providers): not timed;
2. `manage.py import_records -v 0 --department SCJGJ --item CF FILE` in a subprocess, timed from process
   start to exit (rows/s = rows in the file / wall seconds); peak RSS is sampled every 0.2 s over the
   whole process tree (the sum of the RSS of the command and all its descendants) and read from
   `/usr/bin/time` (the largest single process);
3. the same unchanged file again (a second batch: every row is "unchanged" or rejected again);
4. the batch counts are checked against the file: accepted + rejected + unchanged = rows, and the
   rejected lines against the generator's `*.bad-rows.csv` sidecar, line by line;
5. in another fresh database, django-import-export imports a 20,000-row slice of the same file
   (`bench/iee_resource.py`); the ratio is our rows/s ÷ its rows/s.

The file (fixed seed, ~2% deliberately bad rows) is generated once per (rows, seed, day) and cached
in bench/out/data/. Figures are printed as a table and written to bench/out/ingest-<timestamp>.json.
Not part of the test suite.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
OUT = BENCH / "out"
DATA = OUT / "data"
MANAGE = ROOT / "manage.py"
PYTHON = sys.executable
GNU_TIME = Path("/usr/bin/time")

DEFAULT_ROWS = 1_000_000
DEFAULT_IEE_ROWS = 20_000
BAD_RATIO = 0.02
DEPARTMENT, ITEM = "SCJGJ", "CF"
DATABASES = ("sqlite", "postgresql")
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_NAMES = {"import": "xinyong_bench", "iee": "xinyong_bench_iee"}
SAMPLE_SECONDS = 0.2
MIB = 1024 * 1024

# The issue's targets (on this 2-core machine, 1,000,000 rows).
TARGET_RATE = {"sqlite": 20_000, "postgresql": 15_000}
TARGET_REIMPORT_RATE = 50_000
TARGET_RSS_MIB = 1024
TARGET_RATIO = 10


# --- peak memory of a process tree ----------------------------------------------------------------

PAGE = os.sysconf("SC_PAGE_SIZE")
TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class ProcessTable:
    """One read of /proc: the process tree, and each process's name and CPU time so far (clock ticks)."""

    children: dict[int, list[int]]
    cpu: dict[int, tuple[str, int]]

    @classmethod
    def read(cls) -> ProcessTable:
        children: dict[int, list[int]] = {}
        cpu: dict[int, tuple[str, int]] = {}
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as handle:
                    stat = handle.read()
            except OSError:
                continue
            pid, close = int(entry.name), stat.rfind(b")")
            fields = stat[close + 2 :].split()  # fields[0] is the state (field 3 of proc(5))
            children.setdefault(int(fields[1]), []).append(pid)
            name = stat[stat.find(b"(") + 1 : close].decode(errors="replace")
            cpu[pid] = (name, int(fields[11]) + int(fields[12]))  # utime + stime
        return cls(children, cpu)

    def descendants(self, root: int) -> list[int]:
        found, stack = [], [root]
        while stack:
            pid = stack.pop()
            found.append(pid)
            stack.extend(self.children.get(pid, ()))
        return found


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as handle:
            return int(handle.read().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


class TreeSampler(threading.Thread):
    """Every 0.2 s: the summed RSS of a process and its descendants (the peak is kept), and the CPU
    time used meanwhile by the PostgreSQL server and by every other process on the machine.

    The RSS sum counts pages shared by forked workers once per process, so it errs on the high side.
    `exclude_root` leaves out the root itself (the small /usr/bin/time wrapper). CPU of processes
    outside the tree is the difference between their first and last sample (a process that ends
    between two samples loses at most 0.2 s); the sampler's own process is left out.
    """

    def __init__(self, root: int, *, exclude_root: bool) -> None:
        super().__init__(daemon=True)
        self.root, self.exclude_root = root, exclude_root
        self.peak = self.peak_processes = 0
        self._stop_event = threading.Event()
        self._first: dict[int, int] = {}
        self._last: dict[int, tuple[str, int]] = {}
        self._tree: set[int] = set()
        self._initial = ProcessTable.read().cpu

    def run(self) -> None:
        while True:
            self.sample()
            if self._stop_event.wait(SAMPLE_SECONDS):
                break

    def sample(self) -> None:
        table = ProcessTable.read()
        pids = table.descendants(self.root)
        self._tree.update(pids)
        if self.exclude_root:
            pids = pids[1:]
        total = sum(_rss(pid) for pid in pids)
        if total > self.peak:
            self.peak, self.peak_processes = total, len(pids)
        for pid, (name, ticks) in table.cpu.items():
            if pid not in self._first:
                self._first[pid] = self._initial.get(pid, ("", 0))[1]
            self._last[pid] = (name, ticks)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()

    def foreign_cpu_seconds(self) -> tuple[float, float]:
        """(CPU seconds of the PostgreSQL server's processes, of all other processes) during the run."""
        postgres = other = 0
        for pid, (name, ticks) in self._last.items():
            if pid in self._tree or pid == os.getpid():
                continue
            used = ticks - self._first.get(pid, 0)
            if name == "postgres":
                postgres += used
            else:
                other += used
        return postgres / TICKS, other / TICKS


@dataclass
class Measured:
    command: list[str]
    seconds: float
    returncode: int
    peak_tree_mib: float
    peak_processes: int
    max_process_mib: float | None  # /usr/bin/time's maximum resident set size (largest single process)
    cpu_seconds: float  # user + system of the command and every descendant it waited for
    postgres_cpu_seconds: float
    other_cpu_seconds: float  # anything else on the machine meanwhile: another job sharing the cores
    stdout: str
    stderr: str


def measured(command: list[str], env: dict[str, str], workdir: Path) -> Measured:
    """Run a command to completion, timing it from start to exit and sampling its tree's memory."""
    time_file = workdir / "time.out"
    wrapped = [str(GNU_TIME), "-f", "%M", "-o", str(time_file), *command] if GNU_TIME.exists() else command
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(wrapped, cwd=ROOT, env=env, stdout=out, stderr=err)
        sampler = TreeSampler(process.pid, exclude_root=wrapped is not command)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = returncode = os.waitstatus_to_exitcode(status)
        sampler.stop()
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    max_process = None
    if wrapped is not command and time_file.exists():
        text = time_file.read_text().strip().splitlines()
        if text and text[-1].isdigit():
            max_process = int(text[-1]) / 1024  # KiB
    postgres, other = sampler.foreign_cpu_seconds()
    return Measured(
        command=command,
        seconds=seconds,
        returncode=returncode,
        peak_tree_mib=sampler.peak / MIB,
        peak_processes=sampler.peak_processes,
        max_process_mib=max_process,
        cpu_seconds=usage.ru_utime + usage.ru_stime,
        postgres_cpu_seconds=postgres,
        other_cpu_seconds=other,
        stdout=stdout,
        stderr=stderr,
    )


# --- environments -----------------------------------------------------------------------------------


def base_env(var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "XINYONG_VAR_DIR")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        XINYONG_VAR_DIR=str(var_dir),
        XINYONG_DEBUG=os.environ.get("BENCH_DEBUG", "0"),  # DEBUG keeps a query log: production runs without
        PYTHONUNBUFFERED="1",
    )
    env.pop("XINYONG_MEDIA_ROOT", None)
    env.pop("XINYONG_STATIC_ROOT", None)
    return env


def pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(sql.encode())  # our own constant database names, not user input


def fresh_database(database: str, purpose: str, workdir: Path) -> dict[str, str]:
    """A new empty database (and media directory) for one measurement; returns its environment."""
    var_dir = workdir / f"{database}-{purpose}"
    shutil.rmtree(var_dir, ignore_errors=True)
    var_dir.mkdir(parents=True)
    env = base_env(var_dir)
    if database == "postgresql":
        name = PG_NAMES[purpose]
        pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        pg_admin(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = f"{PG_SERVER}/{name}"
    return env


def drop_database(database: str, purpose: str) -> None:
    if database == "postgresql":
        pg_admin(f'DROP DATABASE IF EXISTS "{PG_NAMES[purpose]}" WITH (FORCE)')


def run(command: list[str], env: dict[str, str], what: str) -> str:
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"{what} failed (exit {result.returncode}):\n{result.stdout[-3000:]}\n{result.stderr[-5000:]}")
    return result.stdout


def internal(task: str, *args: str) -> list[str]:
    return [PYTHON, str(Path(__file__).resolve()), "_internal", task, *args]


def prepare_database(env: dict[str, str]) -> None:
    run([PYTHON, str(MANAGE), "migrate", "--skip-checks", "-v", "0"], env, "migrate")
    run(internal("organise"), env, "demo organisation")


def last_json(text: str) -> dict[str, Any]:
    for line in reversed(text.strip().splitlines()):
        if line.startswith("{"):
            result: dict[str, Any] = json.loads(line)
            return result
    raise ValueError(f"no JSON line in output:\n{text[-2000:]}")


# --- the file ---------------------------------------------------------------------------------------


@dataclass
class DataFile:
    path: Path
    sidecar: Path
    rows: int
    bad: int
    size: int
    seed: int
    generated_on: str
    generation_seconds: float


def data_file(rows: int, seed: int, *, regenerate: bool) -> DataFile:
    """The 行政处罚 CSV of `rows` rows (cached per rows, seed and day: the generator's dates depend on today)."""
    today = dt.date.today().isoformat()
    directory = DATA / f"CF-{rows}-seed{seed}-{today}"
    summary = directory / "summary.json"
    if summary.exists() and not regenerate:
        return DataFile(
            **{
                **json.loads(summary.read_text()),
                "path": directory / "CF.csv",
                "sidecar": directory / "CF.bad-rows.csv",
            }
        )
    for stale in DATA.glob("CF-*"):  # files of other days are never reused: make room
        if not stale.name.endswith(today):
            shutil.rmtree(stale, ignore_errors=True)
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    env = base_env(Path(tempfile.mkdtemp(prefix="xinyong-bench-gen-")))
    print(f"Generating {rows:,} 行政处罚 rows (seed {seed}) into {directory} …", file=sys.stderr, flush=True)
    started = time.perf_counter()
    subprocess.run(internal("generate", str(directory), str(rows), str(seed)), cwd=ROOT, env=env, check=True)
    seconds = time.perf_counter() - started
    shutil.rmtree(env["XINYONG_VAR_DIR"], ignore_errors=True)
    facts = json.loads((directory / "generated.json").read_text())
    result = DataFile(
        path=directory / "CF.csv",
        sidecar=directory / "CF.bad-rows.csv",
        rows=facts["rows"],
        bad=facts["bad"],
        size=(directory / "CF.csv").stat().st_size,
        seed=seed,
        generated_on=today,
        generation_seconds=round(seconds, 1),
    )
    summary.write_text(json.dumps({k: v for k, v in asdict(result).items() if k not in ("path", "sidecar")}))
    # The new file's 630 MB are still being written to the disk: let that finish before anything is timed
    # (on 2026-12-07 the import started right after generating took 51 s, later ones 38–44 s; not only for
    # this reason, maybe — runs vary by ±10% here anyway).
    os.sync()
    return result


def _generate(directory: Path, rows: int, seed: int) -> None:
    """Scale-mode demo rows, 行政处罚 only, through the demo exporter (national format, bad rows + sidecar)."""
    from tqdm import tqdm

    from xinyong.demo.export import Exporter
    from xinyong.demo.generator import scale_blocks

    exporter = Exporter(directory, formats=("csv",), bad_ratio=BAD_RATIO, seed=seed)
    written = 0
    # About 6 in 10 scale rows are 行政处罚; twice the rows is ample and fixes the subject space.
    with tqdm(total=rows, unit="row", desc="generate CF", file=sys.stderr, mininterval=2) as bar:
        for block in scale_blocks(rows * 2, seed):
            for row in block.rows:
                if row.item_code == ITEM:
                    exporter.write(row)
                    written += 1
                    if written == rows:
                        break
            bar.update(written - bar.n)
            if written == rows:
                break
    summary = exporter.close()
    if written != rows:
        raise SystemExit(f"the generator ran out after {written} 行政处罚 rows")
    for name in ("XK.csv", "XK.bad-rows.csv"):
        (directory / name).unlink(missing_ok=True)
    (directory / "generated.json").write_text(json.dumps({"rows": summary.rows[ITEM], "bad": summary.bad[ITEM]}))


def sidecar_lines(path: Path) -> dict[int, str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return {int(row["line"]): row["reason"] for row in csv.DictReader(handle)}


# --- in-process tasks (run in subprocesses with the database's environment) ------------------------


def _django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()


def _organise() -> None:
    from xinyong.demo.loader import ensure_organisation

    ensure_organisation()


def _counts(sidecar: Path) -> None:
    """The batches' counts, and the rejected lines of the first batch against the sidecar."""
    from collections import Counter

    from django.db import connection

    from xinyong.records.models import BatchRowIssue, CreditRecord, SubmissionBatch
    from xinyong.subjects.models import Subject

    expected = sidecar_lines(sidecar)
    batches = []
    for batch in SubmissionBatch.objects.order_by("pk"):
        errors = BatchRowIssue.objects.filter(batch=batch, level="error")
        by_line: dict[int, str] = {}
        for line, code in errors.order_by("line", "id").values_list("line", "code"):
            by_line.setdefault(line, code)
        missed = sorted(set(expected) - set(by_line))
        extra = sorted(set(by_line) - set(expected))
        batches.append(
            {
                "id": batch.pk,
                "status": batch.status,
                "total": batch.total,
                "created": batch.created_count,
                "updated": batch.updated_count,
                "unchanged": batch.unchanged_count,
                "rejected": batch.rejected_count,
                "warnings": batch.warning_count,
                "failure": batch.failure_message,
                "rejected_lines": len(by_line),
                "rejection_codes": dict(Counter(by_line.values()).most_common()),
                "sidecar_not_rejected": len(missed),
                "sidecar_not_rejected_by_reason": dict(Counter(expected[line] for line in missed).most_common()),
                "sidecar_not_rejected_sample": missed[:20],
                "rejected_not_in_sidecar": len(extra),
                "rejected_not_in_sidecar_by_code": dict(Counter(by_line[line] for line in extra).most_common()),
                "rejected_not_in_sidecar_sample": extra[:20],
                "warning_codes": dict(
                    Counter(
                        BatchRowIssue.objects.filter(batch=batch, level="warning").values_list("code", flat=True)
                    ).most_common()
                ),
            }
        )
    facts = {
        "batches": batches,
        "records": CreditRecord.objects.count(),
        "subjects": Subject.objects.count(),
        "vendor": connection.vendor,
        "server_version": _server_version(),
    }
    print(json.dumps(facts, ensure_ascii=False))


def _server_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("select sqlite_version()" if connection.vendor == "sqlite" else "show server_version")
        return str(cursor.fetchone()[0])


def _internal(argv: list[str]) -> None:
    task, args = argv[0], argv[1:]
    _django()
    if task == "generate":
        _generate(Path(args[0]), int(args[1]), int(args[2]))
    elif task == "organise":
        _organise()
    elif task == "counts":
        _counts(Path(args[0]))
    else:
        raise SystemExit(f"unknown task {task}")


# --- one database -----------------------------------------------------------------------------------


@dataclass
class DatabaseResult:
    database: str
    rows: int
    server_version: str = ""
    first: dict[str, Any] = field(default_factory=dict)
    second: dict[str, Any] = field(default_factory=dict)
    batches: list[dict[str, Any]] = field(default_factory=list)
    records: int = 0
    subjects: int = 0
    iee: dict[str, Any] = field(default_factory=dict)
    checks: dict[str, bool] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return float(self.first.get("rows_per_second", 0.0))

    @property
    def reimport_rate(self) -> float:
        return float(self.second.get("rows_per_second", 0.0))

    @property
    def peak_mib(self) -> float:
        return max(float(self.first.get("peak_tree_mib", 0.0)), float(self.second.get("peak_tree_mib", 0.0)))

    @property
    def ratio(self) -> float | None:
        iee_rate = self.iee.get("rows_per_second")
        return self.rate / iee_rate if iee_rate else None


def import_once(data: DataFile, env: dict[str, str], workdir: Path) -> dict[str, Any]:
    command = [
        PYTHON,
        str(MANAGE),
        "import_records",
        "-v",
        "0",
        "--department",
        DEPARTMENT,
        "--item",
        ITEM,
        str(data.path),
    ]
    result = measured(command, env, workdir)
    facts = {
        "seconds": round(result.seconds, 2),
        "rows_per_second": round(data.rows / result.seconds, 1),
        "peak_tree_mib": round(result.peak_tree_mib, 1),
        "peak_processes": result.peak_processes,
        "max_process_mib": None if result.max_process_mib is None else round(result.max_process_mib, 1),
        "cpu_seconds": round(result.cpu_seconds, 2),
        "postgres_cpu_seconds": round(result.postgres_cpu_seconds, 2),
        "other_cpu_seconds": round(result.other_cpu_seconds, 2),
        "returncode": result.returncode,
        "summary": result.stdout.strip(),
    }
    if result.returncode != 0:
        facts["stderr"] = result.stderr[-4000:]
    return facts


def bench_database(database: str, data: DataFile, workdir: Path, *, iee_rows: int, keep: bool) -> DatabaseResult:
    result = DatabaseResult(database=database, rows=data.rows)
    say = _say(database)
    env = fresh_database(database, "import", workdir)
    say("migrate + organisation (not timed)")
    prepare_database(env)
    say(f"import {data.rows:,} rows")
    result.first = import_once(data, env, workdir)
    say(_line(result.first))
    if result.first["returncode"] == 0:
        say("re-import the same file")
        result.second = import_once(data, env, workdir)
        say(_line(result.second))
    counts = last_json(run(internal("counts", str(data.sidecar)), env, "counts"))
    result.batches, result.records, result.subjects = counts["batches"], counts["records"], counts["subjects"]
    result.server_version = counts["server_version"]
    if not keep:
        drop_database(database, "import")
    if iee_rows:
        result.iee = bench_iee(database, data, workdir, iee_rows)
        say(f"django-import-export: {result.iee.get('rows_per_second', 0):,.0f} rows/s")
        if not keep:
            drop_database(database, "iee")
    result.checks, result.notes = evaluate(result, data)
    return result


def bench_iee(database: str, data: DataFile, workdir: Path, rows: int) -> dict[str, Any]:
    env = fresh_database(database, "iee", workdir)
    _say(database)("django-import-export: fresh database, migrate, subjects (not timed)")
    prepare_database(env)
    command = [
        PYTHON,
        str(BENCH / "iee_resource.py"),
        "--csv",
        str(data.path),
        "--sidecar",
        str(data.sidecar),
        "--rows",
        str(rows),
        "--department",
        DEPARTMENT,
        "--item",
        ITEM,
        "--cached-fk",
    ]
    result = measured(command, env, workdir)
    if result.returncode != 0:
        return {"error": result.stderr[-4000:], "returncode": result.returncode}
    facts = last_json(result.stdout)
    facts["process_peak_tree_mib"] = round(result.peak_tree_mib, 1)
    facts["other_cpu_seconds"] = round(result.other_cpu_seconds, 2)
    facts["process_seconds"] = round(result.seconds, 2)
    return facts


def evaluate(result: DatabaseResult, data: DataFile) -> tuple[dict[str, bool], list[str]]:
    checks: dict[str, bool] = {}
    notes: list[str] = []
    first = result.batches[0] if result.batches else {}
    second = result.batches[1] if len(result.batches) > 1 else {}
    checks["import_completed"] = result.first.get("returncode") == 0 and first.get("status") == "completed"
    checks["reimport_completed"] = result.second.get("returncode") == 0 and second.get("status") == "completed"
    done, redone = checks["import_completed"], checks["reimport_completed"]
    checks[f"rate >= {TARGET_RATE[result.database]:,}/s"] = done and result.rate >= TARGET_RATE[result.database]
    checks[f"re-import rate >= {TARGET_REIMPORT_RATE:,}/s"] = redone and result.reimport_rate >= TARGET_REIMPORT_RATE
    checks[f"peak RSS <= {TARGET_RSS_MIB} MiB"] = done and redone and 0 < result.peak_mib <= TARGET_RSS_MIB
    if result.ratio is not None:
        checks[f"ratio to django-import-export >= {TARGET_RATIO}x"] = done and result.ratio >= TARGET_RATIO
    elif result.iee:
        checks["django-import-export measured"] = False
    for name, batch in (("first", first), ("second", second)):
        if not batch:
            continue
        accounted = batch["created"] + batch["updated"] + batch["unchanged"] + batch["rejected"]
        checks[f"{name}: accepted+unchanged+rejected == rows"] = accounted == data.rows == batch["total"]
        checks[f"{name}: rejected == sidecar bad rows"] = batch["rejected"] == data.bad
        checks[f"{name}: rejected lines == sidecar lines"] = (
            batch["sidecar_not_rejected"] == 0 and batch["rejected_not_in_sidecar"] == 0
        )
        if batch["rejected"] != data.bad:
            notes.append(
                f"{name} batch: rejected {batch['rejected']:,} vs sidecar {data.bad:,} "
                f"(difference {batch['rejected'] - data.bad:+,})"
            )
        if batch["sidecar_not_rejected"]:
            notes.append(
                f"{name} batch: {batch['sidecar_not_rejected']:,} sidecar rows were not rejected, by reason "
                f"{batch['sidecar_not_rejected_by_reason']}; lines e.g. {batch['sidecar_not_rejected_sample']}"
            )
        if batch["rejected_not_in_sidecar"]:
            notes.append(
                f"{name} batch: {batch['rejected_not_in_sidecar']:,} rejected rows are not in the sidecar, "
                f"by code {batch['rejected_not_in_sidecar_by_code']}; lines e.g. "
                f"{batch['rejected_not_in_sidecar_sample']}"
            )
    if second and first:
        accepted = first["created"] + first["updated"]
        checks["second: nothing created or updated"] = second["created"] == 0 and second["updated"] == 0
        checks["second: unchanged == first accepted"] = second["unchanged"] == accepted
    for name, facts in (("import", result.first), ("re-import", result.second), ("django-import-export", result.iee)):
        other = float(facts.get("other_cpu_seconds") or 0)
        if other > 0.05 * float(facts.get("process_seconds") or facts.get("seconds") or 1):
            notes.append(
                f"{name}: other processes used {other:.1f} CPU-seconds during the run (the machine was shared; "
                "the figure is low)"
            )
    if result.iee.get("error"):
        notes.append("django-import-export failed: " + result.iee["error"][-500:])
    return checks, notes


def _say(database: str) -> Any:
    def say(message: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {database}: {message}", file=sys.stderr, flush=True)

    return say


def _line(facts: dict[str, Any]) -> str:
    if facts.get("returncode"):
        return f"FAILED (exit {facts['returncode']}): {facts.get('stderr', '')[-1500:]}"
    return (
        f"{facts['seconds']:.1f} s, {facts['rows_per_second']:,.0f} rows/s, "
        f"peak RSS {facts['peak_tree_mib']:,.0f} MiB (tree) / {facts['max_process_mib'] or 0:,.0f} MiB (process)"
    )


# --- report -----------------------------------------------------------------------------------------


def table(results: list[DatabaseResult], data: DataFile, iee_rows: int) -> str:
    head = [
        "database",
        "rows",
        "seconds",
        "rows/s",
        "peak RSS MiB",
        "re-import s",
        "re-import rows/s",
        f"import-export rows/s ({iee_rows:,})",
        "ratio",
    ]
    lines = []
    for r in results:
        iee = r.iee.get("rows_per_second")
        done, redone = r.checks.get("import_completed"), r.checks.get("reimport_completed")
        lines.append(
            [
                r.database,
                f"{r.rows:,}",
                f"{r.first.get('seconds', 0):.1f}",
                f"{r.rate:,.0f}" if done else "FAILED",
                f"{r.peak_mib:,.0f}",
                f"{r.second.get('seconds', 0):.1f}",
                f"{r.reimport_rate:,.0f}" if redone else "FAILED",
                f"{iee:,.0f}" if iee else "—",
                f"{r.ratio:.1f}×" if r.ratio and done else "—",
            ]
        )
    widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(head)]

    def fmt(cells: list[str]) -> str:
        return " | ".join(
            c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )

    out = [fmt(head), "-+-".join("-" * w for w in widths)]
    out += [fmt(line) for line in lines]
    out.append("")
    out.append(
        f"File: {data.path.name}, {data.rows:,} rows, {data.size / MIB:,.0f} MiB, {data.bad:,} bad rows in "
        f"the sidecar (seed {data.seed}, generated {data.generated_on})."
    )
    for r in results:
        out.append("")
        first, second = ([*r.batches, {}, {}])[:2]
        for name, batch in (("import", first), ("re-import", second)):
            if batch:
                out.append(
                    f"{r.database} {name}: batch {batch['id']} {batch['status']}: total {batch['total']:,}, created "
                    f"{batch['created']:,}, updated {batch['updated']:,}, unchanged {batch['unchanged']:,}, rejected "
                    f"{batch['rejected']:,} (sidecar {data.bad:,}), warnings {batch['warnings']:,}"
                )
        for name, facts in (("import", r.first), ("re-import", r.second)):
            if facts.get("seconds"):
                out.append(
                    f"{r.database} {name}: CPU {facts['cpu_seconds']:.1f} s in the command's processes "
                    f"({facts['cpu_seconds'] / facts['seconds']:.2f} cores on average), PostgreSQL server "
                    f"{facts['postgres_cpu_seconds']:.1f} s, anything else {facts['other_cpu_seconds']:.1f} s; "
                    f"largest single process {facts['max_process_mib'] or 0:,.0f} MiB"
                )
        out.append(f"{r.database}: records {r.records:,}, subjects {r.subjects:,}; server {r.server_version}")
        cached = r.iee.get("cached_fk", {}).get("rows_per_second")
        if cached:
            out.append(
                f"{r.database}: django-import-export with cached foreign keys (tuned, for information): "
                f"{cached:,.0f} rows/s, ratio {r.rate / cached:.1f}×"
            )
        for name, ok in r.checks.items():
            out.append(f"  {'PASS' if ok else 'FAIL'}  {r.database}: {name}")
        for note in r.notes:
            out.append(f"  NOTE  {note}")
        for name, facts in (("import", r.first), ("re-import", r.second)):
            if facts.get("returncode"):
                out.append(f"  {r.database} {name} failed (exit {facts['returncode']}):")
                out.extend("    " + line for line in facts.get("stderr", "").strip().splitlines()[-6:])
    if data.rows != DEFAULT_ROWS:
        out.append("")
        out.append(f"(The targets are for {DEFAULT_ROWS:,} rows; with {data.rows:,} rows the PASS/FAIL is indicative.)")
    return "\n".join(out)


def environment() -> dict[str, Any]:
    import django

    facts: dict[str, Any] = {
        "python": platform.python_version(),
        "django": django.get_version(),
        "cpus": os.cpu_count(),
        "machine": platform.machine(),
        "platform": platform.platform(),
    }
    try:
        from importlib.metadata import version

        facts["django_import_export"] = version("django-import-export")
        facts["tablib"] = version("tablib")
    except Exception:
        facts["django_import_export"] = None
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    facts["git_head"] = head.stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    facts["git_dirty"] = bool(dirty.stdout.strip())
    return facts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS, help=f"rows in the file (default {DEFAULT_ROWS:,})")
    parser.add_argument("--databases", default=",".join(DATABASES), help="comma-separated: sqlite,postgresql")
    parser.add_argument(
        "--iee-rows",
        type=int,
        default=DEFAULT_IEE_ROWS,
        help=f"rows for django-import-export (default {DEFAULT_IEE_ROWS:,}; 0 skips it)",
    )
    parser.add_argument("--seed", type=int, default=None, help="generator seed (default: the demo's)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary databases and media")
    parser.add_argument("--regenerate", action="store_true", help="regenerate the file even if cached")
    args = parser.parse_args(argv)
    databases = [d.strip() for d in args.databases.split(",") if d.strip()]
    unknown = set(databases) - set(DATABASES)
    if unknown:
        parser.error(f"unknown database(s): {', '.join(sorted(unknown))}")
    seed = args.seed if args.seed is not None else _default_seed()

    started = dt.datetime.now()
    load_at_start = os.getloadavg()
    if load_at_start[0] > 0.5:
        print(
            f"Warning: load average {load_at_start[0]:.2f} at start: another job shares the 2 cores, the figures "
            "will be low.",
            file=sys.stderr,
        )
    data = data_file(args.rows, seed, regenerate=args.regenerate)
    workdir = Path(tempfile.mkdtemp(prefix="xinyong-bench-"))
    results = []
    try:
        for database in databases:
            results.append(
                bench_database(database, data, workdir, iee_rows=min(args.iee_rows, data.rows), keep=args.keep)
            )
    finally:
        if args.keep:
            print(f"Kept: {workdir} (PostgreSQL databases {', '.join(PG_NAMES.values())})", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)

    report = table(results, data, min(args.iee_rows, data.rows))
    print(report)
    OUT.mkdir(parents=True, exist_ok=True)
    target = OUT / f"ingest-{started:%Y%m%d-%H%M%S}.json"
    payload = {
        "started": started.isoformat(timespec="seconds"),
        "finished": dt.datetime.now().isoformat(timespec="seconds"),
        "arguments": vars(args) | {"seed": seed},
        "environment": environment() | {"load_average_at_start": load_at_start, "load_average_at_end": os.getloadavg()},
        "targets": {
            "rate": TARGET_RATE,
            "reimport_rate": TARGET_REIMPORT_RATE,
            "peak_rss_mib": TARGET_RSS_MIB,
            "ratio": TARGET_RATIO,
            "rows": DEFAULT_ROWS,
        },
        "file": {k: str(v) if isinstance(v, Path) else v for k, v in asdict(data).items()},
        "results": [
            asdict(r) | {"rate": r.rate, "reimport_rate": r.reimport_rate, "peak_rss_mib": r.peak_mib, "ratio": r.ratio}
            for r in results
        ],
        "passed": all(all(r.checks.values()) for r in results),
    }
    target.write_text(json.dumps(payload, ensure_ascii=False, indent=2))
    print(f"\nFigures written to {target.relative_to(ROOT)}")
    return 0 if payload["passed"] else 1


def _default_seed() -> int:
    """The demo generator's default seed, read without importing Django."""
    source = (ROOT / "xinyong" / "demo" / "generator.py").read_text(encoding="utf-8")
    for line in source.splitlines():
        if line.startswith("DEFAULT_SEED = "):
            return int(line.split("=")[1])
    raise SystemExit("DEFAULT_SEED not found in xinyong/demo/generator.py")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_internal":
        _internal(sys.argv[2:])
    else:
        sys.exit(main())
