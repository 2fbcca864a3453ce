from django.urls import path

from . import views
from .case_urls import urlpatterns as case_urlpatterns
from .views import admin_views, batches, changes, notices, records, review, shared

app_name = "backoffice"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("records/", records.record_list_view, name="record_list"),
    path("records/new/", records.record_create_view, name="record_create"),
    path("records/<int:pk>/", records.record_detail_view, name="record_detail"),
    path("records/<int:pk>/edit/", records.record_correct_view, name="record_correct"),
    path("records/<int:pk>/submit/", records.record_submit_view, name="record_submit"),
    path("records/<int:pk>/delete/", records.record_delete_view, name="record_delete"),
    path("records/<int:pk>/approve/", review.record_approve_view, name="record_approve"),
    path("records/<int:pk>/reject/", review.record_reject_view, name="record_reject"),
    path("records/<int:pk>/change/", changes.record_change_view, name="record_change"),
    path("records/<int:pk>/removal/", changes.record_removal_view, name="record_removal"),
    path("records/<int:pk>/basis/", changes.record_basis_view, name="record_basis"),
    path("review/", review.review_queue_view, name="review_queue"),
    path("review/bulk/<int:pk>/", review.bulk_review_detail_view, name="bulk_review_detail"),
    path("batches/<int:pk>/bulk-review/", review.bulk_review_start_view, name="bulk_review_start"),
    path("notices/", notices.notice_list_view, name="notice_list"),
    path("shared/", shared.shared_query_view, name="shared_query"),
    path("subjects/<int:pk>/reveal/", records.subject_reveal_view, name="subject_reveal"),
    path("batches/", batches.batch_list_view, name="batch_list"),
    path("batches/<int:pk>/", batches.batch_detail_view, name="batch_detail"),
    path("batches/<int:pk>/errors.<str:fmt>", batches.batch_errors_view, name="batch_errors"),
    path("audit/", admin_views.audit_list_view, name="audit_list"),
    path("tokens/", admin_views.token_list_view, name="token_list"),
    path("tokens/<int:pk>/revoke/", admin_views.token_revoke_view, name="token_revoke"),
]
urlpatterns += case_urlpatterns  # objections, repairs, complaints, litigation, inbox
