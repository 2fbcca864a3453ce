"""The workflow's inbox items: who is told when a record is returned or a case arrives, and by when to act."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from xinyong.accounts.choices import Role
from xinyong.accounts.models import User
from xinyong.core.calendar import add_working_days

from .models import Notification
from .services import notify

PLATFORM_RESPONSE_DAYS = 1  # a new objection or repair application is taken up within 1 working day


def _active(users: Any) -> list[User]:
    return list(users.filter(is_active=True).distinct())


def _platform_clerks() -> list[User]:
    return _active(User.objects.filter(groups__name=Role.PLATFORM_CLERK))


def _submitters(record: Any) -> list[User]:
    """The person who entered or uploaded the record, else the provider's clerks."""
    uploader_id = record.batch.submitted_by_id if record.batch_id else None
    people = [pk for pk in (record.created_by_id, uploader_id) if pk]
    found = _active(User.objects.filter(pk__in=people, department_id=record.provider_id))
    if found:
        return found
    return _active(User.objects.filter(Q(department_id=record.provider_id), groups__name=Role.PROVIDER_CLERK))


def notify_record_returned(*, record: Any, reason: str, stage_label: str) -> list[Notification]:
    """A returned record: its submitter learns why, and that it is back in draft to be corrected."""
    return notify(
        recipients=_submitters(record),
        title=f"信用记录被退回：{record.document_no}",
        body=f"{stage_label}退回了该记录，已回到草稿，请修改后重新提交。\n退回理由：{reason}",
        link=f"/backoffice/records/{record.pk}/",
        topic="returned",
    )


def notify_objection_received(*, objection: Any) -> list[Notification]:
    """The platform's to-do for a new objection, due on the objection's acceptance date."""
    return notify(
        recipients=_platform_clerks(),
        title=f"新异议申请待受理：{objection.tracking_no}",
        body=(f"请于{objection.accept_due:%Y年%m月%d日}前审查是否受理。信息提供单位：{objection.provider.name}。"),
        link=f"/backoffice/objections/{objection.pk}/",
        topic="objection",
        due_on=objection.accept_due,
    )


def notify_repair_received(*, application: Any) -> list[Notification]:
    """The platform's to-do for a new repair application, due within 1 working day of receipt."""
    due = add_working_days(application.received_on, PLATFORM_RESPONSE_DAYS).date
    return notify(
        recipients=_platform_clerks(),
        title=f"新信用修复申请：{application.tracking_no}",
        body=(
            f"请于{due:%Y年%m月%d日}前核对材料并转信息提供单位；"
            f"修复决定应于{application.decide_due:%Y年%m月%d日}前作出。"
        ),
        link=f"/backoffice/repairs/{application.pk}/",
        topic="repair",
        due_on=due,
    )
