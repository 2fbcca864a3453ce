"""Every delivery of non-public data to a government user is logged (who, which record, when, what matter)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from xinyong.audit.services import audit_log
from xinyong.core.errors import Issue, ValidationFailed
from xinyong.records.models import CreditRecord

from ..models import Disclosure


def disclosure_log(*, recipient: Any, records: Iterable[CreditRecord], matter: str, channel: str) -> list[Disclosure]:
    """Call in the transaction that delivers the records. Later corrections notify these recipients."""
    matter = matter.strip()
    if not matter:
        raise ValidationFailed([Issue("matter_required", "请填写查询事项（办理的具体业务）。", "matter")])
    rows = Disclosure.objects.bulk_create(
        Disclosure(
            record=record,
            record_version=record.version,
            recipient=recipient,
            department=getattr(recipient, "department", None),
            channel=channel,
            matter=matter[:200],
        )
        for record in records
    )
    if rows:
        audit_log(
            actor=recipient,
            action="shared.disclose",
            object_type="records.creditrecord",
            object_id=",".join(str(r.record_id) for r in rows[:50]),
            object_repr=f"{len(rows)} 条记录",
            after={"records": [r.record_id for r in rows], "matter": matter, "channel": channel},
        )
    return rows
