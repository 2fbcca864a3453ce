"""Public objection and repair pages through the real URLs: filing, errors kept field by field, uploads
checked by content and size, the secret tracking link, guessed secrets and the repair conditions."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from xinyong.objections.choices import ObjectionStatus
from xinyong.objections.models import Evidence, Objection, RepairApplication
from xinyong.objections.services.handling import objection_request_material
from xinyong.publication.models import PublicRecord
from xinyong.publication.tests.factories import approve_all, submitted
from xinyong.records.models import RawFile
from xinyong.records.tests.factories import penalty_fields

from .conftest import PDF

pytestmark = pytest.mark.django_db


def form(record, **overrides):
    data = {
        "record": [record.pk],
        "applicant_kind": "organisation",
        "applicant_name": "韶山市清溪镇韶峰食品有限公司",
        "phone": "0731-55551234",
        "email": "a@example.cn",
        "grounds": "罚款金额与决定书不一致，决定书载明罚款3000元。",
        "statement": "yes",
        "evidence": [SimpleUploadedFile("决定书.pdf", PDF, content_type="application/pdf")],
    }
    data.update(overrides)
    return data


def file_objection(client, record, **overrides):
    response = client.post("/objections/new/", form(record, **overrides))
    assert response.status_code == 302, response.content.decode()[:2000]
    response = client.get(response["Location"])
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    link = re.search(r'id="tracking-link"[^>]*href="([^"]+)"', response.content.decode()).group(1)
    return Objection.objects.get(), link


def test_the_form_shows_the_chosen_public_records(client, record):
    page = client.get(f"/objections/new/?record={record.pk}").content.decode()
    assert "韶市监罚〔2026〕12号" in page and "本人承诺所提交的材料真实有效，如有虚假愿承担法律责任" in page
    assert 'enctype="multipart/form-data"' in page


def test_unknown_or_unpublished_records_are_404(client, staff):
    draft = submitted(staff, "CF", penalty_fields(CF_WSH="韶市监罚〔2026〕99号"))
    assert client.get(f"/objections/new/?record={draft.pk}").status_code == 404
    response = client.get("/objections/new/?record=abc")
    assert response.status_code == 404 and "未在公示中" in response.content.decode()


def test_filing_shows_the_secret_link_once_and_the_link_tracks_the_case(client, record):
    objection, link = file_objection(client, record)
    assert objection.status == ObjectionStatus.RECEIVED and Evidence.objects.filter(objection=objection).count() == 1
    assert f"/objections/track/{objection.tracking_no}/?s=" in link
    page = client.get(link.replace("http://testserver", ""))
    body = page.content.decode()
    assert page.status_code == 200 and "no-store" in page["Cache-Control"] and page["Referrer-Policy"] == "no-referrer"
    assert objection.tracking_no in body and "已收到待受理" in body and "收到异议申请" in body
    assert "剩余" in body or "今日到期" in body or "逾期" in body


def test_errors_are_shown_field_by_field_and_the_form_stays_filled(client, record):
    response = client.post("/objections/new/", form(record, applicant_name="", statement="", email="bad"))
    body = response.content.decode()
    assert response.status_code == 422
    assert "请填写申请人姓名或名称。" in body and "电子邮箱格式不正确。" in body and "请勾选并签署" in body
    assert "罚款金额与决定书不一致" in body and 'value="0731-55551234"' in body
    assert "请重新选择证明材料" in body
    assert not Objection.objects.exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("说明.docx", b"PK\x03\x04 word"), "不是 PDF、PNG 或 JPEG 文件"),
        (SimpleUploadedFile("决定书.pdf", b"MZ\x90\x00 renamed exe"), "不是 PDF、PNG 或 JPEG 文件"),
        (SimpleUploadedFile("照片.pdf", b"\x89PNG\r\n\x1a\n image"), "内容与扩展名不符"),
    ],
)
def test_bad_evidence_is_refused_in_chinese_and_nothing_is_stored(client, record, upload, message):
    response = client.post("/objections/new/", form(record, evidence=[upload]))
    assert response.status_code == 422 and message in response.content.decode()
    assert not Objection.objects.exists() and not Evidence.objects.exists() and not RawFile.objects.exists()


def test_a_file_over_the_limit_is_refused(client, record, settings):
    settings.XINYONG_EVIDENCE_MAX_BYTES = 1024 * 1024
    big = SimpleUploadedFile("扫描件.pdf", PDF + b"0" * (1024 * 1024))
    response = client.post("/objections/new/", form(record, evidence=[big]))
    assert response.status_code == 422 and "超过 1 MB" in response.content.decode()
    assert not Evidence.objects.exists() and not RawFile.objects.exists()


def test_an_oversize_request_gets_a_clear_page_not_an_error(client, record, settings):
    settings.XINYONG_EVIDENCE_MAX_REQUEST_BYTES = 64 * 1024
    big = SimpleUploadedFile("扫描件.pdf", PDF + b"0" * (100 * 1024))
    response = client.post("/objections/new/", form(record, evidence=[big]))
    assert response.status_code == 413 and "上传的文件过大" in response.content.decode()
    assert not Objection.objects.exists() and not RawFile.objects.exists()


def test_django_upload_limits_give_the_same_page(client, record, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
    files = [SimpleUploadedFile(f"{n}.pdf", PDF) for n in range(3)]
    response = client.post("/objections/new/", form(record, evidence=files))
    assert response.status_code == 413 and "上传的文件过大" in response.content.decode()
    assert not Objection.objects.exists()


def test_a_guessed_secret_is_a_404_page_and_guessing_is_limited(client, record, settings):
    objection, _link = file_objection(client, record)
    settings.XINYONG_TRACKING_GUESS_LIMIT = "3/3600"
    for _ in range(3):
        response = client.get(f"/objections/track/{objection.tracking_no}/?s=guess")
        assert response.status_code == 404 and "受理编号或查询码不正确" in response.content.decode()
    assert client.get(f"/objections/track/{objection.tracking_no}/?s=guess").status_code == 429
    assert client.get("/objections/track/YY20260101000000/").status_code == 429


def test_the_applicant_supplements_material_through_the_link(client, record, staff):
    objection, link = file_objection(client, record)
    objection_request_material(actor=staff.platform, objection=objection, note="请补充罚款缴纳凭证")
    path = link.replace("http://testserver", "")
    page = client.get(path).content.decode()
    assert "待补正材料" in page and "补正材料" in page and "请补充罚款缴纳凭证" in page
    empty = client.post(path, {"note": ""})
    assert empty.status_code == 422 and "请填写补正说明或上传补正材料" in empty.content.decode()
    response = client.post(path, {"note": "已补充", "evidence": [SimpleUploadedFile("凭证.pdf", PDF + b"2")]})
    assert response.status_code == 302 and "done=1" in response["Location"]
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.RECEIVED and objection.evidence.count() == 2


def repair_form(record, **overrides):
    data = {
        "record": record.pk,
        "applicant_kind": "organisation",
        "applicant_name": "韶山市清溪镇韶峰食品有限公司",
        "email": "a@example.cn",
        "corrective_actions": "已全额缴纳罚款并完成整改。",
        "commitment": "本单位承诺今后严格遵守食品安全法律法规。",
        "commitment_signed": "yes",
        "evidence": [SimpleUploadedFile("缴款凭证.jpg", b"\xff\xd8\xff\xe0 receipt")],
    }
    data.update(overrides)
    return data


def test_repair_form_explains_the_conditions_and_files_the_application(client, record):
    page = client.get(f"/repair/new/?record={record.pk}").content.decode()
    assert "2026年06月02日" in page and "不收取任何费用" in page and "信用承诺" in page
    response = client.post("/repair/new/", repair_form(record))
    application = RepairApplication.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/repair/filed/{application.tracking_no}/"
    filed = client.get(response["Location"]).content.decode()
    link = re.search(r'id="tracking-link"[^>]*href="([^"]+)"', filed).group(1)
    track = client.get(link.replace("http://testserver", "")).content.decode()
    assert application.tracking_no in track and "已收到待决定" in track
    assert client.get(f"/repair/track/{application.tracking_no}/?s=x").status_code == 404


def test_repair_too_early_shows_the_date(client, staff):
    recent = approve_all(
        staff, submitted(staff, "CF", penalty_fields(CF_WSH="韶市监罚〔2026〕50号", CF_JDRQ="2026/11/20"))
    )
    repair_from = PublicRecord.objects.get(record=recent).repair_from
    shown = f"{repair_from:%Y年%m月%d日}"
    assert shown in client.get(f"/repair/new/?record={recent.pk}").content.decode()
    response = client.post("/repair/new/", repair_form(recent))
    assert response.status_code == 422 and f"可于{shown}起申请信用修复" in response.content.decode()
    assert not RepairApplication.objects.exists()


def test_the_subject_page_links_each_record_to_objection_and_repair(client, record, staff):
    recent = approve_all(
        staff, submitted(staff, "CF", penalty_fields(CF_WSH="韶市监罚〔2026〕51号", CF_JDRQ="2026/11/20"))
    )
    slug = PublicRecord.objects.select_related("subject").get(record=record).subject.slug
    page = client.get(f"/subjects/{slug}/").content.decode()
    assert f'href="/objections/new/?record={record.pk}"' in page and f'href="/repair/new/?record={record.pk}"' in page
    assert f'href="/objections/new/?record={recent.pk}"' in page
    assert f'href="/repair/new/?record={recent.pk}"' not in page  # the minimum period has not passed


def test_a_supplement_when_none_is_asked_for_says_why(client, record):
    _objection, link = file_objection(client, record)
    response = client.post(link.replace("http://testserver", ""), {"note": "补充说明"})
    assert response.status_code == 409 and "不能办理此操作" in response.content.decode()
