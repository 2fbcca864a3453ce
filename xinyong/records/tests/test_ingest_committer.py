"""A chunk planned with subjects that turn out otherwise when it is written: it is written again, looking
them up, and nothing is lost or stored twice.

On PostgreSQL a chunk's subjects are decided when it is planned (found, claimed by an earlier chunk not
yet committed, or new under ids drawn from the sequence) and its rows are written before its turn to
commit. Another batch may create one of those subjects meanwhile, and a chunk that claimed a subject may
end up not creating it. On SQLite the subjects are looked up when the chunk is written; the same tests
check that there.
"""

import io
import shutil
import sqlite3
from contextlib import closing

import pytest

from xinyong.accounts.choices import Role
from xinyong.accounts.tests.factories import DepartmentFactory, UserFactory, make_uscc
from xinyong.catalog.models import CatalogItem
from xinyong.records.batches import batch_submit_file
from xinyong.records.ingest.committer import Checkpointer, ChunkCommitter
from xinyong.records.ingest.pipeline import spec_for
from xinyong.records.ingest.producer import prepare_raw_chunk
from xinyong.records.ingest.reader import RawRow
from xinyong.records.models import CreditRecord, SubmissionBatch
from xinyong.records.tests.factories import penalty_fields
from xinyong.subjects.models import Subject

pytestmark = pytest.mark.django_db(transaction=True)  # the commits, and PostgreSQL's checks at commit, are real


@pytest.fixture
def batch():
    clerk = UserFactory(roles=[Role.PROVIDER_CLERK], department=DepartmentFactory(code="SCJGJ", name="市场监管局"))
    item = CatalogItem.objects.get(code="CF")
    batch = batch_submit_file(
        actor=clerk, item=item, source=io.BytesIO(b"x"), file_name="p.csv", size=1, channel="upload", enqueue=False
    )
    return SubmissionBatch.objects.select_related("item").get(pk=batch.pk)


def _chunk(batch, rows):
    labels = batch.item.field_map()
    codes = list(rows[0])
    spec = spec_for(batch, [labels[code]["label"] for code in codes])
    raw = [RawRow(line, [row.get(code, "") for code in codes]) for line, row in enumerate(rows, start=2)]
    return prepare_raw_chunk(spec, raw)


def _rows():
    usccs = [make_uscc(5_550_001 + i, prefix="91430382") for i in range(2)]
    return [
        penalty_fields(CF_WSH=f"韶市监罚〔2026〕{i}号", CF_XDR_SHXYM=usccs[i % 2], CF_XDR_MC=f"韶山市公司{i % 2}")
        for i in range(1, 7)
    ], usccs


def test_a_subject_another_batch_created_after_the_plan_is_found_not_duplicated(batch):
    rows, usccs = _rows()
    committer = ChunkCommitter(batch, fresh=True)
    plan = committer.plan(_chunk(batch, rows), 0)
    # Meanwhile another batch stores the first company (committed at once: autocommit).
    other = Subject.objects.create(
        kind="legal_person", name="韶山市公司1", name_normalized="韶山市公司1", uscc=usccs[1]
    )

    committer.write(plan)

    records = CreditRecord.objects.filter(batch=batch)
    assert records.count() == 6
    assert set(records.filter(subject__uscc=usccs[1]).values_list("subject_id", flat=True)) == {other.pk}
    assert Subject.objects.filter(uscc__in=usccs).count() == 2
    assert records.filter(subject__uscc=usccs[0]).count() == 3
    batch.refresh_from_db()
    assert (batch.total, batch.created_count, batch.rejected_count, batch.processed_line) == (6, 6, 0, 7)


def test_a_subject_claimed_by_an_earlier_chunk_that_did_not_create_it_is_created_after_the_turn(batch):
    rows, usccs = _rows()
    committer = ChunkCommitter(batch, fresh=True)
    # Chunk 0, planned by another process, said it would create the second company under id 987654 —
    # and then did not (it found another batch's subject instead, say).
    committer.learn([], 0, {usccs[1]: (987654, "韶山市公司1")})
    plan = committer.plan(_chunk(batch, rows), 1)
    waited = []

    committer.write(plan, lambda: waited.append(True))

    assert waited  # the chunk waited for its turn
    records = CreditRecord.objects.filter(batch=batch)
    assert records.count() == 6
    subject = Subject.objects.get(uscc=usccs[1])
    assert subject.pk != 987654 and set(records.filter(subject=subject).values_list("source_line", flat=True)) == {
        2,
        4,
        6,
    }
    assert not CreditRecord.objects.filter(subject_id=987654).exists()
    batch.refresh_from_db()
    assert (batch.total, batch.created_count, batch.processed_line) == (6, 6, 7)


def test_planned_chunk_keeps_file_order_and_reports_a_key_an_earlier_chunk_took(batch):
    rows, _ = _rows()
    committer = ChunkCommitter(batch, fresh=True)
    first = _chunk(batch, rows)
    key = first.accepted[2].source_key
    committer.learn([(key, 1)], 0, None)  # another process's chunk 0 took the third row's key at line 1

    plan = committer.plan(first, 1)
    committer.write(plan)

    stored = list(CreditRecord.objects.filter(batch=batch).order_by("id").values_list("source_line", flat=True))
    assert stored == [2, 3, 5, 6, 7]
    issue = batch.issues.get()
    assert (issue.line, issue.code) == (4, "duplicate_in_file") and "第 1 行" in issue.message


def test_key_lookups_find_exactly_the_keys_asked_for_whatever_they_hold(batch):
    """PostgreSQL sends a slice of keys as one text split by the server (a list parameter costs ~3 µs a key):
    keys holding the separator, or one empty key, go as a list; every way finds the same rows."""
    from xinyong.records.ingest import writer

    table = Subject._meta.db_table
    names = ["甲公司", "", "乙\x1f公司", "丙公司,有限", "丁 公司"]
    for index, name in enumerate(names):
        Subject.objects.create(kind="legal_person", name=name, name_normalized=name, uscc=make_uscc(7_000 + index))
    query = f"SELECT name_normalized FROM {table} WHERE"
    for asked in (names, names[:2] + names[3:], [""], ["丙公司,有限", "无此公司"], ["乙\x1f公司"]):
        found = writer.select_in(query, [], "name_normalized", asked)
        assert sorted(name for (name,) in found) == sorted(name for name in asked if name in names)


def _wal_database(path):
    database = sqlite3.connect(path, isolation_level=None)
    database.execute("PRAGMA journal_mode=WAL")
    database.execute("PRAGMA wal_autocheckpoint = 0")  # as the importing connections: nothing copied at commits
    database.execute("CREATE TABLE t (n INTEGER)")
    database.executemany("INSERT INTO t VALUES (?)", [(n,) for n in range(2000)])
    return database


def _rows_in_file_alone(path, tmp_path):
    """The rows the database file holds without its write-ahead log (what a checkpoint copied into it)."""
    alone = tmp_path / "alone.sqlite3"
    shutil.copyfile(path, alone)
    with closing(sqlite3.connect(alone)) as database:
        try:
            return database.execute("SELECT COUNT(*) FROM t").fetchone()[0]
        except sqlite3.OperationalError:  # no such table: nothing was copied
            return 0


@pytest.mark.django_db(transaction=False)
def test_checkpointer_copies_the_write_ahead_log_into_the_database_file(tmp_path):
    path = tmp_path / "wal.sqlite3"
    with closing(_wal_database(path)) as database:
        assert _rows_in_file_alone(path, tmp_path) == 0
        checkpoints = Checkpointer(str(path))
        checkpoints.request()
        database.executemany("INSERT INTO t VALUES (?)", [(n,) for n in range(500)])  # writing meanwhile is fine
        checkpoints.request()
        checkpoints.close()
        assert not checkpoints.thread.is_alive()
        assert _rows_in_file_alone(path, tmp_path) == 2500


@pytest.mark.django_db(transaction=False)
def test_checkpointer_failure_reaches_the_importing_thread(tmp_path):
    checkpoints = Checkpointer(str(tmp_path / "missing" / "wal.sqlite3"))  # cannot be opened
    checkpoints.thread.join()
    with pytest.raises(sqlite3.OperationalError):
        checkpoints.request()
    with pytest.raises(sqlite3.OperationalError):
        checkpoints.close()
    checkpoints.close(check=False)  # an import that failed already reports its own error
