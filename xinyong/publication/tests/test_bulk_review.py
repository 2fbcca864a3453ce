"""Whole-batch approval: the set-based chunks give what the one-by-one approval gives."""

import csv
import io
from typing import Any

import pytest

from xinyong.audit.models import AuditEvent
from xinyong.audit.services import audit_verify
from xinyong.catalog.models import CatalogItem
from xinyong.records.batches import batch_submit_file
from xinyong.records.choices import RecordStatus
from xinyong.records.ingest import pipeline
from xinyong.records.models import CreditRecord, SubmissionBatch
from xinyong.records.tests.factories import penalty_fields, person_penalty_fields

from ..models import BulkReview, Notice, PublicRecord, PublicSubject, RecordPublicity, RecordReview
from ..services import bulk as bulk_module
from ..services import bulk_review_run, bulk_review_start, record_approve, record_request_correction
from .factories import make_staff

pytestmark = pytest.mark.django_db
REASON = "抽查无误"
KINDS = {
    "published": lambda n: penalty_fields(CF_WSH=n, CF_CFLB="罚款"),
    "shared_only": lambda n: penalty_fields(CF_WSH=n, CF_CXLX="简易"),
    "expired": lambda n: penalty_fields(CF_WSH=n, CF_JDRQ="2020/01/06", CF_CFLB="罚款"),
    "person": lambda n: person_penalty_fields(CF_WSH=n, CF_CFLB="罚款"),
}


def _import(staff: Any, rows: list[dict[str, Any]]) -> SubmissionBatch:
    item = CatalogItem.objects.get(code="CF")
    labels, codes = item.field_map(), sorted({code for row in rows for code in row})
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([labels[c]["label"] for c in codes])
    writer.writerows([row.get(c, "") for c in codes] for row in rows)
    body = buffer.getvalue().encode("utf-8-sig")
    batch = batch_submit_file(
        actor=staff.clerk, item=item, source=io.BytesIO(body), file_name="cf.csv", size=len(body), channel="upload"
    )
    return pipeline.batch_run(batch.pk)


def _bulk(actor: Any, batch: SubmissionBatch) -> BulkReview:
    return bulk_review_run(bulk_review_start(actor=actor, batch=batch, reason=REASON).pk)


def _what_it_became(record: CreditRecord) -> dict[str, Any]:
    """Everything the approval writes about a record, without what differs by nature (ids, times, 文书号)."""
    record.refresh_from_db()
    publicity = RecordPublicity.objects.filter(record=record).values(
        "is_public", "basis", "not_public_reason", "rule", "starts_on", "repair_from", "ends_on"
    )
    public = PublicRecord.objects.filter(record=record).values(
        "subject", "group", "item_name", "list_name", "version", "decision_date", "provider_name", "fields", "basis"
    )
    public_rows = [{**row, "fields": [f for f in row["fields"] if f[1] != record.document_no]} for row in public]
    return {
        "status": (record.status, record.status_reason, record.version),
        "versions": list(record.versions.order_by("id").values_list("version", "action", "status", "reason")),
        "reviews": list(
            RecordReview.objects.filter(record=record)
            .order_by("id")
            .values_list("record_version", "stage", "decision", "reason", "reviewer")
        ),
        "publicity": list(publicity),
        "window": list(PublicRecord.objects.filter(record=record).values_list("starts_on", "repair_from", "ends_on")),
        "public": public_rows,
        "notices": list(Notice.objects.filter(record=record).values_list("kind", flat=True)),
    }


def test_a_record_approved_in_bulk_becomes_what_it_becomes_approved_singly(monkeypatch):
    monkeypatch.setattr(bulk_module, "CHUNK", 3)
    staff = make_staff()
    rows = [make(f"韶市监罚〔2026〕{kind}{i}号") for kind, make in KINDS.items() for i in (1, 2)]
    batch = _import(staff, rows)
    records = {r.document_no: r for r in CreditRecord.objects.filter(batch=batch)}
    assert len(records) == 8 and {r.status for r in records.values()} == {RecordStatus.SUBMITTED}
    singly = [records[f"韶市监罚〔2026〕{kind}1号"] for kind in KINDS]
    for record in singly:
        record_approve(actor=staff.reviewer, record=record, reason=REASON)
        record_approve(actor=staff.platform, record=record, reason=REASON)
    assert (_bulk(staff.reviewer, batch).approved, _bulk(staff.platform, batch).approved) == (4, 4)
    for kind in KINDS:
        one, many = records[f"韶市监罚〔2026〕{kind}1号"], records[f"韶市监罚〔2026〕{kind}2号"]
        assert _what_it_became(many) == _what_it_became(one), kind
        assert RecordReview.objects.filter(record=many, bulk__isnull=False).count() == 2
    statuses = sorted(CreditRecord.objects.filter(batch=batch).values_list("status", flat=True))
    assert statuses == sorted(
        [RecordStatus.PUBLISHED] * 4 + [RecordStatus.SHARED_ONLY] * 2 + [RecordStatus.EXPIRED] * 2
    )
    company = PublicSubject.objects.get(subject=records["韶市监罚〔2026〕published1号"].subject)
    assert company.penalty_count == 2


def test_each_chunk_is_one_audit_event_with_the_ids_and_content_hashes_and_the_chain_verifies(monkeypatch):
    monkeypatch.setattr(bulk_module, "CHUNK", 2)
    staff = make_staff()
    batch = _import(staff, [penalty_fields(CF_WSH=f"韶市监罚〔2026〕{i}号", CF_CFLB="罚款") for i in range(5)])
    before = AuditEvent.objects.count()
    assert _bulk(staff.reviewer, batch).approved == 5
    chunks = list(AuditEvent.objects.filter(action="review.bulk_chunk").order_by("seq"))
    assert [len(event.after["records"]) for event in chunks] == [2, 2, 1]
    expected = sorted(CreditRecord.objects.filter(batch=batch).values_list("pk", "content_hash"))
    assert sorted(tuple(pair) for event in chunks for pair in event.after["records"]) == expected
    assert all(content_hash for _, content_hash in expected)
    # start, three chunks, done: no event per record
    assert AuditEvent.objects.count() - before == 5
    assert audit_verify().ok


def test_a_correction_in_the_batch_is_approved_one_by_one_with_its_notice():
    staff = make_staff()
    batch = _import(staff, [penalty_fields(CF_WSH=f"韶市监罚〔2026〕{i}号", CF_CFLB="罚款") for i in (1, 2)])
    _bulk(staff.reviewer, batch)
    _bulk(staff.platform, batch)
    record = CreditRecord.objects.get(batch=batch, document_no="韶市监罚〔2026〕1号")
    changed = penalty_fields(CF_WSH="韶市监罚〔2026〕1号", CF_CFLB="罚款", CF_NR_FK="0.3")
    record_request_correction(actor=staff.clerk, record=record, fields=changed, reason="罚款金额录入错误")
    _bulk(staff.reviewer, batch)
    _bulk(staff.platform, batch)
    record.refresh_from_db()
    assert record.status == RecordStatus.PUBLISHED
    assert dict(PublicRecord.objects.get(record=record).fields)["罚款金额（万元）"] == "0.3"
    assert list(Notice.objects.filter(record=record).values_list("kind", flat=True)) == ["correction"]


def test_a_bulk_run_that_fails_leaves_the_chunk_unwritten(monkeypatch):
    staff = make_staff()
    batch = _import(staff, [penalty_fields(CF_WSH=f"韶市监罚〔2026〕{i}号", CF_CFLB="罚款") for i in (1, 2)])
    bulk = bulk_review_start(actor=staff.reviewer, batch=batch, reason=REASON)
    monkeypatch.setattr(bulk_module.Chunker, "_audit", lambda self, rows: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        bulk_review_run(bulk.pk)
    bulk.refresh_from_db()
    assert bulk.status == "failed" and "ZeroDivisionError" in bulk.failure_message
    assert set(CreditRecord.objects.filter(batch=batch).values_list("status", flat=True)) == {RecordStatus.SUBMITTED}
    assert not RecordReview.objects.exists()


def test_the_policy_is_read_once_per_run_not_per_record(django_assert_max_num_queries):
    staff = make_staff()
    batch = _import(staff, [penalty_fields(CF_WSH=f"韶市监罚〔2026〕{i}号", CF_CFLB="罚款") for i in range(30)])
    _bulk(staff.reviewer, batch)
    bulk = bulk_review_start(actor=staff.platform, batch=batch, reason=REASON)
    with django_assert_max_num_queries(40):
        assert bulk_review_run(bulk.pk).approved == 30
    assert PublicRecord.objects.filter(record__batch=batch).count() == 30
