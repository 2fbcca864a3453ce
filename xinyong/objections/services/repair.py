"""Credit repair (信用修复, rules in force from 2026-04-01): apply after the minimum period, provider decides."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from xinyong.accounts.permissions import require_permission
from xinyong.audit.services import audit_log
from xinyong.core.errors import ApplicationError, InvalidTransition, Issue, NotFound, ValidationFailed
from xinyong.notifications.workflow import notify_repair_received
from xinyong.publication import projection
from xinyong.publication.choices import PublicGroup
from xinyong.publication.models import PublicRecord
from xinyong.records.choices import RecordStatus
from xinyong.records.models import CreditRecord
from xinyong.records.services import record_transition

from ..choices import LimitKey, RepairStatus
from ..models import CaseEvent, RepairApplication
from . import evidence, tracking
from .deadlines import due
from .decide import notify_past_recipients
from .intake import ApplicantInput, _applicant, _applicant_issues

REPAIRABLE_GROUPS = (PublicGroup.PENALTY, PublicGroup.BLACK)


@dataclass
class RepairFiling:
    applicant: ApplicantInput
    record_id: int
    corrective_actions: str
    commitment: str
    commitment_signed: bool
    uploads: list[evidence.Upload] = field(default_factory=list)


NOT_REPAIRABLE_GROUPS = {
    PublicGroup.LICENCE: "行政许可信息不是失信信息，不适用信用修复。",
    PublicGroup.RED: "守信激励（红名单）信息不是失信信息，不适用信用修复。",
    PublicGroup.COMMITMENT: "信用承诺信息不是失信信息，不适用信用修复。",
}


def repair_refusal(public: PublicRecord | None, today: dt.date) -> ApplicationError | None:
    """Why this public record cannot be repaired today, or None; checked before the form and on filing."""
    if public is None or (public.ends_on is not None and public.ends_on < today):
        return NotFound("该记录不在公示中或不属于可申请信用修复的失信信息。", code="record_not_repairable")
    if public.group not in REPAIRABLE_GROUPS:
        message = NOT_REPAIRABLE_GROUPS.get(PublicGroup(public.group), "该信息不属于失信信息，不适用信用修复。")
        return ValidationFailed([Issue("repair_not_applicable", message, "record")], message=message)
    if public.repair_from is None:
        message = "该记录按规定不适用信用修复。" + (
            "严重失信主体名单的移出按名单管理程序办理，不能申请信用修复。" if public.group == PublicGroup.BLACK else ""
        )
        return ValidationFailed([Issue("repair_not_available", message, "record")], message=message)
    if today < public.repair_from:
        message = f"最短公示期未满，可于{public.repair_from:%Y年%m月%d日}起申请信用修复。"
        return ValidationFailed([Issue("repair_too_early", message, "record")], message=message)
    return None


def _repairable(record_id: int, today: dt.date) -> PublicRecord:
    public = PublicRecord.objects.select_related("record").filter(record_id=record_id).first()
    refusal = repair_refusal(public, today)
    if refusal is not None:
        raise refusal
    assert public is not None
    return public


def _check(filing: RepairFiling) -> None:
    issues = _applicant_issues(filing.applicant)
    if not filing.corrective_actions.strip():
        issues.append(
            Issue("corrective_actions_required", "请说明已纠正失信行为、履行法定义务的情况。", "corrective_actions")
        )
    if not filing.commitment.strip() or not filing.commitment_signed:
        issues.append(Issue("commitment_required", "请填写并签署信用承诺（承诺内容将向社会公开）。", "commitment"))
    if not filing.uploads:
        issues.append(Issue("proof_required", "请上传已履行义务的证明材料（如缴款凭证、整改报告）。", "evidence"))
    if issues:
        raise ValidationFailed(issues)


def repair_apply(*, filing: RepairFiling, today: dt.date | None = None) -> tuple[RepairApplication, str]:
    """Receive a repair application (free of charge); returns it and the tracking secret."""
    today = today or timezone.localdate()
    _check(filing)
    checked = evidence.check(filing.uploads)
    public = _repairable(filing.record_id, today)
    decide = due(LimitKey.REPAIR_DECIDE, today)
    secret, secret_hash = tracking.new_secret()
    try:
        with transaction.atomic():
            application = RepairApplication.objects.create(
                tracking_no=tracking.new_tracking_no("XF", today, RepairApplication),
                secret_hash=secret_hash,
                record=public.record,
                applicant=_applicant(filing.applicant),
                corrective_actions=filing.corrective_actions.strip(),
                commitment=filing.commitment.strip(),
                commitment_signed_at=timezone.now(),
                received_on=today,
                decide_due=decide.date,
                due_estimated=decide.used_fallback,
            )
            evidence.store(checked, repair=application)
            CaseEvent.objects.create(
                repair=application, title="收到信用修复申请", note=f"受理编号 {application.tracking_no}"
            )
            audit_log(
                actor=None,
                action="repair.apply",
                obj=application,
                department=public.record.provider,
                after={"record": public.record_id},
            )
            notify_repair_received(application=application)
    except IntegrityError:
        raise ValidationFailed([Issue("repair_already_open", "该记录已有正在办理的信用修复申请。", "record")]) from None
    return application, secret


def repair_track(*, tracking_no: str, secret: str) -> RepairApplication:
    found = tracking.find(RepairApplication, tracking_no, secret)
    assert isinstance(found, RepairApplication)
    return found


def repair_decide(
    *, actor: Any, application: RepairApplication, grant: bool, reason: str, today: dt.date | None = None
) -> RepairApplication:
    """Granted: the record leaves public view and sharing; refused: with reasons. Applicant and recipients told."""
    require_permission(actor, "objections.decide_objection", "您没有决定信用修复申请的权限。")
    if not reason.strip():
        raise ValidationFailed([Issue("reason_required", "请填写决定理由，将告知申请人。", "reason")])
    with transaction.atomic():
        application = (
            RepairApplication.objects.select_for_update().select_related("record", "applicant").get(pk=application.pk)
        )
        record = (
            CreditRecord.objects.select_for_update()
            .select_related("item", "subject", "provider")
            .get(pk=application.record_id)
        )
        if record.provider_id != getattr(actor, "department_id", None):
            raise NotFound("未找到该信用修复申请。", code="repair_not_found")
        if application.status != RepairStatus.RECEIVED:
            raise InvalidTransition("该申请已作出决定。")
        application.status = RepairStatus.GRANTED if grant else RepairStatus.REFUSED
        application.decided_on, application.decided_by, application.reason = (
            today or timezone.localdate(),
            actor,
            reason.strip(),
        )
        application.save()
        if grant:
            if record.status != RecordStatus.PUBLISHED:
                raise InvalidTransition(f"记录当前状态为“{record.get_status_display()}”，不能修复。")
            record_transition(
                actor=actor, record=record, target=RecordStatus.REPAIRED, action="repair", reason=reason.strip()
            )
            projection.withdraw(record)
            notify_past_recipients(record=record, what="已完成信用修复，不再公示和共享")
        CaseEvent.objects.create(
            repair=application, title=f"决定：{application.get_status_display()}", note=reason.strip(), actor=actor
        )
        audit_log(
            actor=actor,
            action=f"repair.{application.status}",
            obj=application,
            after={"record": record.pk, "reason": reason.strip()},
        )
        from xinyong.notifications.services import email_later

        email_later(
            application.applicant.email,
            f"【信用韶山】信用修复申请结果（受理编号 {application.tracking_no}）",
            f"决定：{application.get_status_display()}。\n理由：{reason.strip()}",
        )
    return application
