import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from xinyong.accounts.choices import Role
from xinyong.accounts.tests.factories import DepartmentFactory, UserFactory
from xinyong.catalog.models import CatalogItem
from xinyong.records.models import SubmissionBatch
from xinyong.records.tests.test_ingest import csv_bytes, rows_for

pytestmark = pytest.mark.django_db


def test_clerk_uploads_and_sees_progress_and_counts(client, django_capture_on_commit_callbacks):
    clerk = UserFactory(roles=[Role.PROVIDER_CLERK], department=DepartmentFactory(code="SCJGJ", name="市场监管局"))
    client.force_login(clerk)
    page = client.get("/backoffice/batches/").content.decode()
    assert "上传报送文件" in page and "/catalog/CF/template.xlsx" in page
    rows = rows_for(3)
    rows[0] = rows[0] | {"CF_JDRQ": "2026/02/30"}
    body = csv_bytes(CatalogItem.objects.get(code="CF"), rows)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/backoffice/batches/", {"item": "CF", "file": SimpleUploadedFile("p.csv", body)})
    batch = SubmissionBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/backoffice/batches/{batch.pk}/"
    detail = client.get(response["Location"]).content.decode()
    assert 'id="batch-progress" max="100" value="100"' in detail
    assert "已完成" in detail and "下载 XLSX" in detail and "处罚决定日期" in detail
    assert 'http-equiv="refresh"' not in detail  # finished: no more refreshing


def test_running_batch_page_refreshes_itself(client):
    clerk = UserFactory(roles=[Role.PROVIDER_CLERK], department=DepartmentFactory(code="SCJGJ"))
    client.force_login(clerk)
    body = csv_bytes(CatalogItem.objects.get(code="CF"), rows_for(1))
    client.post("/backoffice/batches/", {"item": "CF", "file": SimpleUploadedFile("p.csv", body)})  # not run yet
    batch = SubmissionBatch.objects.get()
    detail = client.get(f"/backoffice/batches/{batch.pk}/").content.decode()
    assert 'http-equiv="refresh"' in detail and "排队中" in detail


def test_upload_without_a_file_says_so(client):
    client.force_login(UserFactory(roles=[Role.PROVIDER_CLERK], department=DepartmentFactory()))
    response = client.post("/backoffice/batches/", {"item": "CF"})
    assert response.status_code == 422 and "请选择信息类别和要上传的文件" in response.content.decode()
