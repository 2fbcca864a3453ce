from django.urls import path

from . import views
from .views import admin_views, batches, records

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
    path("subjects/<int:pk>/reveal/", records.subject_reveal_view, name="subject_reveal"),
    path("batches/", batches.batch_list_view, name="batch_list"),
    path("batches/<int:pk>/", batches.batch_detail_view, name="batch_detail"),
    path("batches/<int:pk>/errors.<str:fmt>", batches.batch_errors_view, name="batch_errors"),
    path("audit/", admin_views.audit_list_view, name="audit_list"),
    path("tokens/", admin_views.token_list_view, name="token_list"),
    path("tokens/<int:pk>/revoke/", admin_views.token_revoke_view, name="token_revoke"),
]
