"""Back-office pages for review: the queues, approve or return one record, approve a whole batch."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from xinyong.accounts.permissions import has_permission
from xinyong.catalog.models import CatalogItem
from xinyong.core.errors import ApplicationError, PermissionDenied
from xinyong.core.ids import parse_id
from xinyong.publication.choices import BulkStatus, ReviewStage
from xinyong.publication.queues import (
    KIND_CHOICES,
    batch_waiting,
    bulk_review_get,
    publication_state,
    queue_counts,
    review_queue,
)
from xinyong.publication.services import bulk_review_start, record_approve, record_reject, stages_of
from xinyong.publication.services.basis import BEFORE_FINAL_APPROVAL
from xinyong.publication.services.changes import CHANGEABLE
from xinyong.records.batches import batch_get
from xinyong.records.models import CreditRecord
from xinyong.records.selectors import record_get

from .helpers import error_text, safe_next

PAGE_SIZE = 50
FILTERS = ("stage", "item", "batch", "q", "kind")


@login_required
def review_queue_view(request: HttpRequest) -> HttpResponse:
    filters = {k: request.GET.get(k, "").strip() for k in FILTERS}
    batch_pk = parse_id(filters["batch"])
    filters["batch"] = str(batch_pk or "")
    stages = stages_of(request.user)
    if not stages:
        raise PermissionDenied("您没有审核信用记录的权限。审核由信息提供单位的审核员和平台管理部门办理。")
    if filters["stage"] not in stages:
        filters["stage"] = stages[0]
    queue = review_queue(viewer=request.user, filters=filters)
    page = Paginator(queue, PAGE_SIZE).get_page(request.GET.get("page"))
    batch = batch_get(viewer=request.user, pk=batch_pk) if batch_pk else None
    counts = queue_counts(request.user)
    return render(
        request,
        "backoffice/review_queue.html",
        {
            "page": page,
            "filters": filters,
            "stage_tabs": [(s, ReviewStage(s).label, counts.get(s, 0)) for s in stages],
            "items": CatalogItem.objects.only("code", "name"),
            "kinds": KIND_CHOICES,
            "batch": batch,
            "waiting": batch_waiting(viewer=request.user, batch=batch) if batch else None,
        },
    )


def publication_context(user: Any, record: CreditRecord) -> dict[str, Any]:
    """What the record detail page shows and offers about review, publicity and changes."""
    state = publication_state(record)
    own = record.provider_id == getattr(user, "department_id", None)
    clerk = own and has_permission(user, "records.submit_record")
    return {
        "publication": state,
        "can_review": state.stage is not None and state.stage in stages_of(user),
        "can_request_change": clerk and record.status in CHANGEABLE and state.open_change is None,
        "can_set_basis": clerk and record.status in BEFORE_FINAL_APPROVAL,
    }


@login_required
@require_POST
def record_approve_view(request: HttpRequest, pk: int) -> HttpResponse:
    record = record_get(viewer=request.user, pk=pk)
    try:
        record = record_approve(actor=request.user, record=record, reason=request.POST.get("reason", ""))
    except ApplicationError as exc:
        messages.error(request, error_text(exc))
        return redirect("backoffice:record_detail", pk=pk)
    messages.success(request, f"已审核通过：{record.document_no}，当前状态“{record.get_status_display()}”。")
    return redirect(safe_next(request, f"/backoffice/records/{pk}/"))


@login_required
@require_POST
def record_reject_view(request: HttpRequest, pk: int) -> HttpResponse:
    record = record_get(viewer=request.user, pk=pk)
    try:
        record_reject(actor=request.user, record=record, reason=request.POST.get("reason", ""))
    except ApplicationError as exc:
        messages.error(request, error_text(exc))
        return redirect("backoffice:record_detail", pk=pk)
    messages.success(request, f"已退回：{record.document_no}。")
    return redirect(safe_next(request, f"/backoffice/records/{pk}/"))


@login_required
@require_POST
def bulk_review_start_view(request: HttpRequest, pk: int) -> HttpResponse:
    batch = batch_get(viewer=request.user, pk=pk)
    try:
        bulk = bulk_review_start(actor=request.user, batch=batch, reason=request.POST.get("reason", ""))
    except ApplicationError as exc:
        messages.error(request, error_text(exc))
        return redirect("backoffice:batch_detail", pk=pk)
    return redirect("backoffice:bulk_review_detail", pk=bulk.pk)


@login_required
def bulk_review_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    bulk = bulk_review_get(viewer=request.user, pk=pk)
    running = bulk.status in (BulkStatus.PENDING, BulkStatus.RUNNING)
    return render(request, "backoffice/bulk_review.html", {"bulk": bulk, "running": running})
