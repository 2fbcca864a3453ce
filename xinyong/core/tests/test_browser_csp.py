"""In real headless Chromium: the pages work under the Content-Security-Policy without a single violation
(the stylesheet, the style="" attributes, the API docs' local Swagger UI), and the identifier check is a POST."""

import pytest

from xinyong.accounts.choices import Role
from xinyong.accounts.tests.factories import UserFactory
from xinyong.publication.tests.factories import make_staff, submitted
from xinyong.records.tests.factories import person_penalty_fields

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def watch_csp(page):
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    return violations


def test_portal_and_check_code_under_csp(live_server, page):
    violations = watch_csp(page)
    page.goto(live_server.url + "/")
    assert page.evaluate("getComputedStyle(document.body).marginTop") == "0px"  # site.css applied
    page.goto(live_server.url + "/tools/check-code/")
    page.fill("#id_code", "430382199003071237")
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert page.url == live_server.url + "/tools/check-code/"  # the number is not in the URL
    assert "4303**********1237" in page.content() and "430382199003071237" not in page.content()
    assert violations == []


def test_back_office_and_api_docs_under_csp(live_server, page):
    violations = watch_csp(page)
    staff = make_staff()
    record = submitted(staff, "CF", person_penalty_fields())
    UserFactory(username="reviewer", department=staff.provider, roles=[Role.PROVIDER_REVIEWER])
    page.goto(live_server.url + "/backoffice/login/")
    page.fill("#id_username", "reviewer")
    page.fill("#id_password", "Xinyong@2026")
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/backoffice/")
    page.goto(live_server.url + f"/backoffice/records/{record.pk}/")
    page.fill("input[name=purpose]", "核实身份")
    with page.expect_navigation():
        page.click(f"form[action='/backoffice/subjects/{record.subject_id}/reveal/'] button[type=submit]")
    assert "430382199003071237" in page.content()
    page.goto(live_server.url + "/api/v1/docs")
    page.wait_for_selector(".swagger-ui .info", timeout=15000)
    assert violations == []
