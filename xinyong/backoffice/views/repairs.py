"""Back-office credit repair pages: the list, the application, grant or refuse (owning department's reviewer)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from xinyong.accounts.permissions import has_permission
from xinyong.core.calendar import working_days_between
from xinyong.core.errors import ApplicationError
from xinyong.objections import selectors
from xinyong.objections.choices import RepairStatus
from xinyong.objections.services.repair import repair_decide
from xinyong.publication.models import PublicRecord

from .helpers import error_text


@login_required
@require_GET
def repair_list_view(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    status = status if status in RepairStatus.values else ""
    page = Paginator(selectors.repair_list(viewer=request.user, status=status), 30).get_page(request.GET.get("page"))
    today = timezone.localdate()
    days_left = selectors.days_left_counter(today, [a.decide_due for a in page.object_list])
    rows = [
        {
            "case": a,
            "days_left": days_left(a.decide_due),
            "late": a.status == RepairStatus.RECEIVED and a.decide_due < today,
        }
        for a in page.object_list
    ]
    context = {"page": page, "rows": rows, "status": status, "statuses": RepairStatus.choices}
    return render(request, "backoffice/objections/repair_list.html", context)


@login_required
@require_GET
def repair_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.repair_get(viewer=request.user, pk=pk)
    record = application.record
    can_decide = (
        has_permission(request.user, selectors.DECIDE)
        and record.provider_id == getattr(request.user, "department_id", None)
        and application.status == RepairStatus.RECEIVED
    )
    context = {
        "case": application,
        "record": record,
        "public": PublicRecord.objects.filter(record=record).first(),
        "events": application.events.select_related("actor"),
        "evidence": application.evidence.all(),
        "can_decide": can_decide,
        "days_left": working_days_between(timezone.localdate(), application.decide_due).days,
    }
    return render(request, "backoffice/objections/repair_detail.html", context)


@login_required
@require_POST
def repair_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.repair_get(viewer=request.user, pk=pk)
    grant = request.POST.get("decision") == "grant"
    try:
        repair_decide(actor=request.user, application=application, grant=grant, reason=request.POST.get("reason", ""))
    except ApplicationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request, "已准予信用修复，该记录停止公示和共享。" if grant else "已决定不予修复，并告知申请人。"
        )
    return redirect("backoffice:repair_detail", pk=pk)
