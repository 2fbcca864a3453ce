"""The OpenAPI schema tells the truth: real responses match their declared schema, every status the API
answers with is documented, and the schema allows no query the API refuses."""

import re
from urllib.parse import quote

import pytest

from xinyong.accounts.choices import TokenScope
from xinyong.accounts.tests.factories import DepartmentFactory
from xinyong.records.tests.factories import penalty_fields

from .test_collection_api import auth, token_for

pytestmark = pytest.mark.django_db
TYPES = {"string": str, "integer": int, "boolean": bool, "array": list, "object": dict, "number": (int, float)}


@pytest.fixture
def schema(client):
    return client.get("/api/v1/openapi.json").json()


def problems(schema, node, value, where="$"):
    """Where `value` breaks the JSON schema `node` (the subset the API's schema uses)."""
    if "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    if "anyOf" in node:
        found = [problems(schema, option, value, where) for option in node["anyOf"]]
        return [] if any(not f for f in found) else min(found, key=len)
    kind = node.get("type")
    if kind == "null":
        return [] if value is None else [f"{where}: expected null"]
    if kind and (not isinstance(value, TYPES[kind]) or (kind != "boolean" and isinstance(value, bool))):
        return [f"{where}: expected {kind}, got {type(value).__name__}"]
    if "enum" in node and value not in node["enum"]:
        return [f"{where}: {value!r} not in enum"]
    found = []
    if kind == "array":
        for i, item in enumerate(value):
            found += problems(schema, node.get("items", {}), item, f"{where}[{i}]")
    if kind == "object":
        found += [f"{where}: missing {key}" for key in node.get("required", []) if key not in value]
        for key, item in value.items():
            sub = node.get("properties", {}).get(key, node.get("additionalProperties") or {})
            found += problems(schema, sub if isinstance(sub, dict) else {}, item, f"{where}.{key}")
    return found


def check(schema, response, path, method="get"):
    declared = schema["paths"][path][method]["responses"]
    status = str(response.status_code)
    assert status in declared, f"{method.upper()} {path} answered {status}, documented {sorted(declared)}"
    body_schema = declared[status]["content"]["application/json"]["schema"]
    assert problems(schema, body_schema, response.json()) == []


def test_public_responses_match_their_schemas(client, schema):
    check(schema, client.get("/api/v1/catalog/items"), "/api/v1/catalog/items")
    check(schema, client.get("/api/v1/catalog/items/CF"), "/api/v1/catalog/items/{code}")
    check(schema, client.get("/api/v1/catalog/items/NOPE"), "/api/v1/catalog/items/{code}")
    identifiers = "/api/v1/identifiers/check"
    check(schema, client.get(identifiers, {"code": "9111I000600037341O"}), identifiers)
    check(schema, client.get(identifiers, {"code": "430382900307123"}), identifiers)  # with a warning
    check(schema, client.get(identifiers), identifiers)
    check(schema, client.get("/api/v1/public/subjects", {"q": "韶"}), "/api/v1/public/subjects")
    check(schema, client.get("/api/v1/public/subjects/nobody"), "/api/v1/public/subjects/{code}")


def test_authenticated_responses_and_refusals_match_their_schemas(client, schema):
    department = DepartmentFactory(code="SCJGJ", name="市场监管局")
    token = token_for(department, TokenScope.RECORDS_WRITE)
    rows = [penalty_fields(), penalty_fields(CF_WSH="x", CF_JDRQ="2026/13/01")]
    push = client.post("/api/v1/records", {"item": "CF", "rows": rows}, content_type="application/json", **auth(token))
    check(schema, push, "/api/v1/records", "post")
    assert push.json()["issues"]
    for body in ({"item": "NOPE", "rows": rows}, {"item": "CF"}, {"item": "CF", "rows": []}):
        response = client.post("/api/v1/records", body, content_type="application/json", **auth(token))
        check(schema, response, "/api/v1/records", "post")
    check(schema, client.post("/api/v1/records", {}, content_type="application/json"), "/api/v1/records", "post")
    check(schema, client.get("/api/v1/token/whoami"), "/api/v1/token/whoami")
    check(schema, client.get("/api/v1/token/whoami", **auth(token)), "/api/v1/token/whoami")
    batch = "/api/v1/batches/{batch_id}"
    for batch_id in (push.json()["id"], 999999, 9223372036854775808, "x"):
        check(schema, client.get(f"/api/v1/batches/{batch_id}", **auth(token)), batch)
    check(schema, client.get("/api/v1/batches/1"), batch)
    wrong_scope = client.post("/api/v1/batches", {"item": "CF"}, **auth(token))
    check(schema, wrong_scope, "/api/v1/batches", "post")


def test_every_operation_documents_the_refusals_it_can_give(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            declared = set(operation["responses"])
            name = f"{method.upper()} {path}"
            if operation.get("security"):
                assert {"401"} <= declared, name
            if "{" in path:
                assert "404" in declared, name
            parameters = operation.get("parameters", [])
            validated = [p for p in parameters if p["in"] == "query" or p["schema"].get("type") != "string"]
            if validated or operation.get("requestBody"):  # a free-text path segment cannot be invalid
                assert "422" in declared, name


@pytest.mark.parametrize(
    "q", ["a", "ab", "  ", "a b", "（）", "__", "韶山", "韶 ", "é1", "１２", "-a-", "韶\n山", "a_"]
)
def test_the_query_pattern_allows_exactly_the_queries_the_search_accepts(client, schema, q):
    parameters = schema["paths"]["/api/v1/public/subjects"]["get"]["parameters"]
    q_schema = next(p for p in parameters if p["name"] == "q")["schema"]
    allowed = len(q) >= q_schema["minLength"] and re.search(q_schema["pattern"], q) is not None
    response = client.get(f"/api/v1/public/subjects?q={quote(q)}")
    assert (response.status_code == 200) == allowed, (q, response.status_code, response.content[:200])
    if not allowed:
        assert response.json()["code"] == "query_too_short"
