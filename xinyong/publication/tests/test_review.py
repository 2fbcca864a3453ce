import datetime as dt

import pytest

from xinyong.accounts.choices import Role
from xinyong.accounts.tests.factories import UserFactory
from xinyong.audit.models import AuditEvent
from xinyong.audit.services import audit_verify
from xinyong.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from xinyong.records.choices import RecordStatus
from xinyong.records.tests.factories import penalty_fields, person_penalty_fields

from ..choices import NoticeKind, PublicGroup
from ..models import Notice, PublicRecord, PublicSubject, RecordReview
from ..services import record_approve, record_reject, record_request_correction, record_request_removal
from .factories import approve_all, make_staff, submitted

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 10)


def test_three_reviews_publish_a_penalty_with_its_window_and_basis():
    staff = make_staff()
    record = submitted(staff, "CF", penalty_fields(CF_CFLB="罚款"), today=TODAY)
    record = approve_all(staff, record, today=TODAY)
    assert record.status == RecordStatus.PUBLISHED
    stages = list(RecordReview.objects.filter(record=record).values_list("stage", "decision"))
    assert stages == [("provider", "approved"), ("platform", "approved")]
    public = PublicRecord.objects.get(record=record)
    # decided 2026-03-02 under NDRC Order 58: 3 months to repair, 3 years of publicity
    assert (public.repair_from, public.ends_on) == (dt.date(2026, 6, 2), dt.date(2029, 3, 2))
    assert "行政处罚法" in public.basis
    assert public.group == PublicGroup.PENALTY
    subject = PublicSubject.objects.get(subject=record.subject)
    assert (subject.penalty_count, subject.licence_count) == (1, 0)
    assert "韶峰食品" in subject.name_pairs.replace(" ", "") or "韶峰" in subject.name_pairs


def test_each_stage_needs_its_own_role_and_the_provider_reviewer_only_sees_own_department():
    staff = make_staff()
    other = make_staff("ZJJ")
    record = submitted(staff, "CF", penalty_fields(), today=TODAY)
    with pytest.raises(PermissionDenied):
        record_approve(actor=staff.platform, record=record, today=TODAY)
    with pytest.raises(NotFound):
        record_approve(actor=other.reviewer, record=record, today=TODAY)
    admin = UserFactory(department=staff.provider, roles=[Role.ADMINISTRATOR], is_superuser=True)
    with pytest.raises(PermissionDenied):
        record_approve(actor=admin, record=record, today=TODAY)
    record.refresh_from_db()
    assert record.status == RecordStatus.SUBMITTED


def test_rejection_needs_a_reason_and_returns_to_draft():
    staff = make_staff()
    record = submitted(staff, "CF", penalty_fields(), today=TODAY)
    record_approve(actor=staff.reviewer, record=record, today=TODAY)
    with pytest.raises(ValidationFailed):
        record_reject(actor=staff.platform, record=record, reason=" ")
    record_reject(actor=staff.platform, record=record, reason="处罚依据条款不完整")
    record.refresh_from_db()
    assert (record.status, record.status_reason) == (RecordStatus.DRAFT, "处罚依据条款不完整")
    assert not PublicRecord.objects.exists()


def test_without_a_public_basis_a_record_is_shared_only_and_never_public():
    staff = make_staff()
    fields = {
        "CN_ZTMC": "韶山市清溪镇韶峰食品有限公司",
        "CN_ZTLB": "法人及非法人组织",
        "CN_TYSHXYDM": penalty_fields()["CF_XDR_SHXYM"],
        "CN_CNLX": "主动型",
        "CN_CNSX": "食品安全承诺",
        "CN_WSH": "CN-2026-001",
        "CN_CNNR": "守法经营",
        "CN_CNRQ": "2026/03/01",
        "CN_SLBM": "韶山市市场监督管理局",
        "CN_SLBMDM": penalty_fields()["CF_CFJGDM"],
    }
    record = approve_all(staff, submitted(staff, "CN", fields, today=TODAY), today=TODAY)
    assert record.status == RecordStatus.SHARED_ONLY
    assert "第十一条" in record.publicity.not_public_reason
    assert not PublicRecord.objects.filter(record=record).exists()


def test_summary_procedure_and_market_warning_only_penalties_are_not_published():
    staff = make_staff()
    summary = approve_all(staff, submitted(staff, "CF", penalty_fields(CF_CXLX="简易"), today=TODAY), today=TODAY)
    warning = approve_all(
        staff,
        submitted(staff, "CF", penalty_fields(CF_WSH="韶市监罚〔2026〕13号", CF_CFLB="警告"), today=TODAY),
        today=TODAY,
    )
    assert summary.status == warning.status == RecordStatus.SHARED_ONLY
    assert "简易程序" in summary.publicity.not_public_reason
    assert "警告" in warning.publicity.not_public_reason
    assert not PublicRecord.objects.exists()


def test_a_penalty_whose_window_already_ended_is_never_published():
    staff = make_staff()
    old = penalty_fields(CF_JDRQ="2020/01/06", CF_CFLB="罚款")
    record = approve_all(staff, submitted(staff, "CF", old, today=TODAY), today=TODAY)
    assert record.status == RecordStatus.EXPIRED
    assert record.publicity.ends_on == dt.date(2021, 1, 6)
    assert not PublicRecord.objects.exists()


def test_person_is_masked_and_id_number_is_not_public():
    staff = make_staff()
    record = approve_all(staff, submitted(staff, "CF", person_penalty_fields(CF_CFLB="罚款"), today=TODAY), today=TODAY)
    public = PublicRecord.objects.get(record=record)
    text = str(public.fields) + str(PublicSubject.objects.get(pk=record.subject_id).__dict__)
    assert "李明" not in text and "李*" in text
    assert "19900307" not in text
    assert PublicSubject.objects.get(pk=record.subject_id).display_code.startswith("4303")


def test_black_list_needs_leadership_approval():
    staff = make_staff()
    uscc = penalty_fields()["CF_XDR_SHXYM"]
    fields = {
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
    record = submitted(staff, "HEI", fields, today=TODAY)
    record_approve(actor=staff.reviewer, record=record, today=TODAY)
    record_approve(actor=staff.platform, record=record, today=TODAY)
    record.refresh_from_db()
    assert record.status == RecordStatus.PLATFORM_APPROVED
    assert not PublicRecord.objects.exists()
    record_approve(actor=staff.leader, record=record, today=TODAY)
    public = PublicRecord.objects.get(record=record)
    assert (public.group, public.list_name, public.ends_on) == (
        PublicGroup.BLACK,
        "食品安全严重违法失信名单",
        dt.date(2029, 3, 1),
    )


def test_correction_keeps_old_version_public_until_approved_then_publishes_a_notice():
    staff = make_staff()
    record = approve_all(staff, submitted(staff, "CF", penalty_fields(CF_CFLB="罚款"), today=TODAY), today=TODAY)
    record_request_correction(
        actor=staff.clerk,
        record=record,
        fields=penalty_fields(CF_CFLB="罚款", CF_NR_FK="0.3", CF_NR="罚款人民币3000元。"),
        reason="罚款金额录入错误",
        today=TODAY,
    )
    record.refresh_from_db()
    assert record.status == RecordStatus.SUBMITTED
    assert dict(PublicRecord.objects.get(record=record).fields)["罚款金额（万元）"] == "0.5"
    record = approve_all(staff, record, today=TODAY)
    assert record.status == RecordStatus.PUBLISHED
    assert dict(PublicRecord.objects.get(record=record).fields)["罚款金额（万元）"] == "0.3"
    notice = Notice.objects.get(kind=NoticeKind.CORRECTION, record=record)
    assert "由“0.5”更正为“0.3”" in notice.body and "罚款金额录入错误" in notice.body
    assert record.versions.filter(data__CF_NR_FK="0.5").exists()


def test_rejected_correction_restores_the_published_content():
    staff = make_staff()
    record = approve_all(staff, submitted(staff, "CF", penalty_fields(CF_CFLB="罚款"), today=TODAY), today=TODAY)
    record_request_correction(
        actor=staff.clerk,
        record=record,
        fields=penalty_fields(CF_CFLB="罚款", CF_NR_FK="9"),
        reason="金额",
        today=TODAY,
    )
    record_reject(actor=staff.reviewer, record=record, reason="原金额正确")
    record.refresh_from_db()
    assert record.status == RecordStatus.PUBLISHED
    assert record.data["CF_NR_FK"] == "0.5"
    assert record.versions.filter(data__CF_NR_FK="9").exists()
    assert not Notice.objects.exists()


def test_withdrawal_goes_through_review_and_publishes_a_withdrawal_notice():
    staff = make_staff()
    record = approve_all(staff, submitted(staff, "CF", penalty_fields(CF_CFLB="罚款"), today=TODAY), today=TODAY)
    record_request_removal(actor=staff.clerk, record=record, kind="withdraw", reason="行政复议撤销原处罚决定")
    assert PublicRecord.objects.filter(record=record).exists()
    with pytest.raises(InvalidTransition):
        record_request_removal(actor=staff.clerk, record=record, kind="delete", reason="重复")
    record = approve_all(staff, record, today=TODAY)
    assert record.status == RecordStatus.WITHDRAWN
    assert not PublicRecord.objects.filter(record=record).exists()
    assert not PublicSubject.objects.filter(subject=record.subject).exists()
    assert "行政复议撤销" in Notice.objects.get(kind=NoticeKind.WITHDRAWAL).body
    assert AuditEvent.objects.filter(action="record.withdraw").exists()
    assert audit_verify().ok


def test_publicity_sweep_expires_records_with_nobody_acting():
    from django.core.management import call_command

    staff = make_staff()
    record = approve_all(staff, submitted(staff, "CF", penalty_fields(CF_CFLB="罚款"), today=TODAY), today=TODAY)
    call_command("publicity_expire", "--today", "2029-03-02")
    record.refresh_from_db()
    assert record.status == RecordStatus.PUBLISHED  # the last day of publicity is still in it
    call_command("publicity_expire", "--today", "2029-03-03")
    record.refresh_from_db()
    assert record.status == RecordStatus.EXPIRED
    assert not PublicRecord.objects.exists() and not PublicSubject.objects.exists()
    assert AuditEvent.objects.filter(action="record.expire", object_id=str(record.pk)).exists()


@pytest.mark.parametrize(
    ("decided", "tier", "repair", "ends"),
    [
        ("2021/01/31", "严重", dt.date(2021, 7, 31), dt.date(2024, 1, 31)),  # 527号, serious
        ("2022/08/31", "", dt.date(2022, 11, 30), dt.date(2023, 8, 31)),  # 527号, month end clamps
        ("2024/02/29", "", dt.date(2024, 5, 29), dt.date(2027, 2, 28)),  # Order 58, leap day
        ("2026/04/01", "严重", dt.date(2027, 4, 1), dt.date(2029, 4, 1)),  # 2026 rules, serious
        ("2026/04/01", "一般", dt.date(2026, 7, 1), dt.date(2027, 4, 1)),
    ],
)
def test_publicity_window_follows_the_rules_in_force_on_the_decision_date(decided, tier, repair, ends):
    staff = make_staff()
    fields = penalty_fields(CF_JDRQ=decided, CF_CFLB="罚款", CF_SXYZCD=tier or None)
    record = approve_all(staff, submitted(staff, "CF", fields, today=dt.date(2026, 5, 1)), today=dt.date(2021, 2, 1))
    assert (record.publicity.repair_from, record.publicity.ends_on) == (repair, ends)


def test_minor_penalties_under_the_2026_rules_are_not_published_and_safety_penalties_wait_longer_for_repair():
    staff = make_staff()
    minor = penalty_fields(CF_JDRQ="2026/04/02", CF_CFLB="罚款", CF_SXYZCD="轻微")
    record = approve_all(staff, submitted(staff, "CF", minor, today=dt.date(2026, 4, 3)), today=dt.date(2026, 4, 3))
    assert record.status == RecordStatus.SHARED_ONLY
    assert record.publicity.ends_on == dt.date(2026, 7, 2)
    fire = penalty_fields(
        CF_WSH="韶消罚〔2025〕3号", CF_JDRQ="2025/06/10", CF_CFLB="罚款", CF_YJ="《中华人民共和国消防法》第六十条"
    )
    record = approve_all(staff, submitted(staff, "CF", fire, today=dt.date(2025, 6, 12)), today=dt.date(2025, 6, 12))
    assert record.publicity.repair_from == dt.date(2026, 6, 10)


def test_the_scheduler_runs_the_publicity_sweep_without_anyone_acting():
    import io

    from django.core.management import call_command

    staff = make_staff()
    record = approve_all(
        staff,
        submitted(staff, "CF", penalty_fields(CF_JDRQ="2025/06/02", CF_CFLB="罚款"), today=dt.date(2025, 6, 3)),
        today=dt.date(2025, 6, 3),
    )
    assert record.status == RecordStatus.PUBLISHED
    out = io.StringIO()
    # a penalty decided on 2025-06-02 under Order 58 is public for 3 years: still in its window today
    call_command("scheduler", "--once", stdout=out)
    record.refresh_from_db()
    assert "publicity_expire" in out.getvalue() and record.status == RecordStatus.PUBLISHED
    record.publicity.ends_on = dt.date(2025, 6, 3)
    record.publicity.save()
    call_command("scheduler", "--once", stdout=out)
    record.refresh_from_db()
    assert record.status == RecordStatus.EXPIRED
