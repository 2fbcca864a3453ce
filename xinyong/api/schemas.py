"""The API's one error shape, and the error responses each kind of operation documents."""

from __future__ import annotations

from ninja import Schema
from pydantic import Field


class ErrorItemOut(Schema):
    code: str = Field(description="稳定的错误代码")
    message: str = Field(description="中文说明")
    field: str | None = Field(None, description="涉及的字段或参数")


class ErrorOut(Schema):
    code: str = Field(description="稳定的错误代码，如 unauthenticated、catalog_item_not_found、invalid_request")
    message: str = Field(description="中文错误说明")
    errors: list[ErrorItemOut] | None = Field(None, description="逐项的问题（校验失败时）")


def errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    return dict.fromkeys(statuses, ErrorOut)


AUTHENTICATED = errors(401, 403)  # no / malformed / revoked token; a token without the scope

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def file_download(content_type: str, description: str) -> dict:
    """openapi_extra for an operation that answers 200 with a file rather than JSON."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {"responses": {200: {"description": description, "content": {content_type: binary}}}}
