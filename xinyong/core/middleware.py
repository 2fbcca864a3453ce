from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

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
