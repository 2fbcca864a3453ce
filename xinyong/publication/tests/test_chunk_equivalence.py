import datetime as dt
from typing import Any

import pytest
from django.db import connection, transaction

from xinyong.accounts.tests.factories import make_uscc
from xinyong.audit.services import audit_verify
from xinyong.records.choices import RecordStatus
from xinyong.records.models import CreditRecord, RecordVersion
from xinyong.records.tests.factories import citizen_id, penalty_fields, person_penalty_fields

from ..choices import BasisKind, ReviewStage
from ..models import PublicBasis, PublicRecord, PublicSubject, RecordPublicity, RecordReview
from ..services.chunk import Chunker
from .factories import approve_all, make_staff, submitted

pytestmark = pytest.mark.django_db(transaction=False)
TODAY = dt.date(2026, 5, 11)
OTHER_USCC = make_uscc(7_2000001, prefix="91430382")

PUBLICITY = ["is_public", "basis", "not_public_reason", "rule_id", "starts_on", "repair_from", "ends_on"]
PUBLIC_RECORD = [
    "subject_id",
    "group",
    "item_name",
    "list_name",
    "version",
    "document_no",
    "decision_date",
    "provider_name",
    "fields",
    "basis",
    "starts_on",
    "repair_from",
    "ends_on",
    "under_objection",
]
PUBLIC_SUBJECT = ["kind", "display_name", "display_code", "name_search", "name_pairs", "uscc", "id_hash"]
COUNTS = ["licence_count", "penalty_count", "red_count", "black_count", "commitment_count", "other_count"]


class Rollback(Exception):
    pass


def _commitment(uscc: str) -> dict[str, Any]:
    return {
        "CN_ZTMC": "韶山市清溪镇韶峰食品有限公司",
        "CN_ZTLB": "法人及非法人组织",
        "CN_TYSHXYDM": uscc,
        "CN_CNLX": "主动型",
        "CN_CNSX": "食品安全承诺",
        "CN_WSH": "CN-2026-001",
        "CN_CNNR": "守法经营",
        "CN_CNRQ": "2026/03/01",
        "CN_SLBM": "韶山市市场监督管理局",
        "CN_SLBMDM": penalty_fields()["CF_CFJGDM"],
    }


def _black_list(uscc: str) -> dict[str, Any]:
    return {
        "HEI_ZTMC": "韶山市清溪镇韶峰食品有限公司",
        "HEI_ZTLB": "法人及非法人组织",
        "HEI_TYSHXYDM": uscc,
        "HEI_MDMC": "食品安全严重违法失信名单",
        "HEI_RDWSH": "韶市监认〔2026〕1号",
        "HEI_RDYJ": "《市场监督管理严重违法失信名单管理办法》第九条",
        "HEI_RDYY": "一年内三次销售过期食品",
        "HEI_RDRQ": "2026/03/02",
        "HEI_YXQZ": "2029/03/01",
        "HEI_RDBM": "韶山市市场监督管理局",
        "HEI_RDBMDM": penalty_fields()["CF_CFJGDM"],
    }


def _records(staff: Any) -> list[CreditRecord]:
    """One record per way the last approval can end, about three subjects (two of them with several)."""
    other = {"CF_XDR_MC": "湖南韶峰建材股份有限公司", "CF_XDR_SHXYM": OTHER_USCC}
    inputs = [
        ("CF", penalty_fields(CF_CFLB="罚款")),  # published, Order 58 window
        ("CF", penalty_fields(CF_WSH="韶市监罚〔2026〕13号", CF_CXLX="简易")),  # summary procedure: shared only
        ("CF", penalty_fields(CF_WSH="韶市监罚〔2026〕14号", CF_CFLB="警告")),  # market warning only: shared only
        ("CF", penalty_fields(CF_WSH="韶市监罚〔2020〕1号", CF_JDRQ="2020/01/06", CF_CFLB="罚款")),  # expired
        ("CF", penalty_fields(CF_WSH="韶市监罚〔2026〕15号", CF_CFLB="罚款", CF_WFXW="特种设备未经检验")),
        ("CF", penalty_fields(CF_WSH="韶市监罚〔2026〕16号", CF_CFLB="罚款", CF_JDRQ="2026/04/02", **other)),
        ("CF", penalty_fields(CF_WSH="韶市监罚〔2026〕17号", CF_CFLB="罚款", **other)),
        ("CF", person_penalty_fields(CF_CFLB="罚款")),  # a person: masked, not searchable by name
        ("CF", person_penalty_fields(CF_WSH="韶公罚〔2026〕32号", CF_XDR_ZJHM=citizen_id("43038219851111002"))),
        ("CN", _commitment(OTHER_USCC)),  # no Article 11 basis: shared only
        ("CN", _commitment(penalty_fields()["CF_XDR_SHXYM"]) | {"CN_WSH": "CN-2026-002"}),  # own basis below
        ("HEI", _black_list(penalty_fields()["CF_XDR_SHXYM"])),  # leadership approval, list name
    ]
    records = [submitted(staff, item, fields, today=TODAY) for item, fields in inputs]
    PublicBasis.objects.create(
        record=records[10],
        kind=BasisKind.GOVERNMENT_CHANNEL,
        channel="韶山市人民政府门户网站",
        published_on=dt.date(2026, 3, 3),
        url="https://www.shaoshan.gov.cn/notice/1",
        created_by=staff.platform,
    )
    return records


def _state(records: list[CreditRecord]) -> dict[str, Any]:
    """Everything the last approval decides, without timestamps (and without persons' random slugs)."""
    ids = [r.pk for r in records]
    subjects = PublicSubject.objects.order_by("pk")
    return {
        "records": list(CreditRecord.objects.filter(pk__in=ids).order_by("pk").values("pk", "status", "status_reason")),
        "publicity": list(
            RecordPublicity.objects.filter(record__in=ids).order_by("record").values("record", *PUBLICITY)
        ),
        "public": list(PublicRecord.objects.filter(record__in=ids).order_by("record").values("record", *PUBLIC_RECORD)),
        "subjects": list(subjects.values("pk", *PUBLIC_SUBJECT, *COUNTS)),
        "versions": list(
            RecordVersion.objects.filter(record__in=ids)
            .order_by("record", "id")
            .values_list("record", "action", "status")
        ),
        "reviews": list(
            RecordReview.objects.filter(record__in=ids)
            .order_by("record", "id")
            .values_list("record", "stage", "reviewer")
        ),
        "slugs": [s.slug for s in subjects if s.uscc],
    }


def _approve_in_chunks(staff: Any, records: list[CreditRecord], chunk: int = 5) -> None:
    ids = [r.pk for r in records]
    stages = ((ReviewStage.PROVIDER, staff.reviewer), (ReviewStage.PLATFORM, staff.platform))
    for stage, actor in (*stages, (ReviewStage.LEADERSHIP, staff.leader)):
        chunker = Chunker(actor=actor, stage=stage, reason="", today=TODAY, bulk=None)
        for start in range(0, len(ids), chunk):
            with transaction.atomic():
                chunker.approve(ids[start : start + chunk])


def test_chunks_decide_and_project_exactly_as_the_one_by_one_review():
    staff = make_staff()
    records = _records(staff)
    with pytest.raises(Rollback), transaction.atomic():
        for record in records:
            approve_all(staff, record, today=TODAY)
        one_by_one = _state(records)
        raise Rollback

    _approve_in_chunks(staff, records)

    assert _state(records) == one_by_one
    statuses = [r["status"] for r in one_by_one["records"]]
    assert statuses.count(RecordStatus.PUBLISHED) == 8 and statuses.count(RecordStatus.SHARED_ONLY) == 3
    assert statuses.count(RecordStatus.EXPIRED) == 1 and PublicSubject.objects.count() == 4
    assert audit_verify().ok


def test_chunks_skip_what_is_no_longer_waiting():
    staff = make_staff()
    records = _records(staff)[:3]
    approve_all(staff, records[0], today=TODAY)  # published one by one already
    CreditRecord.objects.filter(pk=records[1].pk).update(status=RecordStatus.DELETED)
    with transaction.atomic():
        chunker = Chunker(actor=staff.reviewer, stage=ReviewStage.PROVIDER, reason="", today=TODAY, bulk=None)
        assert chunker.approve([r.pk for r in records]) == 1
    assert CreditRecord.objects.get(pk=records[1].pk).status == RecordStatus.DELETED
    assert CreditRecord.objects.get(pk=records[2].pk).status == RecordStatus.PROVIDER_APPROVED
    assert RecordReview.objects.filter(record=records[2]).count() == 1


def test_chunks_keep_the_name_index_in_step():
    from xinyong.publication.search import search_subjects

    staff = make_staff()
    records = _records(staff)
    _approve_in_chunks(staff, records, chunk=100)
    if connection.vendor == "sqlite":  # the FTS5 table follows through its triggers
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO publication_subject_fts(publication_subject_fts) VALUES ('integrity-check')")
    found = [s.slug for s in search_subjects("建材").subjects]
    assert found == [PublicSubject.objects.get(pk=records[5].subject_id).slug]
