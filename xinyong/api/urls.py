"""The versioned REST API (/api/v1/, OpenAPI at /api/v1/docs). Thin: parse, call a service, answer."""

from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from xinyong.core.errors import ApplicationError
from xinyong.core.middleware import body_too_large_response

from .batches import router as batches_router
from .catalog import router as catalog_router
from .identifiers import router as identifiers_router
from .public import router as public_router
from .tokens import router as tokens_router

api = NinjaAPI(
    title="信用韶山 API",
    version="1",
    description="韶山市信用信息共享交换平台接口。错误统一返回 {code, message, errors?}。",
    urls_namespace="api-v1",
)


def error_body(code: str, message: str, errors: list | None = None) -> dict:
    body: dict = {"code": code, "message": message}
    if errors:
        body["errors"] = errors
    return body


@api.exception_handler(ApplicationError)
def application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(NinjaValidationError)
def request_invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [
        {
            "code": "invalid_parameter",
            "message": f"参数 {'.'.join(str(p) for p in e.get('loc', []))} 无效：{e.get('msg')}",
        }
        for e in exc.errors
    ]
    return api.create_response(request, error_body("invalid_request", "请求参数无效。", errors), status=422)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, error_body("unauthenticated", "未提供有效的访问令牌。"), status=401)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, error_body("http_error", str(exc)), status=exc.status_code)


@api.exception_handler(DjangoValidationError)
def django_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    return api.create_response(request, error_body("validation_failed", "；".join(exc.messages)), status=422)


@api.exception_handler(RequestDataTooBig)
def body_too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return body_too_large_response()


api.add_router("/identifiers", identifiers_router)
api.add_router("/catalog", catalog_router)
api.add_router("/token", tokens_router)
api.add_router("/public", public_router)
api.add_router("", batches_router)
