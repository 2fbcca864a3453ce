import pytest
from django.core.cache import cache

from xinyong.publication.tests.factories import approve_all, make_staff, submitted
from xinyong.records.tests.factories import penalty_fields

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
PASSWORD = "Xinyong@2026"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Guess counters must not leak from one test into the next."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def staff():
    return make_staff()


@pytest.fixture
def record(staff):
    """A published penalty (decided 2026-03-02: repair possible from 2026-06-02)."""
    return approve_all(staff, submitted(staff, "CF", penalty_fields(CF_CFLB="罚款")))


def login(client, user):
    """Log in through the real login form (password and session, as a person would)."""
    client.logout()
    response = client.post("/backoffice/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" in client.session, "login failed"
    assert client.session["_auth_user_id"] == str(user.pk)
    return client
