"""Portal URLs for filing and tracking objections and credit repair applications (included in urls.py)."""

from django.urls import path

from . import objections, repairs

urlpatterns = [
    path("objections/new/", objections.objection_new, name="objection_new"),
    path("objections/track/<str:tracking_no>/", objections.objection_track_view, name="objection_track"),
    path("objections/filed/<str:tracking_no>/", objections.objection_filed, name="objection_filed"),
    path("repair/new/", repairs.repair_new, name="repair_new"),
    path("repair/filed/<str:tracking_no>/", repairs.repair_filed, name="repair_filed"),
    path("repair/track/<str:tracking_no>/", repairs.repair_track_view, name="repair_track"),
]
