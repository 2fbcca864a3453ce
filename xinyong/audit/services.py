"""Writing and verifying the audit chain.

Each event is hashed over a canonical JSON serialisation of its content plus the previous event's
hash. A single head row, locked for update, serialises writers so the chain has no forks or gaps.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from xinyong.core.context import current_request

from .models import GENESIS_HASH, AuditChainHead, AuditEvent

HASHED_FIELDS = (
    "seq",
    "occurred_at",
    "actor_id",
    "actor_label",
    "department_id",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "before",
    "after",
    "request_id",
    "ip",
    "channel",
    "prev_hash",
)


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, set | frozenset):
        return sorted(value)
    return str(value)


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_json_default)


def jsonable(value: Any) -> Any:
    """What a JSON column gives back: dates as ISO strings, Decimals as strings."""
    if value is None:
        return None
    return json.loads(canonical_json(value))


def event_hash(values: dict[str, Any]) -> str:
    payload = {name: values[name] for name in HASHED_FIELDS}
    occurred = payload["occurred_at"]
    if isinstance(occurred, dt.datetime):
        payload["occurred_at"] = occurred.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return hashlib.sha256(canonical_json(payload).encode("utf-8")).hexdigest()


def _head_for_update() -> AuditChainHead:
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        AuditChainHead.objects.get_or_create(pk=1)
        head = AuditChainHead.objects.select_for_update().get(pk=1)
    return head


def audit_log(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    before: Any = None,
    after: Any = None,
    department: Any = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
) -> AuditEvent:
    """Append one event. Call inside the service's transaction so the change and its record agree."""
    with transaction.atomic():
        head = _head_for_update()
        ctx = current_request()
        actor_obj = actor if getattr(actor, "pk", None) else None
        if department is None and actor_obj is not None:
            department = getattr(actor_obj, "department", None)
        if obj is not None:
            object_type = object_type or obj._meta.label_lower
            object_id = object_id or str(obj.pk)
            object_repr = object_repr or str(obj)[:200]
        event = AuditEvent(
            seq=head.seq + 1,
            occurred_at=timezone.now(),
            actor=actor_obj,
            actor_label=(actor_obj.get_username() if actor_obj else str(actor or "system"))[:150],
            department=department,
            action=action,
            object_type=object_type,
            object_id=object_id,
            object_repr=object_repr[:200],
            before=jsonable(before),
            after=jsonable(after),
            request_id=ctx.request_id if ctx else "",
            ip=ctx.ip if ctx else None,
            channel=ctx.channel if ctx else "system",
            prev_hash=head.last_hash,
        )
        event.hash = event_hash(_values_of(event))
        event.save()
        head.seq, head.last_hash = event.seq, event.hash
        head.save(update_fields=["seq", "last_hash"])
    return event


def _values_of(event: AuditEvent) -> dict[str, Any]:
    return {name: getattr(event, name) for name in HASHED_FIELDS}


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    reason: str = ""


def audit_verify(chunk_size: int = 2000) -> VerifyResult:
    """Walk the whole chain; name the first event that was changed, inserted or removed."""
    expected_prev, expected_seq, checked = GENESIS_HASH, 1, 0
    rows = AuditEvent.objects.order_by("seq").values(*HASHED_FIELDS, "hash").iterator(chunk_size=chunk_size)
    for row in rows:
        seq = row["seq"]
        if seq != expected_seq:
            kind = "缺失" if seq > expected_seq else "重复或插入"
            return VerifyResult(False, checked, seq, f"序号不连续：期望 {expected_seq}，实际 {seq}（事件{kind}）")
        if row["prev_hash"] != expected_prev:
            return VerifyResult(False, checked, seq, "前序哈希与上一事件不符（上一事件被删除、插入或修改）")
        if event_hash(row) != row["hash"]:
            return VerifyResult(False, checked, seq, "事件内容与其哈希不符（事件被修改）")
        expected_prev, expected_seq, checked = row["hash"], seq + 1, checked + 1
    head = AuditChainHead.objects.filter(pk=1).first()
    head_seq, head_hash = (head.seq, head.last_hash) if head else (0, GENESIS_HASH)
    if head_seq != expected_seq - 1 or head_hash != expected_prev:
        return VerifyResult(
            False,
            checked,
            expected_seq if head_seq >= expected_seq else head_seq,
            f"链尾与链头记录不符：链头序号 {head_seq}，最后一个事件序号 {expected_seq - 1}（末尾事件被删除或插入）",
        )
    return VerifyResult(True, checked)
