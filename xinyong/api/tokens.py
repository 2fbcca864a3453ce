from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from .auth import DepartmentToken
from .schemas import errors

router = Router(tags=["tokens"])


class WhoAmI(Schema):
    department_code: str
    department_name: str
    token_prefix: str
    scopes: list[str]


@router.get(
    "/whoami", response={200: WhoAmI, **errors(401)}, auth=DepartmentToken(), summary="核对令牌所属单位和权限范围"
)
def whoami(request: HttpRequest) -> Any:
    token = request.auth  # type: ignore[attr-defined]
    return {
        "department_code": token.department.code,
        "department_name": token.department.name,
        "token_prefix": token.prefix,
        "scopes": token.scopes,
    }
