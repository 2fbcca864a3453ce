"""The staff member's in-app inbox (站内消息): newest first, unread marked, open or mark read."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from xinyong.notifications.models import Notification
from xinyong.notifications.services import notification_mark_read


@login_required
@require_GET
def inbox_view(request: HttpRequest) -> HttpResponse:
    messages_qs = Notification.objects.filter(recipient_id=request.user.pk)
    if request.GET.get("unread"):
        messages_qs = messages_qs.filter(read_at__isnull=True)
    page = Paginator(messages_qs, 30).get_page(request.GET.get("page"))
    return render(request, "backoffice/objections/inbox.html", {"page": page, "unread": request.GET.get("unread")})


@login_required
@require_GET
def inbox_open_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Open a message's link (inside the back office only); opening marks it read."""
    note = get_object_or_404(Notification, recipient_id=request.user.pk, pk=pk)
    notification_mark_read(user=request.user, pk=note.pk)
    return redirect(note.link if note.link.startswith("/backoffice/") else "backoffice:inbox")


@login_required
@require_POST
def inbox_read_view(request: HttpRequest, pk: int) -> HttpResponse:
    notification_mark_read(user=request.user, pk=pk)
    return redirect("backoffice:inbox")
