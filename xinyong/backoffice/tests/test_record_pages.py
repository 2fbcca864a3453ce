import pytest

from xinyong.accounts.choices import Role
from xinyong.accounts.tests.factories import DepartmentFactory, UserFactory
from xinyong.records.choices import RecordStatus
from xinyong.records.models import CreditRecord
from xinyong.records.tests.factories import citizen_id, penalty_fields, person_penalty_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(client):
    user = UserFactory(roles=[Role.PROVIDER_CLERK], department=DepartmentFactory(code="SCJGJ", name="市场监管局"))
    client.force_login(user)
    return user


def post_form(client, fields, item="CF"):
    return client.post(f"/backoffice/records/new/?item={item}", dict(fields) | {"item": item})


def test_form_shows_every_field_of_the_item(client, clerk):
    page = client.get("/backoffice/records/new/?item=CF").content.decode()
    assert "行政处罚决定书文号" in page and "处罚有效期" in page and 'name="CF_NR_FK"' in page


def test_bad_input_is_shown_field_by_field_without_saving(client, clerk):
    response = post_form(client, penalty_fields(CF_JDRQ="2026/02/30", CF_XDR_SHXYM="123456"))
    body = response.content.decode()
    assert response.status_code == 422
    assert 'data-field="CF_JDRQ"' in body and "无效" in body
    assert "统一社会信用代码应为18位" in body
    assert CreditRecord.objects.count() == 0
    assert 'value="韶市监罚〔2026〕12号"' in body  # what the clerk typed is kept


def test_good_input_creates_a_draft_and_can_be_submitted(client, clerk):
    response = post_form(client, penalty_fields())
    record = CreditRecord.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/backoffice/records/{record.pk}/"
    detail = client.get(response["Location"]).content.decode()
    assert "已保存为草稿" in detail and "报送审核" in detail and 'title="record.create">录入记录' in detail
    client.post(f"/backoffice/records/{record.pk}/submit/")
    record.refresh_from_db()
    assert record.status == RecordStatus.SUBMITTED
    assert "已报送，等待本单位审核员审核" in client.get(f"/backoffice/records/{record.pk}/").content.decode()


def test_correction_page_saves_a_new_version(client, clerk):
    post_form(client, penalty_fields())
    record = CreditRecord.objects.get()
    page = client.get(f"/backoffice/records/{record.pk}/edit/").content.decode()
    assert 'value="0.5"' in page
    missing_reason = client.post(f"/backoffice/records/{record.pk}/edit/", penalty_fields(CF_NR_FK="0.6"))
    assert missing_reason.status_code == 422 and "请填写更正原因" in missing_reason.content.decode()
    client.post(f"/backoffice/records/{record.pk}/edit/", penalty_fields(CF_NR_FK="0.6") | {"reason": "金额有误"})
    record.refresh_from_db()
    assert record.version == 2 and record.data["CF_NR_FK"] == "0.6"


def test_list_is_scoped_to_the_department(client, clerk):
    post_form(client, penalty_fields())
    assert "韶山市清溪镇韶峰食品有限公司" in client.get("/backoffice/records/").content.decode()
    other = UserFactory(roles=[Role.PROVIDER_CLERK], department=DepartmentFactory(code="ZJJ"))
    client.force_login(other)
    assert "韶山市清溪镇韶峰食品有限公司" not in client.get("/backoffice/records/").content.decode()
    record = CreditRecord.objects.get()
    assert client.get(f"/backoffice/records/{record.pk}/").status_code == 404


def test_person_number_is_masked_and_reveal_is_audited(client, clerk):
    post_form(client, person_penalty_fields())
    record = CreditRecord.objects.get()
    number = citizen_id()
    detail = client.get(f"/backoffice/records/{record.pk}/").content.decode()
    assert number not in detail and "4303**********1237" in detail
    client.force_login(UserFactory(roles=[Role.GOV_USER]))
    url = f"/backoffice/subjects/{record.subject.pk}/reveal/"
    assert client.post(url, {"purpose": "核实身份"}).status_code == 404  # no disclosure reached this user
    client.force_login(UserFactory(roles=[Role.PROVIDER_REVIEWER], department=clerk.department))
    response = client.post(url, {"purpose": "核实身份"})
    assert number in response.content.decode()


def test_supervisor_sees_audit_log_and_clerk_gets_403(client, clerk):
    assert client.get("/backoffice/audit/").status_code == 403
    client.force_login(UserFactory(roles=[Role.SUPERVISOR]))
    assert "尚未校验过" in client.get("/backoffice/audit/").content.decode()
    response = client.post("/backoffice/audit/", follow=True)  # the test settings run tasks immediately
    page = response.content.decode()
    assert "已提交后台校验任务" in page and "审计链完整" in page


def test_administrator_issues_a_token_shown_once(client):
    admin = UserFactory(roles=[Role.ADMINISTRATOR])
    client.force_login(admin)
    dept = DepartmentFactory(code="SWJ", name="税务局")
    page = client.post("/backoffice/tokens/", {"department": dept.pk, "name": "税务系统", "scopes": ["shared:read"]})
    body = page.content.decode()
    assert 'id="new-token">xy_' in body
    again = client.get("/backoffice/tokens/").content.decode()
    assert 'id="new-token"' not in again and "税务系统" in again


def _count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_page_query_count_does_not_grow_with_rows(client, clerk):
    from xinyong.catalog.models import CatalogItem
    from xinyong.records.services import record_create

    item = CatalogItem.objects.get(code="CF")
    record_create(actor=clerk, item=item, fields=penalty_fields(CF_WSH="韶市监罚〔2026〕1号"))
    few = _count_queries(client, "/backoffice/records/")
    for n in range(2, 12):
        record_create(actor=clerk, item=item, fields=penalty_fields(CF_WSH=f"韶市监罚〔2026〕{n}号"))
    assert _count_queries(client, "/backoffice/records/") == few
