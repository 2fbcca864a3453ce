import pytest
from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.test import override_settings

from xinyong.accounts.choices import Role
from xinyong.accounts.models import User
from xinyong.accounts.services import user_create
from xinyong.accounts.tests.factories import DepartmentFactory, UserFactory
from xinyong.audit.models import AuditEvent
from xinyong.core.errors import PermissionDenied, ValidationFailed

pytestmark = pytest.mark.django_db


def login(client, username, password, ip="10.0.0.9"):
    return client.post("/backoffice/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_login_page_is_chinese_and_logs_in(client):
    UserFactory(username="wang")
    page = client.get("/backoffice/login/")
    assert "工作人员登录" in page.content.decode()
    response = login(client, "wang", "Xinyong@2026")
    assert response.status_code == 302 and response["Location"] == "/backoffice/"
    assert "工作台" in client.get("/backoffice/").content.decode()
    assert AuditEvent.objects.filter(action="auth.login", actor_label="wang").exists()


def test_wrong_password_shows_a_chinese_message_and_is_audited(client):
    UserFactory(username="wang")
    page = login(client, "wang", "wrong-password")
    assert page.status_code == 200 and "用户名或密码错误" in page.content.decode()
    assert AuditEvent.objects.filter(action="auth.login_failed", object_repr="wang").exists()


def test_repeated_failures_lock_the_login(client):
    UserFactory(username="wang")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "wang", "wrong-password")
    locked = login(client, "wang", "Xinyong@2026")
    assert locked.status_code == 429 and "暂时锁定" in locked.content.decode()
    assert login(client, "wang", "Xinyong@2026", ip="10.0.0.10").status_code == 302  # other address unaffected


def test_pages_need_login(client):
    response = client.get("/backoffice/records/")
    assert response.status_code == 302 and response["Location"].startswith("/backoffice/login/")


def test_session_expires_when_idle():
    assert settings.SESSION_SAVE_EVERY_REQUEST and settings.SESSION_COOKIE_AGE <= 30 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_passwords_are_hashed_with_argon2():
    from config.settings import base

    with override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS):
        user = UserFactory(password="Xinyong@2026")
        user.refresh_from_db()
        assert user.password.startswith("argon2$")
        assert check_password("Xinyong@2026", user.password)


@pytest.mark.parametrize(
    ("password", "fragment"),
    [("Ab1!", "太短"), ("abcdefghijk", "至少 3 类"), ("1234567890123", "只包含数字")],
)
def test_password_policy(password, fragment):
    admin = UserFactory(roles=[Role.ADMINISTRATOR])
    with pytest.raises(ValidationFailed) as exc:
        user_create(
            actor=admin,
            username="new",
            password=password,
            full_name="新用户",
            department=DepartmentFactory(),
            roles=[Role.PROVIDER_CLERK],
        )
    assert any(fragment in issue.message for issue in exc.value.issues)
    assert not User.objects.filter(username="new").exists()


def test_only_the_administrator_creates_users_and_it_is_audited():
    admin = UserFactory(roles=[Role.ADMINISTRATOR])
    user = user_create(
        actor=admin,
        username="new",
        password="Shaoshan#2026x",
        full_name="新用户",
        department=DepartmentFactory(),
        roles=[Role.PROVIDER_REVIEWER],
    )
    assert user.role_names == [Role.PROVIDER_REVIEWER] and not user.is_staff
    event = AuditEvent.objects.get(action="user.create")
    assert event.actor == admin and event.after["roles"] == ["provider_reviewer"]
    assert "password" not in str(event.after)
    with pytest.raises(PermissionDenied):
        user_create(
            actor=UserFactory(roles=[Role.PLATFORM_CLERK]),
            username="x2",
            password="Shaoshan#2026x",
            full_name="x",
            department=None,
            roles=[],
        )


def test_platform_clerk_keeps_the_calendar_in_the_admin_site(client):
    admin = UserFactory(roles=[Role.ADMINISTRATOR])
    clerk = user_create(
        actor=admin,
        username="pc",
        password="Shaoshan#2026x",
        full_name="平台经办",
        department=DepartmentFactory(),
        roles=[Role.PLATFORM_CLERK],
    )
    assert clerk.is_staff
    client.force_login(clerk)
    assert client.get("/django-admin/core/calendarday/").status_code == 200
    client.force_login(UserFactory(roles=[Role.PROVIDER_CLERK], is_staff=True))
    assert client.get("/django-admin/core/calendarday/").status_code == 403
