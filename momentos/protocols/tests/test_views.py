"""Pages of the studio: list and search, creating, editing (with conflicts), publishing, comparing, printing."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from momentos.accounts.choices import Role
from momentos.accounts.models import Channel
from momentos.protocols import services
from momentos.protocols.choices import DocumentKind, VersionStatus
from momentos.protocols.models import Document, DocumentVersion
from momentos.protocols.tests.factories import complete_protocol, published_protocol

pytestmark = pytest.mark.django_db


def _edit_payload(version: DocumentVersion, **overrides: Any) -> dict[str, Any]:
    data = {
        "revision": version.revision,
        "title": version.title,
        "summary": "",
        "trigger": "A customer waits more than ten minutes.",
        "body": "",
        "step-TOTAL_FORMS": "2",
        "step-INITIAL_FORMS": "0",
        "step-0-position": "2",
        "step-0-actor": "Supervisor",
        "step-0-title": "Comfort",
        "step-0-body": "Offer a seat and water.",
        "step-1-position": "1",
        "step-1-actor": "Agent",
        "step-1-body": "Apologise for the wait.",
        "do-TOTAL_FORMS": "1",
        "do-INITIAL_FORMS": "0",
        "do-0-body": "Tell them how long it will take.",
        "dont-TOTAL_FORMS": "0",
        "dont-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


# --- list ---------------------------------------------------------------------------------------------


def test_list_empty_state_invites_designers_to_write(qm_client: Any) -> None:
    response = qm_client.get(reverse("protocols:document_list"))
    assert response.status_code == 200
    assert "No documents yet" in response.text and reverse("protocols:document_create") in response.text


def test_search_ignores_accents_and_case_in_titles_and_text(org: Any, qm: Any, qm_client: Any) -> None:
    complete_protocol(org, qm, title="Atención de reclamos")
    other = complete_protocol(org, qm, title="Saludo")
    services.version_update(
        version=other, actor=qm, revision=other.revision, title="Saludo", trigger="Llega un cliente", body="Sonría con ÉNFASIS"
    )
    url = reverse("protocols:document_list")
    assert "Atención de reclamos" in qm_client.get(url, {"q": "ATENCION"}).text
    assert "Saludo" not in qm_client.get(url, {"q": "atencion"}).text
    assert "Saludo" in qm_client.get(url, {"q": "enfasis"}).text
    assert "No document matches" in qm_client.get(url, {"q": "zzz"}).text


def test_filters_by_kind_status_and_channel(org: Any, qm: Any, qm_client: Any) -> None:
    published = published_protocol(org, qm, title="Published one")
    services.document_create(organization=org, actor=qm, kind=DocumentKind.GUIDE, language="en", title="Guide one")
    phone = Channel.objects.for_organization(org).first()
    scoped = complete_protocol(org, qm, title="Phone only")
    services.version_update(
        version=scoped, actor=qm, revision=scoped.revision, title="Phone only", trigger="t",
        channels=[c for c in Channel.objects.for_organization(org) if c != phone][:1],
    )
    url = reverse("protocols:document_list")
    by_kind = qm_client.get(url, {"kind": "guide"}).text
    assert "Guide one" in by_kind and "Published one" not in by_kind
    by_status = qm_client.get(url, {"status": "published"}).text
    assert "Published one" in by_status and "Guide one" not in by_status
    by_channel = qm_client.get(url, {"channel": str(phone.pk)}).text
    assert published.title in by_channel  # applies to every channel
    assert "Phone only" not in by_channel  # scoped to another channel


def test_list_query_count_does_not_grow_with_documents(org: Any, qm: Any, qm_client: Any) -> None:
    url = reverse("protocols:document_list")
    published_protocol(org, qm, title="First")
    qm_client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert qm_client.get(url).status_code == 200
    for n in range(6):
        published_protocol(org, qm, title=f"Doc {n}")
        services.version_new_draft(document=Document.objects.order_by("-created_at").first(), actor=qm)
    with CaptureQueriesContext(connection) as many:
        assert qm_client.get(url).status_code == 200
    assert len(many) == len(few)
    assert len(many) <= 12, [q["sql"] for q in many.captured_queries]


def test_list_paginates(org: Any, qm: Any, qm_client: Any) -> None:
    for n in range(27):
        services.document_create(organization=org, actor=qm, kind="guide", language="en", title=f"G{n:02d}")
    page2 = qm_client.get(reverse("protocols:document_list"), {"page": 2})
    assert page2.text.count('data-label="Kind"') == 2


# --- role guard ---------------------------------------------------------------------------------------


def test_agent_reads_published_documents_only(org: Any, qm: Any, make_member_of: Any, member_client: Any) -> None:
    published = published_protocol(org, qm, title="In force")
    draft_only = complete_protocol(org, qm, title="Secret draft")
    agent = member_client(make_member_of(Role.AGENT))
    listing = agent.get(reverse("protocols:document_list")).text
    assert "In force" in listing and "Secret draft" not in listing
    assert agent.get(reverse("protocols:document_detail", args=[published.document_id])).status_code == 200
    assert agent.get(reverse("protocols:version_pdf", args=[published.pk])).status_code == 200
    assert agent.get(reverse("protocols:document_detail", args=[draft_only.document_id])).status_code == 404
    assert agent.get(reverse("protocols:version_detail", args=[draft_only.pk])).status_code == 404


@pytest.mark.parametrize("name", ["version_edit", "version_publish", "version_submit"])
def test_agent_gets_404_on_edit_urls(org: Any, qm: Any, make_member_of: Any, member_client: Any, name: str) -> None:
    draft = complete_protocol(org, qm)
    agent = member_client(make_member_of(Role.AGENT))
    assert agent.get(reverse(f"protocols:{name}", args=[draft.pk])).status_code in {404, 405}
    assert agent.post(reverse(f"protocols:{name}", args=[draft.pk])).status_code == 404
    assert agent.get(reverse("protocols:document_create")).status_code == 404


def test_supervisor_cannot_open_the_publish_page(org: Any, qm: Any, make_member_of: Any, member_client: Any) -> None:
    draft = complete_protocol(org, qm)
    supervisor = member_client(make_member_of(Role.SUPERVISOR))
    assert supervisor.get(reverse("protocols:version_publish", args=[draft.pk])).status_code == 404


# --- create, edit, publish ----------------------------------------------------------------------------


def test_new_document_page_explains_the_three_kinds(qm_client: Any) -> None:
    text = qm_client.get(reverse("protocols:document_create")).text
    assert "How to act in one specific situation" in text
    assert "What is done in an area or process and how" in text
    assert "does not bind them" in text


def test_create_then_edit_with_ordered_steps(org: Any, qm_client: Any) -> None:
    response = qm_client.post(
        reverse("protocols:document_create"), {"kind": "protocol", "title": "Long wait", "language": "en"}
    )
    version = DocumentVersion.objects.get(title="Long wait")
    assert response.status_code == 302 and response["Location"] == reverse("protocols:version_edit", args=[version.pk])
    form = qm_client.get(response["Location"])
    assert "Situation that triggers it" in form.text and "Who acts" in form.text
    saved = qm_client.post(response["Location"], _edit_payload(version))
    assert saved.status_code == 302
    steps = list(version.blocks.filter(kind="step").order_by("position"))
    assert [(s.position, s.actor, s.title) for s in steps] == [(1, "Agent", ""), (2, "Supervisor", "Comfort")]


def test_add_a_step_grows_the_form_without_saving(org: Any, qm: Any, qm_client: Any) -> None:
    version = complete_protocol(org, qm)
    url = reverse("protocols:version_edit", args=[version.pk])
    response = qm_client.post(url, {**_edit_payload(version), "add": "step"})
    assert response.status_code == 200
    assert 'name="step-2-body"' in response.text
    version.refresh_from_db()
    assert version.blocks.filter(kind="step").count() == 2 and "Offer a seat" not in str(
        list(version.blocks.values_list("body", flat=True))
    )


def test_removing_a_block_with_the_delete_box(org: Any, qm: Any, qm_client: Any) -> None:
    version = complete_protocol(org, qm)
    url = reverse("protocols:version_edit", args=[version.pk])
    qm_client.post(url, _edit_payload(version, **{"step-0-DELETE": "on"}))
    assert list(version.blocks.filter(kind="step").values_list("actor", flat=True)) == ["Agent"]


def test_second_save_on_the_same_revision_shows_a_conflict_with_both_versions(
    org: Any, qm: Any, qm_client: Any, make_member_of: Any, member_client: Any
) -> None:
    version = complete_protocol(org, qm)
    other = member_client(make_member_of(Role.QUALITY_MANAGER))
    url = reverse("protocols:version_edit", args=[version.pk])
    base = _edit_payload(version)
    assert other.post(url, {**base, "title": "Their title", "body": "Their words"}).status_code == 302
    response = qm_client.post(url, {**base, "title": "My title", "body": "My words"})
    assert response.status_code == 409
    assert "Someone else saved this draft" in response.text
    assert "Their words" in response.text and "My words" in response.text
    # The retry is based on their revision, so saving again is a deliberate choice.
    assert f'name="revision" value="{base["revision"] + 1}"' in response.text
    version.refresh_from_db()
    assert version.title == "Their title"


def test_publish_form_lists_every_missing_piece(org: Any, qm: Any, qm_client: Any) -> None:
    document = services.document_create(organization=org, actor=qm, kind="protocol", language="en", title="Empty")
    url = reverse("protocols:version_publish", args=[document.versions.get().pk])
    response = qm_client.post(url, {"change_note": ""})
    assert response.status_code == 200
    for reason in ("Write a change note", "Describe the situation", "Add at least one step"):
        assert reason in response.text
    assert document.versions.get().status == VersionStatus.DRAFT


def test_submit_publish_new_draft_and_compare(org: Any, qm: Any, qm_client: Any) -> None:
    version = complete_protocol(org, qm)
    assert qm_client.post(reverse("protocols:version_submit", args=[version.pk])).status_code == 302
    version.refresh_from_db()
    assert version.status == VersionStatus.REVIEW
    response = qm_client.post(reverse("protocols:version_publish", args=[version.pk]), {"change_note": "First."})
    assert response.status_code == 302
    response = qm_client.post(reverse("protocols:document_new_draft", args=[version.document_id]))
    draft = DocumentVersion.objects.get(document=version.document, number=2)
    assert response["Location"] == reverse("protocols:version_edit", args=[draft.pk])
    services.version_update(
        version=draft, actor=qm, revision=draft.revision, title=draft.title, trigger=draft.trigger,
        blocks=[{"kind": "step", "actor": "Agent", "body": "Greet the customer warmly by name."}],
    )
    compare = qm_client.get(
        reverse("protocols:document_compare", args=[version.document_id]), {"a": version.pk, "b": draft.pk}
    )
    assert compare.status_code == 200
    assert "<ins>warmly </ins>" in compare.text
    assert "removed" in compare.text  # the second step and the do/don't are gone
    detail = qm_client.get(reverse("protocols:document_detail", args=[version.document_id])).text
    assert "First." in detail and "Compare with v1" in detail


def test_published_version_edit_url_redirects_to_the_document(org: Any, qm: Any, qm_client: Any) -> None:
    published = published_protocol(org, qm)
    response = qm_client.get(reverse("protocols:version_edit", args=[published.pk]))
    assert response.status_code == 302


def test_print_page_has_organisation_version_date_and_note(org: Any, qm: Any, qm_client: Any) -> None:
    published = published_protocol(org, qm)
    text = qm_client.get(reverse("protocols:version_print", args=[published.pk])).text
    assert org.name in text and "Version 1" in text and "First edition." in text and "Greet the customer" in text
    assert "@media print" not in text  # print styles live in the stylesheet, not inline


def test_compare_with_an_unknown_version_is_404(org: Any, qm: Any, qm_client: Any) -> None:
    published = published_protocol(org, qm)
    url = reverse("protocols:document_compare", args=[published.document_id])
    assert qm_client.get(url, {"a": "not-a-uuid"}).status_code == 404
