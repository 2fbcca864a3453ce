from django.test import Client

from xinyong.core.identifiers import check

URL = "/api/v1/identifiers/check"


def test_valid_uscc_returns_the_check_result(client: Client) -> None:
    response = client.get(URL, {"code": "９１１１ 0000-600037341l"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {
        "input": "９１１１ 0000-600037341l",
        "normalized": "91110000600037341L",
        "kind": "uscc",
        "valid": True,
        "errors": [],
        "warnings": [],
    }


def test_invalid_code_is_still_200_with_errors(client: Client) -> None:
    response = client.get(URL, {"code": "91110000600037341K"})
    assert response.status_code == 200
    assert response.json() == {
        "input": "91110000600037341K",
        "normalized": "91110000600037341K",
        "kind": "uscc",
        "valid": False,
        "errors": [{"code": "uscc_check_mismatch", "message": "校验码错误：第18位应为“L”，实际为“K”。"}],
        "warnings": [],
    }


def test_answer_equals_the_core_check_for_every_kind(client: Client) -> None:
    for code in ["11010519491231002X", "430382900307123", "60003734-1", "430382199002301237", "abc", ""]:
        response = client.get(URL, {"code": code})
        assert response.status_code == 200
        assert response.json() == check(code).as_dict()


def test_legacy_id_carries_its_warning(client: Client) -> None:
    body = client.get(URL, {"code": "430382900307123"}).json()
    assert body["kind"] == "citizen_id_15"
    assert body["valid"] is True
    assert [w["code"] for w in body["warnings"]] == ["legacy_id_15"]


def test_missing_code_is_422_in_the_project_error_shape(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_request"
    assert body["message"] == "请求参数无效。"
    assert len(body["errors"]) == 1
    assert body["errors"][0]["code"] == "invalid_parameter"
    assert "code" in body["errors"][0]["message"]


def test_overlong_code_is_capped_and_not_processed(client: Client) -> None:
    response = client.get(URL, {"code": "9" * 5000})
    assert response.status_code == 200
    body = response.json()
    assert body["valid"] is False
    assert body["kind"] == "unknown"
    assert body["normalized"] == ""
    assert len(body["input"]) == 100
    assert [e["code"] for e in body["errors"]] == ["too_long"]


def test_needs_no_authentication(client: Client) -> None:
    response = client.get(URL, {"code": "91110000600037341L"}, HTTP_AUTHORIZATION="")
    assert response.status_code == 200


def test_endpoint_is_in_the_openapi_schema(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/identifiers/check"]["get"]
    assert [p["name"] for p in operation["parameters"]] == ["code"]
    assert "security" not in operation
