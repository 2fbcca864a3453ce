"""The collection API through its real URLs with real department tokens."""

import pytest

from xinyong.accounts.choices import Role, TokenScope
from xinyong.accounts.services import api_token_create
from xinyong.accounts.tests.factories import DepartmentFactory, UserFactory
from xinyong.audit.models import AuditEvent
from xinyong.catalog.models import CatalogItem
from xinyong.records.models import CreditRecord
from xinyong.records.tests.factories import penalty_fields
from xinyong.records.tests.test_ingest import csv_bytes, labelled, rows_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def department():
    return DepartmentFactory(code="SCJGJ", name="市场监管局")


def token_for(department, *scopes):
    admin = UserFactory(roles=[Role.ADMINISTRATOR])
    return api_token_create(actor=admin, department=department, name="对接", scopes=list(scopes))[1]


def auth(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def upload(client, token, body, item="CF", name="p.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post("/api/v1/batches", {"item": item, "file": SimpleUploadedFile(name, body)}, **auth(token))


def test_upload_then_status_then_errors(client, department, django_capture_on_commit_callbacks):
    penalty = CatalogItem.objects.get(code="CF")
    token = token_for(department, TokenScope.BATCHES_WRITE)
    rows = rows_for(3)
    rows[2] = rows[2] | {"CF_CFLB": "打板子"}
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, token, csv_bytes(penalty, rows))
    assert response.status_code == 202
    batch_id = response.json()["id"]
    status = client.get(f"/api/v1/batches/{batch_id}", **auth(token)).json()
    assert status["status"] == "completed"
    assert (status["total"], status["accepted"], status["rejected"], status["unchanged"]) == (3, 2, 1, 0)
    errors = client.get(f"/api/v1/batches/{batch_id}/errors.csv", **auth(token))
    text = errors.content.decode("utf-8-sig")
    assert errors.status_code == 200 and "打板子" in text and "处罚类别" in text
    xlsx = client.get(f"/api/v1/batches/{batch_id}/errors.xlsx", **auth(token))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert AuditEvent.objects.filter(action="api_token.use").count() >= 4


def test_other_departments_cannot_see_a_batch(client, department, django_capture_on_commit_callbacks):
    penalty = CatalogItem.objects.get(code="CF")
    token = token_for(department, TokenScope.BATCHES_WRITE)
    with django_capture_on_commit_callbacks(execute=True):
        batch_id = upload(client, token, csv_bytes(penalty, rows_for(1))).json()["id"]
    other = token_for(DepartmentFactory(code="ZJJ"), TokenScope.BATCHES_WRITE)
    response = client.get(f"/api/v1/batches/{batch_id}", **auth(other))
    assert response.status_code == 404 and response.json()["code"] == "batch_not_found"


def test_scope_and_item_errors(client, department):
    penalty = CatalogItem.objects.get(code="CF")
    read_only = token_for(department, TokenScope.SHARED_READ)
    assert upload(client, read_only, csv_bytes(penalty, rows_for(1))).json()["code"] == "token_scope"
    token = token_for(department, TokenScope.BATCHES_WRITE)
    response = upload(client, token, csv_bytes(penalty, rows_for(1)), item="NOPE")
    assert response.status_code == 404 and response.json()["code"] == "catalog_item_not_found"
    missing = client.post("/api/v1/batches", {"item": "CF"}, **auth(token))
    assert missing.status_code == 422 and missing.json()["code"] == "invalid_request"


def test_json_push(client, department):
    penalty = CatalogItem.objects.get(code="CF")
    token = token_for(department, TokenScope.RECORDS_WRITE)
    rows = [labelled(penalty, r) for r in rows_for(2)] + [penalty_fields(CF_WSH="x", CF_JDRQ="2026/13/01")]
    response = client.post(
        "/api/v1/records", {"item": "CF", "rows": rows}, content_type="application/json", **auth(token)
    )
    body = response.json()
    assert response.status_code == 200
    assert (body["total"], body["accepted"], body["rejected"]) == (3, 2, 1)
    assert body["issues"][0]["line"] == 3 and body["issues"][0]["code"] == "date_invalid"
    again = client.post(
        "/api/v1/records", {"item": "CF", "rows": rows[:2]}, content_type="application/json", **auth(token)
    ).json()
    assert again["unchanged"] == 2 and CreditRecord.objects.count() == 2


def test_json_push_limits(client, department):
    token = token_for(department, TokenScope.RECORDS_WRITE)
    empty = client.post("/api/v1/records", {"item": "CF", "rows": []}, content_type="application/json", **auth(token))
    assert empty.status_code == 422 and empty.json()["errors"][0]["code"] == "rows_empty"
    garbage = client.post("/api/v1/records", "not json", content_type="application/json", **auth(token))
    assert garbage.status_code in (400, 422) and "code" in garbage.json()


def test_templates_download(client):
    xlsx = client.get("/api/v1/catalog/items/CF/template.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    page = client.get("/catalog/XK/template.csv")
    assert page.status_code == 200 and page.content.startswith(b"\xef\xbb\xbf")
    assert "行政相对人名称" in page.content.decode("utf-8-sig")
