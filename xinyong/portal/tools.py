"""Public tools: the identifier check page (works without JavaScript).

The code is sent by POST so an ID number never lands in a URL, an access log or the browser history.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from xinyong.core import identifiers
from xinyong.core.identifiers import Kind

# Only organisation identifiers are shown in full; anything else may be (part of) an ID number.
_SHOWN_IN_FULL = frozenset({Kind.USCC, Kind.ORG_CODE})


@require_http_methods(["GET", "POST"])
@never_cache
def check_code(request: HttpRequest) -> HttpResponse:
    if request.method == "GET" and request.GET:
        return redirect("portal:check_code")  # an old bookmark or a typed URL: never echo or check it
    raw = request.POST.get("code") if request.method == "POST" else None
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
