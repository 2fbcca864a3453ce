"""Department API tokens for django-ninja: `Authorization: Bearer xy_<prefix>_<secret>`."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from xinyong.accounts.models import ApiToken
from xinyong.accounts.services import api_token_authenticate


class DepartmentToken(HttpBearer):
    """Accept a department token that holds `scope` (any valid token when scope is empty)."""

    openapi_description = "单位接口令牌，格式 xy_<前缀>_<密钥>，由系统管理员在管理端签发。"

    def __init__(self, scope: str = "") -> None:
        super().__init__()
        self.scope = scope

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        return api_token_authenticate(token, scope=self.scope, endpoint=f"{request.method} {request.path}")

    def __call__(self, request: HttpRequest) -> Any:
        if not request.headers.get("Authorization"):
            return None
        return super().__call__(request)
