"""The provider's decision on an objection, and reputation restoration (Article 15)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from xinyong.accounts.permissions import require_permission
from xinyong.core.errors import Issue, NotFound, ValidationFailed
from xinyong.publication import projection
from xinyong.publication.models import Disclosure, PublicRecord
from xinyong.publication.services import record_request_correction
from xinyong.publication.services.notices import withdrawal_notice
from xinyong.records.choices import RecordStatus
from xinyong.records.models import CreditRecord
from xinyong.records.services import record_transition

from ..choices import ObjectionStatus, Outcome
from ..models import Objection, ObjectionRecord
from .handling import _transition, event, lock, set_flag, tell_applicant

DECIDE_PERMISSION = "objections.decide_objection"


def notify_past_recipients(*, record: CreditRecord, what: str) -> int:
    """Tell every government user who received the record (disclosure log) what changed."""
    from xinyong.notifications.services import notify

    recipients = {d.recipient for d in Disclosure.objects.filter(record=record).select_related("recipient")}
    notify(
        recipients=recipients,
        title=f"信用信息变更通知：{record.item.name} {record.document_no}",
        body=f"您此前查询获取的{record.subject.display_name}的{record.item.name}信息"
        f"（决定文书号 {record.document_no}）{what}。请据此核对并调整已采取的相关措施。",
        topic="restoration",
    )
    return len(recipients)


def _revoke(*, actor: Any, record: CreditRecord, reason: str) -> None:
    record = CreditRecord.objects.select_for_update().select_related("item", "subject", "provider").get(pk=record.pk)
    record_transition(actor=actor, record=record, target=RecordStatus.WITHDRAWN, action="withdraw", reason=reason)
    seen = projection.withdraw(record)
    if seen is not None:
        withdrawal_notice(record=record, seen=seen, reason=reason, kind="withdraw")
    notify_past_recipients(record=record, what=f"经异议核查已撤销（{reason}）")


def _check_decision(
    outcome: str, reason: str, corrections: dict[int, dict[str, Any]], records: list[CreditRecord]
) -> None:
    issues = []
    if outcome not in Outcome.values:
        issues.append(Issue("outcome_invalid", "请选择核查结论。", "outcome"))
    if not reason.strip():
        issues.append(Issue("reason_required", "请填写核查意见和理由，将告知申请人。", "reason"))
    if outcome == Outcome.CORRECTED and set(corrections) != {r.pk for r in records}:
        issues.append(Issue("corrections_required", "结论为“更正”时，请为每条异议记录填写更正后的内容。", "fields"))
    if issues:
        raise ValidationFailed(issues)


def _apply(
    *,
    actor: Any,
    objection: Objection,
    outcome: str,
    reason: str,
    records: list[CreditRecord],
    corrections: Any,
    today: dt.date,
) -> None:
    note = f"经异议核查（受理编号 {objection.tracking_no}）：{reason}"
    if outcome == Outcome.REVOKED:
        for record in records:
            _revoke(actor=actor, record=record, reason=note)
    elif outcome == Outcome.CORRECTED:
        for record in records:
            record_request_correction(
                actor=actor,
                record=record,
                fields=corrections[record.pk],
                reason=note,
                today=today,
                permission=DECIDE_PERMISSION,
            )
            notify_past_recipients(record=record, what="经异议核查有误，已提交更正，更正后的信息经审核后替换原信息")
    set_flag(objection, False)
    if outcome == Outcome.UNDETERMINED:
        note = f"存在异议（{objection.received_on:%Y年%m月%d日}），经信息提供单位核查无法确定：{reason}"
        PublicRecord.objects.filter(record__in=records).update(objection_note=note[:300])
        projection.touch_subjects_of([r.pk for r in records])


def objection_decide(
    *,
    actor: Any,
    objection: Objection,
    outcome: str,
    reason: str,
    corrections: dict[int, dict[str, Any]] | None = None,
    today: dt.date | None = None,
) -> Objection:
    """Corrected (new version through review), revoked (withdrawn), upheld (flag removed) or undetermined."""
    require_permission(actor, DECIDE_PERMISSION, "您没有核查异议的权限。")
    today, corrections = today or timezone.localdate(), corrections or {}
    with transaction.atomic():
        objection = lock(objection)
        if objection.provider_id != getattr(actor, "department_id", None):
            raise NotFound("未找到该异议。", code="objection_not_found")
        objection = lock(objection, ObjectionStatus.FORWARDED)
        records = list(
            CreditRecord.objects.filter(objection_items__objection=objection).select_related("item", "subject")
        )
        _check_decision(outcome, reason, corrections, records)
        _apply(
            actor=actor,
            objection=objection,
            outcome=outcome,
            reason=reason.strip(),
            records=records,
            corrections=corrections,
            today=today,
        )
        ObjectionRecord.objects.filter(objection=objection).update(is_open=False)
        _transition(
            objection,
            ObjectionStatus.CLOSED,
            actor,
            outcome=outcome,
            outcome_reason=reason.strip(),
            decided_on=today,
            decided_by=actor,
            overdue_step="",
            closed_at=timezone.now(),
        )
        label = Outcome(outcome).label
        event(objection, f"核查结论：{label}", reason.strip(), actor)
        event(objection, "已告知申请人", "处理结果和理由已通过查询页面及预留联系方式告知申请人。")
        tell_applicant(objection, "异议处理结果", f"核查结论：{label}。\n理由：{reason.strip()}")
    return objection
