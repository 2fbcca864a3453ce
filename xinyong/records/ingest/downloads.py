"""HTTP downloads shared by the portal, the back office and the API: upload templates, rejected-row reports."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse

from xinyong.catalog.models import CatalogItem
from xinyong.core.errors import NotFound

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def template_response(code: str, fmt: str) -> HttpResponse:
    from .templates import build_csv_template, build_xlsx_template

    item = CatalogItem.objects.filter(code=code, is_active=True).first()
    if item is None:
        raise NotFound(f"目录项“{code}”不存在。", code="catalog_item_not_found")
    if fmt == "xlsx":
        response = HttpResponse(build_xlsx_template(item), content_type=XLSX_TYPE)
    elif fmt == "csv":
        response = HttpResponse(build_csv_template(item), content_type="text/csv; charset=utf-8")
    else:
        raise NotFound("不支持的模板格式，可选 xlsx 或 csv。", code="template_format_unknown")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'{item.name}-报送模板.{fmt}')}"
    return response


def errors_response(batch: Any, fmt: str) -> HttpResponse:
    """Every rejected row of a batch as CSV (default) or XLSX, ready to fix and upload again."""
    from ..batches import batch_error_rows
    from .reports import write_errors_csv, write_errors_xlsx

    buffer = io.BytesIO()
    if fmt == "xlsx":
        write_errors_xlsx(batch_error_rows(batch), buffer)
        content_type = XLSX_TYPE
    else:
        write_errors_csv(batch_error_rows(batch), buffer)
        content_type = "text/csv; charset=utf-8"
    response = HttpResponse(buffer.getvalue(), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="batch-{batch.pk}-errors.{fmt}"'
    return response
