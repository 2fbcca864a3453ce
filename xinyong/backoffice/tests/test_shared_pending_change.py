"""Fault 5 of issue 11: a government user sees at least what the public sees while a change is under review."""

import pytest

from xinyong.accounts.choices import Role
from xinyong.accounts.tests.factories import DepartmentFactory, UserFactory
from xinyong.publication.models import Disclosure, PublicRecord
from xinyong.publication.queues import shared_records_for
from xinyong.publication.services import record_request_correction, record_request_removal
from xinyong.publication.tests.factories import approve_all, make_staff, submitted
from xinyong.publication.tests.public_factories import company_uscc, day, licence_fields
from xinyong.records.choices import RecordStatus

pytestmark = pytest.mark.django_db
USCC = company_uscc(8_1234567)
DOC = "韶市监许〔2026〕101号"


@pytest.fixture
def gov(client):
    user = UserFactory(roles=[Role.GOV_USER], department=DepartmentFactory(code="SWJ", name="税务局"))
    client.force_login(user)
    return user


@pytest.fixture
def staff():
    return make_staff()


@pytest.fixture
def licence(staff):
    fields = licence_fields("韶山市银田镇红日餐饮店", USCC, DOC, decided=day(-20), valid_to=day(700))
    record = approve_all(staff, submitted(staff, "XK", fields))
    assert record.status == RecordStatus.PUBLISHED
    return record, fields


def test_a_licence_under_correction_is_shown_in_its_approved_version_and_marked(client, gov, staff, licence):
    record, fields = licence
    record_request_correction(
        actor=staff.clerk,
        record=record,
        fields=fields | {"XK_NR": "预包装食品销售、热食类食品制售"},
        reason="许可范围录入不全",
    )
    record.refresh_from_db()
    assert record.status == RecordStatus.SUBMITTED
    assert PublicRecord.objects.filter(record=record).exists()  # the public still sees version 1
    response = client.post("/backoffice/shared/", {"code": USCC, "matter": "政府采购供应商资格审查"})
    page = response.content.decode()
    assert response.status_code == 200
    assert DOC in page and "已公示" in page and "第 1 版" in page
    assert "更正审核中" in page and "许可范围录入不全" in page
    assert "待审核的更正内容（尚未生效）" in page and "热食类食品制售" in page
    current = page.split("待审核的更正内容")[0]
    assert "预包装食品（含冷藏冷冻食品）销售" in current and "热食类食品制售" not in current
    assert list(Disclosure.objects.filter(recipient=gov).values_list("record_id", flat=True)) == [record.pk]


def test_a_licence_under_withdrawal_stays_visible_until_approved(gov, staff, licence):
    record, _ = licence
    record_request_removal(actor=staff.clerk, record=record, kind="withdraw", reason="许可决定已被撤销")
    _, rows = shared_records_for(viewer=gov, code=USCC)
    assert [(row.record.pk, row.status, row.pending_label, row.version) for row in rows] == [
        (record.pk, RecordStatus.PUBLISHED, "撤销审核中", 1)
    ]
    assert rows[0].proposed == []
    assert ("许可内容", "预包装食品（含冷藏冷冻食品）销售") in rows[0].fields


def test_a_new_submission_never_approved_is_not_shared(gov, staff):
    fields = licence_fields("韶山市银田镇红日餐饮店", USCC, "韶市监许〔2026〕102号", decided=day(-5), valid_to=day(700))
    submitted(staff, "XK", fields)
    subject, rows = shared_records_for(viewer=gov, code=USCC)
    assert subject is not None and rows == []
