"""Collection API: file batches and JSON pushes, authenticated by department tokens."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from xinyong.accounts.choices import TokenScope
from xinyong.catalog.models import CatalogItem
from xinyong.core.errors import NotFound
from xinyong.records.batches import batch_get, batch_submit_file, batch_submit_rows
from xinyong.records.choices import BatchChannel
from xinyong.records.ingest.downloads import errors_response
from xinyong.records.ingest.pipeline import batch_summary
from xinyong.records.models import BatchRowIssue

from .auth import DepartmentToken
from .schemas import AUTHENTICATED, XLSX, errors, file_download

router = Router(tags=["collection"])
INLINE_ISSUES = 200


class BatchOut(Schema):
    id: int
    status: str
    item: str
    department: str
    file_name: str
    sha256: str | None
    total: int
    accepted: int
    created: int
    updated: int
    unchanged: int
    rejected: int
    warnings: int
    unknown_columns: list[str]
    progress_percent: int
    failure_code: str
    failure_message: str


class RowIssueOut(Schema):
    line: int
    level: str
    field: str
    code: str
    message: str


class PushOut(BatchOut):
    issues: list[RowIssueOut]


class PushIn(Schema):
    item: str
    rows: list[dict[str, Any]]


def _item(code: str) -> CatalogItem:
    item = CatalogItem.objects.filter(code=code).first()
    if item is None:
        raise NotFound(f"目录项“{code}”不存在。", code="catalog_item_not_found")
    return item


@router.post(
    "/batches",
    response={202: BatchOut, **AUTHENTICATED, **errors(404, 413, 422)},
    auth=DepartmentToken(TokenScope.BATCHES_WRITE),
    summary="上传报送文件（CSV/XLSX），后台导入",
)
def upload_batch(request: HttpRequest, item: Form[str], file: File[UploadedFile]) -> Any:
    token = request.auth  # type: ignore[attr-defined]
    batch = batch_submit_file(
        token=token,
        item=_item(item),
        source=file,
        file_name=file.name or "upload",
        size=file.size,
        channel=BatchChannel.API_FILE,
    )
    return Status(202, batch_summary(batch))


@router.post(
    "/records",
    response={200: PushOut, **AUTHENTICATED, **errors(404, 413, 422)},
    auth=DepartmentToken(TokenScope.RECORDS_WRITE),
    summary="推送信用记录（JSON，一次最多 5000 条，即时处理）",
)
def push_records(request: HttpRequest, payload: PushIn) -> Any:
    token = request.auth  # type: ignore[attr-defined]
    batch = batch_submit_rows(token=token, item=_item(payload.item), rows=payload.rows)
    issues = BatchRowIssue.objects.filter(batch=batch).order_by("line", "id")[:INLINE_ISSUES]
    return batch_summary(batch) | {
        "issues": [
            {"line": i.line, "level": i.level, "field": i.field_code, "code": i.code, "message": i.message}
            for i in issues
        ]
    }


@router.get(
    "/batches/{batch_id}",
    response={200: BatchOut, **AUTHENTICATED, **errors(404, 422)},
    auth=DepartmentToken(),
    summary="批次状态、进度和计数",
)
def get_batch(request: HttpRequest, batch_id: int) -> Any:
    return batch_summary(batch_get(department=request.auth.department, pk=batch_id))  # type: ignore[attr-defined]


@router.get(
    "/batches/{batch_id}/errors.csv",
    response={**AUTHENTICATED, **errors(404, 422)},
    openapi_extra=file_download("text/csv", "拒收行清单（CSV）"),
    auth=DepartmentToken(),
    summary="拒收行清单（CSV）",
)
def batch_errors_csv(request: HttpRequest, batch_id: int) -> HttpResponse:
    return errors_response(batch_get(department=request.auth.department, pk=batch_id), "csv")  # type: ignore[attr-defined]


@router.get(
    "/batches/{batch_id}/errors.xlsx",
    response={**AUTHENTICATED, **errors(404, 422)},
    openapi_extra=file_download(XLSX, "拒收行清单（XLSX）"),
    auth=DepartmentToken(),
    summary="拒收行清单（XLSX）",
)
def batch_errors_xlsx(request: HttpRequest, batch_id: int) -> HttpResponse:
    return errors_response(batch_get(department=request.auth.department, pk=batch_id), "xlsx")  # type: ignore[attr-defined]
