"""Back-office pages for supervision and administration: the audit log and API tokens."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from xinyong.accounts.choices import TokenScope
from xinyong.accounts.models import ApiToken, Department
from xinyong.accounts.permissions import require_permission
from xinyong.accounts.services import api_token_create, api_token_revoke
from xinyong.audit.labels import action_choices
from xinyong.audit.models import AuditEvent
from xinyong.audit.tasks import audit_verify_task
from xinyong.core.errors import ApplicationError

from .audit_filters import audit_filtered


@login_required
def audit_list_view(request: HttpRequest) -> HttpResponse:
    require_permission(request.user, "audit.view_auditevent", "只有督查人员可以查看审计日志。")
    events, filters, filter_errors = audit_filtered(request.GET)
    if request.method == "POST":
        audit_verify_task.enqueue(requested_by=request.user.get_username())
        messages.info(request, "已提交后台校验任务，完成后结果显示在本页顶部。")
        return redirect("backoffice:audit_list")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    verification = AuditEvent.objects.filter(action="audit.verify").order_by("-seq").first()
    return render(
        request,
        "backoffice/audit_list.html",
        {
            "page": page,
            "filters": filters,
            "filter_errors": filter_errors,
            "action_choices": action_choices(),
            "query": urlencode({k: v for k, v in filters.items() if v}),
            "verification": verification,
        },
    )


@login_required
def token_list_view(request: HttpRequest) -> HttpResponse:
    require_permission(request.user, "accounts.manage_api_tokens", "只有系统管理员可以管理接口令牌。")
    plaintext = None
    errors: list[str] = []
    if request.method == "POST":
        department = Department.objects.filter(pk=request.POST.get("department") or 0).first()
        try:
            if department is None:
                raise ApplicationError(code="department_required", message="请选择令牌所属单位。")
            token, plaintext = api_token_create(
                actor=request.user,
                department=department,
                name=request.POST.get("name", "").strip() or "接口令牌",
                scopes=request.POST.getlist("scopes"),
            )
        except ApplicationError as exc:
            errors = [i.message for i in exc.issues] or [exc.message]
        else:
            messages.success(
                request, f"已为{department.name}签发令牌 {token.prefix}。请立即复制保存，离开本页后将无法再次查看。"
            )
    return render(
        request,
        "backoffice/token_list.html",
        {
            "tokens": ApiToken.objects.select_related("department", "created_by"),
            "plaintext": plaintext,
            "errors": errors,
            "departments": Department.objects.filter(is_active=True),
            "scopes": TokenScope.choices,
        },
    )


@login_required
@require_POST
def token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk)
    try:
        api_token_revoke(actor=request.user, token=token)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"令牌 {token.prefix} 已吊销。")
    return redirect("backoffice:token_list")
