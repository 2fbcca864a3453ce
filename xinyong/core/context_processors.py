from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, str]:
    backoffice = request.path.startswith("/backoffice/")
    return {
        "CITY_NAME": settings.XINYONG_CITY_NAME,
        "PORTAL_NAME": settings.XINYONG_PORTAL_NAME,
        "ERROR_BASE": "base_backoffice.html" if backoffice else "base_portal.html",
        "HOME_URL": "/backoffice/" if backoffice else "/",
    }
