"""The shared query for government users, the notices page and the menu, through the real URLs."""

import pytest

from xinyong.accounts.choices import Role
from xinyong.accounts.tests.factories import DepartmentFactory, UserFactory
from xinyong.audit.models import AuditEvent
from xinyong.publication.models import Disclosure, Notice
from xinyong.publication.tests.factories import approve_all, make_staff, submitted
from xinyong.records.tests.factories import COMPANY_USCC, citizen_id, penalty_fields, person_penalty_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def gov(client):
    user = UserFactory(roles=[Role.GOV_USER], department=DepartmentFactory(code="SWJ", name="税务局"))
    client.force_login(user)
    return user


def test_shared_query_shows_published_and_shared_only_records_and_logs_each(client, gov):
    staff, other = make_staff(), make_staff("ZJJ")
    secret_id = citizen_id("43038219700101123")
    public = approve_all(
        staff,
        submitted(staff, "CF", penalty_fields(CF_CFLB="罚款", CF_FR_ZJLX="身份证", CF_FR_ZJHM=secret_id)),
    )
    shared_only = approve_all(
        other, submitted(other, "CF", penalty_fields(CF_WSH="韶住建罚〔2026〕3号", CF_CXLX="简易"))
    )
    draft_only = submitted(staff, "CF", penalty_fields(CF_WSH="韶市监罚〔2026〕99号"))
    response = client.post("/backoffice/shared/", {"code": COMPANY_USCC.lower(), "matter": "政府采购供应商资格审查"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "韶市监罚〔2026〕12号" in page and "韶住建罚〔2026〕3号" in page and "韶市监罚〔2026〕99号" not in page
    assert "仅政务共享" in page and "已公示" in page and "简易" in page  # with the reason it is not public
    assert secret_id not in page and "法定代表人证件号码" not in page  # secret fields never
    rows = Disclosure.objects.filter(recipient=gov)
    assert {r.record_id for r in rows} == {public.pk, shared_only.pk}
    assert {(r.matter, r.channel, r.department.code) for r in rows} == {
        ("政府采购供应商资格审查", "shared_query", "SWJ")
    }
    assert draft_only.pk not in {r.record_id for r in rows}
    event = AuditEvent.objects.get(action="shared.disclose")
    assert event.after["matter"] == "政府采购供应商资格审查"
    detail_count = Disclosure.objects.filter(record=public).count()
    assert detail_count == 1


def test_shared_query_needs_a_matter_and_logs_nothing_without_one(client, gov):
    staff = make_staff()
    approve_all(staff, submitted(staff, "CF", penalty_fields(CF_CFLB="罚款")))
    response = client.post("/backoffice/shared/", {"code": COMPANY_USCC, "matter": "  "})
    page = response.content.decode()
    assert response.status_code == 422 and "请填写查询事项" in page
    assert "韶市监罚〔2026〕12号" not in page
    assert not Disclosure.objects.exists()
    assert not AuditEvent.objects.filter(action="shared.disclose").exists()


def test_shared_query_by_id_number_keeps_it_masked(client, gov):
    staff = make_staff()
    approve_all(staff, submitted(staff, "CF", person_penalty_fields(CF_CFLB="罚款")))
    number = citizen_id()
    page = client.post("/backoffice/shared/", {"code": number, "matter": "招录资格审查"}).content.decode()
    assert number not in page and "4303**********1237" in page and "李*" in page
    assert "查看完整证件号码" in page  # the audited reveal page
    assert Disclosure.objects.count() == 1


def test_shared_query_unknown_code_and_wrong_role(client, gov):
    page = client.post("/backoffice/shared/", {"code": "91430382MA4L000000", "matter": "核查"}).content.decode()
    assert "未找到该代码对应的信用主体" in page
    client.force_login(make_staff().clerk)
    assert client.get("/backoffice/shared/").status_code == 403


def test_platform_clerk_publishes_a_notice(client):
    staff = make_staff()
    client.force_login(staff.platform)
    empty = client.post("/backoffice/notices/", {"kind": "story", "title": "", "body": ""})
    assert (
        empty.status_code == 422 and "请填写标题" in empty.content.decode() and "请填写正文" in empty.content.decode()
    )
    response = client.post(
        "/backoffice/notices/", {"kind": "story", "title": "守信经营二十年", "body": "韶峰食品……"}, follow=True
    )
    assert "已发布诚信故事：守信经营二十年" in response.content.decode()
    notice = Notice.objects.get()
    assert (notice.kind, notice.published_by) == ("story", staff.platform)
    client.force_login(staff.reviewer)
    assert client.get("/backoffice/notices/").status_code == 403


def test_menu_and_home_offer_what_the_roles_allow(client, gov):
    staff = make_staff()
    submitted(staff, "CF", penalty_fields())
    home = client.get("/backoffice/").content.decode()
    assert "共享查询" in home and 'id="nav-review"' not in home and "/backoffice/notices/" not in home
    client.force_login(staff.reviewer)
    home = client.get("/backoffice/").content.decode()
    assert 'id="nav-review"' in home and '<span class="count">1</span>' in home and "等待提供单位审核" in home
    assert "/backoffice/shared/" not in home and "/backoffice/tokens/" not in home
    client.force_login(staff.platform)
    home = client.get("/backoffice/").content.decode()
    assert "/backoffice/notices/" in home and 'id="nav-review"' in home
