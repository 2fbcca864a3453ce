"""Back-office pages for changing an approved record (更正/撤销/删除) and for its Article 11 public basis."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from xinyong.core.errors import ApplicationError, errors_by_field
from xinyong.publication.choices import ChangeKind
from xinyong.publication.services import public_basis_set, record_request_correction, record_request_removal
from xinyong.records.selectors import record_get

from .helpers import error_text, field_rows, form_values, show_warnings


def _current_values(data: dict[str, Any]) -> dict[str, Any]:
    return {code: ";".join(value) if isinstance(value, list) else value for code, value in data.items()}


@login_required
def record_change_view(request: HttpRequest, pk: int) -> HttpResponse:
    """申请更正: the edit form, pre-filled, plus a reason. The public keeps the old version until approved."""
    record = record_get(viewer=request.user, pk=pk)
    values = _current_values(record.data)
    errors: dict[str, list[str]] = {}
    general: list[str] = []
    if request.method == "POST":
        values = form_values(record.item, request)
        try:
            result = record_request_correction(
                actor=request.user, record=record, fields=values, reason=request.POST.get("reason", "")
            )
        except ApplicationError as exc:
            errors, general = errors_by_field(exc)
        else:
            show_warnings(request, result.warnings)
            messages.success(request, "更正申请已提交审核；审核通过前，公众看到的仍是原内容。")
            return redirect("backoffice:record_detail", pk=pk)
    return render(
        request,
        "backoffice/record_form.html",
        {
            "item": record.item,
            "record": record,
            "rows": field_rows(record.item, values, errors),
            "general_errors": general,
            "error_count": sum(len(v) for k, v in errors.items() if k != "reason"),
            "reason_error": errors.get("reason"),
            "mode": "change",
        },
        status=422 if errors or general else 200,
    )


@login_required
@require_POST
def record_removal_view(request: HttpRequest, pk: int) -> HttpResponse:
    """申请撤销 / 申请删除."""
    record = record_get(viewer=request.user, pk=pk)
    kind = request.POST.get("kind", "")
    try:
        record_request_removal(actor=request.user, record=record, kind=kind, reason=request.POST.get("reason", ""))
    except ApplicationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, f"{ChangeKind(kind).label}申请已提交审核；审核通过前该记录保持原状。")
    return redirect("backoffice:record_detail", pk=pk)


@login_required
@require_POST
def record_basis_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The record's own public basis (Article 11)."""
    record = record_get(viewer=request.user, pk=pk)
    post = request.POST
    try:
        basis = public_basis_set(
            actor=request.user,
            record=record,
            kind=post.get("kind", ""),
            channel=post.get("channel", ""),
            published_on=post.get("published_on", ""),
            url=post.get("url", ""),
            citation=post.get("citation", ""),
        )
    except ApplicationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, f"已保存公开依据：{basis.describe()}")
    return redirect("backoffice:record_detail", pk=pk)
