"""The studio's document list filters by moment of truth through the cycle's facet."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from momentos.cycle.models import ChecklistItem, Moment
from momentos.cycle.tests.factories import make_moment
from momentos.protocols.tests.factories import make_document

pytestmark = pytest.mark.django_db


def _titles(response: Any) -> str:
    return response.content.decode()


def test_filtering_by_moment_keeps_its_procedure_and_checklist_protocols(org: Any, admin_client: Any) -> None:
    moment: Moment = make_moment(org)
    procedure = moment.procedure
    backing = make_document(org, title="Backs a checklist item")
    ChecklistItem.objects.create(organization=org, moment=moment, text="Smiles", protocol=backing)
    unrelated = make_document(org, title="Unrelated protocol")

    page = _titles(admin_client.get(reverse("protocols:document_list"), {"moment": str(moment.pk)}))

    assert str(procedure) in page
    assert "Backs a checklist item" in page
    assert str(unrelated) not in page
    assert f'value="{moment.pk}" selected' in page


def test_a_moment_of_another_organisation_filters_nothing(
    org: Any, other_org: Any, admin_client: Any
) -> None:
    foreign = make_moment(other_org)
    make_document(org, title="Mine")
    page = _titles(admin_client.get(reverse("protocols:document_list"), {"moment": str(foreign.pk)}))
    assert "Mine" in page  # an unknown value is ignored, never an error
    assert f'<option value="{foreign.pk}"' not in page  # not offered as a choice


def test_garbage_moment_value_is_ignored(org: Any, admin_client: Any) -> None:
    make_document(org, title="Still listed")
    response = admin_client.get(reverse("protocols:document_list"), {"moment": "not-a-uuid"})
    assert response.status_code == 200
    assert "Still listed" in response.content.decode()


def test_a_protocol_governing_a_standard_without_threshold_cannot_be_published(org: Any) -> None:
    from momentos.cycle.models import ServiceStandard
    from momentos.protocols.services import version_completeness

    moment = make_moment(org)
    version = moment.procedure.versions.get()
    ServiceStandard.objects.create(organization=org, moment=moment, name="Greeting time", metric="wait_time")
    reasons = version_completeness(version=version)
    assert any("Greeting time" in r and "no threshold" in r for r in reasons)

    ServiceStandard.objects.filter(moment=moment).update(threshold=30)
    assert not any("no threshold" in r for r in version_completeness(version=version))
