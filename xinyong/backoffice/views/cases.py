"""Complaints (投诉) and litigation (诉讼): register, list, close with the outcome (platform clerk)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from xinyong.accounts.permissions import has_permission
from xinyong.core.errors import ApplicationError, Issue, ValidationFailed
from xinyong.core.ids import parse_id
from xinyong.objections import selectors
from xinyong.objections.models import Complaint, Litigation, Objection
from xinyong.objections.services.cases import complaint_close, complaint_register, litigation_close, litigation_register
from xinyong.records.models import CreditRecord
from xinyong.records.selectors import record_get

from .helpers import error_text


def _record(request: HttpRequest) -> CreditRecord:
    pk = parse_id(request.POST.get("record"))
    if pk is None:
        raise ValidationFailed(
            [Issue("record_required", "请填写所涉信用记录的编号（记录详情页地址中的数字）。", "record")]
        )
    return record_get(viewer=request.user, pk=pk)


def _optional_record(request: HttpRequest) -> CreditRecord | None:
    return _record(request) if request.POST.get("record", "").strip() else None


def _filed_on(raw: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw.strip())
    except ValueError:
        raise ValidationFailed([Issue("filed_on_invalid", "请填写立案日期，如 2026-11-20。", "filed_on")]) from None


def _run(request: HttpRequest, action: Callable[[], Any], success: str) -> bool:
    try:
        action()
    except ApplicationError as exc:
        messages.error(request, error_text(exc))
        return False
    messages.success(request, success)
    return True


def _page(request: HttpRequest, template: str, qs: Any, extra: dict[str, Any]) -> HttpResponse:
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    context = {"page": page, "can_handle": has_permission(request.user, selectors.HANDLE), **extra}
    return render(request, template, context)


@login_required
def complaint_list_view(request: HttpRequest) -> HttpResponse:
    qs = selectors.complaint_list(viewer=request.user)
    values = request.POST if request.method == "POST" else {"record": request.GET.get("record", "")}
    if request.method == "POST":
        post = request.POST
        registered = _run(
            request,
            lambda: complaint_register(
                actor=request.user,
                complainant=post.get("complainant", ""),
                contact=post.get("contact", ""),
                content=post.get("content", ""),
                record=_optional_record(request),
            ),
            "投诉已登记。",
        )
        if registered:
            return redirect("backoffice:complaint_list")
    return _page(request, "backoffice/objections/complaints.html", qs, {"values": values})


@login_required
@require_POST
def complaint_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = get_object_or_404(selectors.complaint_list(viewer=request.user), pk=pk)
    tracking_no = request.POST.get("objection", "").strip().upper()
    objection = Objection.objects.filter(tracking_no=tracking_no).first() if tracking_no else None
    if tracking_no and objection is None:
        messages.error(request, f"未找到受理编号为“{tracking_no}”的异议。")
    else:
        _close(request, complaint, objection)
    return redirect("backoffice:complaint_list")


def _close(request: HttpRequest, complaint: Complaint, objection: Objection | None) -> None:
    outcome = request.POST.get("outcome", "")
    _run(
        request,
        lambda: complaint_close(actor=request.user, complaint=complaint, outcome=outcome, objection=objection),
        "投诉已办结。",
    )


@login_required
def litigation_list_view(request: HttpRequest) -> HttpResponse:
    qs = selectors.litigation_list(viewer=request.user)
    values = request.POST if request.method == "POST" else {"record": request.GET.get("record", "")}
    if request.method == "POST":
        post = request.POST
        registered = _run(
            request,
            lambda: litigation_register(
                actor=request.user,
                record=_record(request),
                court=post.get("court", ""),
                case_no=post.get("case_no", ""),
                filed_on=_filed_on(post.get("filed_on", "")),
            ),
            "诉讼已登记。",
        )
        if registered:
            return redirect("backoffice:litigation_list")
    return _page(request, "backoffice/objections/litigation.html", qs, {"values": values})


@login_required
@require_POST
def litigation_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    case: Litigation = get_object_or_404(selectors.litigation_list(viewer=request.user), pk=pk)
    outcome = request.POST.get("outcome", "")
    _run(request, lambda: litigation_close(actor=request.user, case=case, outcome=outcome), "诉讼登记已办结。")
    return redirect("backoffice:litigation_list")
