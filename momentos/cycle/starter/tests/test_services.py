"""Applying the starter kit: what it creates, in which state, and when it refuses."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, transaction

from momentos.accounts.choices import ChannelKind, Role
from momentos.accounts.models import Channel
from momentos.accounts.services import channels_set_active
from momentos.accounts.tests.factories import admin_of
from momentos.core.errors import DomainError, PermissionDeniedError
from momentos.cycle.models import (
    ChecklistItem,
    Evidence,
    Expectation,
    Moment,
    MomentExpectation,
    Objective,
    Segment,
    ServiceCycle,
    ServiceStandard,
)
from momentos.cycle.starter.content import KITS
from momentos.cycle.starter.selectors import starter_plan
from momentos.cycle.starter.services import starter_apply
from momentos.protocols.choices import BlockKind, DocumentKind, VersionStatus
from momentos.protocols.models import Document, DocumentBlock, DocumentVersion, VersionChannel
from momentos.protocols.tests.factories import make_document

DESIGN_MODELS = [
    Objective,
    Segment,
    Expectation,
    Evidence,
    ServiceCycle,
    Moment,
    MomentExpectation,
    ServiceStandard,
    ChecklistItem,
    Document,
    DocumentVersion,
    DocumentBlock,
]


def _counts(organization: Any) -> dict[str, int]:
    return {m.__name__: m.objects.for_organization(organization).count() for m in DESIGN_MODELS}


@pytest.fixture
def designer(make_member_of: Any) -> Any:
    return make_member_of(Role.QUALITY_MANAGER)


@pytest.mark.parametrize("language", ["es", "en"])
def test_applying_creates_a_cycle_per_channel_in_use_with_moments_in_order(
    org: Any, designer: Any, language: str
) -> None:
    channels_set_active(organization=org, kinds=[ChannelKind.IN_PERSON, ChannelKind.PHONE, ChannelKind.EMAIL])
    starter_apply(organization=org, language=language, user=designer.user)

    kit = KITS[language]
    cycles = {c.channel.kind: c for c in ServiceCycle.objects.for_organization(org).select_related("channel")}
    assert set(cycles) == {"in_person", "phone", "email"}
    walk_in = [m["name"] for m in kit["cycles"]["walk_in"]["moments"]]
    remote = [m["name"] for m in kit["cycles"]["remote"]["moments"]]
    assert list(cycles["in_person"].moments.order_by("position").values_list("name", flat=True)) == walk_in
    assert list(cycles["phone"].moments.order_by("position").values_list("name", flat=True)) == remote
    assert list(cycles["email"].moments.values_list("position", flat=True)) == list(range(1, len(remote) + 1))
    assert kit["channel_names"]["phone"] in cycles["phone"].name


@pytest.mark.parametrize("language", ["es", "en"])
def test_standards_have_thresholds_and_checklist_items_weights_and_protocols(
    org: Any, designer: Any, language: str
) -> None:
    starter_apply(organization=org, language=language, user=designer.user)

    standards = ServiceStandard.objects.for_organization(org)
    assert standards.exists()
    assert not standards.filter(threshold__isnull=True).exists()
    for moment in Moment.objects.for_organization(org).prefetch_related("standards", "checklist_items"):
        assert moment.standards.all(), moment.name
        assert 3 <= len(moment.checklist_items.all()) <= 6
        assert moment.procedure is not None and moment.procedure.kind == DocumentKind.PROTOCOL
        assert moment.expectations.exists()
    items = ChecklistItem.objects.for_organization(org)
    assert not items.filter(weight__lt=1).exists()
    assert not items.filter(protocol__isnull=True).exists()
    assert items.filter(critical=True).count() >= 2
    assert items.filter(protocol__kind=DocumentKind.PROTOCOL).count() == items.count()


def test_first_response_standards_follow_each_channel(org: Any, designer: Any) -> None:
    channels_set_active(organization=org, kinds=[ChannelKind.PHONE, ChannelKind.EMAIL])
    starter_apply(organization=org, language="en", user=designer.user)

    def first_response(kind: str) -> ServiceStandard:
        return ServiceStandard.objects.for_organization(org).get(
            moment__cycle__channel__kind=kind, moment__position=1, metric="first_response_time"
        )

    phone, email = first_response("phone"), first_response("email")
    assert (phone.threshold, phone.unit, phone.business_hours) == (20, "seconds", False)
    assert (email.threshold, email.unit, email.business_hours) == (2, "hours", True)


@pytest.mark.parametrize("language", ["es", "en"])
def test_documents_are_published_as_version_one_and_complete_for_their_kind(
    org: Any, designer: Any, language: str
) -> None:
    starter_apply(organization=org, language=language, user=designer.user)

    kit = KITS[language]
    documents = Document.objects.for_organization(org).select_related("current_version")
    assert documents.filter(kind=DocumentKind.PROTOCOL).count() == len(kit["protocols"])
    assert documents.filter(kind=DocumentKind.MANUAL).count() == 1
    assert documents.filter(kind=DocumentKind.GUIDE).count() == 1
    for document in documents:
        version = document.current_version
        assert document.language == language
        assert version is not None and version.number == 1
        assert version.status == VersionStatus.PUBLISHED
        assert version.published_at and version.published_by == designer.user
        assert version.change_note == kit["change_note"]
        assert version.title and version.trigger
        assert document.versions.count() == 1
        blocks = version.blocks.all()
        assert all(b.body_html.startswith("<p>") for b in blocks)
        if document.kind == DocumentKind.PROTOCOL:
            steps = blocks.filter(kind=BlockKind.STEP).order_by("position")
            assert steps.count() >= 4 and all(s.actor and s.body for s in steps)
            assert list(steps.values_list("position", flat=True)) == list(range(1, steps.count() + 1))
            assert blocks.filter(kind=BlockKind.DO).exists() and blocks.filter(kind=BlockKind.DONT).exists()
        elif document.kind == DocumentKind.MANUAL:
            sections = blocks.filter(kind=BlockKind.SECTION)
            assert sections.count() >= 4 and all(s.title and s.body and s.how for s in sections)
            assert version.references.count() == len(kit["manual"]["references"])
            assert set(version.references.values_list("kind", flat=True)) == {DocumentKind.PROTOCOL}
        else:
            recommendations = blocks.filter(kind=BlockKind.RECOMMENDATION)
            assert recommendations.count() >= 5 and all(r.title and r.body for r in recommendations)


def test_the_branch_protocol_is_scoped_to_the_in_person_channel(org: Any, designer: Any) -> None:
    starter_apply(organization=org, language="es", user=designer.user)

    welcome = DocumentVersion.objects.for_organization(org).get(title="Recepción y saludo en sucursal")
    assert list(welcome.channels.values_list("kind", flat=True)) == [ChannelKind.IN_PERSON]
    general = DocumentVersion.objects.for_organization(org).get(title="Escucha y diagnóstico")
    assert not VersionChannel.objects.filter(version=general).exists()


def test_published_kit_documents_are_frozen_by_the_database(org: Any, designer: Any) -> None:
    starter_apply(organization=org, language="en", user=designer.user)

    version = DocumentVersion.objects.for_organization(org).filter(status=VersionStatus.PUBLISHED).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        DocumentVersion.objects.filter(pk=version.pk).update(title="Rewritten")


def test_objectives_segments_and_evidence_are_created(org: Any, designer: Any) -> None:
    starter_apply(organization=org, language="es", user=designer.user)

    kit = KITS["es"]
    indicators = set(Objective.objects.for_organization(org).values_list("indicator", flat=True))
    assert {"csat", "nps", "first_contact_resolution", "first_response_time"} <= indicators
    assert {"standard_compliance", "checklist_compliance"} <= indicators
    assert Objective.objects.for_organization(org).get(indicator="csat").target == 85
    names = list(Segment.objects.for_organization(org).values_list("name", flat=True))
    assert names == [s["name"] for s in kit["segments"]]
    for expectation in Expectation.objects.for_organization(org):
        evidence = expectation.evidence.get()
        assert kit["evidence_note"] in evidence.notes
        assert 1 <= expectation.importance <= 5


def test_what_is_created_matches_the_announced_plan(org: Any, designer: Any) -> None:
    plan = starter_plan(organization=org, language="en")

    result = starter_apply(organization=org, language="en", user=designer.user)

    assert result == plan
    assert plan["cycles"] == ServiceCycle.objects.for_organization(org).count() == 4  # default channels
    assert plan["moments"] == Moment.objects.for_organization(org).count()
    assert plan["standards"] == ServiceStandard.objects.for_organization(org).count()
    assert plan["checklist_items"] == ChecklistItem.objects.for_organization(org).count()
    assert plan["expectations"] == Expectation.objects.for_organization(org).count()
    assert plan["objectives"] == Objective.objects.for_organization(org).count()


def test_applying_twice_is_refused_without_duplicating_anything(org: Any, designer: Any) -> None:
    starter_apply(organization=org, language="es", user=designer.user)
    before = _counts(org)

    with pytest.raises(DomainError) as refused:
        starter_apply(organization=org, language="en", user=designer.user)

    assert refused.value.code == "design_not_empty"
    assert "service cycles" in str(refused.value.message)
    assert _counts(org) == before


def test_an_organisation_with_its_own_document_is_not_touched(org: Any, designer: Any) -> None:
    make_document(org, title="Our own protocol")

    with pytest.raises(DomainError, match="1 document"):
        starter_apply(organization=org, language="es", user=designer.user)

    assert ServiceCycle.objects.for_organization(org).count() == 0
    assert Document.objects.for_organization(org).count() == 1


def test_an_unknown_language_is_refused(org: Any, designer: Any) -> None:
    with pytest.raises(DomainError) as refused:
        starter_apply(organization=org, language="fr", user=designer.user)

    assert refused.value.field == "language"
    assert _counts(org) == dict.fromkeys(_counts(org), 0)


@pytest.mark.parametrize("role", [Role.AGENT, Role.SUPERVISOR])
def test_only_members_who_design_and_publish_may_apply_it(org: Any, make_member_of: Any, role: str) -> None:
    member = make_member_of(role)

    with pytest.raises(PermissionDeniedError):
        starter_apply(organization=org, language="es", user=member.user)
    with pytest.raises(PermissionDeniedError):
        starter_apply(organization=org, language="es", user=None)

    assert _counts(org) == dict.fromkeys(_counts(org), 0)


def test_a_member_of_another_organisation_cannot_apply_it_here(org: Any, other_org: Any) -> None:
    outsider = admin_of(other_org)

    with pytest.raises(PermissionDeniedError):
        starter_apply(organization=org, language="es", user=outsider.user)

    assert _counts(org) == dict.fromkeys(_counts(org), 0)


def test_an_organisation_with_no_channel_in_use_is_told_to_turn_one_on(org: Any, designer: Any) -> None:
    Channel.objects.for_organization(org).update(is_active=False)

    with pytest.raises(DomainError) as refused:
        starter_apply(organization=org, language="es", user=designer.user)

    assert refused.value.code == "no_channels"
    assert _counts(org) == dict.fromkeys(_counts(org), 0)


def test_applying_in_one_organisation_creates_nothing_in_another(
    org: Any, other_org: Any, designer: Any
) -> None:
    starter_apply(organization=org, language="es", user=designer.user)

    assert _counts(other_org) == dict.fromkeys(_counts(other_org), 0)
    assert all(count > 0 for count in _counts(org).values())
    # Every row the kit links to belongs to the same organisation.
    assert not Moment.objects.for_organization(org).exclude(procedure__organization=org).exists()
    assert not MomentExpectation.objects.for_organization(org).exclude(expectation__organization=org).exists()
    assert not ServiceCycle.objects.for_organization(org).exclude(channel__organization=org).exists()

    # …and the other organisation can still apply its own kit.
    starter_apply(organization=other_org, language="en", user=admin_of(other_org).user)
    assert Document.objects.for_organization(other_org).filter(language="en").count() == 10
