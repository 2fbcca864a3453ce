from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import patch_cache_control

from .context import RequestContext, new_request_id, reset_request, set_request


def client_address(meta: Mapping[str, Any]) -> str:
    """The client's address: REMOTE_ADDR, or the address the outermost trusted proxy saw.

    X-Forwarded-For is believed only when XINYONG_TRUSTED_PROXY_COUNT > 0 (the number of reverse proxies in
    front of the platform, each appending the address it saw); the client can forge everything before that.
    """
    remote = str(meta.get("REMOTE_ADDR") or "unknown")
    proxies = int(getattr(settings, "XINYONG_TRUSTED_PROXY_COUNT", 0) or 0)
    forwarded = [a.strip() for a in str(meta.get("HTTP_X_FORWARDED_FOR") or "").split(",") if a.strip()]
    if proxies <= 0 or not forwarded:
        return remote
    return forwarded[-proxies] if len(forwarded) >= proxies else forwarded[0]


def client_ip(request: HttpRequest) -> str | None:
    """The client address for audit events and the login lockout (AXES_CLIENT_IP_CALLABLE)."""
    address = client_address(request.META)
    return None if address == "unknown" else address


class RequestContextMiddleware:
    """Give every request an id (echoed in X-Request-ID) and remember the client address for audit."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if incoming.isalnum() and len(incoming) <= 64 else new_request_id()
        channel = "api" if request.path.startswith("/api/") else "web"
        token = set_request(RequestContext(request_id=request_id, ip=client_ip(request), channel=channel))
        try:
            response = self.get_response(request)
        finally:
            reset_request(token)
        response["X-Request-ID"] = request_id
        return response


class ApplicationErrorMiddleware:
    """Show an ApplicationError raised by a page as a Chinese error page with its status, never a 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from django.shortcuts import render

        from .errors import ApplicationError

        if not isinstance(exception, ApplicationError):
            return None
        context = {"error": exception, "messages_list": [i.message for i in exception.issues]}
        return render(request, "error.html", context, status=exception.status)


BODY_TOO_LARGE = "request_too_large"


def api_body_limit() -> int:
    return int(settings.XINYONG_API_MAX_BODY_BYTES)


def body_too_large_response() -> JsonResponse:
    limit_mb = api_body_limit() / (1024 * 1024)
    message = f"请求体超过接口上限（{limit_mb:.0f} MB）；请分批推送，或使用文件上传接口。"
    return JsonResponse({"code": BODY_TOO_LARGE, "message": message}, status=413)


class ApiBodyLimitMiddleware:
    """API bodies get their own limit (sized for the 5,000-row JSON push), refused as JSON 413 when over it.

    Within the limit a non-multipart API body is read here, so Django's page-sized
    DATA_UPLOAD_MAX_MEMORY_SIZE does not apply to it. Multipart file uploads stream to disk as usual and
    are capped by the importer (XINYONG_IMPORT_MAX_BYTES).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        has_body = request.method in ("POST", "PUT", "PATCH")
        multipart = (request.content_type or "").startswith("multipart/")
        if has_body and request.path.startswith("/api/") and not multipart:
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > api_body_limit():
                return body_too_large_response()
            request._body = request.read()
        return self.get_response(request)


# Pages use one stylesheet and no scripts of their own; only the API docs load (local) Swagger UI scripts.
# Templates carry a few style="" attributes, hence style-src-attr; <style> elements and inline scripts stay blocked.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "style-src-attr 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "camera",
        "microphone",
        "geolocation",
        "payment",
        "usb",
        "serial",
        "bluetooth",
        "display-capture",
    )
)
PRIVATE_PREFIXES = ("/backoffice/",)


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response; back-office pages (personal data:
    identity numbers, objection files, evidence) are never stored by browsers or proxies."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if request.path.startswith(PRIVATE_PREFIXES):
            patch_cache_control(response, no_store=True, private=True)
        return response
