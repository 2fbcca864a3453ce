"""In real headless Chromium (issue 11, faults 6 and 10): the review queue fits its container at 1366 px
and on a 390 px phone; a clerk's menu has no review item and the refusal keeps the back-office layout;
a reviewer's menu has no entry item and the entry form is refused before its fields."""

from typing import Any

import pytest

from xinyong.accounts.choices import Role
from xinyong.accounts.tests.factories import UserFactory
from xinyong.publication.tests.factories import make_staff, submitted
from xinyong.records.tests.factories import penalty_fields

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Xinyong@2026"
OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"
PHONE_WIDTH = "document.documentElement.scrollWidth"
WIDEST = """[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 391)
  .slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""
WIDER = """(() => { const layout = document.querySelector('.layout').getBoundingClientRect();
  const wrap = document.querySelector('.table-wrap'), table = document.querySelector('table.queue');
  return Math.max(document.querySelector('.layout > div').getBoundingClientRect().right - layout.right,
                  table.getBoundingClientRect().width - wrap.clientWidth); })()"""


def log_in(page: Any, live_server: Any, username: str) -> None:
    page.goto(live_server.url + "/backoffice/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/backoffice/")


def _queue(page: Any, live_server: Any) -> None:
    staff = make_staff()
    UserFactory(username="reviewer", full_name="李建华", department=staff.provider, roles=[Role.PROVIDER_REVIEWER])
    for n in range(3):
        doc = f"韶山市市场监督管理局韶市监罚〔2026〕第{1020 + n}号"
        submitted(staff, "CF", penalty_fields(CF_WSH=doc, CF_XDR_MC="韶山市清溪镇韶峰食品贸易有限责任公司第一分公司"))
    log_in(page, live_server, "reviewer")
    page.click("#nav-review")
    page.wait_for_selector("table.queue")


def test_the_review_queue_fits_at_1366_px(live_server, browser, screenshot):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1366, "height": 900})
    try:
        page = context.new_page()
        _queue(page, live_server)
        screenshot(page, "review-queue-1366")
        assert page.evaluate(OVERFLOW) <= 0 and page.evaluate(WIDER) <= 0
    finally:
        context.close()


def test_the_review_queue_fits_on_a_phone(live_server, phone_page, screenshot):
    _queue(phone_page, live_server)
    screenshot(phone_page, "review-queue-390")
    assert phone_page.evaluate(PHONE_WIDTH) <= 390, phone_page.evaluate(WIDEST)


def test_menus_and_refusals_follow_the_permission(live_server, page, screenshot):
    staff = make_staff()
    UserFactory(username="clerk", department=staff.provider, roles=[Role.PROVIDER_CLERK])
    UserFactory(username="reviewer", department=staff.provider, roles=[Role.PROVIDER_REVIEWER])
    log_in(page, live_server, "clerk")
    assert page.locator("#nav-review").count() == 0 and page.locator("#nav-entry").count() == 1
    page.goto(live_server.url + "/backoffice/review/")
    assert "您没有审核信用记录的权限" in page.inner_text("main")
    assert page.locator("nav.sidenav").count() == 1 and page.locator("a[href='/search/']").count() == 0
    screenshot(page, "backoffice-refusal-review")
    page.context.clear_cookies()
    log_in(page, live_server, "reviewer")
    assert page.locator("#nav-entry").count() == 0 and page.locator("#nav-review").count() == 1
    page.goto(live_server.url + "/backoffice/records/new/?item=CF")
    assert "您的角色没有录入和更正信用记录的权限" in page.inner_text("main")
    assert page.locator("input[name=CF_WSH]").count() == 0 and page.locator("nav.sidenav").count() == 1
    screenshot(page, "backoffice-refusal-entry")


@pytest.mark.parametrize("width", [1366, 390])
def test_the_objection_list_fits(live_server, browser, screenshot, width):
    from xinyong.objections.services.intake import ApplicantInput, Filing, objection_file
    from xinyong.publication.tests.factories import approve_all

    staff = make_staff()
    UserFactory(username="platform", department=staff.platform.department, roles=[Role.PLATFORM_CLERK])
    for n in range(3):
        doc = f"韶山市市场监督管理局韶市监罚〔2026〕第{1030 + n}号"
        name = "韶山市清溪镇韶峰食品贸易有限责任公司第一分公司"
        record = approve_all(staff, submitted(staff, "CF", penalty_fields(CF_WSH=doc, CF_XDR_MC=name, CF_CFLB="罚款")))
        applicant = ApplicantInput(kind="organisation", name=name, phone="0731-55551234")
        objection_file(filing=Filing(applicant, [record.pk], "罚款金额与决定书不一致。", True))
    phone = width < 720
    options = {"is_mobile": True, "has_touch": True, "device_scale_factor": 2} if phone else {}
    context = browser.new_context(
        locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": width, "height": 900}, **options
    )
    try:
        page = context.new_page()
        log_in(page, live_server, "platform")
        page.click("#nav-objections")
        page.wait_for_selector("table.objections")
        assert page.locator("table.objections tbody tr").count() == 3
        screenshot(page, f"objection-list-{width}")
        assert page.evaluate(PHONE_WIDTH) <= width, page.evaluate(WIDEST)
        if not phone:
            assert page.evaluate(WIDER.replace("table.queue", "table.objections")) <= 0
    finally:
        context.close()
