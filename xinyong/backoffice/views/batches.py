"""Back-office pages for collection: upload a file, follow its progress, download rejected rows."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from xinyong.accounts.permissions import has_permission
from xinyong.catalog.models import CatalogItem
from xinyong.core.errors import ApplicationError
from xinyong.publication.queues import batch_waiting
from xinyong.records.batches import batch_get, batch_submit_file, batch_visible_to
from xinyong.records.choices import BatchChannel, BatchStatus
from xinyong.records.ingest.downloads import errors_response
from xinyong.records.models import BatchRowIssue

from .helpers import item_choices


@login_required
def batch_list_view(request: HttpRequest) -> HttpResponse:
    page = Paginator(batch_visible_to(request.user), 30).get_page(request.GET.get("page"))
    errors: list[str] = []
    can_upload = has_permission(request.user, "records.submit_record")
    if request.method == "POST" and can_upload:
        upload = request.FILES.get("file")
        item = CatalogItem.objects.filter(code=request.POST.get("item", "")).first()
        if upload is None or item is None:
            errors.append("请选择信息类别和要上传的文件。")
        else:
            try:
                batch = batch_submit_file(
                    actor=request.user,
                    item=item,
                    source=upload,
                    file_name=upload.name or "",
                    size=upload.size or 0,
                    channel=BatchChannel.UPLOAD,
                )
            except ApplicationError as exc:
                errors.extend([i.message for i in exc.issues] or [exc.message])
            else:
                messages.success(request, f"文件已接收（批次 {batch.pk}），正在后台导入。")
                return redirect("backoffice:batch_detail", pk=batch.pk)
    return render(
        request,
        "backoffice/batch_list.html",
        {
            "page": page,
            "items": item_choices(request.user),
            "can_upload": can_upload,
            "errors": errors,
        },
        status=422 if errors else 200,
    )


@login_required
def batch_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    batch = batch_get(viewer=request.user, pk=pk)
    issues = BatchRowIssue.objects.filter(batch=batch).order_by("level", "line", "id")[:200]
    running = batch.status in (BatchStatus.PENDING, BatchStatus.RUNNING)
    return render(
        request,
        "backoffice/batch_detail.html",
        {
            "batch": batch,
            "issues": issues,
            "running": running,
            "waiting": None if running else batch_waiting(viewer=request.user, batch=batch),
            "bulk_reviews": batch.bulk_reviews.select_related("requested_by")[:10],
        },
    )


@login_required
def batch_errors_view(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    return errors_response(batch_get(viewer=request.user, pk=pk), fmt)
