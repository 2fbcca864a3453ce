import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from xinyong.accounts.tests.factories import UserFactory
from xinyong.audit.models import AuditEvent
from xinyong.audit.services import audit_log, audit_verify

pytestmark = pytest.mark.django_db


def make_events(n: int = 5) -> list[AuditEvent]:
    user = UserFactory()
    return [
        audit_log(actor=user, action="test.event", object_type="test", object_id=str(i), after={"i": i})
        for i in range(n)
    ]


def raw(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_events_link_into_a_chain_and_verify():
    events = make_events()
    assert [e.prev_hash for e in events[1:]] == [e.hash for e in events[:-1]]
    result = audit_verify()
    assert result.ok and result.checked == AuditEvent.objects.count()
    call_command("audit", "verify")


def test_event_records_actor_department_request_id_and_ip(client):
    user = UserFactory(username="clerk1")
    response = client.post(
        "/backoffice/login/",
        {"username": "clerk1", "password": "Xinyong@2026"},
        HTTP_X_REQUEST_ID="abc123",
        REMOTE_ADDR="10.1.2.3",
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="auth.login")
    assert event.actor == user and event.department == user.department
    assert (event.request_id, event.ip, event.channel) == ("abc123", "10.1.2.3", "web")
    assert response["X-Request-ID"] == "abc123"


def test_event_outside_a_request_is_marked_system():
    event = audit_log(actor="system", action="test.direct", object_type="t", object_id="1")
    assert event.actor is None and event.actor_label == "system"
    assert (event.request_id, event.channel) == ("", "system")


def test_events_are_append_only():
    event = make_events(1)[0]
    event.action = "changed"
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()


def _verify_fails_at(seq: int) -> None:
    result = audit_verify()
    assert not result.ok
    assert result.first_bad_seq == seq
    with pytest.raises(CommandError, match=f"序号 {seq}"):
        call_command("audit", "verify")


def test_changed_row_is_detected():
    events = make_events()
    raw("UPDATE audit_auditevent SET after = %s WHERE seq = %s", ['{"i": 99}', events[2].seq])
    _verify_fails_at(events[2].seq)


def test_changed_actor_label_is_detected():
    events = make_events()
    raw("UPDATE audit_auditevent SET actor_label = %s WHERE seq = %s", ["someone-else", events[1].seq])
    _verify_fails_at(events[1].seq)


def test_removed_row_in_the_middle_is_detected():
    events = make_events()
    raw("DELETE FROM audit_auditevent WHERE seq = %s", [events[2].seq])
    _verify_fails_at(events[3].seq)


def test_removed_last_row_is_detected():
    events = make_events()
    raw("DELETE FROM audit_auditevent WHERE seq = %s", [events[-1].seq])
    result = audit_verify()
    assert not result.ok and "链尾" in result.reason
    with pytest.raises(CommandError):
        call_command("audit", "verify")


def test_inserted_row_is_detected():
    events = make_events()
    last = events[-1]
    raw(
        "INSERT INTO audit_auditevent (seq, occurred_at, actor_label, action, object_type, object_id, object_repr,"
        " request_id, channel, prev_hash, hash) VALUES (%s, %s, 'x', 'forged', '', '', '', '', '', %s, %s)",
        [last.seq + 1, last.occurred_at, last.hash, "f" * 64],
    )
    _verify_fails_at(last.seq + 1)


def test_rehashed_forgery_without_head_is_detected():
    """Even a forger who recomputes the hash of an appended row is caught by the chain head."""
    from xinyong.audit.services import event_hash

    events = make_events()
    last = events[-1]
    values = {
        "seq": last.seq + 1,
        "occurred_at": last.occurred_at,
        "actor_id": None,
        "actor_label": "x",
        "department_id": None,
        "action": "forged",
        "object_type": "",
        "object_id": "",
        "object_repr": "",
        "before": None,
        "after": None,
        "request_id": "",
        "ip": None,
        "channel": "",
        "prev_hash": last.hash,
    }
    raw(
        "INSERT INTO audit_auditevent (seq, occurred_at, actor_label, action, object_type, object_id, object_repr,"
        " request_id, channel, prev_hash, hash) VALUES (%s, %s, 'x', 'forged', '', '', '', '', '', %s, %s)",
        [last.seq + 1, last.occurred_at, last.hash, event_hash(values)],
    )
    result = audit_verify()
    assert not result.ok and "链尾" in result.reason
