"""Back-office pages for credit records: list, enter, correct, submit, delete. Thin: call services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from xinyong.accounts.permissions import has_permission, require_permission
from xinyong.audit.models import AuditEvent
from xinyong.catalog.models import CatalogItem
from xinyong.core.errors import ApplicationError, NotFound, errors_by_field
from xinyong.core.ids import parse_id
from xinyong.objections.selectors import objection_flags
from xinyong.publication.choices import BasisKind
from xinyong.records import services
from xinyong.records.choices import EDITABLE, RecordStatus
from xinyong.records.selectors import record_get, record_list
from xinyong.subjects.services import subject_reveal_identity

from .helpers import error_text, field_rows, form_values, item_choices, safe_next, show_warnings
from .review import publication_context

PAGE_SIZE = 50

ENTRY_REFUSED = "您的角色没有录入和更正信用记录的权限。信用记录由信息提供单位的报送员录入。"


@login_required
def record_list_view(request: HttpRequest) -> HttpResponse:
    filters = {k: request.GET.get(k, "") for k in ("status", "item", "q")}
    page = Paginator(record_list(viewer=request.user, filters=filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "backoffice/record_list.html",
        {
            "page": page,
            "filters": filters,
            "statuses": RecordStatus.choices,
            "items": CatalogItem.objects.all(),
            "can_submit": has_permission(request.user, "records.submit_record"),
        },
    )


@login_required
def record_create_view(request: HttpRequest) -> HttpResponse:
    require_permission(request.user, "records.submit_record", ENTRY_REFUSED)
    items = item_choices(request.user)
    code = request.GET.get("item") or request.POST.get("item") or (items[0].code if items else "")
    item = get_object_or_404(CatalogItem, code=code)
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    general: list[str] = []
    if request.method == "POST":
        values = form_values(item, request)
        try:
            result = services.record_create(actor=request.user, item=item, fields=values)
        except ApplicationError as exc:
            errors, general = errors_by_field(exc)
        else:
            show_warnings(request, result.warnings)
            messages.success(request, f"已保存为草稿：{item.name} {result.record.document_no}")
            return redirect("backoffice:record_detail", pk=result.record.pk)
    return render(
        request,
        "backoffice/record_form.html",
        {
            "item": item,
            "items": items,
            "rows": field_rows(item, values, errors),
            "general_errors": general,
            "error_count": sum(len(v) for v in errors.values()),
            "mode": "create",
        },
        status=422 if errors or general else 200,
    )


@login_required
def record_correct_view(request: HttpRequest, pk: int) -> HttpResponse:
    require_permission(request.user, "records.submit_record", ENTRY_REFUSED)
    record = record_get(viewer=request.user, pk=pk)
    values: dict[str, Any] = dict(record.data)
    for code, value in values.items():
        if isinstance(value, list):
            values[code] = ";".join(value)
    errors: dict[str, list[str]] = {}
    general: list[str] = []
    if request.method == "POST":
        values = form_values(record.item, request)
        try:
            result = services.record_correct(
                actor=request.user, record=record, fields=values, reason=request.POST.get("reason", "")
            )
        except ApplicationError as exc:
            errors, general = errors_by_field(exc)
        else:
            show_warnings(request, result.warnings)
            messages.success(request, f"已更正，当前为第 {result.record.version} 版。")
            return redirect("backoffice:record_detail", pk=record.pk)
    return render(
        request,
        "backoffice/record_form.html",
        {
            "item": record.item,
            "record": record,
            "rows": field_rows(record.item, values, errors),
            "general_errors": general,
            "error_count": sum(len(v) for v in errors.values()),
            "reason_error": errors.get("reason"),
            "mode": "correct",
        },
        status=422 if errors or general else 200,
    )


@login_required
def record_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    record = record_get(viewer=request.user, pk=pk)
    fields = [(spec, record.data.get(spec["code"])) for spec in record.item.fields if record.data.get(spec["code"])]
    events = AuditEvent.objects.filter(object_type="records.creditrecord", object_id=str(record.pk)).order_by("seq")
    own = record.provider_id == getattr(request.user.department, "pk", None)  # type: ignore[union-attr]
    can_edit = own and has_permission(request.user, "records.submit_record") and record.status in EDITABLE
    return render(
        request,
        "backoffice/record_detail.html",
        {
            "record": record,
            "fields": fields,
            "versions": record.versions.select_related("changed_by"),
            "events": events,
            "can_edit": can_edit,
            "can_reveal": record.subject.is_person and has_permission(request.user, "subjects.reveal_identity"),
            "basis_kinds": BasisKind.choices,
            "objection_no": objection_flags([record.pk]).get(record.pk, ""),
            **publication_context(request.user, record),
        },
    )


def _run(request: HttpRequest, action: Any, success: str) -> None:
    try:
        action()
    except ApplicationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, success)


@login_required
@require_POST
def record_submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    record = record_get(viewer=request.user, pk=pk)
    _run(request, lambda: services.record_submit(actor=request.user, record=record), "已报送，等待本单位审核员审核。")
    return redirect("backoffice:record_detail", pk=pk)


@login_required
@require_POST
def record_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    record = record_get(viewer=request.user, pk=pk)
    reason = request.POST.get("reason", "")
    _run(
        request,
        lambda: services.record_delete(actor=request.user, record=record, reason=reason),
        "草稿已删除（存档保留）。",
    )
    return redirect("backoffice:record_detail", pk=pk)


@login_required
@require_POST
def subject_reveal_view(request: HttpRequest, pk: int) -> HttpResponse:
    purpose = request.POST.get("purpose", "")
    try:
        subject, number = subject_reveal_identity(viewer=request.user, subject_id=parse_id(pk), purpose=purpose)
    except ApplicationError as exc:
        if isinstance(exc, NotFound):
            raise
        messages.error(request, exc.message if not exc.issues else exc.issues[0].message)
        return redirect(safe_next(request, "/backoffice/"))
    return render(
        request,
        "backoffice/subject_reveal.html",
        {"subject": subject, "number": number, "next": safe_next(request, "/backoffice/")},
    )
