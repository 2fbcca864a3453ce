from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from xinyong.catalog.models import CatalogItem
from xinyong.core.errors import NotFound
from xinyong.records.ingest.downloads import template_response

from .schemas import XLSX, errors, file_download

router = Router(tags=["catalog"])


class CatalogFieldOut(Schema):
    code: str
    label: str
    type: str
    required: str
    sensitivity: str
    enum: list[str] | None = None
    max_length: int | None = None
    help: str | None = None
    required_if: dict[str, str] | None = None
    not_before: str | None = None


class ItemOut(Schema):
    code: str
    name: str
    domain: str
    disclosure: str
    public_basis: str
    requires_leadership_approval: bool
    reporting_deadline_days: int
    version: int
    field_roles: dict[str, str]
    fields: list[CatalogFieldOut]


@router.get("/items", response=list[ItemOut], summary="归集目录（公开）")
def list_items(request: HttpRequest) -> Any:
    return list(CatalogItem.objects.filter(is_active=True))


@router.get("/items/{code}", response={200: ItemOut, **errors(404)}, summary="目录项的字段标准（公开）")
def get_item(request: HttpRequest, code: str) -> Any:
    item = CatalogItem.objects.filter(code=code, is_active=True).first()
    if item is None:
        raise NotFound(f"目录项“{code}”不存在。", code="catalog_item_not_found")
    return item


@router.get(
    "/items/{code}/template.xlsx",
    response=errors(404),
    openapi_extra=file_download(XLSX, "XLSX 模板"),
    summary="目录项的 XLSX 报送模板（公开）",
)
def item_template_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    return template_response(code, "xlsx")


@router.get(
    "/items/{code}/template.csv",
    response=errors(404),
    openapi_extra=file_download("text/csv", "CSV 模板（UTF-8 BOM）"),
    summary="目录项的 CSV 报送模板（公开）",
)
def item_template_csv(request: HttpRequest, code: str) -> HttpResponse:
    return template_response(code, "csv")
