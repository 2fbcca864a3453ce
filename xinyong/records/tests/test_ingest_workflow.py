"""A re-uploaded file obeys the record workflow: in place, a correction request, or a refused row."""

import datetime as dt

import pytest
from django.utils import timezone

from xinyong.catalog.models import CatalogItem
from xinyong.objections.choices import Channel, RepairStatus
from xinyong.objections.models import Applicant, Objection, ObjectionRecord, RepairApplication
from xinyong.publication.choices import ChangeKind, ChangeStatus
from xinyong.publication.models import ChangeRequest, PublicRecord
from xinyong.publication.services import record_approve
from xinyong.publication.tests.factories import approve_all, make_staff
from xinyong.records.choices import BatchStatus, RecordStatus
from xinyong.records.models import BatchRowIssue, CreditRecord
from xinyong.records.tests.factories import penalty_fields, person_penalty_fields
from xinyong.records.tests.test_ingest import csv_bytes, submit

pytestmark = pytest.mark.django_db

APPROVED_ON = dt.date(2026, 3, 10)
S = RecordStatus
# line of the second file -> what the record is when it comes, and the outcome
CASES = {
    2: ("draft", None),
    3: ("submitted", None),
    4: ("provider_approved", None),
    5: ("published", None),
    6: ("repaired", "record_repaired"),
    7: ("withdrawn", "record_withdrawn"),
    8: ("deleted", "record_deleted"),
    9: ("expired", "record_expired"),
    10: ("superseded", "record_superseded"),
    11: ("objection", "record_under_objection"),
    12: ("repair", "record_under_repair"),
    13: ("change", "record_change_open"),
}


def row(n, **changes):
    if n == 5:  # the published one is a person's: its identity number travels encrypted into the correction
        return person_penalty_fields(CF_WSH=f"韶市监罚〔2026〕{n}号", **changes)
    return penalty_fields(CF_WSH=f"韶市监罚〔2026〕{n}号", **changes)


def new_content(n):
    return row(n, CF_NR="警告，并处罚款人民币3000元。", CF_NR_FK="0.3")


def applicant():
    return Applicant.objects.create(kind="organisation", name="韶山市清溪镇韶峰食品有限公司")


def hold_by_objection(record, staff):
    today = timezone.localdate()
    objection = Objection.objects.create(
        tracking_no="YY0001",
        secret_hash="x",
        channel=Channel.PORTAL,
        applicant=applicant(),
        subject=record.subject,
        provider=staff.provider,
        grounds="金额有误",
        statement_signed_at=timezone.now(),
        received_on=today,
        accept_due=today,
        forward_due=today,
        decide_due=today,
    )
    ObjectionRecord.objects.create(objection=objection, record=record, record_version=record.version)


def hold_by_repair(record):
    today = timezone.localdate()
    RepairApplication.objects.create(
        tracking_no="XF0001",
        secret_hash="x",
        record=record,
        applicant=applicant(),
        corrective_actions="已缴纳罚款",
        commitment="守法经营",
        commitment_signed_at=timezone.now(),
        received_on=today,
        decide_due=today,
        status=RepairStatus.RECEIVED,
    )


def arrange(staff, records):
    """Bring each record of the first import into its case's state (the setup; the import is under test)."""
    for line, (state, _) in CASES.items():
        record = records[line]
        if state == "draft":
            CreditRecord.objects.filter(pk=record.pk).update(status=S.DRAFT)
        elif state == "provider_approved":
            record_approve(actor=staff.reviewer, record=record)
        elif state in ("published", "objection", "repair", "change"):
            approve_all(staff, record, today=APPROVED_ON)
        elif state != "submitted":
            CreditRecord.objects.filter(pk=record.pk).update(status=state)
        if state == "objection":
            hold_by_objection(record, staff)
        elif state == "repair":
            hold_by_repair(record)
        elif state == "change":
            ChangeRequest.objects.create(
                record=record,
                kind=ChangeKind.WITHDRAW,
                reason="决定已撤销",
                previous_status=S.PUBLISHED,
                base_version=record.version,
                requested_by=staff.clerk,
            )


@pytest.fixture
def reimport():
    """A first file of lines 2..14, the records put into their states, then a second file that changes lines
    2..13, repeats line 14 as it was, adds line 15 and has one bad line 16."""
    staff = make_staff()
    item = CatalogItem.objects.get(code="CF")
    first = submit(staff.clerk, item, csv_bytes(item, [row(n) for n in range(2, 15)]))
    assert first.created_count == 13
    records = {r.source_line: r for r in CreditRecord.objects.filter(batch=first)}
    arrange(staff, records)
    before = {line: CreditRecord.objects.get(pk=r.pk) for line, r in records.items()}
    rows = [new_content(n) for n in range(2, 14)] + [row(14), row(15), row(16, CF_JDRQ="不是日期")]
    second = submit(staff.clerk, item, csv_bytes(item, rows))
    return staff, before, second


def test_a_mixed_file_follows_the_workflow_and_its_counts_add_up(reimport):
    *_, batch = reimport
    assert batch.status == BatchStatus.COMPLETED
    assert (batch.total, batch.created_count, batch.updated_count) == (15, 1, 4)
    assert (batch.unchanged_count, batch.rejected_count) == (1, 9)
    assert batch.created_count + batch.updated_count + batch.unchanged_count + batch.rejected_count == batch.total
    errors = dict(BatchRowIssue.objects.filter(batch=batch, level="error").values_list("line", "code"))
    assert errors == {line: code for line, (_, code) in CASES.items() if code} | {16: errors[16]}
    assert errors[16] != "" and not str(errors[16]).startswith("record_")
    messages = dict(BatchRowIssue.objects.filter(batch=batch, level="error").values_list("code", "message"))
    assert messages["record_repaired"] == "该记录已信用修复，不能通过报送覆盖。"
    assert "异议" in messages["record_under_objection"] and "修复" in messages["record_under_repair"]


def test_refused_rows_change_nothing(reimport):
    _, before, _ = reimport
    for line, (_, code) in CASES.items():
        if code:
            now = CreditRecord.objects.get(pk=before[line].pk)
            assert (now.status, now.version, now.data) == (before[line].status, before[line].version, before[line].data)
            assert now.batch_id == before[line].batch_id and now.data["CF_NR_FK"] == "0.5"


def test_draft_and_review_rows_update_in_place(reimport):
    _, before, batch = reimport
    for line in (2, 3, 4):
        now = CreditRecord.objects.get(pk=before[line].pk)
        assert (now.status, now.version, now.batch_id) == (S.SUBMITTED, before[line].version + 1, batch.pk)
        assert now.data["CF_NR_FK"] == "0.3"
        assert now.versions.filter(version=before[line].version, data__CF_NR_FK="0.5").exists()
    assert not ChangeRequest.objects.filter(record_id__in=[before[n].pk for n in (2, 3, 4)]).exists()


def test_published_row_opens_a_correction_and_the_public_keeps_the_approved_version(reimport):
    staff, before, batch = reimport
    record = CreditRecord.objects.get(pk=before[5].pk)
    change = ChangeRequest.objects.get(record=record)
    assert (change.kind, change.status, change.previous_status) == (ChangeKind.CORRECT, ChangeStatus.OPEN, S.PUBLISHED)
    assert change.requested_by == staff.clerk and f"批次 {batch.pk} 第 5 行" in change.reason
    assert (record.status, record.data["CF_NR_FK"], record.version) == (S.SUBMITTED, "0.3", before[5].version + 1)
    assert record.data["CF_XDR_ZJHM"] == before[5].data["CF_XDR_ZJHM"]  # masked as before
    assert record.protected["CF_XDR_ZJHM"]  # the number itself, encrypted
    assert dict(PublicRecord.objects.get(record=record).fields)["罚款金额（万元）"] == "0.5"
    approve_all(staff, record, today=APPROVED_ON)
    assert dict(PublicRecord.objects.get(record=record).fields)["罚款金额（万元）"] == "0.3"


def test_the_same_corrections_file_again_is_unchanged(reimport):
    staff, before, batch = reimport
    item = batch.item
    rows = [new_content(n) for n in range(2, 14)] + [row(14), row(15), row(16, CF_JDRQ="不是日期")]
    again = submit(staff.clerk, item, csv_bytes(item, rows))
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 6)
    assert again.rejected_count == 9  # the eight refused again, and line 16
    assert ChangeRequest.objects.filter(record_id=before[5].pk).count() == 1
