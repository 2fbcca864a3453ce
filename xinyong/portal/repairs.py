"""Public credit repair pages (信用修复, free of charge): apply for a public negative record, follow the case."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from xinyong.core.calendar import working_days_between
from xinyong.core.errors import ApplicationError, NotFound, errors_by_field
from xinyong.objections.choices import ApplicantKind, RepairStatus
from xinyong.objections.http import applicant_from, file_mb, record_ids, upload_limited, uploads_from
from xinyong.objections.models import RepairApplication
from xinyong.objections.selectors import public_records_for
from xinyong.objections.services.repair import RepairFiling, repair_apply, repair_refusal, repair_track
from xinyong.publication.models import PublicRecord
from xinyong.publication.throttle import RateLimited

from .casework import private, rate_limited, remember_filed
from .objections import filed_page, find_case

COMMITMENT = (
    "本人（本单位）承诺：已纠正失信行为、履行相关法定义务，今后严格遵守法律法规，诚信经营（守法守信）。"
    "如违反承诺，愿意接受相关部门依法依规作出的惩戒，并同意本承诺向社会公开。"
)


def _record(request: HttpRequest) -> PublicRecord:
    source = request.POST if request.method == "POST" else request.GET
    found = public_records_for(record_ids(source.getlist("record"), cap=1))
    if not found:
        raise NotFound("该记录不在公示中或不属于可申请信用修复的失信信息。", code="record_not_repairable")
    return found[0]


def _refused(request: HttpRequest, record: PublicRecord, refusal: ApplicationError) -> HttpResponse:
    context = {"record": record, "error": refusal, "reasons": [i.message for i in refusal.issues] or [refusal.message]}
    return render(request, "portal/objections/repair_refused.html", context, status=refusal.status)


def _context(record: PublicRecord, values: Any, exc: ApplicationError | None) -> dict[str, Any]:
    errors, general = errors_by_field(exc) if exc else ({}, [])
    return {
        "record": record,
        "values": values or {"commitment": COMMITMENT},
        "errors": errors,
        "general_errors": general,
        "had_files": bool(exc),
        "file_mb": file_mb(),
        "kinds": ApplicantKind.choices,
    }


@upload_limited
@require_http_methods(["GET", "POST"])
def repair_new(request: HttpRequest) -> HttpResponse:
    record = _record(request)
    refusal = repair_refusal(record, timezone.localdate())
    if isinstance(refusal, NotFound):
        raise refusal
    if refusal is not None:
        return _refused(request, record, refusal)
    if request.method != "POST":
        return render(request, "portal/objections/repair_new.html", _context(record, None, None))
    filing = RepairFiling(
        applicant=applicant_from(request.POST),
        record_id=record.record_id,
        corrective_actions=request.POST.get("corrective_actions", ""),
        commitment=request.POST.get("commitment", ""),
        commitment_signed=request.POST.get("commitment_signed") == "yes",
        uploads=uploads_from(request),
    )
    try:
        application, secret = repair_apply(filing=filing)
    except ApplicationError as exc:
        context = _context(record, request.POST, exc)
        return render(request, "portal/objections/repair_new.html", context, status=exc.status)
    remember_filed(request, application.tracking_no, secret)
    return redirect("portal:repair_filed", application.tracking_no)


@require_http_methods(["GET", "POST"])
def repair_filed(request: HttpRequest, tracking_no: str) -> HttpResponse:
    application = RepairApplication.objects.select_related("applicant").filter(tracking_no=tracking_no[:40]).first()
    if application is None:
        raise NotFound("未找到该信用修复申请。", code="repair_not_found")
    context = {"kind": "信用修复申请", "decide_due": application.decide_due}
    return filed_page(request, application, "portal:repair_track", context)


@require_GET
def repair_track_view(request: HttpRequest, tracking_no: str) -> HttpResponse:
    try:
        application = find_case(request, repair_track, tracking_no)
    except RateLimited as exc:
        return rate_limited(request, exc)
    today = timezone.localdate()
    waiting = application.status == RepairStatus.RECEIVED
    context = {
        "case": application,
        "record": application.record,
        "events": application.events.all(),
        "waiting": waiting,
        "days_left": working_days_between(today, application.decide_due).days if waiting else None,
        "late": waiting and application.decide_due < today,
    }
    return private(render(request, "portal/objections/repair_track.html", context))
