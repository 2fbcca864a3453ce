"""Notices on the portal: the platform's own, and the correction and withdrawal notices the workflow publishes."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from xinyong.accounts.permissions import require_permission
from xinyong.audit.services import audit_log
from xinyong.core.errors import Issue, ValidationFailed
from xinyong.records.models import CreditRecord

from ..choices import ChangeKind, NoticeKind
from ..models import Notice, PublicRecord


def notice_publish(*, actor: Any, kind: str, title: str, body: str) -> Notice:
    """A notice or an integrity story written by the platform."""
    require_permission(actor, "records.publish_record", "您没有发布公告的权限。")
    issues = []
    if kind not in (NoticeKind.NOTICE, NoticeKind.STORY):
        issues.append(Issue("notice_kind_invalid", "公告类型只能是通知公告或诚信故事。", "kind"))
    if not title.strip():
        issues.append(Issue("title_required", "请填写标题。", "title"))
    if not body.strip():
        issues.append(Issue("body_required", "请填写正文。", "body"))
    if issues:
        raise ValidationFailed(issues)
    with transaction.atomic():
        notice = Notice.objects.create(
            kind=kind, title=title.strip()[:200], body=body.strip(), published_by=actor, published_at=timezone.now()
        )
        audit_log(actor=actor, action="notice.publish", obj=notice, after={"kind": kind, "title": notice.title})
    return notice


def _heading(seen: PublicRecord) -> str:
    return f"{seen.subject.display_name}的{seen.item_name}信息（决定文书号：{seen.document_no}）"


def correction_notice(*, record: CreditRecord, seen: PublicRecord, now: PublicRecord | None, reason: str) -> Notice:
    """Tell the public that what it saw has changed (更正公告)."""
    lines = [f"本平台于{timezone.localtime(seen.published_at):%Y年%m月%d日}公示的{_heading(seen)}已更正。"]
    if now is None:
        lines.append("更正后该信息不再向社会公示。")
    else:
        old, new = dict(seen.fields), dict(now.fields)
        for label in dict.fromkeys([*old, *new]):
            if old.get(label) != new.get(label):
                lines.append(f"{label}：由“{old.get(label, '（空）')}”更正为“{new.get(label, '（空）')}”。")
    if reason:
        lines.append(f"更正原因：{reason}")
    lines.append(f"信息提供单位：{record.provider.name}。")
    notice = Notice.objects.create(
        kind=NoticeKind.CORRECTION,
        title=f"关于{seen.subject.display_name}{seen.item_name}信息的更正公告",
        body="\n".join(lines),
        record=record,
        published_at=timezone.now(),
    )
    audit_log(actor=None, action="notice.correction", obj=notice, after={"record": record.pk})
    return notice


def withdrawal_notice(*, record: CreditRecord, seen: PublicRecord, reason: str, kind: str) -> Notice:
    """Tell the public that a record it saw was revoked or deleted (撤销公告)."""
    verb = "撤销" if kind == ChangeKind.WITHDRAW else "删除"
    body = (
        f"本平台于{timezone.localtime(seen.published_at):%Y年%m月%d日}公示的{_heading(seen)}已{verb}，不再公示。\n"
        f"原因：{reason}\n信息提供单位：{record.provider.name}。"
    )
    notice = Notice.objects.create(
        kind=NoticeKind.WITHDRAWAL,
        title=f"关于{seen.subject.display_name}{seen.item_name}信息的{verb}公告",
        body=body,
        record=record,
        published_at=timezone.now(),
    )
    audit_log(actor=None, action="notice.withdrawal", obj=notice, after={"record": record.pk})
    return notice
