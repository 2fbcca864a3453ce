from django.contrib import admin
from django.urls import include, path

from xinyong.api.urls import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("backoffice/", include("xinyong.backoffice.urls")),
    path("django-admin/", admin.site.urls),
    path("", include("xinyong.portal.urls")),
]
