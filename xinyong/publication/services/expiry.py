"""The daily sweep: publicity that has run out ends with nobody acting (record → expired)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from xinyong.audit.services import audit_log
from xinyong.records.choices import RecordStatus
from xinyong.records.models import CreditRecord
from xinyong.records.services import record_transition

from .. import projection
from ..models import RecordPublicity

CHUNK = 500


@dataclass(frozen=True)
class ExpirySummary:
    expired: int
    today: dt.date


def _due(today: dt.date) -> list[int]:
    return list(
        RecordPublicity.objects.filter(
            ends_on__lt=today, record__status__in=[RecordStatus.PUBLISHED, RecordStatus.SHARED_ONLY]
        ).values_list("record_id", flat=True)[:CHUNK]
    )


def publicity_expire(*, today: dt.date | None = None) -> ExpirySummary:
    """End every publicity window that closed before `today`: out of public view and out of sharing."""
    today = today or timezone.localdate()
    expired = 0
    while ids := _due(today):
        with transaction.atomic():
            records = CreditRecord.objects.select_for_update().select_related("item", "subject").filter(pk__in=ids)
            for record in records:
                reason = f"公示期已于{record.publicity.ends_on:%Y年%m月%d日}届满"
                record_transition(
                    actor=None, record=record, target=RecordStatus.EXPIRED, action="expire", reason=reason
                )
                projection.withdraw(record)
                expired += 1
    if expired:
        audit_log(actor=None, action="publicity.sweep", object_type="publication", after={"expired": expired})
    return ExpirySummary(expired=expired, today=today)
