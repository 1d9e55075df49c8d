"""Writes of the starter kit: apply it to an organisation whose design is still empty, in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from momentos.accounts.models import Channel, Membership, Organization, User
from momentos.accounts.permissions import Capability
from momentos.core.errors import Conflict, DomainError, PermissionDeniedError
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
from momentos.cycle.starter.content import KITS, WALK_IN_CHANNEL
from momentos.cycle.starter.selectors import starter_blockers, starter_channels, starter_plan
from momentos.protocols import services as protocol_services
from momentos.protocols.choices import BlockKind, DocumentKind
from momentos.protocols.models import Document


@transaction.atomic
def starter_apply(*, organization: Organization, language: str, user: User | None) -> dict[str, Any]:
    """Create the kit's objectives, segments, published documents and one cycle per channel in use.

    Refused (nothing written) when the organisation already has any part of a design, so applying
    twice never duplicates anything; returns what was created, as ``starter_plan`` announced it.
    """
    kit = KITS.get(language)
    if kit is None:
        raise DomainError(_("Choose Spanish or English."), field="language", code="unknown_language")
    actor = _actor(organization, user)
    # Two clicks at once: the second waits here, then finds the design no longer empty.
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    blockers = starter_blockers(organization=organization)
    if blockers:
        raise Conflict(
            _(
                "The starter kit only fills an empty design, and this organisation already has %(what)s. "
                "Edit those instead, or remove them first."
            )
            % {"what": ", ".join(blockers)},
            code="design_not_empty",
            details=blockers,
        )
    channels = starter_channels(organization=organization)
    if not channels:
        raise DomainError(
            _("Turn on at least one channel first: each channel in use gets its service cycle."),
            code="no_channels",
        )
    now = timezone.now()
    _objectives(organization, kit)
    expectations = _segments(organization, kit, today=timezone.localdate(now))
    documents = _documents(organization, kit, actor=actor)
    for channel in channels:
        _cycle(organization, kit, channel, expectations=expectations, documents=documents)
    return starter_plan(organization=organization, language=language)


def _actor(organization: Organization, user: User | None) -> Membership:
    """The member applying the kit: the documents are written and published in their name."""
    actor = (
        Membership.objects.for_organization(organization)
        .filter(user=user, is_active=True)
        .select_related("organization", "user")
        .first()
        if user is not None
        else None
    )
    if actor is None or not (
        actor.can(Capability.DESIGN_PROTOCOL) and actor.can(Capability.PUBLISH_PROTOCOL)
    ):
        raise PermissionDeniedError(
            _("Only a quality manager or an administrator can apply the starter kit.")
        )
    return actor


def _objectives(organization: Organization, kit: dict[str, Any]) -> None:
    Objective.objects.bulk_create(
        Objective(
            organization=organization,
            title=item["title"],
            description=item["description"],
            indicator=item["indicator"],
            comparison=item["comparison"],
            target=Decimal(item["target"]),
            period=item["period"],
        )
        for item in kit["objectives"]
    )


def _segments(organization: Organization, kit: dict[str, Any], *, today: Any) -> dict[str, Expectation]:
    expectations: dict[str, Expectation] = {}
    evidence: list[Evidence] = []
    for position, data in enumerate(kit["segments"], start=1):
        segment = Segment.objects.create(
            organization=organization, name=data["name"], description=data["description"], position=position
        )
        for item in data["expectations"]:
            expectation = Expectation.objects.create(
                organization=organization,
                segment=segment,
                kind=item["kind"],
                description=item["description"],
                importance=item["importance"],
            )
            expectations[item["key"]] = expectation
            note = item["evidence"]
            evidence.append(
                Evidence(
                    organization=organization,
                    expectation=expectation,
                    kind=note["kind"],
                    source=note["source"],
                    date=today - timedelta(days=note["days_ago"]),
                    notes=f"{note['notes']}\n\n{kit['evidence_note']}",
                )
            )
    Evidence.objects.bulk_create(evidence)
    return expectations


def _documents(organization: Organization, kit: dict[str, Any], *, actor: Membership) -> dict[str, Document]:
    channels = {c.kind: c for c in Channel.objects.for_organization(organization)}
    documents: dict[str, Document] = {}
    for data in kit["protocols"]:
        blocks = [
            *[
                {"kind": BlockKind.STEP, "actor": who, "title": title, "body": body}
                for who, title, body in data["steps"]
            ],
            *[{"kind": BlockKind.DO, "body": text} for text in data["do"]],
            *[{"kind": BlockKind.DONT, "body": text} for text in data["dont"]],
        ]
        scope = [channels[kind] for kind in data["channels"] if kind in channels]
        documents[data["key"]] = _publish(
            kit, kind=DocumentKind.PROTOCOL, data=data, blocks=blocks, channels=scope, actor=actor
        )
    manual = kit["manual"]
    documents[manual["key"]] = _publish(
        kit,
        kind=DocumentKind.MANUAL,
        data=manual,
        blocks=[
            {"kind": BlockKind.SECTION, "title": title, "body": what, "how": how}
            for title, what, how in manual["sections"]
        ],
        references=[documents[key] for key in manual["references"]],
        actor=actor,
    )
    guide = kit["guide"]
    documents[guide["key"]] = _publish(
        kit,
        kind=DocumentKind.GUIDE,
        data=guide,
        blocks=[
            {"kind": BlockKind.RECOMMENDATION, "title": title, "body": body}
            for title, body in guide["recommendations"]
        ],
        actor=actor,
    )
    return documents


def _publish(
    kit: dict[str, Any],
    *,
    kind: str,
    data: dict[str, Any],
    blocks: list[dict[str, str]],
    channels: Sequence[Channel] = (),
    references: Sequence[Document] = (),
    actor: Membership,
) -> Document:
    """A document written and published through the studio's own services, as a person would.

    So the kit passes the same rules (sanitising, completeness for its kind) as any other document.
    """
    document = protocol_services.document_create(
        organization=actor.organization, actor=actor, kind=kind, language=kit["language"], title=data["title"]
    )
    version = document.versions.get()
    version = protocol_services.version_update(
        version=version,
        actor=actor,
        revision=version.revision,
        title=data["title"],
        summary=data["summary"],
        trigger=data["trigger"],
        blocks=blocks,
        channels=list(channels),
        references=list(references),
    )
    protocol_services.version_publish(version=version, actor=actor, change_note=kit["change_note"])
    document.refresh_from_db()
    return document


def _cycle(
    organization: Organization,
    kit: dict[str, Any],
    channel: Channel,
    *,
    expectations: dict[str, Expectation],
    documents: dict[str, Document],
) -> ServiceCycle:
    template = kit["cycles"]["walk_in" if channel.kind == WALK_IN_CHANNEL else "remote"]
    channel_name = channel.name or kit["channel_names"][channel.kind]
    cycle = ServiceCycle.objects.create(
        organization=organization,
        channel=channel,
        name=template["name"] % {"channel": channel_name},
        description=template["description"] % {"channel": channel_name},
    )
    links: list[MomentExpectation] = []
    standards: list[ServiceStandard] = []
    items: list[ChecklistItem] = []
    for position, data in enumerate(template["moments"], start=1):
        procedure = documents[data["procedure"]]
        moment = Moment.objects.create(
            organization=organization,
            cycle=cycle,
            position=position,
            name=data["name"],
            description=data["description"],
            procedure=procedure,
        )
        links += [
            MomentExpectation(organization=organization, moment=moment, expectation=expectations[key])
            for key in data["expectations"]
        ]
        for name, metric, comparison, threshold, unit, business_hours in [
            *data["standards"],
            *data.get("channel_standards", {}).get(channel.kind, []),
        ]:
            standards.append(
                ServiceStandard(
                    organization=organization,
                    moment=moment,
                    name=name,
                    metric=metric,
                    comparison=comparison,
                    threshold=Decimal(threshold),
                    unit=unit,
                    business_hours=business_hours,
                )
            )
        for item_position, (text, weight, critical, protocol) in enumerate(data["checklist"], start=1):
            items.append(
                ChecklistItem(
                    organization=organization,
                    moment=moment,
                    position=item_position,
                    text=text,
                    weight=weight,
                    critical=critical,
                    protocol=documents[protocol] if protocol else procedure,
                )
            )
    MomentExpectation.objects.bulk_create(links)
    ServiceStandard.objects.bulk_create(standards)
    ChecklistItem.objects.bulk_create(items)
    return cycle
