from urllib.parse import quote

import pytest

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
