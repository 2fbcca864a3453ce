from urllib.parse import quote

import pytest

from xinyong.publication.throttle import client_address, rate_limit

pytestmark = pytest.mark.django_db

SEARCH = "/search/?q=" + quote("韶山")
API = "/api/v1/public/subjects?q=" + quote("韶山")


def test_the_page_answers_429_with_retry_after_once_over_the_limit(client, settings):
    settings.XINYONG_SEARCH_RATE_LIMIT = "3/60"
    assert [client.get(SEARCH).status_code for _ in range(3)] == [200, 200, 200]
    response = client.get(SEARCH)
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    page = response.content.decode()
    assert "查询过于频繁" in page and 'data-code="rate_limited"' in page
    assert client.get("/").status_code == 200  # only searches count
    assert client.get("/search/").status_code == 200  # the empty form is not a search


def test_the_api_shares_the_limit_and_answers_json(client, settings):
    settings.XINYONG_SEARCH_RATE_LIMIT = "2/60"
    assert client.get(SEARCH).status_code == 200
    assert client.get(API).status_code == 200
    response = client.get(API)
    assert response.status_code == 429 and int(response["Retry-After"]) >= 1
    body = response.json()
    assert body["code"] == "rate_limited" and "请" in body["message"]
    assert client.get("/api/v1/public/subjects/91430382000000000X").status_code == 429


def test_each_address_has_its_own_count(client, settings):
    settings.XINYONG_SEARCH_RATE_LIMIT = "1/60"
    assert client.get(SEARCH, REMOTE_ADDR="10.0.0.1").status_code == 200
    assert client.get(SEARCH, REMOTE_ADDR="10.0.0.1").status_code == 429
    assert client.get(SEARCH, REMOTE_ADDR="10.0.0.2").status_code == 200


def test_forwarded_for_is_ignored_unless_proxies_are_trusted(client, settings):
    settings.XINYONG_SEARCH_RATE_LIMIT = "1/60"
    assert client.get(SEARCH, HTTP_X_FORWARDED_FOR="1.1.1.1").status_code == 200
    assert client.get(SEARCH, HTTP_X_FORWARDED_FOR="2.2.2.2").status_code == 429  # same REMOTE_ADDR
    settings.XINYONG_TRUSTED_PROXY_COUNT = 1
    assert client.get(SEARCH, HTTP_X_FORWARDED_FOR="3.3.3.3").status_code == 200
    assert client.get(SEARCH, HTTP_X_FORWARDED_FOR="9.9.9.9, 3.3.3.3").status_code == 429


def test_client_address_takes_the_address_the_outermost_trusted_proxy_saw(settings):
    meta = {"REMOTE_ADDR": "10.1.1.1", "HTTP_X_FORWARDED_FOR": "spoofed, 8.8.8.8, 10.0.0.5"}
    assert client_address(meta) == "10.1.1.1"
    settings.XINYONG_TRUSTED_PROXY_COUNT = 2
    assert client_address(meta) == "8.8.8.8"
    settings.XINYONG_TRUSTED_PROXY_COUNT = 5
    assert client_address(meta) == "spoofed"


@pytest.mark.parametrize(
    ("raw", "parsed"),
    [("30/60", (30, 60)), ("5/1", (5, 1)), ("100", (100, 60)), ("off", None), ("0", None), ("x/y", (30, 60))],
)
def test_the_setting_is_parsed_with_a_safe_default(settings, raw, parsed):
    settings.XINYONG_SEARCH_RATE_LIMIT = raw
    assert rate_limit() == parsed


def test_the_limit_can_be_switched_off(client, settings):
    settings.XINYONG_SEARCH_RATE_LIMIT = "off"
    assert {client.get(SEARCH).status_code for _ in range(40)} == {200}
