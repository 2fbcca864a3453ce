import datetime as dt

import pytest

from xinyong.accounts.choices import Role
from xinyong.accounts.tests.factories import UserFactory
from xinyong.audit.models import AuditEvent
from xinyong.objections.choices import LimitKey
from xinyong.objections.models import TimeLimit
from xinyong.objections.services.deadlines import limit

from .conftest import login

pytestmark = pytest.mark.django_db


def test_platform_edits_a_time_limit_in_the_admin_and_the_change_is_audited(client):
    clerk = UserFactory(roles=[Role.PLATFORM_CLERK], is_staff=True)
    login(client, clerk)
    assert client.get("/django-admin/objections/timelimit/").status_code == 200
    response = client.post(
        "/django-admin/objections/timelimit/add/",
        {
            "key": LimitKey.OBJECTION_DECIDE,
            "working_days": 3,
            "effective_from": "2027-01-01",
            "basis": "本市异议处理办法（2027年修订）",
        },
    )
    assert response.status_code == 302
    row = TimeLimit.objects.get(effective_from=dt.date(2027, 1, 1))
    assert limit(LimitKey.OBJECTION_DECIDE, dt.date(2027, 1, 4)) == 3
    assert limit(LimitKey.OBJECTION_DECIDE, dt.date(2026, 12, 31)) == 5
    assert AuditEvent.objects.filter(action="policy.add", object_id=str(row.pk)).exists()
    assert client.post(f"/django-admin/objections/timelimit/{row.pk}/delete/", {"post": "yes"}).status_code == 403
