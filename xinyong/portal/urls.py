from django.urls import path

from . import tools, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("tools/check-code/", tools.check_code, name="check_code"),
]
