"""The review chain as people run it: a clerk creates and submits, each reviewer approves."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from xinyong.accounts.choices import DepartmentKind, Role
from xinyong.accounts.tests.factories import DepartmentFactory, UserFactory
from xinyong.catalog.models import CatalogItem
from xinyong.records.models import CreditRecord
from xinyong.records.services import record_create, record_submit

from ..services import record_approve


@dataclass
class Staff:
    provider: Any
    clerk: Any
    reviewer: Any
    platform: Any
    leader: Any


def make_staff(code: str = "SCJGJ") -> Staff:
    provider = DepartmentFactory(code=code, name=f"韶山市测试局{code}")
    platform_dept = DepartmentFactory(code="FGJ", name="韶山市发展和改革局", kind=DepartmentKind.PLATFORM)
    return Staff(
        provider=provider,
        clerk=UserFactory(department=provider, roles=[Role.PROVIDER_CLERK]),
        reviewer=UserFactory(department=provider, roles=[Role.PROVIDER_REVIEWER]),
        platform=UserFactory(department=platform_dept, roles=[Role.PLATFORM_CLERK]),
        leader=UserFactory(department=platform_dept, roles=[Role.LEADERSHIP]),
    )


def submitted(staff: Staff, item_code: str, fields: dict[str, Any], today: dt.date | None = None) -> CreditRecord:
    item = CatalogItem.objects.get(code=item_code)
    record = record_create(actor=staff.clerk, item=item, fields=fields, today=today).record
    return record_submit(actor=staff.clerk, record=record)


def approve_all(staff: Staff, record: CreditRecord, today: dt.date | None = None) -> CreditRecord:
    """Provider, platform and (where the item needs it) leadership approval."""
    record = record_approve(actor=staff.reviewer, record=record, today=today)
    record = record_approve(actor=staff.platform, record=record, today=today)
    if record.item.requires_leadership_approval:
        record = record_approve(actor=staff.leader, record=record, today=today)
    record.refresh_from_db()
    return record
