from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from xinyong.api.urls import api


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness for load balancers and the search benchmark's baseline: no database, no template."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("backoffice/", include("xinyong.backoffice.urls")),
    path("django-admin/", admin.site.urls),
    path("", include("xinyong.portal.urls")),
]
