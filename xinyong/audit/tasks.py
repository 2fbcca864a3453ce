"""Background work on the audit chain: a full verification can take minutes on a large log."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django_tasks import task

from .services import audit_log, audit_verify


@task()
def audit_verify_task(requested_by: str = "system") -> dict[str, Any]:
    """Verify the whole chain and record the outcome as an audit event of its own."""
    result = audit_verify()
    outcome = {
        "ok": result.ok,
        "checked": result.checked,
        "first_bad_seq": result.first_bad_seq,
        "reason": result.reason,
        "requested_by": requested_by,
    }
    with transaction.atomic():
        audit_log(
            actor="system:worker",
            action="audit.verify",
            object_type="audit.chain",
            object_id="",
            object_repr="审计链校验",
            after=outcome,
        )
    return outcome
