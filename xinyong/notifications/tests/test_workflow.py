import datetime as dt

import pytest

from xinyong.accounts.choices import Role
from xinyong.accounts.tests.factories import UserFactory
from xinyong.core.errors import ValidationFailed
from xinyong.objections.services.intake import objection_file
from xinyong.objections.services.repair import repair_apply
from xinyong.objections.tests.test_objections import filing
from xinyong.objections.tests.test_repair_and_cases import repair_filing
from xinyong.publication.services.review import record_approve, record_reject
from xinyong.publication.tests.factories import approve_all, make_staff, submitted
from xinyong.records.choices import RecordStatus
from xinyong.records.tests.factories import penalty_fields

from ..models import Notification

pytestmark = pytest.mark.django_db
DECIDED = dt.date(2026, 3, 2)


@pytest.fixture
def staff():
    return make_staff()


@pytest.fixture
def published(staff):
    return approve_all(staff, submitted(staff, "CF", penalty_fields(CF_CFLB="罚款"), today=DECIDED), today=DECIDED)


@pytest.mark.parametrize("stage", ["provider", "platform"])
def test_a_returned_record_tells_its_clerk_why(staff, stage):
    other_clerk = UserFactory(department=staff.provider, roles=[Role.PROVIDER_CLERK])
    record = submitted(staff, "CF", penalty_fields(CF_CFLB="罚款"))
    if stage == "platform":
        record = record_approve(actor=staff.reviewer, record=record)
    reviewer = staff.reviewer if stage == "provider" else staff.platform
    record_reject(actor=reviewer, record=record, reason="罚款金额与决定书不符")
    record.refresh_from_db()
    assert record.status == RecordStatus.DRAFT
    note = Notification.objects.get(topic="returned")
    assert note.recipient == staff.clerk  # the one who entered it, not every clerk of the department
    assert "罚款金额与决定书不符" in note.body and record.document_no in note.title
    assert ("提供单位审核" if stage == "provider" else "平台审核") in note.body
    assert note.link == f"/backoffice/records/{record.pk}/"
    assert not Notification.objects.filter(recipient=other_clerk).exists()


def test_a_returned_record_without_a_known_submitter_tells_the_departments_clerks(staff):
    record = submitted(staff, "CF", penalty_fields(CF_CFLB="罚款"))
    staff.clerk.is_active = False
    staff.clerk.save()
    second = UserFactory(department=staff.provider, roles=[Role.PROVIDER_CLERK])
    record_reject(actor=staff.reviewer, record=record, reason="缺少决定书文号")
    assert list(Notification.objects.filter(topic="returned").values_list("recipient", flat=True)) == [second.pk]


def test_a_new_objection_is_a_platform_to_do_due_in_one_working_day(staff, published):
    # filed Friday 2026-03-13: due Monday 2026-03-16 (1 working day)
    objection, _ = objection_file(filing=filing(published), today=dt.date(2026, 3, 13))
    note = Notification.objects.get(topic="objection")
    assert note.recipient == staff.platform
    assert note.due_on == objection.accept_due == dt.date(2026, 3, 16)
    assert objection.tracking_no in note.title and "2026年03月16日" in note.body
    assert note.link == f"/backoffice/objections/{objection.pk}/"


def test_a_new_repair_application_is_a_platform_to_do_due_in_one_working_day(staff, published):
    application, _ = repair_apply(filing=repair_filing(published), today=dt.date(2026, 6, 5))  # a Friday
    note = Notification.objects.get(topic="repair")
    assert note.recipient == staff.platform
    assert note.due_on == dt.date(2026, 6, 8)
    assert application.tracking_no in note.title
    assert note.link == f"/backoffice/repairs/{application.pk}/"


def test_a_refused_filing_leaves_no_inbox_item(staff, published):
    with pytest.raises(ValidationFailed):
        objection_file(filing=filing(published, statement_signed=False), today=dt.date(2026, 3, 13))
    assert not Notification.objects.exists()


def test_the_inbox_shows_the_due_date(client, staff, published):
    objection_file(filing=filing(published), today=dt.date(2026, 3, 13))
    client.force_login(staff.platform)
    page = client.get("/backoffice/inbox/").content.decode()
    assert "新异议申请待受理" in page and "办理期限 2026-03-16" in page
