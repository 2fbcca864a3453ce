from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from .context import RequestContext, new_request_id, reset_request, set_request


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


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
    DATA_UPLOAD_MAX_MEMORY_SIZE does not apply to it; multipart uploads stream as usual.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/") and request.method in ("POST", "PUT", "PATCH"):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > api_body_limit():
                return body_too_large_response()
            if not request.content_type.startswith("multipart/"):
                request._body = request.read()  # type: ignore[attr-defined]
        return self.get_response(request)
