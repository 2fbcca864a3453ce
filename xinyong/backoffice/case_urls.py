"""Back-office URLs for objections, credit repair, complaints, litigation and the inbox (included in urls.py)."""

from django.urls import path

from .views import cases, inbox, objection_filing, objections, repairs

urlpatterns = [
    path("objections/", objections.objection_list_view, name="objection_list"),
    path("objections/overdue/", objections.objection_overdue_view, name="objection_overdue"),
    path("objections/new/", objection_filing.objection_new_view, name="objection_new"),
    path("objections/evidence/<int:pk>/", objections.evidence_download_view, name="evidence_download"),
    path("objections/<int:pk>/", objections.objection_detail_view, name="objection_detail"),
    path("objections/<int:pk>/decide/", objections.objection_decide_view, name="objection_decide"),
    path("objections/<int:pk>/<str:action>/", objections.objection_action_view, name="objection_action"),
    path("repairs/", repairs.repair_list_view, name="repair_list"),
    path("repairs/<int:pk>/", repairs.repair_detail_view, name="repair_detail"),
    path("repairs/<int:pk>/decide/", repairs.repair_decide_view, name="repair_decide"),
    path("complaints/", cases.complaint_list_view, name="complaint_list"),
    path("complaints/<int:pk>/close/", cases.complaint_close_view, name="complaint_close"),
    path("litigation/", cases.litigation_list_view, name="litigation_list"),
    path("litigation/<int:pk>/close/", cases.litigation_close_view, name="litigation_close"),
    path("inbox/", inbox.inbox_view, name="inbox"),
    path("inbox/<int:pk>/", inbox.inbox_open_view, name="inbox_open"),
    path("inbox/<int:pk>/read/", inbox.inbox_read_view, name="inbox_read"),
]
