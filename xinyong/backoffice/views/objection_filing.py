"""Staff open an objection themselves (found by the platform, a complaint, a letter or the counter),
from a record's back-office page."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control

from xinyong.accounts.permissions import require_permission
from xinyong.core.errors import ApplicationError, errors_by_field
from xinyong.core.ids import parse_id
from xinyong.objections.choices import ApplicantKind, Channel
from xinyong.objections.http import STATEMENT, applicant_from, file_mb, upload_limited, uploads_from
from xinyong.objections.services.intake import Filing, objection_file
from xinyong.records.models import CreditRecord
from xinyong.records.selectors import record_get

STAFF_CHANNELS = [(c.value, c.label) for c in (Channel.STAFF, Channel.COMPLAINT, Channel.LETTER)]


def _record(request: HttpRequest) -> CreditRecord:
    source = request.POST if request.method == "POST" else request.GET
    return record_get(viewer=request.user, pk=parse_id(source.get("record")) or 0)


def _context(record: CreditRecord, values: Any, exc: ApplicationError | None) -> dict[str, Any]:
    errors, general = errors_by_field(exc) if exc else ({}, [])
    return {
        "record": record,
        "values": values,
        "errors": errors,
        "general_errors": general,
        "had_files": bool(exc),
        "file_mb": file_mb(),
        "kinds": ApplicantKind.choices,
        "channels": STAFF_CHANNELS,
        "statement_text": STATEMENT,
    }


def _filing(request: HttpRequest, record: CreditRecord) -> Filing:
    return Filing(
        applicant=applicant_from(request.POST),
        record_ids=[record.pk],
        grounds=request.POST.get("grounds", ""),
        statement_signed=request.POST.get("statement") == "yes",
        uploads=uploads_from(request),
    )


@login_required
def _objection_new_view(request: HttpRequest) -> HttpResponse:
    require_permission(request.user, "objections.handle_objection", "您没有登记异议的权限。")
    record = _record(request)
    if request.method != "POST":
        return render(request, "backoffice/objections/new.html", _context(record, {"channel": Channel.STAFF}, None))
    channel = request.POST.get("channel", "")
    try:
        if channel not in dict(STAFF_CHANNELS):
            raise ApplicationError(code="channel_invalid", message="请选择异议来源。", status=422)
        objection, secret = objection_file(filing=_filing(request, record), channel=channel, actor=request.user)
    except ApplicationError as exc:
        return render(request, "backoffice/objections/new.html", _context(record, request.POST, exc), status=exc.status)
    link = request.build_absolute_uri(reverse("portal:objection_track", args=[objection.tracking_no])) + f"?s={secret}"
    response = render(request, "backoffice/objections/filed.html", {"case": objection, "link": link}, status=201)
    patch_cache_control(response, no_store=True, private=True)
    return response


objection_new_view = upload_limited(_objection_new_view, "backoffice/objections/too_large.html")
