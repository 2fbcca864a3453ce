"""Public objection pages: file an objection against public records, follow it with the secret link.

No account, no JavaScript. The records shown come from the public projection only. The tracking secret
is shown on the confirmation page the filing redirects to, in the filing browser's session only and for a
short while; the tracking pages are never cached.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from xinyong.core.errors import ApplicationError, NotFound, errors_by_field
from xinyong.objections.choices import ApplicantKind, ObjectionStatus
from xinyong.objections.http import (
    STATEMENT,
    applicant_from,
    file_mb,
    record_ids,
    upload_limited,
    uploads_from,
)
from xinyong.objections.models import Objection
from xinyong.objections.selectors import public_records_for, step_table
from xinyong.objections.services.handling import objection_supplement
from xinyong.objections.services.intake import Filing, objection_file, objection_track
from xinyong.publication.throttle import RateLimited
from xinyong.records.models import CreditRecord

from .casework import (
    filed_secret,
    forget_filed_secret,
    guess_count,
    guesses_check,
    private,
    rate_limited,
    remember_filed,
)


def tracking_link(request: HttpRequest, name: str, tracking_no: str, secret: str) -> str:
    return request.build_absolute_uri(reverse(name, args=[tracking_no])) + f"?s={secret}"


def _form_context(records: list[Any], values: Any, exc: ApplicationError | None) -> dict[str, Any]:
    errors, general = errors_by_field(exc) if exc else ({}, [])
    return {
        "records": records,
        "values": values,
        "errors": errors,
        "general_errors": general,
        "had_files": bool(exc),
        "file_mb": file_mb(),
        "kinds": ApplicantKind.choices,
        "statement_text": STATEMENT,
    }


@upload_limited
@require_http_methods(["GET", "POST"])
def objection_new(request: HttpRequest) -> HttpResponse:
    source = request.POST if request.method == "POST" else request.GET
    ids = record_ids(source.getlist("record"))
    records = public_records_for(ids)
    if not records:
        raise NotFound("所选信用记录不存在或未在公示中，无法提出异议。请从主体信息页面选择要提出异议的记录。")
    if request.method != "POST":
        return render(request, "portal/objections/new.html", _form_context(records, {}, None))
    filing = Filing(
        applicant=applicant_from(request.POST),
        record_ids=[r.record_id for r in records],
        grounds=request.POST.get("grounds", ""),
        statement_signed=request.POST.get("statement") == "yes",
        uploads=uploads_from(request),
    )
    try:
        objection, secret = objection_file(filing=filing, channel="portal")
    except ApplicationError as exc:
        context = _form_context(records, request.POST, exc)
        return render(request, "portal/objections/new.html", context, status=exc.status)
    remember_filed(request, objection.tracking_no, secret)
    return redirect("portal:objection_filed", objection.tracking_no)


def filed_page(request: HttpRequest, case: Any, track_name: str, context: dict[str, Any]) -> HttpResponse:
    """The confirmation of a filing (GET after the redirect); "saved" (POST) stops showing the secret."""
    filed, secret = filed_secret(request, case.tracking_no)
    if not filed:
        raise NotFound(
            "该确认页面只在提交申请的浏览器中显示。请凭受理编号和查询链接查看办理进度。", code="filed_page_unavailable"
        )
    if request.method == "POST":
        forget_filed_secret(request, case.tracking_no)
        return redirect(request.path)
    link = tracking_link(request, track_name, case.tracking_no, secret) if secret else None
    context |= {"case": case, "link": link, "email": case.applicant.email}
    response = private(render(request, "portal/objections/filed.html", context))
    response["Referrer-Policy"] = "same-origin"  # this URL holds no secret; "no-referrer" would null the Origin
    return response


@require_http_methods(["GET", "POST"])
def objection_filed(request: HttpRequest, tracking_no: str) -> HttpResponse:
    objection = Objection.objects.select_related("applicant").filter(tracking_no=tracking_no[:40]).first()
    if objection is None:
        raise NotFound("未找到该异议申请。", code="objection_not_found")
    context = {"kind": "异议", "limits": step_table(objection)}
    return filed_page(request, objection, "portal:objection_track", context)


def _disputed(objection: Objection) -> list[CreditRecord]:
    return list(CreditRecord.objects.filter(objection_items__objection=objection).select_related("item"))


def find_case(request: HttpRequest, lookup: Any, tracking_no: str) -> Any:
    """The case for this number and ?s= secret; wrong guesses are counted per address."""
    guesses_check(request.META)
    try:
        return lookup(tracking_no=tracking_no, secret=request.GET.get("s", ""))
    except NotFound:
        guess_count(request.META)
        raise


@upload_limited
@require_http_methods(["GET", "POST"])
def objection_track_view(request: HttpRequest, tracking_no: str) -> HttpResponse:
    try:
        objection = find_case(request, objection_track, tracking_no)
    except RateLimited as exc:
        return rate_limited(request, exc)
    supplement_error = None
    if request.method == "POST":
        try:
            objection_supplement(objection=objection, note=request.POST.get("note", ""), uploads=uploads_from(request))
        except ApplicationError as exc:
            supplement_error = exc
        else:
            return redirect(request.path + f"?s={request.GET.get('s', '')}&done=1")
    context = {
        "case": objection,
        "steps": step_table(objection),
        "events": objection.events.all(),
        "records": _disputed(objection),
        "incomplete": objection.status == ObjectionStatus.INCOMPLETE,
        "supplement_errors": errors_by_field(supplement_error) if supplement_error else None,
        "note_value": request.POST.get("note", ""),
        "done": request.GET.get("done") == "1",
        "today": timezone.localdate(),
    }
    status = supplement_error.status if supplement_error else 200
    return private(render(request, "portal/objections/track.html", context, status=status))
