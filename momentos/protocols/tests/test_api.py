"""The studio's API: the same rules as the pages, the error envelope, 409 on stale revisions, 422 with reasons."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from momentos.accounts.choices import Role
from momentos.accounts.services import api_token_create
from momentos.accounts.tests.factories import admin_of
from momentos.protocols.choices import VersionStatus
from momentos.protocols.models import DocumentVersion
from momentos.protocols.tests.factories import complete_protocol, published_protocol

pytestmark = pytest.mark.django_db


def api_client(org: Any, user: Any | None = None) -> Client:
    _token, key = api_token_create(organization=org, created_by=user or admin_of(org).user, name="test")
    return Client(headers={"Authorization": f"Bearer {key}"})


def test_requires_a_token(org: Any) -> None:
    response = Client().get("/api/v1/documents")
    assert response.status_code == 401 and response.json()["error"]["code"]


def test_create_edit_submit_publish(org: Any) -> None:
    client = api_client(org)
    created = client.post(
        "/api/v1/documents", {"kind": "protocol", "language": "en", "title": "Phone complaint"}, content_type="application/json"
    )
    assert created.status_code == 201
    version_id = created.json()["versions"][0]["id"]
    edit = {
        "revision": 1,
        "title": "Phone complaint",
        "trigger": "A customer calls to complain.",
        "blocks": [
            {"kind": "step", "actor": "Agent", "body": "Thank them for calling."},
            {"kind": "dont", "body": "Put them on hold without asking."},
        ],
    }
    saved = client.put(f"/api/v1/versions/{version_id}", edit, content_type="application/json")
    assert saved.status_code == 200, saved.json()
    body = saved.json()
    assert body["revision"] == 2 and body["blocks"][0]["body_html"] == "<p>Thank them for calling.</p>"

    stale = client.put(f"/api/v1/versions/{version_id}", {**edit, "title": "Stale"}, content_type="application/json")
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "edit_conflict"
    assert stale.json()["error"]["details"]["current_revision"] == 2
    assert DocumentVersion.objects.get(pk=version_id).title == "Phone complaint"

    assert client.post(f"/api/v1/versions/{version_id}/submit").json()["status"] == VersionStatus.REVIEW
    assert client.get(f"/api/v1/versions/{version_id}/publication").json() == {"ready": True, "reasons": []}
    refused = client.post(f"/api/v1/versions/{version_id}/publication", {}, content_type="application/json")
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "incomplete"
    assert any("change note" in r for r in refused.json()["error"]["details"])
    published = client.post(
        f"/api/v1/versions/{version_id}/publication", {"change_note": "First."}, content_type="application/json"
    )
    assert published.status_code == 200 and published.json()["status"] == "published"
    again = client.put(f"/api/v1/versions/{version_id}", {**edit, "revision": 2}, content_type="application/json")
    assert again.status_code == 400 and again.json()["error"]["code"] == "not_editable"


def test_incomplete_document_lists_every_reason(org: Any) -> None:
    client = api_client(org)
    created = client.post(
        "/api/v1/documents", {"kind": "manual", "title": "Front desk"}, content_type="application/json"
    ).json()
    version_id = created["versions"][0]["id"]
    response = client.post(f"/api/v1/versions/{version_id}/publication", {"change_note": ""}, content_type="application/json")
    assert response.status_code == 422
    assert len(response.json()["error"]["details"]) == 3  # note, area, sections


def test_token_of_a_supervisor_cannot_publish(org: Any, make_member_of: Any) -> None:
    qm = make_member_of(Role.QUALITY_MANAGER)
    draft = complete_protocol(org, qm)
    supervisor = make_member_of(Role.SUPERVISOR)
    response = api_client(org, supervisor.user).post(
        f"/api/v1/versions/{draft.pk}/publication", {"change_note": "x"}, content_type="application/json"
    )
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"


def test_bad_input_is_a_4xx(org: Any) -> None:
    client = api_client(org)
    assert client.post("/api/v1/documents", {"kind": "poem", "title": "x"}, content_type="application/json").status_code == 422
    assert client.post("/api/v1/documents", {"kind": "guide", "title": ""}, content_type="application/json").status_code == 422
    qm = admin_of(org)
    draft = complete_protocol(org, qm)
    unknown = client.put(
        f"/api/v1/versions/{draft.pk}",
        {"revision": draft.revision, "title": "t", "channels": ["01900000-0000-7000-8000-000000000000"]},
        content_type="application/json",
    )
    assert unknown.status_code == 400 and unknown.json()["error"]["details"]
    wrong_block = client.put(
        f"/api/v1/versions/{draft.pk}",
        {"revision": draft.revision, "title": "t", "blocks": [{"kind": "section", "body": "x"}]},
        content_type="application/json",
    )
    assert wrong_block.status_code == 400


def test_read_and_new_draft(org: Any) -> None:
    admin = admin_of(org)
    published = published_protocol(org, admin)
    client = api_client(org)
    document = client.get(f"/api/v1/documents/{published.document_id}").json()
    assert document["current_version"]["number"] == 1 and document["title"] == published.title
    draft = client.post(f"/api/v1/documents/{published.document_id}/versions")
    assert draft.status_code == 201 and draft.json()["number"] == 2 and len(draft.json()["blocks"]) == 4
    versions = client.get(f"/api/v1/documents/{published.document_id}/versions").json()
    assert [v["number"] for v in versions] == [2, 1]


def test_list_filters_and_query_count(org: Any) -> None:
    admin = admin_of(org)
    client = api_client(org)
    published_protocol(org, admin, title="Atención")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/api/v1/documents").json()["count"] == 1
    for n in range(5):
        published_protocol(org, admin, title=f"Other {n}")
    with CaptureQueriesContext(connection) as many:
        body = client.get("/api/v1/documents", {"q": "atencion"}).json()
    assert body["count"] == 1 and body["items"][0]["title"] == "Atención"
    assert len(many) <= len(few) + 1
    assert client.get("/api/v1/documents", {"kind": "guide"}).json()["count"] == 0


def test_other_organisation_is_404(org: Any, other_org: Any) -> None:
    published = published_protocol(other_org, admin_of(other_org))
    client = api_client(org)
    assert client.get(f"/api/v1/versions/{published.pk}").status_code == 404
    assert client.get(f"/api/v1/documents/{published.document_id}").status_code == 404
