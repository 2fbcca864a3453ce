"""Review screens through the real URLs with a real login: queues, approve/return, whole-batch approval,
change requests and the record's own public basis."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xinyong.catalog.models import CatalogItem
from xinyong.publication.models import BulkReview, ChangeRequest, PublicBasis, PublicRecord, RecordReview
from xinyong.publication.tests.factories import approve_all, make_staff, submitted
from xinyong.records.batches import batch_submit_file
from xinyong.records.choices import RecordStatus
from xinyong.records.ingest import pipeline
from xinyong.records.models import CreditRecord
from xinyong.records.tests.factories import penalty_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return make_staff()


def login(client, user):
    client.force_login(user)
    return client


def penalty(staff, n=12, **overrides):
    return submitted(staff, "CF", penalty_fields(CF_WSH=f"韶市监罚〔2026〕{n}号", CF_CFLB="罚款", **overrides))


def test_provider_queue_shows_only_own_department_and_other_records_are_404(client, staff):
    other = make_staff("ZJJ")
    mine = penalty(staff, 1)
    theirs = penalty(other, 2)
    page = login(client, staff.reviewer).get("/backoffice/review/").content.decode()
    assert "韶市监罚〔2026〕1号" in page and "韶市监罚〔2026〕2号" not in page
    assert 'data-stage="provider"' in page and "提供单位审核" in page
    assert client.get(f"/backoffice/records/{theirs.pk}/").status_code == 404
    assert client.post(f"/backoffice/records/{theirs.pk}/approve/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == RecordStatus.SUBMITTED
    assert client.get(f"/backoffice/records/{mine.pk}/").status_code == 200


def test_each_stage_sees_its_own_queue(client, staff):
    record = penalty(staff)
    assert "韶市监罚〔2026〕12号" not in login(client, staff.platform).get("/backoffice/review/").content.decode()
    login(client, staff.reviewer).post(f"/backoffice/records/{record.pk}/approve/")
    page = login(client, staff.platform).get("/backoffice/review/").content.decode()
    assert "韶市监罚〔2026〕12号" in page and 'data-stage="platform"' in page
    leader_page = login(client, staff.leader).get("/backoffice/review/").content.decode()
    assert "韶市监罚〔2026〕12号" not in leader_page  # 行政处罚 needs no leadership approval
    assert login(client, staff.clerk).get("/backoffice/review/").status_code == 403


def test_approve_by_post_records_the_review_and_returns_to_the_queue(client, staff):
    record = penalty(staff)
    detail = login(client, staff.reviewer).get(f"/backoffice/records/{record.pk}/").content.decode()
    assert "审核通过" in detail and "退回理由" in detail and "等待提供单位审核" in detail
    response = client.post(
        f"/backoffice/records/{record.pk}/approve/",
        {"reason": "经核对与原决定书一致", "next": "/backoffice/review/?stage=provider"},
    )
    assert response.status_code == 302 and response["Location"] == "/backoffice/review/?stage=provider"
    record.refresh_from_db()
    assert record.status == RecordStatus.PROVIDER_APPROVED
    review = RecordReview.objects.get(record=record)
    assert (review.stage, review.decision, review.reason, review.reviewer) == (
        "provider",
        "approved",
        "经核对与原决定书一致",
        staff.reviewer,
    )
    login(client, staff.platform).post(f"/backoffice/records/{record.pk}/approve/")
    detail = client.get(f"/backoffice/records/{record.pk}/").content.decode()
    assert "已公示" in detail and "社会公开" in detail and "经核对与原决定书一致" in detail
    assert PublicRecord.objects.filter(record=record).exists()


def test_reject_without_reason_shows_the_error_and_changes_nothing(client, staff):
    record = penalty(staff)
    response = login(client, staff.reviewer).post(
        f"/backoffice/records/{record.pk}/reject/", {"reason": " "}, follow=True
    )
    assert response.status_code == 200 and "退回时请填写退回理由" in response.content.decode()
    record.refresh_from_db()
    assert record.status == RecordStatus.SUBMITTED and record.version == 1
    assert not RecordReview.objects.exists()
    client.post(f"/backoffice/records/{record.pk}/reject/", {"reason": "处罚依据条款不完整"})
    record.refresh_from_db()
    assert (record.status, record.status_reason) == (RecordStatus.DRAFT, "处罚依据条款不完整")


def test_approving_a_record_twice_says_so_instead_of_failing(client, staff):
    record = penalty(staff)
    login(client, staff.reviewer).post(f"/backoffice/records/{record.pk}/approve/")
    response = client.post(f"/backoffice/records/{record.pk}/approve/", follow=True)
    assert response.status_code == 200 and "您没有该环节的审核权限" in response.content.decode()


def test_queue_filters_by_text_item_and_change_kind(client, staff):
    penalty(staff, 1)
    published = approve_all(staff, penalty(staff, 2))
    login(client, staff.clerk).post(
        f"/backoffice/records/{published.pk}/removal/", {"kind": "withdraw", "reason": "行政复议撤销原处罚决定"}
    )
    login(client, staff.reviewer)
    both = client.get("/backoffice/review/").content.decode()
    assert "韶市监罚〔2026〕1号" in both and "韶市监罚〔2026〕2号" in both and "撤销</span>" in both
    withdrawals = client.get("/backoffice/review/?kind=withdraw").content.decode()
    assert "韶市监罚〔2026〕2号" in withdrawals and "韶市监罚〔2026〕1号" not in withdrawals
    new = client.get("/backoffice/review/?kind=new").content.decode()
    assert "韶市监罚〔2026〕1号" in new and "韶市监罚〔2026〕2号" not in new
    assert "〔2026〕1号" in client.get("/backoffice/review/?q=2026〕1").content.decode()
    assert "没有等待审核的记录" in client.get("/backoffice/review/?item=XK").content.decode()


def _import(staff, rows):
    item = CatalogItem.objects.get(code="CF")
    labels = item.field_map()
    codes = list(rows[0])
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([labels[c]["label"] for c in codes])
    writer.writerows([row[c] for c in codes] for row in rows)
    body = buffer.getvalue().encode("utf-8-sig")
    batch = batch_submit_file(
        actor=staff.clerk, item=item, source=io.BytesIO(body), file_name="cf.csv", size=len(body), channel="upload"
    )
    return pipeline.batch_run(batch.pk)


def test_whole_batch_approval_of_1000_records(client, staff, django_capture_on_commit_callbacks):
    rows = [penalty_fields(CF_WSH=f"韶市监罚〔2026〕{i}号", CF_CFLB="罚款") for i in range(1, 1001)]
    batch = _import(staff, rows)
    assert CreditRecord.objects.filter(batch=batch, status=RecordStatus.SUBMITTED).count() == 1000
    detail = login(client, staff.reviewer).get(f"/backoffice/batches/{batch.pk}/").content.decode()
    assert "整批审核通过（1000 条）" in detail
    for user, status in ((staff.reviewer, RecordStatus.PROVIDER_APPROVED), (staff.platform, RecordStatus.PUBLISHED)):
        login(client, user)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"/backoffice/batches/{batch.pk}/bulk-review/", {"reason": "抽查无误"})
        bulk = BulkReview.objects.latest("id")
        assert response.status_code == 302 and response["Location"] == f"/backoffice/review/bulk/{bulk.pk}/"
        page = client.get(response["Location"]).content.decode()
        assert "已完成" in page and 'value="100"' in page and "1000 条审核通过" in page
        assert 'http-equiv="refresh"' not in page
        assert CreditRecord.objects.filter(batch=batch, status=status).count() == 1000
    assert PublicRecord.objects.count() == 1000
    assert RecordReview.objects.filter(bulk__isnull=False).count() == 2000
    assert "整批审核通过" not in client.get(f"/backoffice/batches/{batch.pk}/").content.decode()


def test_bulk_page_of_a_running_review_refreshes_itself(client, staff):
    batch = _import(staff, [penalty_fields(CF_WSH=f"韶市监罚〔2026〕{i}号") for i in (1, 2)])
    login(client, staff.reviewer).post(f"/backoffice/batches/{batch.pk}/bulk-review/")  # on_commit not run: queued
    bulk = BulkReview.objects.get()
    page = client.get(f"/backoffice/review/bulk/{bulk.pk}/").content.decode()
    assert 'http-equiv="refresh" content="2"' in page and "排队中" in page
    other = make_staff("ZJJ")
    assert login(client, other.reviewer).get(f"/backoffice/review/bulk/{bulk.pk}/").status_code == 404


def test_correction_request_through_the_form_keeps_the_old_public_version(client, staff):
    record = approve_all(staff, penalty(staff))
    login(client, staff.clerk)
    detail = client.get(f"/backoffice/records/{record.pk}/").content.decode()
    assert "申请更正" in detail and "申请撤销" in detail and "申请删除" in detail
    form = client.get(f"/backoffice/records/{record.pk}/change/").content.decode()
    assert 'value="0.5"' in form and "提交更正申请" in form
    changed = penalty_fields(CF_WSH="韶市监罚〔2026〕12号", CF_CFLB="罚款", CF_NR_FK="0.3")
    missing = client.post(f"/backoffice/records/{record.pk}/change/", changed)
    assert missing.status_code == 422 and "请填写原因" in missing.content.decode()
    response = client.post(f"/backoffice/records/{record.pk}/change/", changed | {"reason": "罚款金额录入错误"})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == RecordStatus.SUBMITTED and record.data["CF_NR_FK"] == "0.3"
    assert dict(PublicRecord.objects.get(record=record).fields)["罚款金额（万元）"] == "0.5"
    assert ChangeRequest.objects.get(record=record).kind == "correct"
    queue = login(client, staff.reviewer).get("/backoffice/review/?kind=correct").content.decode()
    assert "韶市监罚〔2026〕12号" in queue
    detail = client.get(f"/backoffice/records/{record.pk}/").content.decode()
    assert 'id="corrected-fields"' in detail and '<td class="old">0.5</td><td class="new">0.3</td>' in detail


def test_another_department_cannot_request_a_change(client, staff):
    record = approve_all(staff, penalty(staff))
    other = make_staff("ZJJ")
    assert login(client, other.clerk).get(f"/backoffice/records/{record.pk}/change/").status_code == 404
    response = client.post(f"/backoffice/records/{record.pk}/removal/", {"kind": "delete", "reason": "重复"})
    assert response.status_code == 404 and not ChangeRequest.objects.exists()


def commitment_fields():
    uscc, agency = penalty_fields()["CF_XDR_SHXYM"], penalty_fields()["CF_CFJGDM"]
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
        "CN_SLBMDM": agency,
    }


def test_own_public_basis_makes_a_commitment_public(client, staff):
    record = submitted(staff, "CN", commitment_fields())
    login(client, staff.clerk)
    assert "保存公开依据" in client.get(f"/backoffice/records/{record.pk}/").content.decode()
    bad = client.post(f"/backoffice/records/{record.pk}/basis/", {"kind": "government_channel"}, follow=True)
    assert "请填写公开渠道" in bad.content.decode() and "请填写该信息通过政府渠道公开的日期" in bad.content.decode()
    assert not PublicBasis.objects.exists()
    client.post(
        f"/backoffice/records/{record.pk}/basis/",
        {"kind": "government_channel", "channel": "韶山市人民政府网站", "published_on": "2026-03-02"},
    )
    assert PublicBasis.objects.get(record=record).channel == "韶山市人民政府网站"
    record = approve_all(staff, record)
    assert record.status == RecordStatus.PUBLISHED
    assert "韶山市人民政府网站" in PublicRecord.objects.get(record=record).basis
    response = client.post(
        f"/backoffice/records/{record.pk}/basis/", {"kind": "legal_requirement", "citation": "某法"}, follow=True
    )
    assert "已完成审核，不能再修改公开依据" in response.content.decode()


def _queries(client, url, expect):
    with CaptureQueriesContext(connection) as ctx:
        assert expect in client.get(url).content.decode()
    return len(ctx.captured_queries)


# Session, user, permissions, the menu's counts (review queue, inbox, overdue objections), the page's own.
MAX_QUERIES = 16


def test_record_list_and_queue_query_counts_stay_fixed(client, staff, django_assert_max_num_queries):
    penalty(staff, 1)
    login(client, staff.reviewer)
    few = {url: _queries(client, url, "〔2026〕1号") for url in ("/backoffice/review/", "/backoffice/records/")}
    for n in range(2, 30):
        penalty(staff, n)
    for url in ("/backoffice/review/", "/backoffice/records/"):
        with django_assert_max_num_queries(MAX_QUERIES):
            assert _queries(client, url, "〔2026〕29号") == few[url]


def black_list_fields():
    return {
        "HEI_ZTMC": "韶山市清溪镇韶峰食品有限公司",
        "HEI_ZTLB": "法人及非法人组织",
        "HEI_TYSHXYDM": penalty_fields()["CF_XDR_SHXYM"],
        "HEI_MDMC": "食品安全严重违法失信名单",
        "HEI_RDWSH": "韶市监认〔2026〕1号",
        "HEI_RDYJ": "《市场监督管理严重违法失信名单管理办法》第九条",
        "HEI_RDYY": "一年内三次销售过期食品",
        "HEI_RDRQ": "2026/03/02",
        "HEI_YXQZ": "2029/03/01",
        "HEI_RDBM": "韶山市市场监督管理局",
        "HEI_RDBMDM": penalty_fields()["CF_CFJGDM"],
    }


def test_leadership_queue_holds_only_items_that_need_it(client, staff):
    record = submitted(staff, "HEI", black_list_fields())
    penalty(staff)
    for user in (staff.reviewer, staff.platform):
        login(client, user).post(f"/backoffice/records/{record.pk}/approve/")
    page = login(client, staff.leader).get("/backoffice/review/").content.decode()
    assert "韶市监认〔2026〕1号" in page and "需领导审批" in page and "韶市监罚" not in page
    client.post(f"/backoffice/records/{record.pk}/approve/", {"reason": "同意"})
    record.refresh_from_db()
    assert record.status == RecordStatus.PUBLISHED
    assert RecordReview.objects.filter(record=record).values_list("stage", flat=True).last() == "leadership"
