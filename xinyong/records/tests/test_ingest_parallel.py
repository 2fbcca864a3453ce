"""A large file imported by the parallel importing processes (`ingest/parallel.py`), through the operator's
command in real processes: chunks prepared and committed by two processes in file order, duplicate keys
found whichever process saw the first one, a changed file makes new versions, the same file changes nothing.
"""

import pytest

from xinyong.catalog.models import CatalogItem
from xinyong.records.tests.factories import citizen_id, person_penalty_fields
from xinyong.records.tests.test_ingest import csv_bytes, rows_for
from xinyong.records.tests.test_ingest_kill import CHUNK, database  # noqa: F401  (the fixture)

ROWS = 5 * CHUNK - CHUNK // 5  # five chunks, the last one short: the processes take chunks 0, 2, 4 and 1, 3
LATER = CHUNK // 2  # a row in the middle of a chunk


def line_of(index: int) -> int:
    return index + 2  # the header is line 1


def penalty_rows() -> list[dict[str, str]]:
    rows = rows_for(ROWS)
    for index in range(0, ROWS, 97):  # natural persons: their key holds a keyed hash of the ID number
        body = f"430382199{index % 10}0101{index % 1000:03d}"
        rows[index] = person_penalty_fields(CF_WSH=f"韶公行罚〔2026〕{index}号", CF_XDR_ZJHM=citizen_id(body))
    rows[CHUNK + 3] = dict(rows[10])  # chunk 1 (second process) repeats a row of chunk 0 (first process)
    rows[2 * CHUNK + 7] = dict(rows[CHUNK + LATER])  # chunk 2 (first process) repeats a row of chunk 1 (second)
    rows[3 * CHUNK + 1] = rows[3 * CHUNK + 1] | {"CF_JDRQ": "2026/02/30"}  # an impossible date
    return rows


def import_file(database, tmp_path, rows, name):  # noqa: F811
    path = tmp_path / name
    path.write_bytes(csv_bytes(CatalogItem.objects.get(code="CF"), rows))
    database.manage("import_records", "-v", "0", "--department", "SCJGJ", "--item", "CF", str(path))
    return database.query(
        "SELECT id, status, total, created_count, updated_count, unchanged_count, rejected_count "
        "FROM records_submissionbatch ORDER BY id DESC LIMIT 1"
    )[0]


def errors_of(database, batch_id):  # noqa: F811
    return database.query(
        f"SELECT line, code, message FROM records_batchrowissue WHERE batch_id = {batch_id} AND level = 'error' "
        "ORDER BY line"
    )


@pytest.mark.django_db
def test_parallel_import_in_file_order_with_duplicates_versions_and_an_unchanged_reimport(database, tmp_path):  # noqa: F811
    database.prepare()
    rows = penalty_rows()

    first = import_file(database, tmp_path, rows, "first.csv")
    assert first[1:] == ("completed", ROWS, ROWS - 3, 0, 0, 3)
    errors = errors_of(database, first[0])
    assert [(line, code) for line, code, _ in errors] == [
        (line_of(CHUNK + 3), "duplicate_in_file"),
        (line_of(2 * CHUNK + 7), "duplicate_in_file"),
        (line_of(3 * CHUNK + 1), "date_invalid"),
    ]
    assert f"第 {line_of(10)} 行" in errors[0][2] and f"第 {line_of(CHUNK + LATER)} 行" in errors[1][2]
    assert database.query("SELECT COUNT(*), COUNT(DISTINCT source_key) FROM records_creditrecord")[0] == (
        ROWS - 3,
        ROWS - 3,
    )
    persons = database.query("SELECT COUNT(*) FROM subjects_subject WHERE kind = 'natural_person'")[0][0]
    assert persons == len(range(0, ROWS, 97)) > 1
    # the lines stored are the file's lines in order, each once
    stored = [line for (line,) in database.query("SELECT source_line FROM records_creditrecord ORDER BY id")]
    assert stored == sorted(stored) and len(set(stored)) == ROWS - 3

    same = import_file(database, tmp_path, rows, "again.csv")
    assert same[1:] == ("completed", ROWS, 0, 0, ROWS - 3, 3)
    assert [code for _, code, _ in errors_of(database, same[0])] == ["duplicate_in_file"] * 2 + ["date_invalid"]

    changed = list(rows)
    changed[4 * CHUNK + 2] = changed[4 * CHUNK + 2] | {"CF_NR_FK": "0.8", "CF_NR": "警告，并处罚款人民币8000元。"}
    changed[97] = changed[97] | {"CF_WFXW": "无证经营"}  # a person's row
    changed.append(rows_for(ROWS + 1)[-1])  # a new row at the end
    update = import_file(database, tmp_path, changed, "changed.csv")
    assert update[1:] == ("completed", ROWS + 1, 1, 2, ROWS - 5, 3)
    assert database.query("SELECT COUNT(*) FROM records_recordversion WHERE action = 'superseded_by_import'")[0] == (2,)
    assert database.query(
        f"SELECT version, batch_id FROM records_creditrecord WHERE source_line = {line_of(4 * CHUNK + 2)} "
        f"AND batch_id = {update[0]}"
    ) == [(2, update[0])]
    assert "审计链完整" in database.manage("audit", "verify").stdout


@pytest.mark.django_db
def test_two_departments_importing_the_same_new_companies_at_once(database, tmp_path):  # noqa: F811
    """Two large batches at the same time, from two departments, about the same new companies none of which
    is known yet, in the same order: each company is created once, by whichever batch gets there first, and
    both batches complete with every row stored against the right company (on PostgreSQL the chunks written
    early collide on the new companies and are written again after their turn)."""
    import subprocess

    from xinyong.accounts.tests.factories import make_uscc

    database.prepare()
    database.manage(
        "shell",
        "-c",
        "from xinyong.accounts.models import Department; Department.objects.create(code='SWJ', name='税务局')",
    )
    item = CatalogItem.objects.get(code="CF")
    companies = [make_uscc(3_000_000 + i, prefix="91430382") for i in range(ROWS // 2)]
    processes = []
    for department in ("SCJGJ", "SWJ"):
        rows = [
            rows_for(1)[0]
            | {
                "CF_WSH": f"{department}罚〔2026〕{i}号",
                "CF_XDR_SHXYM": companies[i // 2],
                "CF_XDR_MC": f"公司{i // 2}",
            }
            for i in range(ROWS)
        ]
        path = tmp_path / f"{department}.csv"
        path.write_bytes(csv_bytes(item, rows))
        processes.append(database.start_import(path, department, stdout=subprocess.PIPE, stderr=subprocess.PIPE))
    for process in processes:
        _, err = process.communicate(timeout=300)
        assert process.returncode == 0, err[-2000:]
    assert (
        database.query(
            "SELECT status, total, created_count, rejected_count, warning_count "
            "FROM records_submissionbatch ORDER BY id"
        )
        == [("completed", ROWS, ROWS, 0, 0)] * 2
    )
    assert database.query("SELECT COUNT(*), COUNT(DISTINCT uscc) FROM subjects_subject")[0] == (ROWS // 2, ROWS // 2)
    mismatched = database.query(
        "SELECT COUNT(*) FROM records_creditrecord r JOIN subjects_subject s ON s.id = r.subject_id "
        "WHERE r.source_key NOT LIKE '%|' || s.uscc"
    )
    assert mismatched == [(0,)]
    assert database.query("SELECT COUNT(*) FROM records_creditrecord")[0][0] == 2 * ROWS
