"""Back-office objection pages: the list, the overdue page, the case with the actions the viewer may take.

Thin: the selectors scope by department (others get 404), the services guard every transition.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from xinyong.accounts.permissions import has_permission
from xinyong.core.errors import ApplicationError, NotFound
from xinyong.objections import selectors
from xinyong.objections.choices import ObjectionStatus, Outcome
from xinyong.objections.models import Objection
from xinyong.objections.services import handling
from xinyong.objections.services.decide import objection_decide
from xinyong.records.models import CreditRecord

from .helpers import error_text

PAGE_SIZE = 30


@login_required
@require_GET
def objection_list_view(request: HttpRequest) -> HttpResponse:
    filters = {k: request.GET.get(k, "") for k in ("status", "overdue")}
    page = Paginator(selectors.objection_list(viewer=request.user, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "rows": selectors.objection_rows(page.object_list),
        "filters": filters,
        "statuses": ObjectionStatus.choices,
    }
    return render(request, "backoffice/objections/list.html", context)


@login_required
@require_GET
def objection_overdue_view(request: HttpRequest) -> HttpResponse:
    rows = selectors.objection_rows(selectors.overdue_list(viewer=request.user))
    return render(request, "backoffice/objections/overdue.html", {"rows": rows})


def _field_rows(record: CreditRecord, values: dict[str, Any], errors: dict[str, list[str]]) -> list[dict[str, Any]]:
    return [
        {
            "spec": spec,
            "name": f"r{record.pk}-{spec['code']}",
            "value": values.get(spec["code"], ""),
            "errors": errors.get(spec["code"], []),
        }
        for spec in record.item.fields
    ]


def _current(record: CreditRecord) -> dict[str, Any]:
    return {code: ";".join(v) if isinstance(v, list) else v for code, v in record.data.items()}


def _posted(record: CreditRecord, request: HttpRequest) -> dict[str, str]:
    values = {spec["code"]: request.POST.get(f"r{record.pk}-{spec['code']}", "") for spec in record.item.fields}
    return {code: value for code, value in values.items() if value.strip()}


def _corrections(
    records: list[CreditRecord], request: HttpRequest | None, errors: dict[str, list[str]]
) -> list[dict[str, Any]]:
    return [
        {"record": r, "rows": _field_rows(r, _posted(r, request) if request else _current(r), errors)} for r in records
    ]


def _detail_context(request: HttpRequest, objection: Objection) -> dict[str, Any]:
    user = request.user
    records = list(
        CreditRecord.objects.filter(objection_items__objection=objection).select_related("item", "subject", "provider")
    )
    can_decide = (
        has_permission(user, selectors.DECIDE)
        and objection.provider_id == getattr(user, "department_id", None)
        and objection.status == ObjectionStatus.FORWARDED
    )
    return {
        "case": objection,
        "records": records,
        "steps": selectors.step_table(objection),
        "step": selectors.current_step(objection),
        "events": objection.events.select_related("actor"),
        "evidence": objection.evidence.all(),
        "complaints": objection.complaints.all(),
        "can_handle": has_permission(user, selectors.HANDLE) and objection.is_open,
        "can_decide": can_decide,
        "outcomes": Outcome.choices,
        "corrections": _corrections(records, None, {}) if can_decide else [],
        "decision": {},
    }


@login_required
@require_GET
def objection_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    objection = selectors.objection_get(viewer=request.user, pk=pk)
    return render(request, "backoffice/objections/detail.html", _detail_context(request, objection))


Action = Callable[[Any, Objection, HttpRequest], Any]
ACTIONS: dict[str, tuple[Action, str]] = {
    "accept": (lambda u, o, r: handling.objection_accept(actor=u, objection=o), "已受理，所涉记录已标注“异议处理中”。"),
    "request-material": (
        lambda u, o, r: handling.objection_request_material(actor=u, objection=o, note=r.POST.get("note", "")),
        "已通知申请人补正材料。",
    ),
    "decline": (
        lambda u, o, r: handling.objection_decline(actor=u, objection=o, reason=r.POST.get("reason", "")),
        "已决定不予受理，并告知申请人。",
    ),
    "forward": (lambda u, o, r: handling.objection_forward(actor=u, objection=o), "已转信息提供单位核查。"),
}


@login_required
@require_POST
def objection_action_view(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """受理 / 要求补正 / 不予受理 / 转提供单位 (platform clerk)."""
    if action not in ACTIONS:
        raise NotFound("未找到该操作。", code="action_not_found")
    objection = selectors.objection_get(viewer=request.user, pk=pk)
    run, success = ACTIONS[action]
    try:
        run(request.user, objection, request)
    except ApplicationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, success)
    return redirect("backoffice:objection_detail", pk=pk)


@login_required
@require_POST
def objection_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    """核查决定 by a reviewer of the owning department; 更正 carries the corrected fields of every record."""
    objection = selectors.objection_get(viewer=request.user, pk=pk)
    context = _detail_context(request, objection)
    outcome = request.POST.get("outcome", "")
    corrections = {r.pk: _posted(r, request) for r in context["records"]} if outcome == Outcome.CORRECTED else None
    try:
        objection_decide(
            actor=request.user,
            objection=objection,
            outcome=outcome,
            reason=request.POST.get("reason", ""),
            corrections=corrections,
        )
    except ApplicationError as exc:
        if isinstance(exc, NotFound):
            raise
        errors = {i.field: [i.message] for i in exc.issues if i.field}
        context.update(
            decision={"outcome": outcome, "reason": request.POST.get("reason", "")},
            decision_errors=[i.message for i in exc.issues] or [exc.message],
            corrections=_corrections(context["records"], request, errors) if context["can_decide"] else [],
        )
        return render(request, "backoffice/objections/detail.html", context, status=exc.status)
    messages.success(request, f"已作出核查决定：{Outcome(outcome).label}，并告知申请人。")
    return redirect("backoffice:objection_detail", pk=pk)


@login_required
@require_GET
def evidence_download_view(request: HttpRequest, pk: int) -> FileResponse:
    """An evidence file, for staff who may see its case (the download is audited)."""
    evidence = selectors.evidence_open(viewer=request.user, pk=pk)
    response = FileResponse(
        default_storage.open(evidence.raw_file.storage_name, "rb"),
        as_attachment=True,
        filename=evidence.name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
