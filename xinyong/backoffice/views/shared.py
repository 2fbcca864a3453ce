"""Back-office page for government users: a subject's shared (non-public) records, for a stated matter.

Every delivery is logged (Disclosure rows and an audit event) in the same transaction that reads it.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from xinyong.accounts.permissions import has_permission, require_permission
from xinyong.core.errors import ApplicationError, errors_by_field
from xinyong.objections.selectors import objection_flags
from xinyong.publication.choices import DisclosureChannel
from xinyong.publication.queues import shared_records_for
from xinyong.publication.services import disclosure_log


def _deliver(user: Any, code: str, matter: str) -> dict[str, Any]:
    with transaction.atomic():
        subject, rows = shared_records_for(viewer=user, code=code)
        disclosure_log(
            recipient=user, records=[r.record for r in rows], matter=matter, channel=DisclosureChannel.SHARED_QUERY
        )
    flags = objection_flags(r.record.pk for r in rows)
    return {"searched": True, "subject": subject, "rows": rows, "objection_flags": flags}


@login_required
def shared_query_view(request: HttpRequest) -> HttpResponse:
    require_permission(request.user, "records.view_shared_records", "只有共享用户可以查询政务共享信用记录。")
    form = {k: request.POST.get(k, "").strip() for k in ("code", "matter")}
    context: dict[str, Any] = {"form": form, "errors": {}, "general_errors": []}
    if request.method == "POST":
        try:
            context |= _deliver(request.user, form["code"], form["matter"])
        except ApplicationError as exc:
            context["errors"], context["general_errors"] = errors_by_field(exc)
    context["can_reveal"] = has_permission(request.user, "subjects.reveal_identity")
    status = 422 if context["errors"] or context["general_errors"] else 200
    return render(request, "backoffice/shared_query.html", context, status=status)
