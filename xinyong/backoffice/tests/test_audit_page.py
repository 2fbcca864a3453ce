"""Issue 11, fault 10: the audit log shows Chinese action names, filters by a chosen action or group of
actions (not by typed code prefixes) and by a date range, and keeps its times on one line."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from xinyong.accounts.choices import Role
from xinyong.accounts.tests.factories import UserFactory
from xinyong.audit.labels import ACTION_LABELS
from xinyong.audit.models import AuditEvent
from xinyong.audit.services import audit_log

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor(client):
    user = UserFactory(roles=[Role.SUPERVISOR])
    client.force_login(user)
    return user


def _event(action: str, days_ago: int = 0) -> AuditEvent:
    event = audit_log(actor=None, action=action, object_type="test.case", object_id="1", object_repr=f"对象{action}")
    AuditEvent.objects.filter(pk=event.pk).update(occurred_at=timezone.now() - dt.timedelta(days=days_ago))
    return event


def _rows(body: str) -> list[str]:
    mine = ("objection.", "repair.")
    return [a for a in re.findall(r'<td title="([^"]+)" class="action">', body) if a.startswith(mine)]


def test_actions_show_their_chinese_names(client, supervisor):
    _event("objection.closed")
    _event("repair.granted")
    body = client.get("/backoffice/audit/").content.decode()
    assert ">异议办结<" in body and ">准予信用修复<" in body and ">objection.closed<" not in body
    assert '<td class="time">' in body


def test_every_action_the_code_writes_has_a_label():
    for code in ("objection.file", "objection.accepted", "objection.forwarded", "objection.closed", "repair.apply"):
        assert ACTION_LABELS[code] and not ACTION_LABELS[code].isascii()


def test_filter_by_action_and_by_group(client, supervisor):
    _event("objection.closed")
    _event("objection.file")
    _event("repair.apply")
    page = client.get("/backoffice/audit/")
    assert (
        '<option value="group:objection"' in page.content.decode()
        and 'value="objection.closed"' in page.content.decode()
    )
    assert _rows(client.get("/backoffice/audit/?action=objection.closed").content.decode()) == ["objection.closed"]
    group = _rows(client.get("/backoffice/audit/?action=group:objection").content.decode())
    assert sorted(group) == ["objection.closed", "objection.file"]
    bad = client.get("/backoffice/audit/?action=objection.").content.decode()  # a typed prefix is not a choice
    assert "所选操作不存在" in bad and len(_rows(bad)) == 3


def test_filter_by_date_range(client, supervisor):
    _event("objection.file", days_ago=10)
    _event("objection.closed", days_ago=2)
    _event("repair.apply", days_ago=0)
    today = timezone.localdate()
    since = (today - dt.timedelta(days=3)).isoformat()
    until = (today - dt.timedelta(days=1)).isoformat()
    body = client.get(f"/backoffice/audit/?date_from={since}&date_to={until}").content.decode()
    assert _rows(body) == ["objection.closed"]
    assert _rows(client.get(f"/backoffice/audit/?date_from={today.isoformat()}").content.decode()) == ["repair.apply"]
    wrong = client.get("/backoffice/audit/?date_from=2026-13-40")
    assert (
        wrong.status_code == 200
        and "不是有效日期" in wrong.content.decode()
        and len(_rows(wrong.content.decode())) == 3
    )


def test_the_page_links_keep_the_filters(client, supervisor):
    for _ in range(51):
        _event("objection.file")
    body = client.get("/backoffice/audit/?action=objection.file&date_from=2000-01-01").content.decode()
    assert "action=objection.file&amp;date_from=2000-01-01&page=2" in body
