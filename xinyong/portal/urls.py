from django.urls import path

from . import tools, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("catalog/", views.catalog_list, name="catalog_list"),
    path("catalog/<str:code>/", views.catalog_detail, name="catalog_detail"),
    path("catalog/<str:code>/template.<str:fmt>", views.catalog_template, name="catalog_template"),
    path("tools/check-code/", tools.check_code, name="check_code"),
]
