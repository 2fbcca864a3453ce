"""Ids from URLs and forms are bounded: an overflowing id is a 404 (or a field error), never a 500."""

import pytest

from xinyong.accounts.choices import Role
from xinyong.accounts.tests.factories import DepartmentFactory, UserFactory
from xinyong.core.ids import MAX_ID, parse_id, parse_ids

BIG = str(MAX_ID + 1)


def test_parse_id_accepts_keys_only():
    assert parse_id("42") == 42 and parse_id(" 7 ") == 7 and parse_id(str(MAX_ID)) == MAX_ID
    assert [parse_id(v) for v in (BIG, "0", "-3", "１２", "1e3", "", None, "9" * 400)] == [None] * 8
    assert parse_ids(["3", BIG, "x", "3", "5"], cap=4) == [3]  # the cap counts values given, not kept
    assert parse_ids(["3", "4", "3", "5"], cap=4) == [3, 4, 5]


@pytest.mark.django_db
@pytest.mark.parametrize("url", [f"/objections/new/?record={BIG}", f"/repair/new/?record={BIG}&record=1"])
def test_overflowing_record_id_on_the_portal_is_404(client, url):
    response = client.get(url)
    assert response.status_code == 404 and "记录" in response.content.decode()


@pytest.mark.django_db
def test_overflowing_ids_in_the_back_office_are_not_500(client):
    clerk = UserFactory(roles=[Role.PLATFORM_CLERK], department=DepartmentFactory(code="FGJ"))
    client.force_login(clerk)
    assert client.get(f"/backoffice/objections/new/?record={BIG}").status_code == 404
    assert client.get(f"/backoffice/review/?batch={BIG}").status_code in (200, 404)
    response = client.post("/backoffice/litigation/", {"record": BIG, "court": "x", "case_no": "1"})
    assert response.status_code < 500


def int_routes(resolver=None, prefix=""):
    """Every URL pattern with an <int:…> segment, as a path with each such segment set to an overflowing id."""
    from django.urls import URLPattern, URLResolver, get_resolver
    from django.urls.converters import IntConverter

    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from int_routes(entry, route)
        elif isinstance(entry, URLPattern) and any(
            isinstance(c, IntConverter) for c in entry.pattern.converters.values()
        ):
            yield entry.pattern.converters, route


@pytest.mark.django_db
def test_no_url_with_an_overflowing_int_segment_gives_a_500(client):
    import re

    routes = list(int_routes())
    assert len(routes) > 10
    client.force_login(UserFactory(roles=[Role.PLATFORM_CLERK], department=DepartmentFactory(code="FGJ")))
    tried = 0
    for _converters, route in routes:
        path = "/" + re.sub(r"<int:\w+>", BIG, route)
        path = re.sub(r"<(?:str:)?\w+>", "x", path)
        for method in (client.get, client.post):
            response = method(path)
            assert response.status_code < 500, (method.__name__, path)
            tried += 1
    assert tried == 2 * len(routes)
