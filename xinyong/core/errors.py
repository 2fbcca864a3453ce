"""One error hierarchy for the whole platform: a stable code, a Chinese message, an HTTP status.

The API maps every ApplicationError to the same JSON shape; the UI shows `message`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Issue:
    """One problem found in input: a stable code, a Chinese message, and the field it concerns."""

    code: str
    message: str
    field: str | None = None

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.field is not None:
            data["field"] = self.field
        return data


@dataclass
class ApplicationError(Exception):
    code: str = "error"
    message: str = "请求无法完成。"
    status: int = 400
    issues: list[Issue] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.issues:
            data["errors"] = [issue.as_dict() for issue in self.issues]
        return data


class ValidationFailed(ApplicationError):
    def __init__(self, issues: list[Issue], message: str = "提交的数据未通过校验，请按提示逐项修改。") -> None:
        super().__init__(code="validation_failed", message=message, status=422, issues=issues)


class NotFound(ApplicationError):
    def __init__(self, message: str = "未找到请求的对象。", code: str = "not_found") -> None:
        super().__init__(code=code, message=message, status=404)


class PermissionDenied(ApplicationError):
    def __init__(self, message: str = "您没有执行此操作的权限。", code: str = "permission_denied") -> None:
        super().__init__(code=code, message=message, status=403)


class InvalidTransition(ApplicationError):
    def __init__(self, message: str, code: str = "invalid_transition") -> None:
        super().__init__(code=code, message=message, status=409)


def errors_by_field(exc: ApplicationError) -> tuple[dict[str, list[str]], list[str]]:
    """An error's issues by field, and the messages that concern no field (or the error's own message)."""
    by_field: dict[str, list[str]] = {}
    general = []
    for issue in exc.issues:
        if issue.field:
            by_field.setdefault(issue.field, []).append(issue.message)
        else:
            general.append(issue.message)
    return by_field, general or ([] if exc.issues else [exc.message])
