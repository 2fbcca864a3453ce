"""In real headless Chromium (issue 11, faults 2 and 3): reloading the confirmation files nothing twice and
keeps the tracking link; a phone-only applicant is not promised an email; a licence gets the refusal, not
the repair form."""

import pytest

from xinyong.objections.models import Objection
from xinyong.publication.tests.public_factories import company_uscc, day, licence_fields, publish

from .test_browser_objection import _seeded  # noqa: F401  (autouse: the seeded rules and time limits)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reloading_the_confirmation_keeps_the_link_and_files_once(live_server, page, screenshot, record):
    page.goto(f"{live_server.url}/objections/new/?record={record.pk}")
    page.check("input[name=applicant_kind][value=person]")
    page.fill("#f-name", "李明")
    page.fill("#f-phone", "13800000000")
    page.fill("#f-grounds", "处罚对象不是本人。")
    page.check("input[name=statement]")
    page.click("form.objection-form button[type=submit]")
    page.wait_for_selector("#tracking-link")
    assert "/objections/filed/" in page.url
    link = page.get_attribute("#tracking-link", "href")
    assert "您未预留电子邮箱" in page.inner_text("#reply-channel")
    page.reload()
    page.wait_for_selector("#tracking-link")
    assert page.get_attribute("#tracking-link", "href") == link and Objection.objects.count() == 1
    screenshot(page, "objection-filed-after-reload")
    page.click("#link-saved")
    page.wait_for_selector("#link-gone")
    assert page.locator("#tracking-link").count() == 0
    page.goto(link)
    assert "已收到待受理" in page.inner_text("#case-status")


def test_a_licence_is_refused_before_the_repair_form(live_server, page, screenshot, staff):
    name, doc = "韶山许可测试有限公司", "韶许〔2026〕7号"
    fields = licence_fields(name, company_uscc(7), doc, decided=day(-3), valid_to=day(200))
    licence = publish(staff, "XK", fields)
    page.goto(f"{live_server.url}/repair/new/?record={licence.pk}")
    assert "行政许可信息不是失信信息" in page.inner_text("#repair-refused")
    assert page.locator("textarea[name=corrective_actions]").count() == 0
    screenshot(page, "repair-refused-licence")
