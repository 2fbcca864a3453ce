"""The public portal in real Chromium: search by two characters, open the subject, read it on a phone."""

import pytest

from .dataset import build_public_dataset

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def data(settings):
    settings.XINYONG_SEARCH_RATE_LIMIT = "off"
    return build_public_dataset()


def test_search_by_two_characters_then_open_the_subject(live_server, page, screenshot, data):
    page.goto(live_server.url + "/")
    page.fill("input[name=q]", "韶峰")
    page.click("form.search button[type=submit]")
    page.wait_for_url("**/search/?q=*")
    assert page.locator("ol.results > li").count() == 2
    screenshot(page, "portal-search-two-characters")
    page.click("text=韶山市清溪镇韶峰食品有限公司")
    page.wait_for_url(f"**/subjects/{data.slugs['a']}/")
    assert page.locator("h1").inner_text() == "韶山市清溪镇韶峰食品有限公司"
    assert page.locator("#g-penalty article.record").count() == 1
    assert "韶市监罚〔2026〕12号" in page.locator("#g-penalty").inner_text()
    screenshot(page, "portal-subject-from-search")


def test_subject_page_on_a_phone(live_server, phone_page, screenshot, data):
    phone_page.goto(f"{live_server.url}/subjects/{data.slugs['black']}/")
    badge = phone_page.locator("article.record .badge.warn")
    assert badge.inner_text() == "异议处理中" and badge.is_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
    path = screenshot(phone_page, "portal-subject-phone-objection")
    assert path.stat().st_size > 10_000


def test_home_search_and_black_list_on_a_phone(live_server, phone_page, screenshot, data):
    phone_page.goto(live_server.url + "/")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone_page, "portal-home-phone")
    phone_page.goto(live_server.url + "/search/?q=韶山")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone_page, "portal-search-phone")
    phone_page.goto(live_server.url + "/lists/black/")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    assert "韶山市滴水洞旅游服务有限公司" in phone_page.locator("table").inner_text()
    screenshot(phone_page, "portal-black-list-phone")
