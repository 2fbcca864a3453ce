"""Back-office page for the platform's notices and integrity stories (通知公告 / 诚信故事)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from xinyong.accounts.permissions import require_permission
from xinyong.core.errors import ApplicationError, errors_by_field
from xinyong.publication.choices import NoticeKind
from xinyong.publication.models import Notice
from xinyong.publication.services import notice_publish

WRITABLE_KINDS = [(NoticeKind.NOTICE.value, NoticeKind.NOTICE.label), (NoticeKind.STORY.value, NoticeKind.STORY.label)]


@login_required
def notice_list_view(request: HttpRequest) -> HttpResponse:
    require_permission(request.user, "records.publish_record", "只有平台经办人员可以发布公告。")
    form = {k: request.POST.get(k, "") for k in ("kind", "title", "body")}
    errors: dict[str, list[str]] = {}
    general: list[str] = []
    if request.method == "POST":
        try:
            notice = notice_publish(actor=request.user, kind=form["kind"], title=form["title"], body=form["body"])
        except ApplicationError as exc:
            errors, general = errors_by_field(exc)
        else:
            messages.success(request, f"已发布{notice.get_kind_display()}：{notice.title}")
            return redirect("backoffice:notice_list")
    notices = Notice.objects.select_related("published_by", "record").order_by("-published_at", "-id")
    return render(
        request,
        "backoffice/notice_list.html",
        {
            "page": Paginator(notices, 30).get_page(request.GET.get("page")),
            "kinds": WRITABLE_KINDS,
            "form": form,
            "errors": errors,
            "general_errors": general,
        },
        status=422 if errors or general else 200,
    )
