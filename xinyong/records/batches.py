"""Submitting a batch: by file (back office, API, command line) or as JSON rows (API).

The raw submission is archived first (content-addressed) and the batch row created, so even a file
that is refused keeps its record; the import itself runs in the background worker.
"""

from __future__ import annotations

import json
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from xinyong.accounts.models import ApiToken, Department
from xinyong.accounts.permissions import require_permission
from xinyong.audit.services import audit_log
from xinyong.catalog.models import CatalogItem
from xinyong.core.errors import ApplicationError, Issue, PermissionDenied, ValidationFailed

from .choices import BatchChannel
from .filestore import raw_file_store
from .models import SubmissionBatch

MAX_JSON_ROWS = 5000


def import_max_bytes(channel: str = BatchChannel.UPLOAD) -> int:
    """Uploads and API files are capped (100 MB); an operator's command-line import may be larger (2 GB)."""
    if channel == BatchChannel.COMMAND:
        return int(getattr(settings, "XINYONG_IMPORT_MAX_BYTES_COMMAND", 2 * 1024 * 1024 * 1024))
    return int(getattr(settings, "XINYONG_IMPORT_MAX_BYTES", 100 * 1024 * 1024))


class FileTooLarge(ApplicationError):
    def __init__(self, size: int, limit: int) -> None:
        super().__init__(
            code="file_too_large",
            status=413,
            message=f"文件大小 {size / 1048576:.1f} MB，超过上限 {limit / 1048576:.0f} MB。请拆分为多个文件分别上传。",
        )


def _department_for(actor: Any, token: ApiToken | None, department: Department | None = None) -> Department:
    if token is not None:
        return token.department
    if department is not None and actor == "system:manage.py":
        return department  # the command line: whoever has a shell on the server acts for the department
    require_permission(actor, "records.submit_record", "您没有报送信用记录的权限。")
    department = getattr(actor, "department", None)
    if department is None:
        raise PermissionDenied("您的账号未归属任何单位，不能报送信用记录。", code="no_department")
    return department


def ensure_reports_item(department: Department, item: CatalogItem) -> None:
    if not item.is_active:
        raise ValidationFailed([Issue("item_inactive", f"目录项“{item.name}”已停用。", "item")])
    providers = item.providers.all()
    if providers.exists() and not providers.filter(pk=department.pk).exists():
        raise PermissionDenied(
            f"{department.name}不负责报送“{item.name}”类信息，请核对信息类别。", code="item_not_reported_by_department"
        )


def batch_submit_file(
    *,
    actor: Any = None,
    token: ApiToken | None = None,
    item: CatalogItem,
    source: IO[bytes],
    file_name: str,
    size: int | None,
    channel: str,
    department: Department | None = None,
    enqueue: bool = True,
) -> SubmissionBatch:
    """Archive the file, record the batch and queue its import (after commit)."""
    department = _department_for(actor, token, department)
    ensure_reports_item(department, item)
    limit = import_max_bytes(channel)
    if size is not None and size > limit:
        with transaction.atomic():
            audit_log(
                actor=_actor(actor, token),
                action="batch.refuse_oversize",
                department=department,
                object_type="records.submissionbatch",
                object_repr=file_name[:200],
                after={"size": size, "limit": limit, "item": item.code},
            )
        raise FileTooLarge(size, limit)
    raw = raw_file_store(source)
    return _create(
        actor=actor,
        token=token,
        department=department,
        item=item,
        raw=raw,
        file_name=file_name,
        channel=channel,
        enqueue=enqueue,
    )


def batch_submit_rows(
    *,
    actor: Any = None,
    token: ApiToken | None = None,
    item: CatalogItem,
    rows: list[dict[str, Any]],
) -> SubmissionBatch:
    """JSON rows pushed by a system: archived as JSON, imported at once (same rules as a file)."""
    department = _department_for(actor, token)
    ensure_reports_item(department, item)
    if not rows:
        raise ValidationFailed([Issue("rows_empty", "没有可报送的数据行。", "rows")])
    if len(rows) > MAX_JSON_ROWS:
        raise ValidationFailed(
            [
                Issue(
                    "rows_too_many",
                    f"一次最多推送 {MAX_JSON_ROWS} 条，本次 {len(rows)} 条；大批量数据请使用文件上传接口。",
                    "rows",
                )
            ]
        )
    import io

    body = json.dumps({"item": item.code, "rows": rows}, ensure_ascii=False).encode("utf-8")
    raw = raw_file_store(io.BytesIO(body))
    batch = _create(
        actor=actor,
        token=token,
        department=department,
        item=item,
        raw=raw,
        file_name=f"api-{timezone.now():%Y%m%d%H%M%S}.json",
        channel=BatchChannel.API_JSON,
        enqueue=False,
    )
    from .ingest.pipeline import batch_run

    return batch_run(batch.pk)


def _create(
    *,
    actor: Any,
    token: ApiToken | None,
    department: Department,
    item: CatalogItem,
    raw: Any,
    file_name: str,
    channel: str,
    enqueue: bool = True,
) -> SubmissionBatch:
    with transaction.atomic():
        batch = SubmissionBatch.objects.create(
            department=department,
            item=item,
            channel=channel,
            raw_file=raw,
            file_name=file_name[:255],
            submitted_by=actor if getattr(actor, "pk", None) else None,
            token=token,
            received_on=timezone.localdate(),
        )
        audit_log(
            actor=_actor(actor, token),
            action="batch.create",
            obj=batch,
            department=department,
            after={
                "item": item.code,
                "file_name": file_name,
                "sha256": raw.sha256,
                "size": raw.size,
                "channel": channel,
            },
        )
        if enqueue:
            from .tasks import batch_import_task

            transaction.on_commit(lambda: batch_import_task.enqueue(batch.pk))
    return batch


def _actor(actor: Any, token: ApiToken | None) -> Any:
    if getattr(actor, "pk", None):
        return actor
    return f"token:{token.prefix}" if token is not None else "system"


def batch_visible_to(viewer: Any, department: Department | None = None) -> Any:
    """Batches a user (or a token's department) may see: its own department's; all for the platform."""
    from xinyong.accounts.permissions import has_permission

    qs = SubmissionBatch.objects.select_related("item", "department", "raw_file", "token", "submitted_by")
    if department is not None:
        return qs.filter(department=department)
    if has_permission(viewer, "records.view_all_records"):
        return qs
    own = getattr(viewer, "department", None)
    if own is not None and has_permission(viewer, "records.view_department_records"):
        return qs.filter(department=own)
    return qs.none()


def batch_get(*, viewer: Any = None, department: Department | None = None, pk: int) -> SubmissionBatch:
    from xinyong.core.errors import NotFound

    batch = batch_visible_to(viewer, department).filter(pk=pk).first()
    if batch is None:
        raise NotFound("未找到该报送批次。", code="batch_not_found")
    return batch


def batch_error_rows(batch: SubmissionBatch) -> Any:
    """Every rejected row's problems, in file order, as report rows."""
    from .models import BatchRowIssue

    return (
        (i.line, i.field_code, i.field_label, i.value, i.code, i.message)
        for i in BatchRowIssue.objects.filter(batch=batch, level="error").order_by("line", "id").iterator(2000)
    )
