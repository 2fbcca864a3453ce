"""Writes on credit records: create and correct by hand, submit, delete a draft.

Each service checks the actor's right and department, locks the row, writes a RecordVersion and an
audit event in one transaction. The review and publication steps come with the publication app.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from xinyong.accounts.permissions import require_permission
from xinyong.audit.services import audit_log
from xinyong.catalog.choices import FieldType
from xinyong.catalog.models import CatalogItem
from xinyong.catalog.validation import RowValidator
from xinyong.core import identifiers
from xinyong.core.calendar import working_days_between
from xinyong.core.errors import InvalidTransition, Issue, NotFound, PermissionDenied, ValidationFailed
from xinyong.subjects import pii
from xinyong.subjects.models import Subject
from xinyong.subjects.services import subject_identity_parse, subject_resolve

from .choices import EDITABLE, RecordStatus, can_transition
from .models import CreditRecord, RecordVersion


@dataclass
class RecordResult:
    record: CreditRecord
    warnings: list[Issue] = field(default_factory=list)


@dataclass
class PreparedRow:
    """A validated row split into what is stored openly and what is stored encrypted."""

    subject: Subject
    data: dict[str, Any]
    protected: dict[str, str]
    document_no: str
    decision_date: dt.date
    warnings: list[Issue]


def _prepare(*, actor: Any, item: CatalogItem, fields: dict[str, Any], today: dt.date) -> PreparedRow:
    result = RowValidator.for_item(item, today=today).validate(fields)
    if result.errors:
        raise ValidationFailed(result.errors)
    data, roles = result.data, item.field_roles
    identity = subject_identity_parse(
        kind=data.get(roles.get("subject_kind", ""), ""),
        name=data.get(roles.get("subject_name", ""), ""),
        uscc=data.get(roles.get("uscc", ""), ""),
        id_type=data.get(roles.get("id_type", ""), ""),
        id_number=data.get(roles.get("id_number", ""), ""),
        legal_representative=data.get(roles.get("legal_representative", ""), ""),
        field_names={
            "kind": roles.get("subject_kind", ""),
            "name": roles.get("subject_name", ""),
            "uscc": roles.get("uscc", ""),
            "id_type": roles.get("id_type", ""),
            "id_number": roles.get("id_number", ""),
        },
    )
    resolution = subject_resolve(actor=actor, identity=identity, name_field=roles.get("subject_name", "name"))
    protected = {}
    for spec in item.fields:
        code = spec["code"]
        if spec["type"] == FieldType.ID_NUMBER and data.get(code):
            protected[code] = pii.encrypt(data[code])
            data[code] = identifiers.mask_identity(data[code])
    return PreparedRow(
        subject=resolution.subject,
        data=data,
        protected=protected,
        document_no=data[roles["document_no"]],
        decision_date=dt.date.fromisoformat(data[roles["decision_date"]]),
        warnings=_once(result.warnings + resolution.warnings),
    )


def _once(issues: list[Issue]) -> list[Issue]:
    """Each issue once (the row's check and the subject's may both tell of an allow-listed code)."""
    seen: set[tuple[str, str | None]] = set()
    kept = []
    for issue in issues:
        if (issue.code, issue.field) not in seen:
            seen.add((issue.code, issue.field))
            kept.append(issue)
    return kept


def _require_provider(actor: Any, item: CatalogItem) -> Any:
    require_permission(actor, "records.submit_record", "您没有报送信用记录的权限。")
    department = getattr(actor, "department", None)
    if department is None:
        raise PermissionDenied("您的账号未归属任何单位，不能报送信用记录。", code="no_department")
    if item.providers.exists() and not item.providers.filter(pk=department.pk).exists():
        raise PermissionDenied(f"本单位不负责报送“{item.name}”类信息。", code="item_not_reported_by_department")
    if not item.is_active:
        raise ValidationFailed([Issue("item_inactive", f"目录项“{item.name}”已停用。", "item")])
    return department


def default_source_key(prepared: PreparedRow) -> str:
    subject = prepared.subject
    return f"{prepared.document_no}|{subject.uscc or subject.id_hash}"


def _snapshot(record: CreditRecord) -> dict[str, Any]:
    return {
        "status": record.status,
        "version": record.version,
        "subject_id": record.subject_id,
        "document_no": record.document_no,
        "decision_date": record.decision_date,
        "data": record.data,
    }


def _archive(record: CreditRecord, *, actor: Any, action: str, reason: str = "") -> None:
    RecordVersion.objects.create(
        record=record,
        version=record.version,
        action=action,
        status=record.status,
        data=record.data,
        protected=record.protected,
        subject=record.subject,
        document_no=record.document_no,
        decision_date=record.decision_date,
        changed_by=actor if getattr(actor, "pk", None) else None,
        reason=reason,
    )


def record_create(
    *,
    actor: Any,
    item: CatalogItem,
    fields: dict[str, Any],
    source_key: str = "",
    today: dt.date | None = None,
) -> RecordResult:
    """Create a draft record from field values keyed by field code or Chinese label."""
    department = _require_provider(actor, item)
    today = today or timezone.localdate()
    with transaction.atomic():
        prepared = _prepare(actor=actor, item=item, fields=fields, today=today)
        key = source_key.strip() or default_source_key(prepared)
        if CreditRecord.objects.filter(provider=department, item=item, source_key=key).exists():
            raise ValidationFailed(
                [
                    Issue(
                        "record_exists",
                        f"本单位已报送过文书号为“{prepared.document_no}”的该主体记录，如需修改请使用更正。",
                        item.field_roles.get("document_no"),
                    )
                ]
            )
        elapsed = working_days_between(prepared.decision_date, today)
        record = CreditRecord.objects.create(
            item=item,
            subject=prepared.subject,
            provider=department,
            source_key=key,
            document_no=prepared.document_no,
            decision_date=prepared.decision_date,
            received_on=today,
            reporting_working_days=elapsed.days,
            reporting_estimated=elapsed.used_fallback,
            data=prepared.data,
            protected=prepared.protected,
            status=RecordStatus.DRAFT,
            created_by=actor,
        )
        _archive(record, actor=actor, action="create")
        audit_log(actor=actor, action="record.create", obj=record, after=_snapshot(record))
    return RecordResult(record, prepared.warnings)


def _lock_own(actor: Any, record: CreditRecord) -> CreditRecord:
    locked = CreditRecord.objects.select_for_update().select_related("item", "subject").get(pk=record.pk)
    if locked.provider_id != getattr(getattr(actor, "department", None), "pk", None):
        raise NotFound("未找到该信用记录。", code="record_not_found")
    return locked


def record_correct(
    *,
    actor: Any,
    record: CreditRecord,
    fields: dict[str, Any],
    reason: str,
    today: dt.date | None = None,
) -> RecordResult:
    """Change a draft's content; the previous content stays in the version archive."""
    require_permission(actor, "records.submit_record", "您没有更正信用记录的权限。")
    if not reason.strip():
        raise ValidationFailed([Issue("reason_required", "请填写更正原因。", "reason")])
    today = today or timezone.localdate()
    with transaction.atomic():
        record = _lock_own(actor, record)
        if record.status not in EDITABLE:
            raise InvalidTransition(
                f"记录当前状态为“{record.get_status_display()}”，不能直接修改；"
                "已进入审核或已公示的记录须通过更正审核流程办理。"
            )
        prepared = _prepare(actor=actor, item=record.item, fields=fields, today=today)
        _apply_content(actor=actor, record=record, prepared=prepared, reason=reason.strip(), action="correct")
    return RecordResult(record, prepared.warnings)


def _apply_content(*, actor: Any, record: CreditRecord, prepared: PreparedRow, reason: str, action: str) -> None:
    before = _snapshot(record)
    record.subject, record.data, record.protected = prepared.subject, prepared.data, prepared.protected
    record.document_no, record.decision_date = prepared.document_no, prepared.decision_date
    elapsed = working_days_between(record.decision_date, record.received_on)
    record.reporting_working_days, record.reporting_estimated = elapsed.days, elapsed.used_fallback
    record.version += 1
    record.content_hash = record.raw_digest = ""  # no longer what any file said: a re-import compares afresh
    record.save()
    _archive(record, actor=actor, action=action, reason=reason)
    audit_log(
        actor=actor, action=f"record.{action}", obj=record, before=before, after=_snapshot(record) | {"reason": reason}
    )


def record_revise(
    *,
    actor: Any,
    record: CreditRecord,
    fields: dict[str, Any],
    reason: str,
    today: dt.date | None = None,
    permission: str = "records.submit_record",
) -> RecordResult:
    """New content for an approved record, to go through the review again (the correction workflow).

    The caller holds the row lock and the transaction; the status is the caller's business. A provider
    reviewer correcting a record after an objection acts under `objections.decide_objection`.
    """
    require_permission(actor, permission, "您没有更正信用记录的权限。")
    prepared = _prepare(actor=actor, item=record.item, fields=fields, today=today or timezone.localdate())
    _apply_content(actor=actor, record=record, prepared=prepared, reason=reason, action="revise")
    return RecordResult(record, prepared.warnings)


def record_lock_own(actor: Any, record: CreditRecord) -> CreditRecord:
    """Lock a record of the actor's own department; another department's record is not found."""
    return _lock_own(actor, record)


def record_transition(*, actor: Any, record: CreditRecord, target: str, action: str, reason: str = "") -> CreditRecord:
    """Move a locked record along the transition table, archiving the state and auditing it."""
    return _transition(actor=actor, record=record, target=target, action=action, reason=reason)


def _transition(*, actor: Any, record: CreditRecord, target: str, action: str, reason: str = "") -> CreditRecord:
    if not can_transition(record.status, target):
        raise InvalidTransition(
            f"记录当前状态为“{record.get_status_display()}”，不能变为“{RecordStatus(target).label}”。"
        )
    before = {"status": record.status}
    record.status = target
    record.status_reason = reason
    record.save(update_fields=["status", "status_reason", "updated_at"])
    _archive(record, actor=actor, action=action, reason=reason)
    audit_log(
        actor=actor, action=f"record.{action}", obj=record, before=before, after={"status": target, "reason": reason}
    )
    return record


def record_submit(*, actor: Any, record: CreditRecord) -> CreditRecord:
    """Hand a draft to the department's reviewer."""
    require_permission(actor, "records.submit_record", "您没有报送信用记录的权限。")
    with transaction.atomic():
        record = _lock_own(actor, record)
        return _transition(actor=actor, record=record, target=RecordStatus.SUBMITTED, action="submit")


def record_delete(*, actor: Any, record: CreditRecord, reason: str) -> CreditRecord:
    """Remove a draft from every view; it stays in the archive with the reason (Art. 4)."""
    require_permission(actor, "records.submit_record", "您没有删除信用记录的权限。")
    if not reason.strip():
        raise ValidationFailed([Issue("reason_required", "请填写删除原因。", "reason")])
    with transaction.atomic():
        record = _lock_own(actor, record)
        if record.status not in EDITABLE:
            raise InvalidTransition("只有草稿可以直接删除；已审核或已公示的记录须通过撤销审核流程办理。")
        return _transition(
            actor=actor, record=record, target=RecordStatus.DELETED, action="delete", reason=reason.strip()
        )
