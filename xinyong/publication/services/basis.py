"""A record's own Article 11 public basis, attached by its provider before the last approval."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from xinyong.accounts.permissions import require_permission
from xinyong.audit.services import audit_log
from xinyong.catalog.validation import parse_date
from xinyong.core.errors import InvalidTransition, Issue, ValidationFailed
from xinyong.records.choices import EDITABLE, IN_REVIEW, RecordStatus
from xinyong.records.models import CreditRecord
from xinyong.records.services import record_lock_own

from ..choices import BasisKind
from ..models import PublicBasis

# Draft or waiting for a review; a correction of a published record is back in review too.
BEFORE_FINAL_APPROVAL = frozenset(EDITABLE | IN_REVIEW) - {RecordStatus.LEADERSHIP_APPROVED}


def _date(value: dt.date | str | None, today: dt.date, issues: list[Issue]) -> dt.date | None:
    if isinstance(value, dt.date) or value is None:
        day = value
    elif not value.strip():
        day = None
    else:
        day = parse_date(value)
        if day is None:
            issues.append(
                Issue("published_on_invalid", f"公开日期“{value}”无法识别，请写作 2026-03-02。", "published_on")
            )
            return None
    if day is None:
        issues.append(Issue("published_on_required", "请填写该信息通过政府渠道公开的日期。", "published_on"))
    elif day > today:
        issues.append(Issue("published_on_future", "公开日期不能晚于今天。", "published_on"))
    return day


def _clean(
    *, kind: str, channel: str, published_on: dt.date | str | None, url: str, citation: str, today: dt.date
) -> dict[str, Any]:
    issues: list[Issue] = []
    if kind == BasisKind.GOVERNMENT_CHANNEL:
        channel, url = channel.strip(), url.strip()
        if not channel:
            issues.append(Issue("channel_required", "请填写公开渠道，如“韶山市人民政府网站”。", "channel"))
        day = _date(published_on, today, issues)
        if url and not url.lower().startswith(("http://", "https://")):
            issues.append(Issue("url_invalid", "链接应以 http:// 或 https:// 开头。", "url"))
        values = {"channel": channel[:200], "published_on": day, "url": url[:500], "citation": ""}
    elif kind == BasisKind.LEGAL_REQUIREMENT:
        citation = citation.strip()
        if not citation:
            issues.append(Issue("citation_required", "请填写要求公开的法律法规名称及条款。", "citation"))
        values = {"channel": "", "published_on": None, "url": "", "citation": citation}
    else:
        issues.append(
            Issue("basis_kind_invalid", "公开依据类型只能是“已通过政府渠道公开”或“法律法规要求公开”。", "kind")
        )
        values = {}
    if issues:
        raise ValidationFailed(issues)
    return values


def public_basis_set(
    *,
    actor: Any,
    record: CreditRecord,
    kind: str,
    channel: str = "",
    published_on: dt.date | str | None = None,
    url: str = "",
    citation: str = "",
    today: dt.date | None = None,
) -> PublicBasis:
    """Attach (or replace) the record's own public basis (Article 11). Own department, before final approval."""
    require_permission(actor, "records.submit_record", "您没有为信用记录填写公开依据的权限。")
    values = _clean(
        kind=kind,
        channel=channel,
        published_on=published_on,
        url=url,
        citation=citation,
        today=today or timezone.localdate(),
    )
    with transaction.atomic():
        locked = record_lock_own(actor, record)
        if locked.status not in BEFORE_FINAL_APPROVAL:
            raise InvalidTransition(
                f"记录当前状态为“{locked.get_status_display()}”，已完成审核，不能再修改公开依据；如需修改请申请更正。",
                code="basis_after_approval",
            )
        existing = PublicBasis.objects.filter(record=locked).first()
        before = {"basis": existing.describe()} if existing else None
        basis, _ = PublicBasis.objects.update_or_create(
            record=locked, defaults={"kind": kind, "created_by": actor, **values}
        )
        audit_log(
            actor=actor, action="record.public_basis", obj=locked, before=before, after={"basis": basis.describe()}
        )
    return basis
