import datetime as dt
import io

import pytest

from xinyong.accounts.choices import Role
from xinyong.accounts.tests.factories import UserFactory
from xinyong.audit.models import AuditEvent
from xinyong.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from xinyong.notifications.models import Notification
from xinyong.publication.models import PublicRecord
from xinyong.publication.services import disclosure_log
from xinyong.publication.tests.factories import approve_all, make_staff, submitted
from xinyong.records.choices import RecordStatus
from xinyong.records.tests.factories import penalty_fields

from ..choices import CaseStatus, RepairStatus
from ..services.cases import complaint_close, complaint_register, litigation_close, litigation_register
from ..services.evidence import Upload
from ..services.intake import ApplicantInput
from ..services.repair import RepairFiling, repair_apply, repair_decide, repair_track

pytestmark = pytest.mark.django_db
DECIDED = dt.date(2026, 3, 2)  # penalty_fields' decision date; Order 58: repair after 3 months


def proof():
    content = b"\xff\xd8\xff\xe0 receipt"
    return Upload(name="缴款凭证.jpg", file=io.BytesIO(content), size=len(content))


def repair_filing(record, **overrides):
    values = {
        "applicant": ApplicantInput(kind="organisation", name="韶山市清溪镇韶峰食品有限公司", email="a@example.cn"),
        "record_id": record.pk,
        "corrective_actions": "已全额缴纳罚款并完成整改。",
        "commitment": "本单位承诺今后严格遵守食品安全法律法规。",
        "commitment_signed": True,
        "uploads": [proof()],
    }
    values.update(overrides)
    return RepairFiling(**values)


@pytest.fixture
def published():
    staff = make_staff()
    record = approve_all(staff, submitted(staff, "CF", penalty_fields(CF_CFLB="罚款"), today=DECIDED), today=DECIDED)
    return staff, record


def test_repair_before_the_minimum_period_says_from_when(published):
    _, record = published
    with pytest.raises(ValidationFailed) as exc:
        repair_apply(filing=repair_filing(record), today=dt.date(2026, 6, 1))
    assert exc.value.issues[0].code == "repair_too_early" and "2026年06月02日" in exc.value.issues[0].message


def test_granted_repair_takes_the_record_out_of_public_view_and_tells_recipients(published):
    staff, record = published
    gov = UserFactory(roles=[Role.GOV_USER])
    disclosure_log(recipient=gov, records=[record], matter="评优评先", channel="shared_query")
    application, secret = repair_apply(filing=repair_filing(record), today=dt.date(2026, 6, 2))
    assert application.decide_due == dt.date(2026, 6, 9)
    assert repair_track(tracking_no=application.tracking_no, secret=secret) == application
    with pytest.raises(ValidationFailed):
        repair_apply(filing=repair_filing(record), today=dt.date(2026, 6, 2))
    other = make_staff("ZJJ")
    with pytest.raises(NotFound):
        repair_decide(actor=other.reviewer, application=application, grant=True, reason="x")
    repair_decide(actor=staff.reviewer, application=application, grant=True, reason="已履行义务并作出承诺")
    record.refresh_from_db()
    application.refresh_from_db()
    assert (record.status, application.status) == (RecordStatus.REPAIRED, RepairStatus.GRANTED)
    assert not PublicRecord.objects.filter(record=record).exists()
    assert Notification.objects.filter(recipient=gov, topic="restoration").exists()
    with pytest.raises(InvalidTransition):
        repair_decide(actor=staff.reviewer, application=application, grant=False, reason="again")


def test_refused_repair_keeps_the_record_and_needs_reasons(published):
    staff, record = published
    application, _ = repair_apply(filing=repair_filing(record), today=dt.date(2026, 6, 3))
    with pytest.raises(ValidationFailed):
        repair_decide(actor=staff.reviewer, application=application, grant=False, reason="")
    repair_decide(actor=staff.reviewer, application=application, grant=False, reason="罚款尚未缴清")
    record.refresh_from_db()
    assert record.status == RecordStatus.PUBLISHED
    assert application.events.last().note == "罚款尚未缴清"


def test_repair_needs_proof_and_a_signed_commitment(published):
    _, record = published
    with pytest.raises(ValidationFailed) as exc:
        repair_apply(filing=repair_filing(record, uploads=[], commitment_signed=False), today=dt.date(2026, 7, 1))
    assert {i.code for i in exc.value.issues} == {"proof_required", "commitment_required"}


def test_complaints_and_litigation_are_tracked_to_their_outcome(published):
    staff, record = published
    with pytest.raises(PermissionDenied):
        complaint_register(actor=staff.clerk, complainant="张三", contact="", content="x")
    complaint = complaint_register(
        actor=staff.platform, complainant="张三", contact="13800000000", content="公示信息有误", record=record
    )
    complaint = complaint_close(actor=staff.platform, complaint=complaint, outcome="已转为异议办理")
    assert complaint.status == CaseStatus.CLOSED
    case = litigation_register(
        actor=staff.platform,
        record=record,
        court="韶山市人民法院",
        case_no="（2026）湘0382行初1号",
        filed_on=dt.date(2026, 4, 1),
    )
    with pytest.raises(ValidationFailed):
        litigation_close(actor=staff.platform, case=case, outcome=" ")
    litigation_close(actor=staff.platform, case=case, outcome="驳回原告诉讼请求")
    assert AuditEvent.objects.filter(action__in=["complaint.close", "litigation.close"]).count() == 2
