"""In real headless Chromium, the whole objection path: the applicant files on the portal with a real PDF,
the platform accepts and forwards in the back office, the public subject page shows 异议处理中, the
provider's reviewer revokes the record, the applicant's tracking page shows the outcome; the audit chain holds."""

import importlib
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps as django_apps

from xinyong.audit.services import audit_verify
from xinyong.objections.choices import ObjectionStatus, Outcome
from xinyong.objections.models import Objection
from xinyong.publication.models import PublicRecord
from xinyong.records.choices import RecordStatus

from .conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SEEDS = (
    "xinyong.publication.migrations.0002_seed_policies",
    "xinyong.objections.migrations.0002_seed_time_limits",
)


@pytest.fixture(autouse=True)
def _seeded(transactional_db: Any) -> None:
    """Put back the publicity rules and time limits: an earlier transactional test's flush empties tables
    seeded by migrations (a missing calendar only falls back to Monday–Friday, right for these dates)."""
    for module in SEEDS:
        importlib.import_module(module).seed(django_apps, None)


def small_pdf() -> bytes:
    """A real one-page PDF (valid cross-reference table) saying "Payment receipt"."""
    stream = b"BT /F1 18 Tf 72 720 Td (Payment receipt 2026-05-10) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


@pytest.fixture
def staff_page(browser: Any, live_server: Any) -> Iterator[Any]:
    """A second browser (separate cookies) for the staff, logging in as whoever is given."""
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1280, "height": 900})

    def open_as(user: Any) -> Any:
        context.clear_cookies()
        page = context.pages[0] if context.pages else context.new_page()
        page.goto(live_server.url + "/backoffice/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(live_server.url + "/backoffice/")
        return page

    try:
        yield open_as
    finally:
        context.close()


def file_on_portal(page, live_server, record, pdf_path, screenshot) -> str:
    slug = PublicRecord.objects.select_related("subject").get(record=record).subject.slug
    page.goto(f"{live_server.url}/subjects/{slug}/")
    page.click(f"#r{record.pk} a.objection-link")
    page.wait_for_url(f"**/objections/new/?record={record.pk}")
    assert "韶市监罚〔2026〕12号" in page.inner_text("main")
    page.check("input[name=applicant_kind][value=organisation]")
    page.fill("#f-name", "韶山市清溪镇韶峰食品有限公司")
    page.fill("#f-phone", "0731-55551234")
    page.fill("#f-email", "shaofeng@example.cn")
    page.fill("#f-grounds", "处罚决定已于2026年6月被行政复议决定撤销，附复议决定书。")
    page.set_input_files("#f-evidence", str(pdf_path))
    page.check("input[name=statement]")
    screenshot(page, "objection-filing-form")
    page.click("form.objection-form button[type=submit]")
    page.wait_for_selector("#tracking-link")
    screenshot(page, "objection-filed")
    return page.get_attribute("#tracking-link", "href")


def test_objection_from_portal_to_decision(live_server, page, staff_page, screenshot, staff, record, tmp_path):
    pdf = tmp_path / "复议决定书.pdf"
    pdf.write_bytes(small_pdf())
    link = file_on_portal(page, live_server, record, pdf, screenshot)
    objection = Objection.objects.get()
    assert objection.evidence.get().size == len(small_pdf())

    platform = staff_page(staff.platform)
    platform.click("#nav-objections")
    platform.click(f"a[href='/backoffice/objections/{objection.pk}/']")
    platform.click("#accept")
    platform.wait_for_selector("#forward")
    platform.click("#forward")
    platform.wait_for_selector("text=已转信息提供单位核查")
    screenshot(platform, "objection-backoffice-forwarded")

    slug = PublicRecord.objects.select_related("subject").get(record=record).subject.slug
    page.goto(f"{live_server.url}/subjects/{slug}/")
    assert "异议处理中" in page.inner_text(f"#r{record.pk}")
    screenshot(page, "objection-subject-under-objection")

    reviewer = staff_page(staff.reviewer)
    assert "1" in reviewer.inner_text("#nav-inbox")
    reviewer.click("#nav-inbox")
    reviewer.click(f"text=异议待核查：{objection.tracking_no}")
    reviewer.wait_for_selector("#decide")
    reviewer.check(f"input[name=outcome][value={Outcome.REVOKED}]")
    reviewer.fill("#f-reason", "经核实，该处罚决定已被行政复议撤销，予以撤销公示。")
    screenshot(reviewer, "objection-backoffice-decide")
    reviewer.click("#decide-submit")
    reviewer.wait_for_selector("text=已作出核查决定")
    screenshot(reviewer, "objection-backoffice-decided")

    page.goto(link)
    assert "信息有误，予以撤销" in page.inner_text("#outcome")
    assert "已办结" in page.inner_text("#case-status")
    screenshot(page, "objection-tracking-outcome")

    objection.refresh_from_db()
    record.refresh_from_db()
    assert (objection.status, record.status) == (ObjectionStatus.CLOSED, RecordStatus.WITHDRAWN)
    assert audit_verify().ok


def test_filing_and_tracking_are_readable_on_a_phone(live_server, phone_page, screenshot, record):
    page = phone_page
    page.goto(f"{live_server.url}/objections/new/?record={record.pk}")
    page.click("form.objection-form button[type=submit]")  # nothing filled in: the errors, on a phone
    page.wait_for_selector(".field-error")
    assert "请填写申请人姓名或名称。" in page.inner_text("main")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "objection-filing-errors-phone")
    page.check("input[name=applicant_kind][value=person]")
    page.fill("#f-name", "李明")
    page.fill("#f-phone", "13800000000")
    page.fill("#f-grounds", "处罚对象不是本人。")
    page.check("input[name=statement]")
    page.click("form.objection-form button[type=submit]")
    page.wait_for_selector("#tracking-link")
    page.goto(page.get_attribute("#tracking-link", "href"))
    assert "已收到待受理" in page.inner_text("#case-status")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "objection-tracking-phone")
