"""The daily overdue sweep: a missed step is marked, the department and its supervisors are told."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from xinyong.accounts.choices import Role
from xinyong.accounts.models import User
from xinyong.audit.services import audit_log
from xinyong.notifications.services import notify

from ..choices import ObjectionStatus, Step
from ..models import Objection

# the step an open objection waits for, and the date it is due
STEPS = {
    ObjectionStatus.RECEIVED: (Step.ACCEPT, "accept_due"),
    ObjectionStatus.ACCEPTED: (Step.FORWARD, "forward_due"),
    ObjectionStatus.FORWARDED: (Step.DECIDE, "decide_due"),
}


@dataclass(frozen=True)
class OverdueSummary:
    marked: int
    today: dt.date


def overdue_objections() -> QuerySet[Objection]:
    """Open objections whose current step is past its due date (marked by the sweep)."""
    return Objection.objects.filter(
        Q(status=ObjectionStatus.RECEIVED, overdue_step=Step.ACCEPT)
        | Q(status=ObjectionStatus.ACCEPTED, overdue_step=Step.FORWARD)
        | Q(status=ObjectionStatus.FORWARDED, overdue_step=Step.DECIDE)
    ).select_related("provider", "applicant")


def _recipients(objection: Objection, step: str) -> list[User]:
    if step == Step.DECIDE:
        responsible = Q(department=objection.provider, groups__name=Role.PROVIDER_REVIEWER)
    else:
        responsible = Q(groups__name=Role.PLATFORM_CLERK)
    return list(User.objects.filter(responsible | Q(groups__name=Role.SUPERVISOR), is_active=True).distinct())


def objections_mark_overdue(*, today: dt.date | None = None) -> OverdueSummary:
    today = today or timezone.localdate()
    marked = 0
    for status, (step, due_field) in STEPS.items():
        late = Objection.objects.filter(status=status, **{f"{due_field}__lt": today}).exclude(overdue_step=step)
        for objection in late.select_related("provider"):
            with transaction.atomic():
                objection.overdue_step, objection.overdue_since = step, today
                objection.save(update_fields=["overdue_step", "overdue_since"])
                due = getattr(objection, due_field)
                notify(
                    recipients=_recipients(objection, step),
                    title=f"异议办理逾期：{objection.tracking_no}",
                    body=f"“{Step(step).label}”应于{due:%Y年%m月%d日}前完成，现已逾期。信息提供单位：{objection.provider.name}。",
                    link=f"/backoffice/objections/{objection.pk}/",
                    topic="overdue",
                )
                audit_log(
                    actor=None,
                    action="objection.overdue",
                    obj=objection,
                    department=objection.provider,
                    after={"step": step, "due": due},
                )
                marked += 1
    return OverdueSummary(marked=marked, today=today)
