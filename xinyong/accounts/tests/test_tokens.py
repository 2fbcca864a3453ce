import pytest

from xinyong.accounts.choices import Role, TokenScope
from xinyong.accounts.models import ApiToken
from xinyong.accounts.services import api_token_create, api_token_revoke
from xinyong.accounts.tests.factories import DepartmentFactory, UserFactory
from xinyong.audit.models import AuditEvent
from xinyong.core.errors import PermissionDenied, ValidationFailed

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return UserFactory(roles=[Role.ADMINISTRATOR])


def issue(admin, scopes=(TokenScope.RECORDS_WRITE,)):
    return api_token_create(
        actor=admin,
        department=DepartmentFactory(code="SCJGJ", name="市场监管局"),
        name="业务系统对接",
        scopes=list(scopes),
    )


def whoami(client, plaintext):
    return client.get("/api/v1/token/whoami", HTTP_AUTHORIZATION=f"Bearer {plaintext}")


def test_token_is_shown_once_and_stored_hashed(admin):
    token, plaintext = issue(admin)
    assert plaintext.startswith(f"xy_{token.prefix}_")
    stored = ApiToken.objects.get(pk=token.pk)
    secret = plaintext.split("_", 2)[2]
    assert secret not in stored.secret_hash and len(stored.secret_hash) == 64
    event = AuditEvent.objects.get(action="api_token.create")
    assert secret not in str(event.after) and event.after["prefix"] == token.prefix


def test_every_use_is_audited(client, admin):
    token, plaintext = issue(admin)
    for _ in range(2):
        response = whoami(client, plaintext)
        assert response.status_code == 200
        assert response.json() == {
            "department_code": "SCJGJ",
            "department_name": "市场监管局",
            "token_prefix": token.prefix,
            "scopes": ["records:write"],
        }
    uses = AuditEvent.objects.filter(action="api_token.use")
    assert uses.count() == 2
    assert uses.first().actor_label == f"token:{token.prefix}" and uses.first().channel == "api"
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize(
    ("header", "code"),
    [("", "unauthenticated"), ("Bearer nonsense", "token_malformed"), ("Bearer xy_abcd1234_wrong", "token_invalid")],
)
def test_bad_tokens_get_401_with_a_code(client, header, code):
    response = (
        client.get("/api/v1/token/whoami", HTTP_AUTHORIZATION=header) if header else client.get("/api/v1/token/whoami")
    )
    assert response.status_code == 401
    assert response.json()["code"] == code and response.json()["message"]


def test_revoked_token_stops_working(client, admin):
    token, plaintext = issue(admin)
    api_token_revoke(actor=admin, token=token)
    response = whoami(client, plaintext)
    assert response.status_code == 401 and response.json()["code"] == "token_revoked"
    assert AuditEvent.objects.filter(action="api_token.revoke").count() == 1


def test_scopes_are_checked():
    from xinyong.accounts.services import TokenRejected, api_token_authenticate

    token, plaintext = issue(UserFactory(roles=[Role.ADMINISTRATOR]))
    with pytest.raises(TokenRejected) as exc:
        api_token_authenticate(plaintext, scope=TokenScope.SHARED_READ)
    assert exc.value.status == 403 and exc.value.code == "token_scope"
    assert api_token_authenticate(plaintext, scope=TokenScope.RECORDS_WRITE) == token


def test_only_administrators_issue_tokens_and_scopes_must_be_known(admin):
    with pytest.raises(PermissionDenied):
        issue(UserFactory(roles=[Role.PLATFORM_CLERK]))
    with pytest.raises(ValidationFailed):
        issue(admin, scopes=["everything"])
    assert not ApiToken.objects.exists()
