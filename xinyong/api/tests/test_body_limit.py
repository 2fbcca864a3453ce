"""The API body limit fits the documented 5,000-row JSON push; an over-size body gets the API's JSON 413."""

import json

import pytest
from django.conf import settings

from xinyong.accounts.choices import TokenScope
from xinyong.records.batches import MAX_JSON_ROWS
from xinyong.records.models import CreditRecord
from xinyong.records.tests.test_ingest import rows_for

from .test_collection_api import auth, token_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def token():
    from xinyong.accounts.tests.factories import DepartmentFactory

    return token_for(DepartmentFactory(code="SCJGJ", name="市场监管局"), TokenScope.RECORDS_WRITE)


def test_five_thousand_ascii_escaped_rows_are_accepted(client, token):
    body = json.dumps({"item": "CF", "rows": rows_for(MAX_JSON_ROWS)}, ensure_ascii=True)
    assert len(body) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE  # the page limit would refuse it
    response = client.post("/api/v1/records", body, content_type="application/json", **auth(token))
    assert response.status_code == 200, response.content[:300]
    assert (response.json()["total"], response.json()["accepted"]) == (MAX_JSON_ROWS, MAX_JSON_ROWS)
    assert CreditRecord.objects.count() == MAX_JSON_ROWS


@pytest.mark.parametrize("debug", [True, False])
def test_an_over_size_body_is_a_json_413_before_it_is_read(client, token, settings, debug):
    settings.DEBUG = debug
    body = b'{"item": "CF", "rows": [' + b" " * settings.XINYONG_API_MAX_BODY_BYTES + b"]}"
    response = client.post("/api/v1/records", body, content_type="application/json", **auth(token))
    assert response.status_code == 413 and response["Content-Type"] == "application/json"
    assert response.json()["code"] == "request_too_large" and "MB" in response.json()["message"]
    assert not CreditRecord.objects.exists()


def test_an_over_size_form_field_on_the_api_is_a_json_413(client, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from xinyong.accounts.tests.factories import DepartmentFactory

    token = token_for(DepartmentFactory(code="SCJGJ"), TokenScope.BATCHES_WRITE)
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    data = {"item": "CF" + " " * 2000, "file": SimpleUploadedFile("p.csv", b"a,b\n")}
    response = client.post("/api/v1/batches", data, **auth(token))
    assert response.status_code == 413 and response.json()["code"] == "request_too_large"


def test_a_file_upload_larger_than_the_json_limit_still_streams_to_the_importer(client, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from xinyong.accounts.tests.factories import DepartmentFactory
    from xinyong.catalog.models import CatalogItem
    from xinyong.records.tests.test_ingest import csv_bytes

    token = token_for(DepartmentFactory(code="SCJGJ"), TokenScope.BATCHES_WRITE)
    body = csv_bytes(CatalogItem.objects.get(code="CF"), rows_for(20))
    settings.XINYONG_API_MAX_BODY_BYTES = len(body) // 2
    response = client.post("/api/v1/batches", {"item": "CF", "file": SimpleUploadedFile("p.csv", body)}, **auth(token))
    assert response.status_code == 202 and response.json()["item"] == "CF"
