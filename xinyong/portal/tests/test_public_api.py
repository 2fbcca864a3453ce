from urllib.parse import quote

import pytest

from xinyong.api.public import SubjectDetailOut
from xinyong.publication import selectors
from xinyong.publication.tests.public_factories import publish
from xinyong.records.tests.factories import penalty_fields

from .dataset import build_public_dataset

pytestmark = pytest.mark.django_db
API = "/api/v1/public/subjects"


@pytest.fixture
def data(settings):
    settings.XINYONG_SEARCH_RATE_LIMIT = "off"
    return build_public_dataset()


def test_search_by_name_returns_masked_summaries_with_counts(client, data):
    response = client.get(f"{API}?q={quote('韶峰')}")
    assert response.status_code == 200
    body = response.json()
    assert (body["total"], body["total_capped"], body["by"], body["limit"], body["offset"]) == (2, False, "name", 20, 0)
    first = next(s for s in body["results"] if s["slug"] == data.slugs["a"])
    assert first["name"] == "韶山市清溪镇韶峰食品有限公司" and first["code"] == data.codes["a"]
    assert first["counts"] == {"licence": 0, "penalty": 1, "red": 0, "black": 0, "commitment": 0, "other": 0}
    assert first["kind_label"] == "法人及非法人组织"


def test_search_by_identity_number_finds_the_person_masked(client, data):
    body = client.get(f"{API}?q={data.codes['person']}").json()
    assert body["by"] == "identity"
    [person] = body["results"]
    assert (person["name"], person["code"]) == ("李*", "4303**********1237")
    assert data.codes["person"] not in str(body)


def test_subject_by_slug_code_or_identity_number(client, data):
    by_slug = client.get(f"{API}/{data.slugs['person']}").json()
    by_id = client.get(f"{API}/{data.codes['person']}").json()
    assert by_slug == by_id
    [record] = by_slug["records"]
    assert record["group"] == "penalty" and record["group_label"] == "行政处罚"
    assert record["repair_from"] and record["publicity_ends_on"] and record["under_objection"] is False
    labels = {f["label"]: f["value"] for f in record["fields"]}
    assert labels["行政相对人名称"] == "李*" and "证件号码" not in labels
    black = client.get(f"{API}/{data.codes['black'].lower()}").json()
    assert black["records"][0]["under_objection"] is True
    assert black["records"][0]["list_name"] == "食品安全严重违法失信名单"


def test_subject_answer_reads_its_records_once_then_comes_from_the_cache(client, data, django_assert_num_queries):
    url = f"{API}/{data.codes['a']}"
    with django_assert_num_queries(2):  # first view: change stamp, then the current records with their subject
        first = client.get(url)
    with django_assert_num_queries(1):  # again: the change stamp, then the cached answer
        again = client.get(url)
    assert first.status_code == again.status_code == 200 and again.content == first.content
    assert first["Content-Type"] == "application/json; charset=utf-8"
    assert SubjectDetailOut.model_validate_json(first.content).model_dump(mode="json") == first.json()
    assert first.json()["counts"] == {"licence": 0, "penalty": 1, "red": 0, "black": 0, "commitment": 0, "other": 0}


def test_counts_cover_every_current_record_when_only_the_newest_are_shown(client, data, monkeypatch):
    publish(data.staff, "CF", penalty_fields(CF_WSH="韶市监罚〔2026〕41号", CF_CFLB="罚款"))  # company a's second
    monkeypatch.setattr(selectors, "MAX_RECORDS_SHOWN", 1)
    body = client.get(f"{API}/{data.codes['a']}").json()
    assert len(body["records"]) == 1 and body["counts"]["penalty"] == 2


def test_errors_use_the_json_error_shape(client, data):
    response = client.get(f"{API}?q={quote('韶')}")
    assert response.status_code == 422 and response.json()["code"] == "query_too_short"
    response = client.get(f"{API}/nobody")
    assert response.status_code == 404 and response.json()["code"] == "subject_not_found"
    response = client.get(f"{API}?q={quote('韶山')}&limit=500")
    assert response.status_code == 422 and response.json()["code"] == "invalid_request"
    assert client.get(API).status_code == 422
    assert client.get(f"{API}?q={'韶' * 200}").status_code == 422


def test_openapi_documents_the_public_endpoints_in_chinese(client):
    schema = client.get("/api/v1/openapi.json").json()
    search = schema["paths"]["/api/v1/public/subjects"]["get"]
    detail = schema["paths"]["/api/v1/public/subjects/{code}"]["get"]
    assert "至少2个字" in search["description"] and "429" in search["responses"]
    assert "404" in detail["responses"] and "security" not in detail
    components = schema["components"]["schemas"]
    assert "脱敏" in components["SubjectOut"]["properties"]["code"]["description"]
