"""What a changed row of an import may do to the record it names: the record workflow of `records/choices.py`.

A record in draft or under review takes the new content in place (back to `submitted`: to the provider's
reviewer again). A published or shared-only record gets a correction request, through the back office's
service, and the public keeps the approved version until the correction is approved. A record that has
left the workflow (repaired, withdrawn, deleted, expired, superseded), or is held by an open objection,
repair application or change request, is not touched: the row is refused.

The facts are looked up for a whole chunk at once, only for rows that found a record with other content:
the rows of a first import cost nothing here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.db import transaction

from xinyong.core.errors import ApplicationError
from xinyong.objections.choices import RepairStatus
from xinyong.objections.models import ObjectionRecord, RepairApplication
from xinyong.publication.choices import ChangeStatus
from xinyong.publication.models import ChangeRequest
from xinyong.publication.services.changes import CHANGEABLE, record_request_correction
from xinyong.subjects import pii

from ..choices import EDITABLE, IN_REVIEW, RecordStatus
from ..models import CreditRecord, SubmissionBatch
from .rows import AcceptedRow, RowIssue

S = RecordStatus
IN_PLACE = frozenset({*EDITABLE, *IN_REVIEW})
# A record that has left the workflow: its content is final, a file cannot overwrite it.
CLOSED: dict[str, tuple[str, str]] = {
    S.REPAIRED: ("record_repaired", "该记录已信用修复，不能通过报送覆盖。"),
    S.WITHDRAWN: ("record_withdrawn", "该记录已撤销，不能通过报送覆盖。"),
    S.DELETED: ("record_deleted", "该记录已删除（存档），不能通过报送覆盖。"),
    S.EXPIRED: ("record_expired", "该记录公示期已满，不能通过报送覆盖。"),
    S.SUPERSEDED: ("record_superseded", "该记录已被更正版本替代，不能通过报送覆盖。"),
}
LOCKED: dict[str, str] = {
    "record_under_objection": "该记录正在异议处理中，不能通过报送覆盖，请待异议办结后再报送。",
    "record_under_repair": "该记录正在办理信用修复，不能通过报送覆盖，请待修复决定后再报送。",
    "record_change_open": "该记录已有一项正在审核的变更申请，不能通过报送覆盖，请待审核完成后再报送。",
}
LOCK_SLICE = 5000


class Existing(NamedTuple):
    """The record a row's source key found."""

    pk: int
    content_hash: str
    status: str


@dataclass
class ChangedRows:
    """A chunk's rows whose record exists with other content, by what may happen to them."""

    in_place: list[tuple[int, AcceptedRow]] = field(default_factory=list)
    corrections: list[tuple[int, AcceptedRow]] = field(default_factory=list)
    refused: list[RowIssue] = field(default_factory=list)


def open_locks(ids: list[int]) -> dict[int, str]:
    """Record id -> the code of what holds it (an open objection, repair application or change request)."""
    locks: dict[int, str] = {}
    for start in range(0, len(ids), LOCK_SLICE):
        part = ids[start : start + LOCK_SLICE]
        held = [
            ("record_under_objection", ObjectionRecord.objects.filter(is_open=True, record_id__in=part)),
            ("record_under_repair", RepairApplication.objects.filter(status=RepairStatus.RECEIVED, record_id__in=part)),
            ("record_change_open", ChangeRequest.objects.filter(status=ChangeStatus.OPEN, record_id__in=part)),
        ]
        for code, query in held:
            for pk in query.values_list("record_id", flat=True):
                locks.setdefault(pk, code)
    return locks


def sort_changed(changed: list[tuple[Existing, AcceptedRow]]) -> ChangedRows:
    """Decide each changed row by its record's status and locks (a few queries for the whole chunk)."""
    result = ChangedRows()
    if not changed:
        return result
    locks = open_locks([found.pk for found, _ in changed])
    for found, row in changed:
        if found.status in CLOSED:
            result.refused.append(refusal(row, *CLOSED[found.status]))
        elif found.pk in locks:
            result.refused.append(refusal(row, locks[found.pk], LOCKED[locks[found.pk]]))
        elif found.status in CHANGEABLE:
            result.corrections.append((found.pk, row))
        elif found.status in IN_PLACE:
            result.in_place.append((found.pk, row))
        else:
            result.refused.append(refusal(row, "record_status_unknown", "该记录的状态不允许通过报送覆盖。"))
    return result


def refusal(row: AcceptedRow, code: str, message: str) -> RowIssue:
    return RowIssue(row.line, "error", "", "", row.document_no, code, message)


def row_fields(row: AcceptedRow) -> dict[str, Any]:
    """The row's field values as entered: the stored data with its identity numbers decrypted."""
    fields: dict[str, Any] = json.loads(row.data_json)
    for code, token in json.loads(row.protected).items():
        fields[code] = pii.decrypt(token)
    return fields


def request_corrections(batch: SubmissionBatch, rows: list[tuple[int, AcceptedRow]]) -> tuple[int, list[RowIssue]]:
    """Open a correction request for each published row through the back office's service (each in a
    savepoint of the chunk's transaction); how many were opened, and the refused rows' issues."""
    if not rows:
        return 0, []
    records = CreditRecord.objects.select_related("item").in_bulk([pk for pk, _ in rows])
    opened, issues = 0, []
    for pk, row in rows:
        reason = f"批次 {batch.pk} 第 {row.line} 行报送了更正内容"
        try:
            with transaction.atomic():
                record_request_correction(
                    actor=batch.submitted_by,
                    record=records[pk],
                    fields=row_fields(row),
                    reason=reason,
                    today=batch.received_on,
                )
                # What this row said: the same file again is unchanged, not a second correction.
                CreditRecord.objects.filter(pk=pk).update(
                    content_hash=row.content_hash, raw_digest=row.raw_digest, batch=batch, source_line=row.line
                )
        except ApplicationError as exc:
            message = "；".join(issue.message for issue in exc.issues) or exc.message
            issues.append(refusal(row, exc.code, f"更正申请未能提交：{message}"))
        else:
            opened += 1
    return opened, issues
