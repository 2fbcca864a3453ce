"""Filing an objection: on the portal without an account, or by staff who found or received one."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from xinyong.accounts.permissions import require_permission
from xinyong.audit.services import audit_log
from xinyong.core import identifiers
from xinyong.core.errors import Issue, NotFound, ValidationFailed
from xinyong.notifications.workflow import notify_objection_received
from xinyong.publication.models import PublicRecord
from xinyong.records.choices import RecordStatus
from xinyong.records.models import CreditRecord
from xinyong.subjects import pii

from ..choices import ApplicantKind, Channel, LimitKey, ObjectionStatus
from ..models import Applicant, CaseEvent, Objection, ObjectionRecord
from . import evidence, tracking
from .deadlines import due

STAFF_FILEABLE = (RecordStatus.PUBLISHED, RecordStatus.SHARED_ONLY)


@dataclass
class ApplicantInput:
    kind: str
    name: str
    id_number: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""


@dataclass
class Filing:
    applicant: ApplicantInput
    record_ids: list[int]
    grounds: str
    statement_signed: bool
    uploads: list[evidence.Upload] = field(default_factory=list)


def _applicant_issues(a: ApplicantInput) -> list[Issue]:
    issues = []
    if a.kind not in ApplicantKind.values:
        issues.append(Issue("applicant_kind_invalid", "请选择申请人类型（自然人或法人、其他组织）。", "applicant_kind"))
    if not a.name.strip():
        issues.append(Issue("applicant_name_required", "请填写申请人姓名或名称。", "applicant_name"))
    if not (a.phone.strip() or a.email.strip()):
        issues.append(Issue("contact_required", "请至少填写联系电话或电子邮箱，以便告知处理结果。", "phone"))
    if a.email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", a.email.strip()):
        issues.append(Issue("email_invalid", "电子邮箱格式不正确。", "email"))
    if a.id_number.strip() and not identifiers.check(a.id_number).valid:
        issues.append(Issue("applicant_id_invalid", "申请人证件号码（或统一社会信用代码）校验不通过。", "id_number"))
    return issues


def _applicant(a: ApplicantInput) -> Applicant:
    number = identifiers.normalize(a.id_number) if a.id_number.strip() else ""
    return Applicant.objects.create(
        kind=a.kind,
        name=a.name.strip()[:200],
        id_masked=identifiers.mask_identity(number) if number else "",
        id_encrypted=pii.encrypt(number) if number else "",
        phone=a.phone.strip()[:30],
        email=a.email.strip()[:254],
        address=a.address.strip()[:200],
    )


def _records(record_ids: list[int], *, public_only: bool, today: dt.date) -> list[CreditRecord]:
    if not record_ids:
        raise ValidationFailed([Issue("records_required", "请选择有异议的信用记录。", "records")])
    records = list(CreditRecord.objects.select_related("provider", "subject").filter(pk__in=set(record_ids)))
    if public_only:
        in_window = Q(ends_on__isnull=True) | Q(ends_on__gte=today)
        public = set(PublicRecord.objects.filter(in_window, record__in=records).values_list("record_id", flat=True))
        records = [r for r in records if r.pk in public]
    else:
        records = [r for r in records if r.status in STAFF_FILEABLE]
    if len(records) != len(set(record_ids)):
        raise NotFound("所选信用记录不存在或未在公示中，无法提出异议。", code="record_not_public")
    if len({r.subject_id for r in records}) > 1 or len({r.provider_id for r in records}) > 1:
        raise ValidationFailed(
            [Issue("records_mixed", "一份异议只能针对同一主体、同一信息提供单位的记录，请分别提出。", "records")]
        )
    return records


def _same_grounds(a: str, b: str) -> bool:
    def key(text: str) -> str:
        return re.sub(r"\W+", "", text)

    return key(a) == key(b)


def _repeat_of(records: list[CreditRecord], grounds: str) -> Objection | None:
    earlier = Objection.objects.filter(items__record__in=records, status=ObjectionStatus.CLOSED).order_by("-pk")
    return next((o for o in earlier if _same_grounds(o.grounds, grounds)), None)


def _check(filing: Filing) -> None:
    issues = _applicant_issues(filing.applicant)
    if not filing.grounds.strip():
        issues.append(Issue("grounds_required", "请填写异议理由。", "grounds"))
    if not filing.statement_signed:
        issues.append(Issue("statement_required", "请勾选并签署“所提交材料真实有效”的声明。", "statement"))
    if issues:
        raise ValidationFailed(issues)


def objection_file(
    *, filing: Filing, channel: str = Channel.PORTAL, actor: Any = None, today: dt.date | None = None
) -> tuple[Objection, str]:
    """Receive an objection; returns it and the tracking secret (shown once, never stored in plain)."""
    today = today or timezone.localdate()
    if channel != Channel.PORTAL:
        require_permission(actor, "objections.handle_objection", "您没有登记异议的权限。")
    _check(filing)
    checked = evidence.check(filing.uploads)
    records = _records(filing.record_ids, public_only=channel == Channel.PORTAL, today=today)
    accept, forward = due(LimitKey.OBJECTION_ACCEPT, today), due(LimitKey.OBJECTION_FORWARD, today)
    decide = due(LimitKey.OBJECTION_DECIDE, forward.date)
    secret, secret_hash = tracking.new_secret()
    try:
        with transaction.atomic():
            objection = Objection.objects.create(
                tracking_no=tracking.new_tracking_no("YY", today, Objection),
                secret_hash=secret_hash,
                channel=channel,
                applicant=_applicant(filing.applicant),
                subject=records[0].subject,
                provider=records[0].provider,
                grounds=filing.grounds.strip(),
                statement_signed_at=timezone.now(),
                received_on=today,
                accept_due=accept.date,
                forward_due=forward.date,
                decide_due=decide.date,
                due_estimated=accept.used_fallback or forward.used_fallback or decide.used_fallback,
                repeat_of=_repeat_of(records, filing.grounds),
                created_by=actor if getattr(actor, "pk", None) else None,
            )
            ObjectionRecord.objects.bulk_create(
                ObjectionRecord(objection=objection, record=r, record_version=r.version) for r in records
            )
            evidence.store(checked, objection=objection)
            CaseEvent.objects.create(
                objection=objection, title="收到异议申请", note=f"受理编号 {objection.tracking_no}"
            )
            audit_log(
                actor=actor,
                action="objection.file",
                obj=objection,
                department=records[0].provider,
                after={"records": [r.pk for r in records], "channel": channel, "repeat_of": objection.repeat_of_id},
            )
            notify_objection_received(objection=objection)
    except IntegrityError:
        raise ValidationFailed(
            [Issue("objection_already_open", "所选记录已有正在处理的异议，请等待处理结果后再提出。", "records")]
        ) from None
    return objection, secret


def objection_track(*, tracking_no: str, secret: str) -> Objection:
    """The applicant's view of the case: tracking number and secret must both match."""
    found = tracking.find(Objection, tracking_no, secret)
    assert isinstance(found, Objection)
    return found
