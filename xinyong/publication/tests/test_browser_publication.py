"""End to end in real headless Chromium (issue: review, publication and the public portal).

A clerk enters and submits a black-list decision in the back office; the department's reviewer, the
platform clerk and the leadership approve it; a member of the public finds it by two characters of
the name and by the code and sees it on the subject page (also on a phone). A red-list decision
without an Article 11 basis, approved the same way, never appears; a penalty whose publicity ends
disappears after the daily sweep.
"""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from xinyong.accounts.choices import Role
from xinyong.accounts.tests.factories import UserFactory
from xinyong.audit.services import audit_verify
from xinyong.records.choices import RecordStatus
from xinyong.records.models import CreditRecord
from xinyong.records.tests.factories import AGENCY_USCC, COMPANY_USCC, penalty_fields

from .factories import approve_all, make_staff, submitted

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NAME = "韶山市清溪镇韶峰食品有限公司"


def login(page, live_server, username):
    page.context.clear_cookies()
    page.goto(live_server.url + "/backoffice/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "Xinyong@2026")
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/backoffice/")


def approve_in_browser(page, live_server, username, record, opinion):
    login(page, live_server, username)
    page.goto(f"{live_server.url}/backoffice/records/{record.pk}/")
    page.fill("#approve-reason", opinion)
    page.click("#approve")
    page.wait_for_selector("text=已审核通过")


def black_list_fields(today):
    return {
        "HEI_ZTMC": NAME,
        "HEI_ZTLB": "法人及非法人组织",
        "HEI_TYSHXYDM": COMPANY_USCC,
        "HEI_MDMC": "市场监督管理严重违法失信名单",
        "HEI_RDWSH": "韶市监严〔2026〕8号",
        "HEI_RDYJ": "《市场监督管理严重违法失信名单管理办法》第九条",
        "HEI_RDYY": "一年内三次销售过期食品",
        "HEI_RDRQ": today.strftime("%Y/%m/%d"),
        "HEI_YXQZ": today.replace(year=today.year + 3).strftime("%Y/%m/%d"),
        "HEI_RDBM": "韶山市市场监督管理局",
        "HEI_RDBMDM": AGENCY_USCC,
    }


def test_from_submission_to_the_public_subject_page(live_server, page, phone_page, screenshot):
    today = timezone.localdate()
    staff = make_staff()
    for user, name in [
        (staff.clerk, "clerk"),
        (staff.reviewer, "reviewer"),
        (staff.platform, "platform"),
        (staff.leader, "leader"),
    ]:
        user.username = name
        user.save()
    UserFactory(username="other", department=staff.provider, roles=[Role.PROVIDER_CLERK])

    # the clerk enters the decision in the back office and submits it
    login(page, live_server, "clerk")
    page.goto(live_server.url + "/backoffice/records/new/?item=HEI")
    for code, value in black_list_fields(today).items():
        selector = f"#f-{code}"
        if page.eval_on_selector(selector, "el => el.tagName") == "SELECT":
            page.select_option(selector, value)
        else:
            page.fill(selector, value)
    page.click("form button[type=submit]:has-text('保存')")
    page.wait_for_selector("text=已保存为草稿")
    page.click("button:has-text('报送审核')")
    record = CreditRecord.objects.get(document_no="韶市监严〔2026〕8号")
    assert record.status == RecordStatus.SUBMITTED

    # three levels of approval, each in the browser
    approve_in_browser(page, live_server, "reviewer", record, "与认定决定书一致")
    approve_in_browser(page, live_server, "platform", record, "同意公示")
    record.refresh_from_db()
    assert record.status == RecordStatus.PLATFORM_APPROVED  # black lists need the leadership too
    approve_in_browser(page, live_server, "leader", record, "同意")
    record.refresh_from_db()
    assert record.status == RecordStatus.PUBLISHED

    # a red-list decision without any public basis, approved by everyone: shared only, never public
    red = submitted(
        staff,
        "HONG",
        {k.replace("HEI_", "HONG_"): v for k, v in black_list_fields(today).items()}
        | {"HONG_MDMC": "守合同重信用企业", "HONG_RDWSH": "韶市监信〔2026〕2号"},
    )
    red = approve_all(staff, red)
    assert red.status == RecordStatus.SHARED_ONLY

    # a penalty that is public now, and whose publicity will end
    penalty = approve_all(staff, submitted(staff, "CF", penalty_fields(CF_CFLB="罚款")))
    assert penalty.status == RecordStatus.PUBLISHED

    # the public: two characters of the name, then the subject page
    page.context.clear_cookies()
    page.goto(live_server.url + "/")
    page.fill("#q", "韶峰")
    page.click("form.search button[type=submit]")
    page.wait_for_selector("ol.results")
    page.click(f"ol.results a:has-text('{NAME}')")
    page.wait_for_selector(".subject-card")
    body = page.inner_text("main")
    assert "韶市监严〔2026〕8号" in body and "市场监督管理严重违法失信名单" in body
    assert "韶市监罚〔2026〕12号" in body
    assert "韶市监信〔2026〕2号" not in body and "守合同重信用企业" not in body
    screenshot(page, "portal-subject-desktop")

    # by the code
    page.goto(live_server.url + "/")
    page.fill("#q", COMPANY_USCC)
    page.click("form.search button[type=submit]")
    page.wait_for_load_state()
    if page.query_selector("ol.results"):
        page.click(f"ol.results a:has-text('{NAME}')")
    page.wait_for_selector(".subject-card")
    assert "韶市监严〔2026〕8号" in page.inner_text("main")

    # the black list page
    page.goto(live_server.url + "/lists/black/")
    assert NAME in page.inner_text("main")
    page.goto(live_server.url + "/lists/red/")
    assert "守合同重信用企业" not in page.inner_text("main")

    # on a phone
    phone_page.goto(f"{live_server.url}/subjects/{COMPANY_USCC}/")
    phone_page.wait_for_selector(".subject-card")
    assert "韶市监严〔2026〕8号" in phone_page.inner_text("main")
    screenshot(phone_page, "portal-subject-phone")

    # the daily sweep ends the penalty's publicity: it disappears from the public page
    ends = penalty.publicity.ends_on
    call_command("publicity_expire", "--today", (ends + dt.timedelta(days=1)).isoformat())
    penalty.refresh_from_db()
    assert penalty.status == RecordStatus.EXPIRED
    page.goto(f"{live_server.url}/subjects/{COMPANY_USCC}/")
    body = page.inner_text("main")
    assert "韶市监罚〔2026〕12号" not in body
    assert "韶市监严〔2026〕8号" in body
    assert audit_verify().ok
