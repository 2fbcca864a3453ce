"""Collection by file and by JSON: row-by-row validation, idempotency, versions, nothing lost."""

import csv
import io
import json

import pytest
from django.core.files.storage import default_storage

from xinyong.accounts.choices import Role
from xinyong.accounts.tests.factories import DepartmentFactory, UserFactory
from xinyong.audit.models import AuditEvent
from xinyong.catalog.models import CatalogItem
from xinyong.core.errors import PermissionDenied
from xinyong.records.batches import FileTooLarge, batch_submit_file, batch_submit_rows
from xinyong.records.choices import BatchStatus, RecordStatus
from xinyong.records.ingest import pipeline
from xinyong.records.models import BatchRowIssue, CreditRecord, RecordVersion, SubmissionBatch
from xinyong.records.tests.factories import penalty_fields, person_penalty_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def penalty():
    return CatalogItem.objects.get(code="CF")


@pytest.fixture
def clerk():
    return UserFactory(roles=[Role.PROVIDER_CLERK], department=DepartmentFactory(code="SCJGJ", name="市场监管局"))


def labelled(item, fields):
    labels = item.field_map()
    return {labels[code]["label"]: value for code, value in fields.items()}


def rows_for(n, **overrides):
    return [penalty_fields(CF_WSH=f"韶市监罚〔2026〕{i}号", **overrides) for i in range(1, n + 1)]


def csv_bytes(item, rows, encoding="utf-8-sig", headers=None, use_codes=False):
    if headers is None:
        codes = list(dict.fromkeys(code for row in rows for code in row))
        labels = item.field_map()
        headers = codes if use_codes else [labels[c]["label"] for c in codes]
    else:
        codes = headers
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(code, "") for code in codes])
    return buffer.getvalue().encode(encoding)


def submit(clerk, item, body, name="penalties.csv"):
    batch = batch_submit_file(
        actor=clerk, item=item, source=io.BytesIO(body), file_name=name, size=len(body), channel="upload", enqueue=False
    )
    return pipeline.batch_run(batch.pk)


def test_good_file_is_stored_with_provenance(clerk, penalty):
    body = csv_bytes(penalty, [*rows_for(3), person_penalty_fields()])
    batch = submit(clerk, penalty, body)
    assert batch.status == BatchStatus.COMPLETED
    assert (batch.total, batch.created_count, batch.rejected_count, batch.unchanged_count) == (4, 4, 0, 0)
    records = CreditRecord.objects.filter(batch=batch).order_by("source_line")
    assert [r.source_line for r in records] == [2, 3, 4, 5]
    assert {r.status for r in records} == {RecordStatus.SUBMITTED}
    assert records[0].data["CF_CFLB"] == ["警告", "罚款"] and records[0].received_on == batch.received_on
    person = records[3]
    assert person.data["CF_XDR_ZJHM"].startswith("4303****") and "CF_XDR_ZJHM" in person.protected
    import hashlib

    assert batch.raw_file.sha256 == hashlib.sha256(body).hexdigest()
    with default_storage.open(batch.raw_file.storage_name, "rb") as stored:
        assert stored.read() == body
    complete = AuditEvent.objects.get(action="batch.complete")
    assert complete.after["created"] == 4 and complete.after["sha256"] == batch.raw_file.sha256


def test_headers_may_be_field_codes_in_any_order_with_unknown_columns(clerk, penalty):
    rows = [dict(reversed(list(r.items()))) | {"内部编号": "A-1"} for r in rows_for(2)]
    codes = list(rows[0])
    body = csv_bytes(penalty, rows, headers=codes)
    batch = submit(clerk, penalty, body)
    assert batch.created_count == 2 and batch.unknown_columns == ["内部编号"]


def test_same_file_twice_changes_nothing(clerk, penalty, monkeypatch):
    from xinyong.records import filestore
    from xinyong.records.ingest import reader
    from xinyong.records.ingest import rows as rows_module

    body = csv_bytes(penalty, rows_for(5))
    first = submit(clerk, penalty, body)
    assert (first.raw_file.text_encoding, first.raw_file.line_feeds) == ("utf-8-sig", 6)
    validated = []
    original = rows_module.RowPreparer.prepare
    monkeypatch.setattr(rows_module.RowPreparer, "prepare", lambda self, *a: validated.append(a) or original(self, *a))
    monkeypatch.setattr(reader, "_decode_failure", lambda *a: pytest.fail("the same bytes were checked again"))
    monkeypatch.setattr(filestore.tempfile, "NamedTemporaryFile", lambda **k: pytest.fail("copied again"))
    second = submit(clerk, penalty, body, name="again.csv")
    assert validated == []  # rows stored before exactly as written are recognised without validating again
    assert second.expected_rows == 5
    assert (second.total, second.unchanged_count, second.created_count, second.updated_count) == (5, 5, 0, 0)
    assert CreditRecord.objects.count() == 5 and RecordVersion.objects.count() == 0
    assert second.raw_file_id == first.raw_file_id  # the same bytes are archived once


def test_changed_row_makes_a_new_version_and_keeps_the_old(clerk, penalty):
    rows = rows_for(3)
    submit(clerk, penalty, csv_bytes(penalty, rows))
    rows[1] = rows[1] | {"CF_NR_FK": "0.8", "CF_NR": "警告，并处罚款人民币8000元。"}
    batch = submit(clerk, penalty, csv_bytes(penalty, rows), name="fixed.csv")
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (0, 1, 2)
    record = CreditRecord.objects.get(document_no="韶市监罚〔2026〕2号")
    assert record.version == 2 and record.data["CF_NR_FK"] == "0.8" and record.batch == batch
    old = RecordVersion.objects.get(record=record)
    assert old.version == 1 and old.data["CF_NR_FK"] == "0.5"


def test_bad_rows_are_reported_and_good_rows_kept(clerk, penalty, client):
    rows = rows_for(4)
    rows[1] = rows[1] | {"CF_JDRQ": "2024/02/30"}
    rows[2] = rows[2] | {"CF_XDR_SHXYM": '=HYPERLINK("http://x")', "CF_NR_FK": ""}
    batch = submit(clerk, penalty, csv_bytes(penalty, rows))
    assert (batch.total, batch.created_count, batch.rejected_count) == (4, 2, 2)
    assert batch.total == batch.accepted_count + batch.rejected_count + batch.unchanged_count
    issues = list(BatchRowIssue.objects.filter(batch=batch, level="error").values_list("line", "field_code", "code"))
    assert (3, "CF_JDRQ", "date_invalid") in issues
    assert {(4, "CF_NR_FK", "required")} <= set(issues) and any(i[0] == 4 and i[1] == "CF_XDR_SHXYM" for i in issues)
    client.force_login(clerk)
    report = client.get(f"/backoffice/batches/{batch.pk}/errors.csv").content.decode("utf-8-sig")
    assert "处罚决定日期" in report and "2024/02/30" in report
    assert "'=HYPERLINK" in report and ",=HYPERLINK" not in report


def test_duplicate_rows_inside_one_file(clerk, penalty):
    rows = rows_for(2) + rows_for(1)
    batch = submit(clerk, penalty, csv_bytes(penalty, rows))
    assert (batch.created_count, batch.rejected_count) == (2, 1)
    issue = BatchRowIssue.objects.get(batch=batch, level="error")
    assert issue.line == 4 and issue.code == "duplicate_in_file" and "第 2 行" in issue.message


def test_different_name_under_a_known_code_is_a_warning(clerk, penalty):
    submit(clerk, penalty, csv_bytes(penalty, rows_for(1)))
    batch = submit(
        clerk, penalty, csv_bytes(penalty, [penalty_fields(CF_WSH="韶市监罚〔2026〕9号", CF_XDR_MC="另一家公司")])
    )
    assert batch.created_count == 1 and batch.warning_count == 1
    assert BatchRowIssue.objects.get(batch=batch).code == "subject_name_mismatch"


def test_gbk_file_imports_like_utf8(clerk, penalty):
    batch = submit(clerk, penalty, csv_bytes(penalty, rows_for(2), encoding="gb18030"))
    assert batch.created_count == 2
    assert CreditRecord.objects.filter(subject__name="韶山市清溪镇韶峰食品有限公司").count() == 2


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"", "file_empty"),
        (bytes(range(256)) * 64, "file_not_tabular"),
    ],
)
def test_unreadable_files_fail_with_a_reason(clerk, penalty, body, code):
    batch = submit(clerk, penalty, body)
    assert batch.status == BatchStatus.FAILED and batch.failure_code == code and batch.failure_message
    assert CreditRecord.objects.count() == 0


def test_headers_only_is_an_empty_completed_batch(clerk, penalty):
    batch = submit(
        clerk,
        penalty,
        csv_bytes(penalty, [penalty_fields()])[: csv_bytes(penalty, [penalty_fields()]).index(b"\n") + 1],
    )
    assert batch.status == BatchStatus.COMPLETED and batch.total == 0


def test_another_items_headers_are_refused_with_a_hint(clerk, penalty):
    licence = CatalogItem.objects.get(code="XK")
    body = csv_bytes(licence, [{"XK_XDR_MC": "某公司", "XK_WSH": "1", "XK_NR": "x", "XK_XKLB": "普通"}])
    batch = submit(clerk, penalty, body)
    assert batch.status == BatchStatus.FAILED and batch.failure_code in (
        "headers_wrong_item",
        "headers_missing_required",
    )
    assert "行政许可" in batch.failure_message


def test_item_the_department_does_not_report(clerk, penalty):
    penalty.providers.add(DepartmentFactory(code="SWJ"))
    body = csv_bytes(penalty, rows_for(1))
    with pytest.raises(PermissionDenied) as exc:
        batch_submit_file(
            actor=clerk, item=penalty, source=io.BytesIO(body), file_name="x.csv", size=len(body), channel="upload"
        )
    assert exc.value.code == "item_not_reported_by_department" and SubmissionBatch.objects.count() == 0


def test_oversized_file_is_refused_before_storing(clerk, penalty, settings):
    settings.XINYONG_IMPORT_MAX_BYTES = 1000
    with pytest.raises(FileTooLarge) as exc:
        batch_submit_file(
            actor=clerk,
            item=penalty,
            source=io.BytesIO(b"x"),
            file_name="big.csv",
            size=200 * 1024 * 1024,
            channel="upload",
        )
    assert exc.value.status == 413 and "200.0 MB" in exc.value.message
    assert SubmissionBatch.objects.count() == 0
    assert AuditEvent.objects.filter(action="batch.refuse_oversize").exists()


def test_row_with_ten_thousand_columns_and_a_huge_field(clerk, penalty):
    good = csv_bytes(penalty, rows_for(1)).decode("utf-8-sig").splitlines()
    wide = good[1] + "," + ",".join(["x"] * 10_000)
    huge_row = rows_for(3)[2] | {"CF_WFSS": "长" * 1_000_000}
    huge = csv_bytes(penalty, [huge_row]).decode("utf-8-sig").splitlines()[1]
    second = csv_bytes(penalty, rows_for(2)).decode("utf-8-sig").splitlines()[2]
    body = "\n".join([good[0], good[1], wide.replace("〔2026〕1号", "〔2026〕5号"), huge, second]).encode("utf-8")
    batch = submit(clerk, penalty, body)
    assert (batch.total, batch.created_count, batch.rejected_count) == (4, 2, 2)
    codes = dict(BatchRowIssue.objects.filter(batch=batch).values_list("line", "code"))
    assert codes[3] == "extra_cells" and codes[4] in ("value_too_long", "too_long")


def test_resumes_after_an_interruption_without_duplicates(clerk, penalty, monkeypatch):
    monkeypatch.setattr(pipeline, "CHUNK_ROWS", 3)
    body = csv_bytes(penalty, rows_for(10))
    batch = batch_submit_file(
        actor=clerk,
        item=penalty,
        source=io.BytesIO(body),
        file_name="p.csv",
        size=len(body),
        channel="upload",
        enqueue=False,
    )

    class Killed(Exception):
        pass

    def die_after_two_chunks(b):
        if b.total >= 6:
            raise Killed

    with pytest.raises(Killed):
        pipeline.batch_run(batch.pk, progress=die_after_two_chunks)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.RUNNING and batch.processed_line == 7 and batch.total == 6
    assert CreditRecord.objects.count() == 6
    with pytest.raises(pipeline.BatchBusy):  # a live importer is not disturbed...
        pipeline.batch_run(batch.pk)
    import datetime as dt

    SubmissionBatch.objects.filter(pk=batch.pk).update(heartbeat_at=batch.heartbeat_at - dt.timedelta(minutes=10))
    done = pipeline.batch_run(batch.pk)  # ...but a stalled one is taken over
    assert done.status == BatchStatus.COMPLETED and done.total == 10 and done.created_count == 10
    assert CreditRecord.objects.count() == 10


def test_json_push_has_the_same_rules(clerk, penalty):
    rows = [labelled(penalty, r) for r in rows_for(2)] + [penalty_fields(CF_JDRQ="明天"), "not an object"]
    batch = batch_submit_rows(actor=clerk, item=penalty, rows=rows)
    assert (batch.total, batch.created_count, batch.rejected_count) == (4, 2, 2)
    again = batch_submit_rows(actor=clerk, item=penalty, rows=rows[:2])
    assert again.unchanged_count == 2 and CreditRecord.objects.count() == 2
    stored = json.loads(default_storage.open(batch.raw_file.storage_name).read())
    assert stored["rows"][0] == rows[0]


def test_template_example_row_is_refused_and_label_plus_code_is_a_duplicate(clerk, penalty):
    from xinyong.records.ingest.templates import build_csv_template

    batch = submit(clerk, penalty, build_csv_template(penalty), name="template.csv")
    assert (batch.total, batch.rejected_count) == (1, 1)
    assert BatchRowIssue.objects.get(batch=batch).code == "example_row"
    rows = rows_for(1)
    body = csv_bytes(penalty, rows).decode("utf-8-sig").splitlines()
    doubled = "\n".join([body[0] + ",CF_WSH", body[1] + ",x"]).encode()
    failed = submit(clerk, penalty, doubled, name="double.csv")
    assert failed.status == BatchStatus.FAILED and failed.failure_code == "headers_duplicate"
    assert "行政处罚决定书文号" in failed.failure_message


def test_xlsx_upload_with_formulas(clerk, penalty, tmp_path):
    from openpyxl import Workbook

    rows = rows_for(3)
    labels = penalty.field_map()
    codes = list(rows[0])
    book = Workbook()
    sheet = book.active
    sheet.append([labels[c]["label"] for c in codes])
    for row in rows:
        sheet.append([row[c] for c in codes])
    sheet.cell(row=3, column=codes.index("CF_NR_FK") + 1, value="=0.2+0.3")
    path = tmp_path / "p.xlsx"
    book.save(path)
    batch = submit(clerk, penalty, path.read_bytes(), name="p.xlsx")
    assert (batch.total, batch.created_count, batch.rejected_count) == (3, 2, 1)
    issue = BatchRowIssue.objects.get(batch=batch)
    assert issue.line == 3 and issue.code == "formula_not_allowed"


def test_reimport_after_a_hand_correction_is_not_taken_for_unchanged(clerk, penalty):
    from xinyong.records.services import record_correct

    body = csv_bytes(penalty, rows_for(2))
    submit(clerk, penalty, body)
    record = CreditRecord.objects.get(document_no="韶市监罚〔2026〕1号")
    CreditRecord.objects.filter(pk=record.pk).update(status=RecordStatus.DRAFT)
    record_correct(
        actor=clerk,
        record=record,
        fields=penalty_fields(CF_WSH="韶市监罚〔2026〕1号", CF_NR_FK="0.7"),
        reason="手工更正",
    )
    again = submit(clerk, penalty, body, name="again.csv")
    assert (again.unchanged_count, again.updated_count) == (1, 1)
    record.refresh_from_db()
    assert record.data["CF_NR_FK"] == "0.5" and record.version == 3


def test_operators_command_line_may_import_larger_files_than_uploads(clerk, penalty, settings):
    settings.XINYONG_IMPORT_MAX_BYTES = 1000
    body = csv_bytes(penalty, rows_for(5))
    assert len(body) > 1000
    with pytest.raises(FileTooLarge):
        batch_submit_file(
            actor=clerk, item=penalty, source=io.BytesIO(body), file_name="p.csv", size=len(body), channel="upload"
        )
    batch = batch_submit_file(
        actor="system:manage.py",
        department=clerk.department,
        item=penalty,
        source=io.BytesIO(body),
        file_name="p.csv",
        size=len(body),
        channel="command",
        enqueue=False,
    )
    assert pipeline.batch_run(batch.pk).created_count == 5
