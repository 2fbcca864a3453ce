"""Security headers on every response, no-store on back-office pages, and the login lockout behind a proxy."""

import pytest
from django.conf import settings

from xinyong.accounts.tests.factories import UserFactory
from xinyong.audit.models import AuditEvent
from xinyong.core.middleware import client_address

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/", "/tools/check-code/", "/backoffice/login/", "/api/v1/catalog/items", "/nope/"])
def test_every_response_has_csp_and_permissions_policy(client, url):
    response = client.get(url)
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp.split("style-src-attr")[0]  # only style="" attributes are let through
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]


def test_back_office_pages_are_not_stored_and_public_pages_may_be(client):
    from xinyong.objections.tests.test_views_backoffice import filed
    from xinyong.publication.tests.factories import approve_all, make_staff, submitted
    from xinyong.records.tests.factories import penalty_fields

    staff = make_staff()
    objection = filed(approve_all(staff, submitted(staff, "CF", penalty_fields(CF_CFLB="罚款"))))
    client.force_login(staff.platform)
    urls = [
        "/backoffice/",
        "/backoffice/records/",
        f"/backoffice/objections/{objection.pk}/",
        f"/backoffice/objections/evidence/{objection.evidence.get().pk}/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
    assert "no-store" not in client.get("/").get("Cache-Control", "")


def test_forwarded_address_is_believed_only_behind_the_configured_proxies(settings):
    meta = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "1.2.3.4, 203.0.113.7"}
    settings.XINYONG_TRUSTED_PROXY_COUNT = 0
    assert client_address(meta) == "10.0.0.1"
    settings.XINYONG_TRUSTED_PROXY_COUNT = 1
    assert client_address(meta) == "203.0.113.7"  # the address our proxy saw, not the forgeable first one


def login(client, ip):
    forwarded = {"HTTP_X_FORWARDED_FOR": ip}
    return client.post(
        "/backoffice/login/", {"username": "wang", "password": "wrong-password"}, REMOTE_ADDR="10.0.0.1", **forwarded
    )


def test_one_proxy_address_does_not_lock_every_client_out(client, settings):
    settings.XINYONG_TRUSTED_PROXY_COUNT = 1
    UserFactory(username="wang")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "198.51.100.9")
    locked = login(client, "198.51.100.9")
    assert locked.status_code == 429 and "暂时锁定" in locked.content.decode()
    good = {"username": "wang", "password": "Xinyong@2026"}
    other = client.post("/backoffice/login/", good, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.10")
    assert other.status_code == 302  # same proxy, other client: not locked
    event = AuditEvent.objects.filter(action="auth.login_failed").first()
    assert event is not None and event.ip == "198.51.100.9"


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(client):
    assert settings.XINYONG_TRUSTED_PROXY_COUNT == 0
    UserFactory(username="wang")
    for i in range(settings.AXES_FAILURE_LIMIT):
        login(client, f"198.51.100.{i}")  # a forged header per attempt does not dodge the lockout
    assert login(client, "198.51.100.99").status_code == 429
