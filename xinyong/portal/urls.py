from django.urls import path

from . import public, tools, views
from .case_urls import urlpatterns as case_urlpatterns

app_name = "portal"

urlpatterns = [
    path("", public.home, name="home"),
    path("search/", public.search, name="search"),
    path("subjects/<str:slug>/", public.subject_detail, name="subject_detail"),
    path("lists/<str:which>/", public.list_page, name="list"),
    path("notices/", public.notices, name="notices"),
    path("notices/<int:pk>/", public.notice_detail, name="notice_detail"),
    path("help/objection/", public.objection_help, name="objection_help"),
    path("catalog/", views.catalog_list, name="catalog_list"),
    path("catalog/<str:code>/", views.catalog_detail, name="catalog_detail"),
    path("catalog/<str:code>/template.<str:fmt>", views.catalog_template, name="catalog_template"),
    path("tools/check-code/", tools.check_code, name="check_code"),
]
urlpatterns += case_urlpatterns  # objections and credit repair
