"""The version workflow: drafts, concurrency, completeness, publishing and new drafts."""

from __future__ import annotations

from typing import Any

import pytest

from momentos.accounts.choices import Role
from momentos.accounts.models import Branch, Channel
from momentos.accounts.tests.factories import make_branch
from momentos.core.errors import DomainError, PermissionDeniedError
from momentos.protocols import services
from momentos.protocols.choices import BlockKind, DocumentKind, VersionStatus
from momentos.protocols.models import Document, DocumentVersion, VersionChannel
from momentos.protocols.tests.factories import complete_protocol, published_protocol

pytestmark = pytest.mark.django_db


def _create(org: Any, actor: Any, kind: str = DocumentKind.PROTOCOL, title: str = "Long wait") -> Document:
    return services.document_create(organization=org, actor=actor, kind=kind, language="es", title=title)


def test_document_create_makes_a_draft_version_one(org: Any, qm: Any) -> None:
    document = _create(org, qm, title="  Espera   larga ")
    version = document.versions.get()
    assert (version.number, version.status, version.title) == (1, VersionStatus.DRAFT, "Espera larga")
    assert document.created_by == qm.user and version.author == qm.user


def test_agent_cannot_create_documents(org: Any, make_member_of: Any) -> None:
    with pytest.raises(PermissionDeniedError):
        _create(org, make_member_of(Role.AGENT))


def test_update_renders_markdown_and_bumps_the_revision(org: Any, qm: Any) -> None:
    draft = _create(org, qm).versions.get()
    updated = services.version_update(
        version=draft, actor=qm, revision=1, title="Long wait", body="- one\n- **two**"
    )
    assert updated.revision == 2
    assert "<li><strong>two</strong></li>" in updated.body_html
    assert updated.body == "- one\n- **two**"


def test_save_on_an_older_revision_is_refused_and_overwrites_nothing(org: Any, qm: Any, make_member_of: Any) -> None:
    other = make_member_of(Role.QUALITY_MANAGER)
    draft = _create(org, qm).versions.get()
    # Both open revision 1; the other person saves first.
    services.version_update(version=draft, actor=other, revision=1, title="Theirs", body="their text")
    with pytest.raises(services.VersionConflict) as caught:
        services.version_update(version=draft, actor=qm, revision=1, title="Mine", body="my text")
    assert caught.value.current.title == "Theirs"
    assert caught.value.current.edited_by == other.user
    draft.refresh_from_db()
    assert (draft.title, draft.body, draft.revision) == ("Theirs", "their text", 2)


def test_blocks_are_replaced_in_order_with_positions_per_kind(org: Any, qm: Any) -> None:
    version = complete_protocol(org, qm)
    steps = list(version.blocks.filter(kind=BlockKind.STEP).order_by("position"))
    assert [s.position for s in steps] == [1, 2]
    assert "Greet" in steps[0].body_html


def test_a_block_of_another_kind_of_document_is_refused(org: Any, qm: Any) -> None:
    draft = _create(org, qm, kind=DocumentKind.GUIDE).versions.get()
    with pytest.raises(DomainError):
        services.version_update(
            version=draft, actor=qm, revision=1, title="G", blocks=[{"kind": BlockKind.STEP, "body": "x"}]
        )


def test_scope_of_another_organisation_is_refused(org: Any, other_org: Any, qm: Any) -> None:
    draft = _create(org, qm).versions.get()
    foreign = Channel.objects.for_organization(other_org).first()
    with pytest.raises(DomainError):
        services.version_update(version=draft, actor=qm, revision=1, title="T", channels=[foreign])


def test_publishing_an_empty_protocol_lists_every_reason(org: Any, qm: Any) -> None:
    draft = _create(org, qm).versions.get()
    with pytest.raises(services.IncompleteDocument) as caught:
        services.version_publish(version=draft, actor=qm, change_note="")
    reasons = caught.value.reasons
    assert len(reasons) == 3
    assert any("change note" in r for r in reasons)
    assert any("situation" in r for r in reasons)
    assert any("at least one step" in r for r in reasons)
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT


def test_a_step_without_who_or_what_is_named(org: Any, qm: Any) -> None:
    draft = _create(org, qm).versions.get()
    services.version_update(
        version=draft,
        actor=qm,
        revision=1,
        title="T",
        trigger="When",
        blocks=[{"kind": BlockKind.STEP, "actor": "Agent", "body": "Do it"}, {"kind": BlockKind.STEP, "actor": "Agent"}],
    )
    reasons = services.version_completeness(version=draft)
    assert reasons == ["Step 2 does not say what is said or done."]


def test_manual_needs_an_area_and_sections_with_what_and_how(org: Any, qm: Any) -> None:
    draft = _create(org, qm, kind=DocumentKind.MANUAL).versions.get()
    assert len(services.version_completeness(version=draft)) == 2
    services.version_update(
        version=draft,
        actor=qm,
        revision=1,
        title="Complaints",
        trigger="Complaints desk",
        blocks=[{"kind": BlockKind.SECTION, "title": "Register", "body": "Log it"}],
    )
    assert services.version_completeness(version=draft) == ["Section “Register” does not say how it is done."]


def test_guide_needs_a_recommendation(org: Any, qm: Any) -> None:
    draft = _create(org, qm, kind=DocumentKind.GUIDE).versions.get()
    assert services.version_completeness(version=draft) == ["Add at least one recommendation."]
    services.version_update(
        version=draft, actor=qm, revision=1, title="G", blocks=[{"kind": BlockKind.RECOMMENDATION, "body": "Smile"}]
    )
    assert services.version_completeness(version=draft) == []


def test_supervisor_cannot_publish(org: Any, qm: Any, make_member_of: Any) -> None:
    draft = complete_protocol(org, qm)
    with pytest.raises(PermissionDeniedError):
        services.version_publish(version=draft, actor=make_member_of(Role.SUPERVISOR), change_note="n")


def test_publish_sets_the_version_in_force_and_supersedes_the_previous(org: Any, qm: Any) -> None:
    first = published_protocol(org, qm)
    document = first.document
    document.refresh_from_db()
    assert document.current_version == first and first.status == VersionStatus.PUBLISHED
    assert first.published_by == qm.user and first.change_note == "First edition."

    draft = services.version_new_draft(document=document, actor=qm)
    services.version_submit_for_review(version=draft, actor=qm)
    second = services.version_publish(version=draft, actor=qm, change_note="Shorter greeting.")
    first.refresh_from_db()
    document.refresh_from_db()
    assert first.status == VersionStatus.SUPERSEDED and first.superseded_at is not None
    assert document.current_version == second and second.number == 2


def test_new_draft_copies_blocks_and_scope_of_the_version_in_force(org: Any, qm: Any) -> None:
    draft = complete_protocol(org, qm)
    channel = Channel.objects.for_organization(org).first()
    branch: Branch = make_branch(org)
    services.version_update(
        version=draft, actor=qm, revision=draft.revision, title=draft.title, trigger=draft.trigger,
        channels=[channel], branches=[branch],
    )
    published = services.version_publish(version=draft, actor=qm, change_note="v1")
    new = services.version_new_draft(document=published.document, actor=qm)
    assert new.number == 2 and new.status == VersionStatus.DRAFT
    assert [(b.kind, b.position, b.body) for b in new.blocks.order_by("kind", "position")] == [
        (b.kind, b.position, b.body) for b in published.blocks.order_by("kind", "position")
    ]
    assert VersionChannel.objects.get(version=new).channel == channel
    assert new.versionbranch_set.get().branch == branch
    # Asking again returns the same open draft instead of a second one.
    assert services.version_new_draft(document=published.document, actor=qm) == new


def test_submit_moves_a_draft_to_review_once_and_never_a_published_version(org: Any, qm: Any) -> None:
    draft = complete_protocol(org, qm)
    submitted = services.version_submit_for_review(version=draft, actor=qm)
    assert submitted.status == VersionStatus.REVIEW and submitted.submitted_at is not None
    again = services.version_submit_for_review(version=draft, actor=qm)
    assert again.submitted_at == submitted.submitted_at
    published = services.version_publish(version=draft, actor=qm, change_note="n")
    with pytest.raises(DomainError):
        services.version_submit_for_review(version=published, actor=qm)


def test_search_text_ignores_accents_and_case(org: Any, qm: Any) -> None:
    draft = _create(org, qm, title="Atención al cliente").versions.get()
    document = Document.objects.get(pk=draft.document_id)
    assert "atencion al cliente" in document.search_text
    assert DocumentVersion.objects.count() == 1
