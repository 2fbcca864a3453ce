"""Back-office objection, repair, complaint and inbox pages through the real URLs with a real login:
department scoping (others get 404), the actions each role may take, corrections, downloads, navigation."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from xinyong.accounts.choices import Role
from xinyong.accounts.tests.factories import UserFactory
from xinyong.audit.models import AuditEvent
from xinyong.notifications.models import Notification
from xinyong.objections.choices import CaseStatus, ObjectionStatus, Outcome, RepairStatus, Step
from xinyong.objections.models import Complaint, Litigation, Objection
from xinyong.objections.services.evidence import Upload
from xinyong.objections.services.handling import objection_accept, objection_forward
from xinyong.objections.services.intake import ApplicantInput, Filing, objection_file
from xinyong.objections.services.repair import RepairFiling, repair_apply
from xinyong.publication.models import ChangeRequest, PublicRecord
from xinyong.publication.tests.factories import approve_all, make_staff, submitted
from xinyong.records.choices import RecordStatus
from xinyong.records.tests.factories import penalty_fields

from .conftest import PDF, login

pytestmark = pytest.mark.django_db


def upload(content=PDF):
    import io

    return Upload(name="决定书.pdf", file=io.BytesIO(content), size=len(content))


def filed(record, grounds="罚款金额与决定书不一致。"):
    applicant = ApplicantInput(kind="organisation", name="韶峰食品", email="a@example.cn")
    filing = Filing(
        applicant=applicant, record_ids=[record.pk], grounds=grounds, statement_signed=True, uploads=[upload()]
    )
    return objection_file(filing=filing)[0]


@pytest.fixture
def forwarded(staff, record):
    objection = filed(record)
    objection_accept(actor=staff.platform, objection=objection)
    objection_forward(actor=staff.platform, objection=objection)
    return objection


def test_a_reviewer_sees_only_its_own_departments_objections(client, staff, record):
    other = make_staff("ZJJ")
    theirs = filed(approve_all(other, submitted(other, "CF", penalty_fields(CF_WSH="韶住建罚〔2026〕3号"))))
    mine = filed(record)
    page = login(client, staff.reviewer).get("/backoffice/objections/").content.decode()
    assert mine.tracking_no in page and theirs.tracking_no not in page
    assert client.get(f"/backoffice/objections/{theirs.pk}/").status_code == 404
    assert client.get(f"/backoffice/objections/{mine.pk}/").status_code == 200
    everything = login(client, staff.platform).get("/backoffice/objections/").content.decode()
    assert mine.tracking_no in everything and theirs.tracking_no in everything
    assert login(client, staff.clerk).get("/backoffice/objections/").status_code == 404
    assert client.get(f"/backoffice/objections/{mine.pk}/").status_code == 404


def test_the_platform_accepts_and_forwards_and_the_record_shows_under_objection(client, staff, record):
    objection = filed(record)
    login(client, staff.platform)
    detail = client.get(f"/backoffice/objections/{objection.pk}/").content.decode()
    assert "受理并标注" in detail and "要求补正材料" in detail and "不予受理" in detail
    client.post(f"/backoffice/objections/{objection.pk}/accept/")
    assert PublicRecord.objects.get(record=record).under_objection
    response = client.post(f"/backoffice/objections/{objection.pk}/forward/", follow=True)
    assert "已转信息提供单位核查" in response.content.decode()
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.FORWARDED
    assert Notification.objects.filter(
        recipient=staff.reviewer, link=f"/backoffice/objections/{objection.pk}/"
    ).exists()


def test_actions_out_of_order_or_without_the_right_show_a_message_and_change_nothing(client, staff, record):
    objection = filed(record)
    response = login(client, staff.platform).post(f"/backoffice/objections/{objection.pk}/forward/", follow=True)
    assert "不能办理此操作" in response.content.decode()
    response = client.post(f"/backoffice/objections/{objection.pk}/decline/", {"reason": " "}, follow=True)
    assert "请填写不予受理的理由" in response.content.decode()
    response = login(client, staff.reviewer).post(f"/backoffice/objections/{objection.pk}/accept/", follow=True)
    assert "您没有受理异议的权限" in response.content.decode()
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.RECEIVED


def test_a_decision_by_another_department_is_refused_and_nothing_changes(client, staff, forwarded):
    other = make_staff("ZJJ")
    response = login(client, other.reviewer).post(
        f"/backoffice/objections/{forwarded.pk}/decide/", {"outcome": Outcome.REVOKED, "reason": "撤销"}
    )
    assert response.status_code == 404 and "未找到该异议" in response.content.decode()
    response = login(client, staff.platform).post(
        f"/backoffice/objections/{forwarded.pk}/decide/", {"outcome": Outcome.REVOKED, "reason": "撤销"}
    )
    assert response.status_code == 403 and "您没有核查异议的权限" in response.content.decode()
    forwarded.refresh_from_db()
    assert forwarded.status == ObjectionStatus.FORWARDED and not forwarded.outcome
    assert not AuditEvent.objects.filter(action="objection.closed").exists()


def test_the_owning_reviewer_decides_upheld(client, staff, record, forwarded):
    detail = login(client, staff.reviewer).get(f"/backoffice/objections/{forwarded.pk}/").content.decode()
    assert "核查决定" in detail and "更正后的内容" in detail and 'value="韶市监罚〔2026〕12号"' in detail
    missing = client.post(f"/backoffice/objections/{forwarded.pk}/decide/", {"outcome": Outcome.UPHELD})
    assert missing.status_code == 422 and "请填写核查意见和理由" in missing.content.decode()
    response = client.post(
        f"/backoffice/objections/{forwarded.pk}/decide/", {"outcome": Outcome.UPHELD, "reason": "金额无误"}, follow=True
    )
    assert "已作出核查决定" in response.content.decode()
    forwarded.refresh_from_db()
    assert (forwarded.status, forwarded.outcome) == (ObjectionStatus.CLOSED, Outcome.UPHELD)
    assert not PublicRecord.objects.get(record=record).under_objection


def test_corrected_sends_the_prefilled_fields_as_a_correction(client, staff, record, forwarded):
    fields = {f"r{record.pk}-{code}": value for code, value in penalty_fields(CF_CFLB="罚款").items()}
    fields[f"r{record.pk}-CF_NR_FK"] = "0.3"
    response = login(client, staff.reviewer).post(
        f"/backoffice/objections/{forwarded.pk}/decide/",
        {"outcome": Outcome.CORRECTED, "reason": "金额有误，应为3000元", **fields},
    )
    assert response.status_code == 302
    assert ChangeRequest.objects.get(record=record).kind == "correct"
    record.refresh_from_db()
    assert record.data["CF_NR_FK"] == "0.3"
    forwarded.refresh_from_db()
    assert forwarded.outcome == Outcome.CORRECTED


def test_the_overdue_page_marks_late_steps_and_scopes_by_department(client, staff, record):
    objection = filed(record)
    Objection.objects.filter(pk=objection.pk).update(overdue_step=Step.ACCEPT, accept_due=dt.date(2026, 1, 5))
    other = make_staff("ZJJ")
    page = login(client, staff.platform).get("/backoffice/objections/overdue/").content.decode()
    assert objection.tracking_no in page and "逾期" in page
    listed = client.get("/backoffice/objections/?overdue=1").content.decode()
    assert objection.tracking_no in listed and 'class="badge bad overdue"' in listed
    supervisor = UserFactory(roles=[Role.SUPERVISOR])
    assert objection.tracking_no in login(client, supervisor).get("/backoffice/objections/overdue/").content.decode()
    assert (
        objection.tracking_no
        not in login(client, other.reviewer).get("/backoffice/objections/overdue/").content.decode()
    )


def test_a_repeat_objection_is_labelled(client, staff, record, forwarded):
    from xinyong.objections.services.decide import objection_decide

    objection_decide(actor=staff.reviewer, objection=forwarded, outcome=Outcome.UPHELD, reason="无误")
    again = filed(record)
    assert again.repeat_of == forwarded
    page = login(client, staff.platform).get("/backoffice/objections/").content.decode()
    assert "重复异议" in page


def test_evidence_downloads_for_staff_only_and_is_audited(client, staff, record):
    objection = filed(record)
    evidence = objection.evidence.get()
    response = login(client, staff.platform).get(f"/backoffice/objections/evidence/{evidence.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert AuditEvent.objects.filter(action="evidence.download", object_id=str(evidence.pk)).exists()
    client.logout()
    assert client.get(f"/backoffice/objections/evidence/{evidence.pk}/").status_code == 302
    other = make_staff("ZJJ")
    assert login(client, other.reviewer).get(f"/backoffice/objections/evidence/{evidence.pk}/").status_code == 404


def test_staff_open_an_objection_from_a_record(client, staff, record):
    login(client, staff.platform)
    assert 'id="record-casework"' in client.get(f"/backoffice/records/{record.pk}/").content.decode()
    assert "登记异议" in client.get(f"/backoffice/objections/new/?record={record.pk}").content.decode()
    response = client.post(
        "/backoffice/objections/new/",
        {
            "record": record.pk,
            "channel": "letter",
            "applicant_kind": "person",
            "applicant_name": "李明",
            "phone": "13800000000",
            "grounds": "来信反映处罚对象有误。",
            "statement": "yes",
            "evidence": [SimpleUploadedFile("来信.pdf", PDF)],
        },
    )
    assert response.status_code == 201 and "/objections/track/" in response.content.decode()
    objection = Objection.objects.get()
    assert (objection.channel, objection.created_by) == ("letter", staff.platform)
    assert login(client, staff.reviewer).get(f"/backoffice/objections/new/?record={record.pk}").status_code == 403


def test_repair_is_decided_by_the_owning_reviewer(client, staff, record):
    import io

    proof = Upload(name="凭证.jpg", file=io.BytesIO(b"\xff\xd8\xff\xe0 x"), size=10)
    applicant = ApplicantInput(kind="organisation", name="韶峰食品", email="a@example.cn")
    application, _ = repair_apply(
        filing=RepairFiling(
            applicant=applicant,
            record_id=record.pk,
            corrective_actions="已缴清罚款",
            commitment="守法经营",
            commitment_signed=True,
            uploads=[proof],
        )
    )
    other = make_staff("ZJJ")
    assert login(client, other.reviewer).get(f"/backoffice/repairs/{application.pk}/").status_code == 404
    assert application.tracking_no in login(client, staff.platform).get("/backoffice/repairs/").content.decode()
    assert "作出决定" not in client.get(f"/backoffice/repairs/{application.pk}/").content.decode()
    login(client, staff.reviewer)
    assert "作出决定" in client.get(f"/backoffice/repairs/{application.pk}/").content.decode()
    client.post(f"/backoffice/repairs/{application.pk}/decide/", {"decision": "grant", "reason": "符合修复条件"})
    application.refresh_from_db()
    record.refresh_from_db()
    assert application.status == RepairStatus.GRANTED and record.status == RecordStatus.REPAIRED


def test_complaints_and_litigation_are_registered_and_closed(client, staff, record):
    login(client, staff.platform)
    empty = client.post("/backoffice/complaints/", {"complainant": "", "content": ""})
    assert "请填写投诉人" in empty.content.decode()
    client.post("/backoffice/complaints/", {"complainant": "张三", "content": "公示信息有误", "record": record.pk})
    complaint = Complaint.objects.get()
    client.post(f"/backoffice/complaints/{complaint.pk}/close/", {"outcome": "已转异议办理"})
    complaint.refresh_from_db()
    assert complaint.status == CaseStatus.CLOSED and complaint.record == record
    bad_date = client.post(
        "/backoffice/litigation/", {"record": record.pk, "court": "韶山市人民法院", "case_no": "(2026)湘0382行初1号"}
    )
    assert "请填写立案日期" in bad_date.content.decode()
    client.post(
        "/backoffice/litigation/",
        {"record": record.pk, "court": "韶山市人民法院", "case_no": "(2026)湘0382行初1号", "filed_on": "2026-11-20"},
    )
    case = Litigation.objects.get()
    client.post(f"/backoffice/litigation/{case.pk}/close/", {"outcome": "驳回诉讼请求"})
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert login(client, staff.reviewer).get("/backoffice/complaints/").status_code == 404


def test_inbox_shows_unread_count_in_the_menu_and_marks_read(client, staff, forwarded):
    home = login(client, staff.reviewer).get("/backoffice/").content.decode()
    assert 'id="nav-inbox"' in home and '<span class="count" title="未读">1</span>' in home
    note = Notification.objects.get(recipient=staff.reviewer)
    inbox = client.get("/backoffice/inbox/").content.decode()
    assert note.title in inbox and "未读" in inbox
    response = client.get(f"/backoffice/inbox/{note.pk}/")
    assert response["Location"] == f"/backoffice/objections/{forwarded.pk}/"
    note.refresh_from_db()
    assert note.read_at is not None
    assert 'title="未读"' not in client.get("/backoffice/").content.decode()


def test_list_query_counts_stay_fixed(client, staff, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    def published(n):
        fields = penalty_fields(CF_WSH=f"韶市监罚〔2026〕{n}号", CF_CFLB="罚款")
        return approve_all(staff, submitted(staff, "CF", fields))

    filed(published(1))
    login(client, staff.platform)
    few = {url: queries(url) for url in ("/backoffice/objections/", "/backoffice/objections/overdue/")}
    for n in range(2, 12):
        objection = filed(published(n))
        Objection.objects.filter(pk=objection.pk).update(overdue_step=Step.ACCEPT)
    for url, count in few.items():
        with django_assert_max_num_queries(count):
            queries(url)
