import pytest


@pytest.mark.django_db
def test_unknown_api_path_is_a_json_404_or_html_not_500(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404


@pytest.mark.django_db
def test_openapi_schema_lists_the_public_endpoints(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/identifiers/check" in schema["paths"]
    assert "/api/v1/catalog/items/{code}" in schema["paths"]
    assert schema["info"]["title"] == "信用韶山 API"


@pytest.mark.django_db
def test_unknown_portal_page_is_a_chinese_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and "页面不存在" in response.content.decode()
