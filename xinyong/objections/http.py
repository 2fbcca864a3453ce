"""HTTP helpers shared by the portal and back-office objection and repair pages: the applicant's fields,
evidence uploads within the request limits, per-field error messages.

Uploads: a request larger than `request_limit()` is answered before its body is read (CSRF is checked
after that guard, because the CSRF check would parse the body); Django's own DATA_UPLOAD_* limits are
turned into the same clear page (413) instead of a bare 400.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from xinyong.core.ids import parse_ids

from .services.evidence import MAX_FILES, Upload, max_bytes
from .services.intake import ApplicantInput

View = Callable[..., HttpResponse]
STATEMENT = "本人承诺所提交的材料真实有效，如有虚假愿承担法律责任"


def request_limit() -> int:
    """The largest objection or repair request accepted: every evidence file at its limit plus the form."""
    default = MAX_FILES * max_bytes() + int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0)
    return int(getattr(settings, "XINYONG_EVIDENCE_MAX_REQUEST_BYTES", default))


def file_mb() -> int:
    """The per-file evidence limit in MB, for the form's help text."""
    return max(1, max_bytes() // (1024 * 1024))


def _too_large(request: HttpRequest, template: str) -> HttpResponse:
    context = {"limit_mb": max(1, request_limit() // (1024 * 1024)), "file_mb": max_bytes() // (1024 * 1024)}
    return render(request, template, context, status=413)


def upload_limited(view: View, template: str = "portal/objections/too_large.html") -> View:
    """Refuse an oversize upload with a Chinese page (413), never a 500 or a bare 400."""
    protected = csrf_protect(view)

    @csrf_exempt
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > request_limit():
            return _too_large(request, template)
        try:
            return protected(request, *args, **kwargs)
        except (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent):
            return _too_large(request, template)

    return wrapper


def applicant_from(post: QueryDict) -> ApplicantInput:
    return ApplicantInput(
        kind=post.get("applicant_kind", ""),
        name=post.get("applicant_name", ""),
        id_number=post.get("id_number", ""),
        phone=post.get("phone", ""),
        email=post.get("email", ""),
        address=post.get("address", ""),
    )


def uploads_from(request: HttpRequest, field: str = "evidence") -> list[Upload]:
    return [Upload(name=f.name or "", file=f, size=f.size or 0) for f in request.FILES.getlist(field)]


def record_ids(values: list[str], cap: int = 20) -> list[int]:
    return parse_ids(values, cap)
