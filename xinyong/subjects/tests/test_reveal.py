"""Revealing a person's full identity number: only to users in reach of the subject, every refusal audited."""

import pytest

from xinyong.accounts.choices import Role
from xinyong.accounts.tests.factories import DepartmentFactory, UserFactory
from xinyong.audit.models import AuditEvent
from xinyong.core.errors import NotFound, PermissionDenied, ValidationFailed
from xinyong.publication.services.disclosure import disclosure_log
from xinyong.publication.tests.factories import make_staff, submitted
from xinyong.records.tests.factories import citizen_id, person_penalty_fields
from xinyong.subjects.services import subject_reveal_identity

pytestmark = pytest.mark.django_db


@pytest.fixture
def record():
    return submitted(make_staff(), "CF", person_penalty_fields())


def test_own_department_reveals_and_the_read_is_audited(record):
    reviewer = UserFactory(roles=[Role.PROVIDER_REVIEWER], department=record.provider)
    subject, number = subject_reveal_identity(viewer=reviewer, subject_id=record.subject_id, purpose="核实异议材料")
    assert number == citizen_id() and subject == record.subject
    event = AuditEvent.objects.get(action="subject.reveal_identity")
    assert event.actor == reviewer and event.after == {"purpose": "核实异议材料"}
    with pytest.raises(ValidationFailed):
        subject_reveal_identity(viewer=reviewer, subject_id=record.subject_id, purpose=" ")
    with pytest.raises(PermissionDenied):
        clerk = UserFactory(roles=[Role.PROVIDER_CLERK], department=record.provider)
        subject_reveal_identity(viewer=clerk, subject_id=record.subject_id, purpose="x")
    assert AuditEvent.objects.filter(action="subject.reveal_identity").count() == 1


def test_other_department_gets_not_found_and_the_refusal_is_audited(record):
    outsider = UserFactory(roles=[Role.PROVIDER_REVIEWER], department=DepartmentFactory(code="ZJJ"))
    with pytest.raises(NotFound) as exc:
        subject_reveal_identity(viewer=outsider, subject_id=record.subject_id, purpose="好奇")
    assert exc.value.code == "subject_not_found" and exc.value.status == 404
    with pytest.raises(NotFound) as missing:
        subject_reveal_identity(viewer=outsider, subject_id=record.subject_id + 1000, purpose="好奇")
    assert missing.value.as_dict() == exc.value.as_dict()  # an existing subject looks like a missing one
    refusals = AuditEvent.objects.filter(action="subject.reveal_refused").order_by("id")
    assert [(e.actor, e.object_id) for e in refusals] == [
        (outsider, str(record.subject_id)),
        (outsider, str(record.subject_id + 1000)),
    ]
    assert not AuditEvent.objects.filter(action="subject.reveal_identity").exists()


def test_a_logged_disclosure_brings_the_subject_in_reach_of_its_recipient_only(record):
    gov = UserFactory(roles=[Role.GOV_USER], department=DepartmentFactory(code="SWJ"))
    colleague = UserFactory(roles=[Role.GOV_USER], department=gov.department)
    with pytest.raises(NotFound):
        subject_reveal_identity(viewer=gov, subject_id=record.subject_id, purpose="招录资格审查")
    disclosure_log(recipient=gov, records=[record], matter="招录资格审查", channel="shared_query")
    assert subject_reveal_identity(viewer=gov, subject_id=record.subject_id, purpose="招录资格审查")[1] == citizen_id()
    with pytest.raises(NotFound):
        subject_reveal_identity(viewer=colleague, subject_id=record.subject_id, purpose="招录资格审查")


def test_reveal_page_is_404_out_of_reach_and_not_cached_in_reach(client, record):
    outsider = UserFactory(roles=[Role.GOV_USER], department=DepartmentFactory(code="SWJ"))
    client.force_login(outsider)
    url = f"/backoffice/subjects/{record.subject_id}/reveal/"
    response = client.post(url, {"purpose": "核实身份"})
    assert response.status_code == 404 and citizen_id() not in response.content.decode()
    assert client.post("/backoffice/subjects/9223372036854775808/reveal/", {"purpose": "x"}).status_code == 404
    assert AuditEvent.objects.filter(action="subject.reveal_refused", actor=outsider).count() == 2
    client.force_login(UserFactory(roles=[Role.PROVIDER_REVIEWER], department=record.provider))
    response = client.post(url, {"purpose": "核实身份"})
    assert response.status_code == 200 and citizen_id() in response.content.decode()
    assert "no-store" in response["Cache-Control"]
