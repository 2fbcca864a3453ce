"""Kill the importing process in the middle of a batch, run it again: complete, no duplicates.

Runs real processes against a real database file (SQLite) or a scratch PostgreSQL database, matching
whichever database the test run uses.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from xinyong.catalog.models import CatalogItem
from xinyong.records.tests.test_ingest import csv_bytes, rows_for

ROOT = Path(__file__).resolve().parents[3]
CHUNK = 40  # rows per committed chunk in the importing processes these tests start (a setting)
PARALLEL_MIN_ROWS = 100  # so a few hundred rows are imported by two processes, as a large file is
ROWS = 15 * CHUNK


class Database:
    def __init__(self, tmp_path: Path):
        self.vendor = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        self.env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
        self.env |= {"DJANGO_SETTINGS_MODULE": "config.settings.local", "XINYONG_VAR_DIR": str(tmp_path)}
        self.env |= {
            "XINYONG_IMPORT_CHUNK_ROWS": str(CHUNK),
            "XINYONG_IMPORT_PARALLEL_MIN_ROWS": str(PARALLEL_MIN_ROWS),
        }
        if self.vendor == "postgresql":
            db = settings.DATABASES["default"]
            self.name = f"xy_kill_{uuid.uuid4().hex[:8]}"
            self.base = f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{db['HOST']}:{db['PORT'] or 5432}"
            self._admin(f'CREATE DATABASE "{self.name}"')
            self.env["DATABASE_URL"] = f"{self.base}/{self.name}"
        else:
            self.path = tmp_path / "xinyong.sqlite3"

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(f"{self.base}/postgres", autocommit=True) as conn:
            conn.execute(sql)

    def query(self, sql: str) -> list[tuple]:
        if self.vendor == "postgresql":
            import psycopg

            with psycopg.connect(self.env["DATABASE_URL"]) as conn:
                return conn.execute(sql).fetchall()
        with sqlite3.connect(self.path, timeout=30) as conn:
            return conn.execute(sql).fetchall()

    def manage(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
            check=check,
        )

    def prepare(self) -> None:
        """Migrated, with the department that reports the penalties."""
        self.manage("migrate", "--noinput")
        department = "Department.objects.create(code='SCJGJ', name='市场监管局')"
        self.manage("shell", "-c", f"from xinyong.accounts.models import Department; {department}")

    def start_import(self, source: Path, department: str = "SCJGJ", **output: Any) -> subprocess.Popen[str]:
        """`import_records` of `source` in its own session (so its processes can be killed as a group)."""
        command = ["import_records", "-v", "0", "--department", department, "--item", "CF", str(source)]
        return subprocess.Popen(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=self.env,
            start_new_session=True,
            text=True,
            **output,
        )

    def wait_for_orphans(self, timeout: float = 30) -> None:
        """PostgreSQL: a killed importer's server processes may still be finishing a commit the client sent
        before it died; wait until they are gone, so what is read next is what the resumed import finds."""
        if self.vendor != "postgresql":
            return
        deadline = time.monotonic() + timeout
        sql = f"SELECT COUNT(*) FROM pg_stat_activity WHERE datname = '{self.name}' AND pid <> pg_backend_pid()"
        while self.query(sql)[0][0]:
            assert time.monotonic() < deadline, "the killed importer's database sessions did not end"
            time.sleep(0.05)

    def drop(self) -> None:
        if self.vendor == "postgresql":
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@pytest.fixture
def database(tmp_path):
    db = Database(tmp_path)
    try:
        yield db
    finally:
        db.drop()


@pytest.mark.django_db
def test_killed_import_resumes_to_a_complete_batch(database, tmp_path):
    body = csv_bytes(CatalogItem.objects.get(code="CF"), rows_for(ROWS))
    source = tmp_path / "penalties.csv"
    source.write_bytes(body)
    database.prepare()

    importer = database.start_import(source, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    progress = 0
    while time.monotonic() < deadline and importer.poll() is None:
        try:
            rows = database.query("SELECT processed_line FROM records_submissionbatch")
        except (sqlite3.OperationalError, Exception):
            rows = []
        if rows and rows[0][0]:
            progress = rows[0][0]
            break
        time.sleep(0.05)
    assert importer.poll() is None, "the import finished before it could be interrupted"
    os.killpg(importer.pid, signal.SIGKILL)  # the importer and its file-reading process, mid-batch
    importer.wait()
    database.wait_for_orphans()
    # One statement, one snapshot: the batch's counters and the records stored are of the same commits.
    ((batch_id, status, total, line, stored),) = database.query(
        "SELECT id, status, total, processed_line, (SELECT COUNT(*) FROM records_creditrecord)"
        " FROM records_submissionbatch"
    )
    assert status == "running" and 0 < total < ROWS and line >= progress
    assert stored == total

    resumed = database.manage("import_records", "-v", "0", "--resume", str(batch_id))
    assert "已完成" in resumed.stdout
    ((status, total, created, rejected),) = database.query(
        "SELECT status, total, created_count, rejected_count FROM records_submissionbatch"
    )
    assert (status, total, created, rejected) == ("completed", ROWS, ROWS, 0)
    assert database.query("SELECT COUNT(*), COUNT(DISTINCT source_key) FROM records_creditrecord")[0] == (ROWS, ROWS)
    assert "审计链完整" in database.manage("audit", "verify").stdout


def spawned_children(pid: int) -> list[int]:
    """The importing processes multiprocessing spawned for `pid` (not its resource tracker)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            command = (entry / "cmdline").read_bytes()
        except (OSError, IndexError, ValueError):
            continue
        if ppid == pid and b"spawn_main" in command:
            found.append(int(entry.name))
    return found


@pytest.mark.django_db
def test_a_dead_importing_process_leaves_the_batch_resumable(database, tmp_path):
    rows = 20 * CHUNK  # ten chunks for each importing process
    source = tmp_path / "penalties.csv"
    source.write_bytes(csv_bytes(CatalogItem.objects.get(code="CF"), rows_for(rows)))
    database.prepare()
    importer = database.start_import(source, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and importer.poll() is None:
        try:
            rows_done = database.query("SELECT processed_line FROM records_submissionbatch")
        except Exception:
            rows_done = []
        if rows_done and rows_done[0][0]:
            break
        time.sleep(0.05)
    workers = spawned_children(importer.pid)
    assert importer.poll() is None and len(workers) == 2, "the import finished before a process could be killed"
    os.kill(workers[1], signal.SIGKILL)
    _, stderr = importer.communicate(timeout=60)
    assert importer.returncode != 0 and "import_worker_died" not in stderr  # a message, not a traceback
    assert "导入进程意外退出" in stderr and "--resume" in stderr
    database.wait_for_orphans()
    ((batch_id, status, total, line, stored, last),) = database.query(
        "SELECT id, status, total, processed_line, (SELECT COUNT(*) FROM records_creditrecord),"
        " (SELECT MAX(source_line) FROM records_creditrecord) FROM records_submissionbatch"
    )
    assert status == "running" and 0 < total < rows  # not failed: resumable
    assert (stored, last) == (total, line)

    resumed = database.manage("import_records", "-v", "0", "--resume", str(batch_id))
    assert "已完成" in resumed.stdout
    assert database.query("SELECT status, total, created_count FROM records_submissionbatch")[0] == (
        "completed",
        rows,
        rows,
    )
    assert database.query("SELECT COUNT(*), COUNT(DISTINCT source_key) FROM records_creditrecord")[0] == (rows, rows)
