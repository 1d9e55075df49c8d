"""The API base: the OpenAPI document against the routes, the docs page, token auth, errors, pagination."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openapi_spec_validator import validate

from config.api import api
from momentos.accounts import services
from momentos.accounts.tests.factories import admin_of, make_branch

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_key(org: Any) -> str:
    _token, raw = services.api_token_create(organization=org, created_by=admin_of(org).user, name="Tests")
    return raw


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def assert_envelope(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body["error"]


# --- the OpenAPI document ---------------------------------------------------------------------------


def openapi(client: Client) -> dict[str, Any]:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


def routed_operations() -> set[tuple[str, str]]:
    """(METHOD, /api/path) for every operation mounted on config.api.api, read from the routers."""
    found = set()
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            full = "/api/" + "/".join(p.strip("/") for p in (prefix, path) if p.strip("/"))
            # OpenAPI writes {uuid:branch_id} as {branch_id}.
            full = re.sub(r"\{[^}:]+:([^}]+)\}", r"{\1}", full)
            for operation in path_view.operations:
                if not operation.include_in_schema:
                    continue
                for method in operation.methods:
                    found.add((method.upper(), full))
    return found


def test_openapi_document_is_valid_openapi_3(client: Client) -> None:
    document = openapi(client)
    assert document["openapi"].startswith("3.")
    validate(document)  # raises with the offending pointer when the document is not valid


def test_openapi_document_lists_every_route_of_the_api(client: Client) -> None:
    document = openapi(client)
    documented = {(method.upper(), path) for path, ops in document["paths"].items() for method in ops}
    routed = routed_operations()
    assert routed, "no operation found on the API: the comparison would prove nothing"
    assert ("GET", "/api/v1/branches") in routed and ("POST", "/api/v1/branches") in routed
    assert documented == routed


def test_every_documented_operation_declares_the_error_envelope(client: Client) -> None:
    document = openapi(client)
    envelope = "#/components/schemas/ErrorEnvelope"
    missing = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for status in ("400", "401", "404", "422"):
                schema = (
                    operation["responses"]
                    .get(status, {})
                    .get("content", {})
                    .get("application/json", {})
                    .get("schema", {})
                )
                if schema.get("$ref") != envelope:
                    missing.append(f"{method.upper()} {path} {status}")
    assert not missing, "operations without the error envelope: " + ", ".join(missing)
    error = document["components"]["schemas"]["ErrorBody"]
    assert {"code", "message"} <= set(error["required"])


def test_every_operation_requires_the_api_token(client: Client) -> None:
    document = openapi(client)
    assert document["components"]["securitySchemes"]["ApiTokenAuth"]["scheme"] == "bearer"
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert operation.get("security") == [{"ApiTokenAuth": []}], f"{method} {path}"


def test_api_docs_are_served_without_any_external_url(client: Client) -> None:
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui-bundle.js" in html
    assert not re.search(r"(src|href)=[\"']?(https?:)?//", html), "the docs page loads something from outside"
    settings_json = re.search(
        r'<script type="application/json" id="swagger-settings">(.*?)</script>', html, re.S
    )
    assert settings_json
    swagger_settings = json.loads(settings_json.group(1))
    # Swagger UI's default validator badge would make every browser call a third-party site.
    assert "validatorUrl" in swagger_settings and swagger_settings["validatorUrl"] is None
    assert swagger_settings["url"] == "/api/openapi.json"


def test_api_docs_static_files_are_shipped(client: Client) -> None:
    from django.contrib.staticfiles import finders

    for name in ("ninja/swagger-ui-bundle.js", "ninja/swagger-ui-init.js", "ninja/swagger-ui.css"):
        assert finders.find(name), name


# --- authentication -------------------------------------------------------------------------------


def test_missing_token_is_401_with_the_envelope(client: Client) -> None:
    assert_envelope(client.get("/api/v1/branches"), 401, "not_authenticated")


@pytest.mark.parametrize(
    "header",
    [
        "Bearer garbage",
        "Bearer ",
        "Bearer mom_",
        "Bearer tok_" + "x" * 40,
        "Bearer mom_" + "x" * 5000,
        "Bearer " + "y" * 5000,
        "Bearer mom_ñandú-çava-ü",
        "Basic dXNlcjpwYXNz",
        "Token mom_abc",
        "bearer",
        "Bearer mom_a b c",
        "Bearer mom_\x00\x01",
    ],
    ids=lambda h: h[:24],
)
def test_malformed_token_is_401_never_500(client: Client, org: Any, header: str) -> None:
    response = client.get("/api/v1/branches", HTTP_AUTHORIZATION=header.encode("utf-8").decode("latin-1"))
    assert_envelope(response, 401, "not_authenticated")


def test_revoked_token_is_401(client: Client, org: Any) -> None:
    token, raw = services.api_token_create(organization=org, created_by=admin_of(org).user, name="Old")
    assert client.get("/api/v1/branches", headers=bearer(raw)).status_code == 200
    services.api_token_revoke(token=token)
    assert_envelope(client.get("/api/v1/branches", headers=bearer(raw)), 401, "not_authenticated")


def test_token_records_when_it_was_last_used(client: Client, org: Any) -> None:
    token, raw = services.api_token_create(organization=org, created_by=admin_of(org).user, name="Sync")
    assert token.last_used_at is None
    client.get("/api/v1/organization", headers=bearer(raw))
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_session_login_does_not_open_the_api(admin_client: Client) -> None:
    assert_envelope(admin_client.get("/api/v1/branches"), 401, "not_authenticated")


def test_token_of_one_organisation_sees_only_its_branches(
    client: Client, org: Any, other_org: Any, api_key: str
) -> None:
    make_branch(org, name="Centro")
    theirs = make_branch(other_org, name="Rival centre")
    body = client.get("/api/v1/branches", headers=bearer(api_key)).json()
    assert [b["name"] for b in body["items"]] == ["Centro"]
    assert body["count"] == 1
    assert_envelope(client.get(f"/api/v1/branches/{theirs.pk}", headers=bearer(api_key)), 404, "not_found")
    assert client.get("/api/v1/organization", headers=bearer(api_key)).json()["name"] == "Acme"


# --- errors -----------------------------------------------------------------------------------------


def test_unknown_id_is_404_envelope(client: Client, api_key: str) -> None:
    response = client.get("/api/v1/branches/0190d1d2-0000-7000-8000-000000000000", headers=bearer(api_key))
    assert_envelope(response, 404, "not_found")


@pytest.mark.parametrize("path", ["/api/v1/branches/not-a-uuid", "/api/v1/nothing-here", "/api/v2/branches"])
def test_unmatched_api_path_is_404_envelope(client: Client, api_key: str, path: str) -> None:
    assert_envelope(client.get(path, headers=bearer(api_key)), 404, "not_found")


def test_unmatched_page_is_still_an_html_404(client: Client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_server_error_under_api_is_500_envelope(rf: Any) -> None:
    from momentos.core.api import server_error

    response = server_error(rf.get("/api/v1/branches"))
    assert response.status_code == 500
    assert json.loads(response.content)["error"]["code"] == "server_error"


def test_oversized_body_to_an_api_route_is_413_envelope(client: Client, api_key: str, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = json.dumps({"name": "x" * 2000, "time_zone": "America/Bogota"})
    response = client.post(
        "/api/v1/branches", data=body, content_type="application/json", headers=bearer(api_key)
    )
    assert_envelope(response, 413, "request_too_large")


def test_unparsable_body_is_400_envelope(client: Client, api_key: str) -> None:
    response = client.post(
        "/api/v1/branches", data="{not json", content_type="application/json", headers=bearer(api_key)
    )
    assert_envelope(response, 400, "bad_request")


# --- pagination -------------------------------------------------------------------------------------


def test_pagination_pages_and_counts(client: Client, org: Any, api_key: str) -> None:
    for n in range(7):
        make_branch(org, name=f"Branch {n:02d}")
    first = client.get("/api/v1/branches?page=1&page_size=3", headers=bearer(api_key)).json()
    last = client.get("/api/v1/branches?page=3&page_size=3", headers=bearer(api_key)).json()
    beyond = client.get("/api/v1/branches?page=9&page_size=3", headers=bearer(api_key)).json()
    assert (first["count"], first["page"], first["page_size"]) == (7, 1, 3)
    assert [b["name"] for b in first["items"]] == ["Branch 00", "Branch 01", "Branch 02"]
    assert [b["name"] for b in last["items"]] == ["Branch 06"]
    assert beyond["items"] == [] and beyond["count"] == 7


def test_pagination_defaults(client: Client, org: Any, api_key: str) -> None:
    body = client.get("/api/v1/channels", headers=bearer(api_key)).json()
    assert (body["page"], body["page_size"]) == (1, 50)
    assert body["count"] == len(body["items"]) > 0


@pytest.mark.parametrize(
    "query", ["page=0", "page=-1", "page=abc", "page_size=0", "page_size=501", "page_size=ten", "page=1.5"]
)
def test_invalid_pagination_is_400_envelope(client: Client, api_key: str, query: str) -> None:
    error = assert_envelope(
        client.get(f"/api/v1/branches?{query}", headers=bearer(api_key)), 400, "invalid_parameters"
    )
    field = query.split("=")[0]
    assert [d["field"] for d in error["details"]] == [field]


def test_api_messages_follow_the_request_language(client: Client) -> None:
    english = client.get("/api/v1/branches", HTTP_ACCEPT_LANGUAGE="en").json()["error"]["message"]
    assert "API token" in english


def test_api_urls_resolve_by_name() -> None:
    assert reverse("api:openapi-json") == "/api/openapi.json"
    assert reverse("api:openapi-view") == "/api/docs"
