"""The durable task mechanism end to end: enqueue into the database, run by the real worker command."""

import pytest
from django.core.management import call_command
from django.test import override_settings
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from xinyong.audit.models import AuditEvent
from xinyong.audit.services import audit_log
from xinyong.audit.tasks import audit_verify_task

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.mark.django_db(transaction=True)
def test_task_is_stored_and_run_by_the_worker():
    audit_log(actor="system", action="test.event", object_type="t", object_id="1")
    with override_settings(TASKS=DB_TASKS):
        result = audit_verify_task.enqueue(requested_by="tester")
        stored = DBTaskResult.objects.get(id=result.id)
        assert stored.status == TaskResultStatus.READY
        assert not AuditEvent.objects.filter(action="audit.verify").exists()  # nothing ran yet

        call_command("db_worker", "--batch", "--interval", "0")

        stored.refresh_from_db()
        assert stored.status == TaskResultStatus.SUCCESSFUL
        event = AuditEvent.objects.get(action="audit.verify")
        assert event.after["ok"] is True and event.after["requested_by"] == "tester"
