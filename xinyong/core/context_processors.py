from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, str]:
    return {"CITY_NAME": settings.XINYONG_CITY_NAME, "PORTAL_NAME": settings.XINYONG_PORTAL_NAME}
