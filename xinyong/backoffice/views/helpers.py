"""Small helpers shared by the back-office views: catalogue fields as form rows, errors as messages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest

from xinyong.catalog.models import CatalogItem
from xinyong.core.errors import ApplicationError


def item_choices(user: Any) -> list[CatalogItem]:
    """The catalogue items the user's department reports (all active items if it reports none in particular)."""
    items = CatalogItem.objects.filter(is_active=True)
    department = getattr(user, "department", None)
    if department is not None:
        mine = items.filter(providers=department)
        if mine.exists():
            return list(mine)
    return list(items)


def field_rows(item: CatalogItem, values: dict[str, Any], errors: dict[str, list[str]]) -> list[dict[str, Any]]:
    return [
        {"spec": spec, "value": values.get(spec["code"], ""), "errors": errors.get(spec["code"], [])}
        for spec in item.fields
    ]


def form_values(item: CatalogItem, request: HttpRequest) -> dict[str, str]:
    values = {}
    for spec in item.fields:
        if spec["type"] == "multi_enum":
            values[spec["code"]] = ";".join(request.POST.getlist(spec["code"]))
        else:
            values[spec["code"]] = request.POST.get(spec["code"], "")
    return {k: v for k, v in values.items() if v.strip()}


def error_text(exc: ApplicationError) -> str:
    """The Chinese message of an error, with its per-field issues."""
    return "；".join(i.message for i in exc.issues) if exc.issues else exc.message


def show_warnings(request: HttpRequest, warnings: list[Any]) -> None:
    for warning in warnings:
        messages.warning(request, warning.message)


def safe_next(request: HttpRequest, default: str) -> str:
    """A `next` target inside the back office, or the default."""
    target = request.POST.get("next", "")
    return target if target.startswith("/backoffice/") else default
