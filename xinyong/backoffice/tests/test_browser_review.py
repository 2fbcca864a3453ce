"""In real headless Chromium: a department's reviewer logs in, opens the review queue from the menu,
opens a waiting record, approves it with an opinion and is back at the queue; a government user
queries a company's shared records for a stated matter."""

import pytest

from xinyong.accounts.choices import Role
from xinyong.accounts.tests.factories import DepartmentFactory, UserFactory
from xinyong.publication.models import Disclosure, RecordReview
from xinyong.publication.tests.factories import approve_all, make_staff, submitted
from xinyong.records.choices import RecordStatus
from xinyong.records.tests.factories import COMPANY_USCC, penalty_fields

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reviewer_approves_a_record(live_server, page, screenshot):
    staff = make_staff()
    reviewer = UserFactory(
        username="reviewer", full_name="李建华", department=staff.provider, roles=[Role.PROVIDER_REVIEWER]
    )
    record = submitted(staff, "CF", penalty_fields(CF_CFLB="罚款"))
    submitted(staff, "CF", penalty_fields(CF_WSH="韶市监罚〔2026〕13号", CF_CFLB="罚款"))

    page.goto(live_server.url + "/backoffice/login/")
    page.fill("#id_username", "reviewer")
    page.fill("#id_password", "Xinyong@2026")
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/backoffice/")
    assert "2" in page.inner_text("#nav-review")
    screenshot(page, "backoffice-review-home")

    page.click("#nav-review")
    page.wait_for_selector("table.queue")
    assert "韶市监罚〔2026〕12号" in page.inner_text("table.queue")
    screenshot(page, "backoffice-review-queue")

    page.click(f"a[href='/backoffice/records/{record.pk}/']")
    page.wait_for_selector("#approve")
    page.fill("#approve-reason", "经核对与原决定书一致")
    screenshot(page, "backoffice-review-record")
    page.click("#approve")
    page.wait_for_selector("text=已审核通过")
    assert "/backoffice/review/" in page.url
    assert "韶市监罚〔2026〕12号" not in page.inner_text("table.queue")
    screenshot(page, "backoffice-review-after-approval")

    record.refresh_from_db()
    assert record.status == RecordStatus.PROVIDER_APPROVED
    review = RecordReview.objects.get(record=record)
    assert (review.reviewer, review.reason) == (reviewer, "经核对与原决定书一致")


def test_government_user_queries_shared_records(live_server, page, screenshot):
    staff = make_staff()
    approve_all(staff, submitted(staff, "CF", penalty_fields(CF_CFLB="罚款")))
    approve_all(staff, submitted(staff, "CF", penalty_fields(CF_WSH="韶市监罚〔2026〕13号", CF_CXLX="简易")))
    UserFactory(
        username="share",
        full_name="黄海",
        department=DepartmentFactory(code="SWJ", name="韶山市税务局"),
        roles=[Role.GOV_USER],
    )
    page.goto(live_server.url + "/backoffice/login/")
    page.fill("#id_username", "share")
    page.fill("#id_password", "Xinyong@2026")
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/backoffice/")
    page.click("nav >> text=共享查询")
    page.fill("#s-code", COMPANY_USCC)
    page.click("button:has-text('查询')")
    assert "请填写查询事项" in page.inner_text("[for=s-matter] + input + .field-error")
    page.fill("#s-matter", "政府采购供应商资格审查")
    page.click("button:has-text('查询')")
    page.wait_for_selector("#shared-count")
    assert page.inner_text("#shared-count") == "2"
    assert Disclosure.objects.filter(matter="政府采购供应商资格审查").count() == 2
    screenshot(page, "backoffice-shared-query")
