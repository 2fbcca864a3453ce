import datetime as dt

import pytest

from xinyong.accounts.choices import Role
from xinyong.accounts.tests.factories import DepartmentFactory, UserFactory
from xinyong.audit.models import AuditEvent
from xinyong.audit.services import audit_verify
from xinyong.catalog.models import CatalogItem
from xinyong.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from xinyong.records import services
from xinyong.records.choices import RecordStatus
from xinyong.records.models import CreditRecord, RecordVersion
from xinyong.records.selectors import record_get, record_list
from xinyong.records.tests.factories import citizen_id, penalty_fields, person_penalty_fields

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 12)


@pytest.fixture
def penalty():
    return CatalogItem.objects.get(code="CF")


@pytest.fixture
def clerk():
    return UserFactory(roles=[Role.PROVIDER_CLERK], department=DepartmentFactory(code="SCJGJ", name="市场监管局"))


def create(clerk, penalty, **overrides):
    return services.record_create(actor=clerk, item=penalty, fields=penalty_fields(**overrides), today=TODAY).record


def test_create_makes_a_draft_with_version_timeliness_and_audit(clerk, penalty):
    record = create(clerk, penalty)
    assert record.status == RecordStatus.DRAFT and record.version == 1
    assert record.provider == clerk.department and record.subject.uscc == penalty_fields()["CF_XDR_SHXYM"]
    assert record.decision_date == dt.date(2026, 3, 2) and record.received_on == TODAY
    assert record.reporting_working_days == 8 and record.meets_reporting_deadline is False
    assert record.source_key == f"韶市监罚〔2026〕12号|{record.subject.uscc}"
    assert RecordVersion.objects.filter(record=record, action="create", version=1).count() == 1
    event = AuditEvent.objects.get(action="record.create")
    assert event.actor == clerk and event.department == clerk.department
    assert event.after["data"]["CF_WSH"] == "韶市监罚〔2026〕12号" and event.after["status"] == "draft"
    assert audit_verify().ok


def test_errors_are_reported_field_by_field_and_nothing_is_written(clerk, penalty):
    with pytest.raises(ValidationFailed) as exc:
        services.record_create(
            actor=clerk,
            item=penalty,
            today=TODAY,
            fields=penalty_fields(CF_JDRQ="2026/02/30", CF_NR_FK=None, CF_XDR_SHXYM="123"),
        )
    fields = {i.field for i in exc.value.issues}
    assert fields == {"CF_JDRQ", "CF_NR_FK", "CF_XDR_SHXYM"}
    assert CreditRecord.objects.count() == 0 and not AuditEvent.objects.filter(action="record.create").exists()


def test_person_record_keeps_the_id_number_encrypted(clerk, penalty):
    number = citizen_id()
    record = services.record_create(actor=clerk, item=penalty, fields=person_penalty_fields(), today=TODAY).record
    assert record.data["CF_XDR_ZJHM"] == number[:4] + "*" * 10 + number[-4:]
    assert number not in str(record.data) and number not in str(record.protected)
    assert "CF_XDR_ZJHM" in record.protected
    event = AuditEvent.objects.get(action="record.create")
    assert number not in str(event.after)


def test_same_document_twice_is_refused(clerk, penalty):
    create(clerk, penalty)
    with pytest.raises(ValidationFailed) as exc:
        create(clerk, penalty)
    assert exc.value.issues[0].code == "record_exists"


def test_correct_keeps_the_old_version(clerk, penalty):
    record = create(clerk, penalty)
    result = services.record_correct(
        actor=clerk,
        record=record,
        reason="罚款金额录入错误",
        today=TODAY,
        fields=penalty_fields(CF_NR_FK="0.8", CF_NR="警告，并处罚款人民币8000元。"),
    )
    record.refresh_from_db()
    assert record.version == 2 and record.data["CF_NR_FK"] == "0.8"
    versions = list(RecordVersion.objects.filter(record=record).order_by("id"))
    assert [(v.version, v.action) for v in versions] == [(1, "create"), (2, "correct")]
    assert versions[0].data["CF_NR_FK"] == "0.5" and versions[1].reason == "罚款金额录入错误"
    event = AuditEvent.objects.get(action="record.correct")
    assert event.before["data"]["CF_NR_FK"] == "0.5" and event.after["data"]["CF_NR_FK"] == "0.8"
    assert result.warnings == []


def test_correct_needs_a_reason_and_a_draft(clerk, penalty):
    record = create(clerk, penalty)
    with pytest.raises(ValidationFailed):
        services.record_correct(actor=clerk, record=record, fields=penalty_fields(), reason="")
    services.record_submit(actor=clerk, record=record)
    with pytest.raises(InvalidTransition):
        services.record_correct(actor=clerk, record=record, fields=penalty_fields(), reason="改")


def test_submit_and_delete_follow_the_transition_table(clerk, penalty):
    record = create(clerk, penalty)
    services.record_submit(actor=clerk, record=record)
    record.refresh_from_db()
    assert record.status == RecordStatus.SUBMITTED
    with pytest.raises(InvalidTransition):
        services.record_submit(actor=clerk, record=record)
    with pytest.raises(InvalidTransition):
        services.record_delete(actor=clerk, record=record, reason="错报")
    draft = create(clerk, penalty, CF_WSH="韶市监罚〔2026〕13号")
    services.record_delete(actor=clerk, record=draft, reason="重复录入")
    draft.refresh_from_db()
    assert draft.status == RecordStatus.DELETED and draft.status_reason == "重复录入"
    assert draft not in record_list(viewer=clerk)
    assert AuditEvent.objects.filter(action="record.delete").count() == 1


def test_other_departments_cannot_see_or_touch_the_record(clerk, penalty):
    record = create(clerk, penalty)
    outsider = UserFactory(roles=[Role.PROVIDER_CLERK], department=DepartmentFactory(code="ZJJ"))
    assert list(record_list(viewer=outsider)) == []
    with pytest.raises(NotFound):
        record_get(viewer=outsider, pk=record.pk)
    with pytest.raises(NotFound):
        services.record_submit(actor=outsider, record=record)
    supervisor = UserFactory(roles=[Role.SUPERVISOR])
    assert record_get(viewer=supervisor, pk=record.pk) == record


def test_department_must_report_the_item(clerk, penalty):
    penalty.providers.add(DepartmentFactory(code="SWJ"))
    with pytest.raises(PermissionDenied) as exc:
        create(clerk, penalty)
    assert exc.value.code == "item_not_reported_by_department"
    penalty.providers.add(clerk.department)
    assert create(clerk, penalty).pk


def test_reporting_days_use_the_calendar_and_flag_fallback(clerk, penalty):
    record = services.record_create(
        actor=clerk, item=penalty, today=dt.date(2027, 1, 6), fields=penalty_fields(CF_JDRQ="2026/12/30")
    ).record
    # 2026-12-31 (Thu) and 2027-01-04..06: 1 Jan 2027 is a fixed holiday in the fallback.
    assert record.reporting_working_days == 4 and record.reporting_estimated
