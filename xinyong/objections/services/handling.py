"""The platform's handling: accept (the record shows 异议处理中), ask for material, decline, forward."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from xinyong.accounts.choices import Role
from xinyong.accounts.models import User
from xinyong.accounts.permissions import require_permission
from xinyong.audit.services import audit_log
from xinyong.core.errors import InvalidTransition, Issue, NotFound, ValidationFailed
from xinyong.notifications.services import email_later, notify
from xinyong.publication import projection
from xinyong.publication.models import PublicRecord

from ..choices import LimitKey, ObjectionStatus
from ..models import CaseEvent, Objection, ObjectionRecord
from . import evidence
from .deadlines import due

S = ObjectionStatus


def lock(objection: Objection, *statuses: str) -> Objection:
    locked = (
        Objection.objects.select_for_update().select_related("applicant", "provider").filter(pk=objection.pk).first()
    )
    if locked is None:
        raise NotFound("未找到该异议。", code="objection_not_found")
    if statuses and locked.status not in statuses:
        raise InvalidTransition(f"异议当前状态为“{locked.get_status_display()}”，不能办理此操作。")
    return locked


def event(objection: Objection, title: str, note: str = "", actor: Any = None) -> None:
    CaseEvent.objects.create(
        objection=objection, title=title, note=note, actor=actor if getattr(actor, "pk", None) else None
    )


def tell_applicant(objection: Objection, subject: str, body: str) -> None:
    email_later(objection.applicant.email, f"【信用韶山】{subject}（受理编号 {objection.tracking_no}）", body)


def set_flag(objection: Objection, flagged: bool) -> int:
    ids = list(ObjectionRecord.objects.filter(objection=objection).values_list("record_id", flat=True))
    changed = PublicRecord.objects.filter(record_id__in=ids).update(under_objection=flagged)
    projection.touch_subjects_of(ids)
    return changed


def _transition(objection: Objection, target: str, actor: Any, **changes: Any) -> None:
    before = objection.status
    objection.status = target
    for name, value in changes.items():
        setattr(objection, name, value)
    objection.save()
    audit_log(
        actor=actor,
        action=f"objection.{target}",
        obj=objection,
        department=objection.provider,
        before={"status": before},
        after={"status": target, **{k: getattr(v, "pk", v) for k, v in changes.items() if k != "closed_at"}},
    )


def objection_accept(*, actor: Any, objection: Objection, today: dt.date | None = None) -> Objection:
    """Accept: from now on every disputed record shows 异议处理中 wherever it is shown."""
    require_permission(actor, "objections.handle_objection", "您没有受理异议的权限。")
    with transaction.atomic():
        objection = lock(objection, S.RECEIVED)
        _transition(objection, S.ACCEPTED, actor, accepted_on=today or timezone.localdate())
        set_flag(objection, True)
        event(objection, "已受理", "所涉信用记录已标注“异议处理中”。", actor)
        tell_applicant(
            objection, "异议已受理", "您的异议已受理，所涉信息已标注“异议处理中”，平台将转信息提供单位核查。"
        )
    return objection


def objection_request_material(*, actor: Any, objection: Objection, note: str) -> Objection:
    """Ask the applicant for missing material (补正); the case waits for the supplement."""
    require_permission(actor, "objections.handle_objection", "您没有受理异议的权限。")
    if not note.strip():
        raise ValidationFailed([Issue("note_required", "请说明需要补正的材料。", "note")])
    with transaction.atomic():
        objection = lock(objection, S.RECEIVED)
        _transition(objection, S.INCOMPLETE, actor)
        event(objection, "请补正材料", note.strip(), actor)
        tell_applicant(objection, "请补正异议材料", f"请通过查询链接补正以下材料：\n{note.strip()}")
    return objection


def objection_supplement(*, objection: Objection, note: str, uploads: list[evidence.Upload]) -> Objection:
    """The applicant's supplement through the tracking link; the case returns to the platform."""
    if not note.strip() and not uploads:
        raise ValidationFailed([Issue("supplement_empty", "请填写补正说明或上传补正材料。", "note")])
    checked = evidence.check(uploads)
    with transaction.atomic():
        objection = lock(objection, S.INCOMPLETE)
        evidence.store(checked, objection=objection)
        _transition(objection, S.RECEIVED, None)
        event(objection, "申请人已补正材料", note.strip())
    return objection


def objection_decline(*, actor: Any, objection: Objection, reason: str) -> Objection:
    """Not accepted (e.g. not about a credit record of this platform); the applicant is told why."""
    require_permission(actor, "objections.handle_objection", "您没有受理异议的权限。")
    if not reason.strip():
        raise ValidationFailed([Issue("reason_required", "请填写不予受理的理由。", "reason")])
    with transaction.atomic():
        objection = lock(objection, S.RECEIVED, S.INCOMPLETE)
        _transition(objection, S.DECLINED, actor, outcome_reason=reason.strip(), closed_at=timezone.now())
        ObjectionRecord.objects.filter(objection=objection).update(is_open=False)
        event(objection, "不予受理", reason.strip(), actor)
        tell_applicant(objection, "异议不予受理", f"您的异议不予受理，理由：{reason.strip()}")
    return objection


def objection_forward(*, actor: Any, objection: Objection, today: dt.date | None = None) -> Objection:
    """Send to the provider, which must verify within the limit counted from today."""
    require_permission(actor, "objections.handle_objection", "您没有转办异议的权限。")
    today = today or timezone.localdate()
    with transaction.atomic():
        objection = lock(objection, S.ACCEPTED)
        decide = due(LimitKey.OBJECTION_DECIDE, today)
        _transition(
            objection,
            S.FORWARDED,
            actor,
            forwarded_on=today,
            decide_due=decide.date,
            due_estimated=objection.due_estimated or decide.used_fallback,
            overdue_step="",
            overdue_since=None,
        )
        event(
            objection,
            "已转信息提供单位核查",
            f"{objection.provider.name}应于{decide.date:%Y年%m月%d日}前作出核查决定。",
            actor,
        )
        reviewers = User.objects.filter(
            department=objection.provider, groups__name=Role.PROVIDER_REVIEWER, is_active=True
        )
        notify(
            recipients=reviewers,
            title=f"异议待核查：{objection.tracking_no}",
            body=f"请于{decide.date:%Y年%m月%d日}前核查并作出决定。",
            link=f"/backoffice/objections/{objection.pk}/",
            topic="objection",
        )
    return objection
