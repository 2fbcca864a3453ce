import datetime as dt
import io

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from xinyong.accounts.choices import Role
from xinyong.accounts.tests.factories import UserFactory
from xinyong.audit.services import audit_verify
from xinyong.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from xinyong.notifications.models import Notification
from xinyong.publication.models import Disclosure, Notice, PublicRecord
from xinyong.publication.services import disclosure_log
from xinyong.publication.tests.factories import approve_all, make_staff, submitted
from xinyong.records.choices import RecordStatus
from xinyong.records.tests.factories import penalty_fields

from ..choices import ObjectionStatus, Outcome, Step
from ..models import Objection, ObjectionRecord
from ..services.decide import objection_decide
from ..services.evidence import Upload
from ..services.handling import objection_accept, objection_forward, objection_request_material, objection_supplement
from ..services.intake import ApplicantInput, Filing, objection_file, objection_track
from ..services.overdue import objections_mark_overdue, overdue_objections

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 10)
PDF = b"%PDF-1.4\n%evidence\n"


def upload(name="决定书.pdf", content=PDF):
    return Upload(name=name, file=io.BytesIO(content), size=len(content))


def filing(record, **overrides):
    values = {
        "applicant": ApplicantInput(
            kind="organisation", name="韶山市清溪镇韶峰食品有限公司", phone="0731-55551234", email="a@example.cn"
        ),
        "record_ids": [record.pk],
        "grounds": "罚款金额与决定书不一致，决定书载明罚款3000元。",
        "statement_signed": True,
        "uploads": [upload()],
    }
    values.update(overrides)
    return Filing(**values)


@pytest.fixture
def published():
    staff = make_staff()
    record = approve_all(staff, submitted(staff, "CF", penalty_fields(CF_CFLB="罚款"), today=TODAY), today=TODAY)
    platform = staff.platform
    return staff, record, platform


def test_the_whole_path_flags_the_record_and_tells_the_applicant(published, django_capture_on_commit_callbacks):
    staff, record, platform = published
    objection, secret = objection_file(filing=filing(record), today=TODAY)
    # received Tue 2026-03-10: accept by Wed 3-11, forward by Thu 3-12, decide 5 working days after forwarding
    assert (objection.accept_due, objection.forward_due, objection.decide_due) == (
        dt.date(2026, 3, 11),
        dt.date(2026, 3, 12),
        dt.date(2026, 3, 19),
    )
    assert objection_track(tracking_no=objection.tracking_no, secret=secret) == objection
    objection_accept(actor=platform, objection=objection, today=TODAY)
    assert PublicRecord.objects.get(record=record).under_objection
    objection_forward(actor=platform, objection=objection, today=dt.date(2026, 3, 11))
    assert Notification.objects.filter(recipient=staff.reviewer, title__contains=objection.tracking_no).exists()
    with django_capture_on_commit_callbacks(execute=True):
        objection_decide(
            actor=staff.reviewer, objection=objection, outcome=Outcome.UPHELD, reason="经核对决定书，金额无误。"
        )
    objection.refresh_from_db()
    assert (objection.status, objection.outcome) == (ObjectionStatus.CLOSED, Outcome.UPHELD)
    assert not PublicRecord.objects.get(record=record).under_objection
    assert [e.title for e in objection.events.all()][-1] == "已告知申请人"
    assert any("金额无误" in m.body for m in mail.outbox if "a@example.cn" in m.to)
    assert audit_verify().ok


def test_only_public_records_can_be_objected_to_on_the_portal(published):
    staff, _record, _ = published
    draft = submitted(staff, "CF", penalty_fields(CF_WSH="韶市监罚〔2026〕99号"), today=TODAY)
    with pytest.raises(NotFound) as exc:
        objection_file(filing=filing(draft), today=TODAY)
    assert exc.value.code == "record_not_public"
    assert not Objection.objects.exists()


def test_at_most_one_open_objection_per_record_and_repeats_are_marked(published):
    staff, record, platform = published
    first, _ = objection_file(filing=filing(record), today=TODAY)
    with pytest.raises(ValidationFailed) as exc:
        objection_file(filing=filing(record), today=TODAY)
    assert exc.value.issues[0].code == "objection_already_open"
    with pytest.raises(IntegrityError), transaction.atomic():
        ObjectionRecord.objects.create(objection=Objection.objects.get(), record=record, record_version=1, is_open=True)
    objection_accept(actor=platform, objection=first, today=TODAY)
    objection_forward(actor=platform, objection=first, today=TODAY)
    objection_decide(actor=staff.reviewer, objection=first, outcome=Outcome.UPHELD, reason="无误")
    again, _ = objection_file(
        filing=filing(record, grounds="罚款金额与决定书不一致；决定书载明罚款3000元"), today=TODAY
    )
    assert again.repeat_of == first


def test_a_provider_decides_only_on_its_own_records(published):
    staff, record, platform = published
    other = make_staff("ZJJ")
    objection, _ = objection_file(filing=filing(record), today=TODAY)
    objection_accept(actor=platform, objection=objection, today=TODAY)
    objection_forward(actor=platform, objection=objection, today=TODAY)
    with pytest.raises(NotFound):
        objection_decide(actor=other.reviewer, objection=objection, outcome=Outcome.REVOKED, reason="x")
    with pytest.raises(PermissionDenied):
        objection_decide(actor=staff.clerk, objection=objection, outcome=Outcome.REVOKED, reason="x")
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.FORWARDED


def test_revoked_withdraws_the_record_publishes_a_notice_and_tells_past_recipients(published):
    staff, record, platform = published
    gov = UserFactory(roles=[Role.GOV_USER])
    disclosure_log(recipient=gov, records=[record], matter="招标投标资格审查", channel="shared_query")
    objection, _ = objection_file(filing=filing(record), today=TODAY)
    objection_accept(actor=platform, objection=objection, today=TODAY)
    objection_forward(actor=platform, objection=objection, today=TODAY)
    objection_decide(
        actor=staff.reviewer, objection=objection, outcome=Outcome.REVOKED, reason="处罚决定已被行政复议撤销"
    )
    record.refresh_from_db()
    assert record.status == RecordStatus.WITHDRAWN
    assert not PublicRecord.objects.filter(record=record).exists()
    assert "行政复议撤销" in Notice.objects.get(record=record).body
    assert Notification.objects.filter(recipient=gov, topic="restoration").exists()
    assert Disclosure.objects.filter(recipient=gov).count() == 1


def test_corrected_sends_a_new_version_through_review(published):
    staff, record, platform = published
    objection, _ = objection_file(filing=filing(record), today=TODAY)
    objection_accept(actor=platform, objection=objection, today=TODAY)
    objection_forward(actor=platform, objection=objection, today=TODAY)
    with pytest.raises(ValidationFailed):
        objection_decide(actor=staff.reviewer, objection=objection, outcome=Outcome.CORRECTED, reason="金额有误")
    fixed = penalty_fields(CF_CFLB="罚款", CF_NR_FK="0.3")
    objection_decide(
        actor=staff.reviewer,
        objection=objection,
        outcome=Outcome.CORRECTED,
        reason="金额有误",
        corrections={record.pk: fixed},
    )
    record.refresh_from_db()
    assert record.status == RecordStatus.SUBMITTED
    approve_all(staff, record, today=TODAY)
    assert dict(PublicRecord.objects.get(record=record).fields)["罚款金额（万元）"] == "0.3"


def test_undetermined_keeps_the_objection_with_the_record(published):
    staff, record, platform = published
    objection, _ = objection_file(filing=filing(record), today=TODAY)
    objection_accept(actor=platform, objection=objection, today=TODAY)
    objection_forward(actor=platform, objection=objection, today=TODAY)
    objection_decide(actor=staff.reviewer, objection=objection, outcome=Outcome.UNDETERMINED, reason="原始卷宗遗失")
    public = PublicRecord.objects.get(record=record)
    assert not public.under_objection and "原始卷宗遗失" in public.objection_note


@pytest.mark.parametrize(
    ("received", "accept", "forward", "decide", "estimated"),
    [
        # 春节 2026: holiday 2/15–2/23, Sat 2/14 and Sat 2/28 are working days
        (dt.date(2026, 2, 13), dt.date(2026, 2, 14), dt.date(2026, 2, 24), dt.date(2026, 3, 2), False),
        # 国庆 2026: 10/1–10/7 off, Sun 9/20 and Sat 10/10 working days
        (dt.date(2026, 9, 30), dt.date(2026, 10, 8), dt.date(2026, 10, 9), dt.date(2026, 10, 15), False),
        # the turn of 2026 to 2027: no 2027 data yet, so Monday–Friday minus 1 January, flagged as an estimate
        (dt.date(2026, 12, 30), dt.date(2026, 12, 31), dt.date(2027, 1, 4), dt.date(2027, 1, 11), True),
    ],
)
def test_deadlines_follow_the_working_day_calendar(published, received, accept, forward, decide, estimated):
    _, record, _ = published
    objection, _ = objection_file(filing=filing(record), today=received)
    assert (objection.accept_due, objection.forward_due, objection.decide_due) == (accept, forward, decide)
    assert objection.due_estimated is estimated


def test_overdue_steps_are_marked_and_the_department_and_supervisor_told(published):
    staff, record, platform = published
    supervisor = UserFactory(roles=[Role.SUPERVISOR])
    objection, _ = objection_file(filing=filing(record), today=TODAY)
    objection_accept(actor=platform, objection=objection, today=TODAY)
    objection_forward(actor=platform, objection=objection, today=TODAY)
    assert objections_mark_overdue(today=dt.date(2026, 3, 17)).marked == 0
    summary = objections_mark_overdue(today=dt.date(2026, 3, 18))
    assert summary.marked == 1 and list(overdue_objections()) == [objection]
    objection.refresh_from_db()
    assert objection.overdue_step == Step.DECIDE
    assert Notification.objects.filter(recipient=staff.reviewer, topic="overdue").exists()
    assert Notification.objects.filter(recipient=supervisor, topic="overdue").exists()
    assert objections_mark_overdue(today=dt.date(2026, 3, 19)).marked == 0  # told once


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("决定书.pdf", b"MZ\x90\x00 not a pdf", "evidence_type_not_allowed"),
        ("照片.pdf", b"\x89PNG\r\n\x1a\n....", "evidence_type_mismatch"),
        ("空.pdf", b"", "evidence_empty"),
        ("大.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "evidence_too_large"),
    ],
)
def test_bad_evidence_is_refused_and_nothing_is_stored(published, name, content, code):
    _, record, _ = published
    with pytest.raises(ValidationFailed) as exc:
        objection_file(filing=filing(record, uploads=[upload(name, content)]), today=TODAY)
    assert exc.value.issues[0].code == code
    assert not Objection.objects.exists()


def test_a_guessed_or_reused_secret_finds_nothing(published):
    staff, record, _ = published
    second = approve_all(
        staff,
        submitted(staff, "CF", penalty_fields(CF_WSH="韶市监罚〔2026〕77号", CF_CFLB="罚款"), today=TODAY),
        today=TODAY,
    )
    mine, my_secret = objection_file(filing=filing(record), today=TODAY)
    theirs, their_secret = objection_file(filing=filing(second), today=TODAY)
    for number, secret in [
        (mine.tracking_no, "guess" + my_secret[5:]),
        (mine.tracking_no, their_secret),
        ("YY20260310000000", my_secret),
    ]:
        with pytest.raises(NotFound) as exc:
            objection_track(tracking_no=number, secret=secret)
        assert exc.value.code == "tracking_not_found"
    assert objection_track(tracking_no=theirs.tracking_no, secret=their_secret) == theirs
    assert my_secret not in Objection.objects.get(pk=mine.pk).secret_hash


def test_missing_material_is_requested_and_supplemented(published):
    _, record, platform = published
    objection, _ = objection_file(filing=filing(record), today=TODAY)
    with pytest.raises(ValidationFailed):
        objection_request_material(actor=platform, objection=objection, note="")
    objection_request_material(actor=platform, objection=objection, note="请补充行政处罚决定书复印件")
    with pytest.raises(InvalidTransition):
        objection_accept(actor=platform, objection=objection, today=TODAY)
    objection_supplement(objection=objection, note="已补充", uploads=[upload("复印件.png", b"\x89PNG\r\n\x1a\nxx")])
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.RECEIVED and objection.evidence.count() == 2
