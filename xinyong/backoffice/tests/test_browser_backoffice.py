"""In real headless Chromium: a clerk logs in, opens the back office, enters a record with a mistake,
sees the error next to the field, fixes it and saves the draft."""

import pytest

from xinyong.accounts.choices import Role
from xinyong.accounts.tests.factories import DepartmentFactory, UserFactory
from xinyong.records.models import CreditRecord
from xinyong.records.tests.factories import penalty_fields

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clerk_logs_in_and_enters_a_record(live_server, page, screenshot):
    UserFactory(
        username="clerk",
        full_name="周晓红",
        roles=[Role.PROVIDER_CLERK],
        department=DepartmentFactory(code="SCJGJ", name="韶山市市场监督管理局"),
    )
    page.goto(live_server.url + "/backoffice/")
    assert page.url.startswith(live_server.url + "/backoffice/login/")
    page.fill("#id_username", "clerk")
    page.fill("#id_password", "wrong-password")
    page.click("button[type=submit]")
    assert "用户名或密码错误" in page.inner_text(".alert-error")

    page.fill("#id_username", "clerk")
    page.fill("#id_password", "Xinyong@2026")
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/backoffice/")
    assert "周晓红" in page.inner_text("header") and "填报员" in page.inner_text("main")
    screenshot(page, "backoffice-home")

    page.click("text=录入记录")
    fields = penalty_fields(CF_JDRQ="2026/02/30")
    for code, value in fields.items():
        selector = f"[name={code}]"
        if page.eval_on_selector(selector, "el => el.tagName") == "SELECT":
            page.select_option(selector, value)
        else:
            page.fill(selector, value)
    page.click("text=保存为草稿")
    error = page.inner_text("[data-field=CF_JDRQ] .field-error")
    assert "2024" not in error and "无效" in error
    screenshot(page, "backoffice-record-error")

    page.fill("[name=CF_JDRQ]", "2026/03/02")
    page.click("text=保存为草稿")
    page.wait_for_selector("text=已保存为草稿")
    record = CreditRecord.objects.get()
    assert page.url.endswith(f"/backoffice/records/{record.pk}/")
    assert "韶山市清溪镇韶峰食品有限公司" in page.inner_text("main")
    screenshot(page, "backoffice-record-detail")
