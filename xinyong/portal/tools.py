"""Public tools: the identifier check page (works without JavaScript)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from xinyong.core import identifiers
from xinyong.core.identifiers import Kind

# Only organisation identifiers are shown in full; anything else may be (part of) an ID number.
_SHOWN_IN_FULL = frozenset({Kind.USCC, Kind.ORG_CODE})


@require_GET
@never_cache
def check_code(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("code")
    context: dict[str, object] = {"code_value": "", "result": None}
    if raw is not None:
        result = identifiers.check(raw)
        shown_in_full = result.kind in _SHOWN_IN_FULL
        context.update(
            result=result,
            code_value=raw if shown_in_full else "",
            normalized_display=(result.normalized if shown_in_full else identifiers.mask_citizen_id(result.normalized)),
        )
    return render(request, "portal/check_code.html", context)
