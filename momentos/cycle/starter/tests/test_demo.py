"""The demo organisation is loaded with the Spanish starter kit."""

from __future__ import annotations

from typing import Any

from momentos.cycle.models import ServiceCycle
from momentos.cycle.starter.demo import starter_demo_step
from momentos.demo import _STEPS
from momentos.protocols.choices import VersionStatus
from momentos.protocols.models import Document


def test_the_starter_kit_is_a_registered_demo_step() -> None:
    assert any(step is starter_demo_step for _order, step in _STEPS)


def test_the_demo_step_loads_the_spanish_kit_with_published_documents(org: Any, admin: Any) -> None:
    starter_demo_step({"organization": org, "users": {}, "owner": admin.user})

    documents = Document.objects.for_organization(org)
    assert documents.count() == 10
    assert set(documents.values_list("language", flat=True)) == {"es"}
    assert not documents.exclude(current_version__status=VersionStatus.PUBLISHED).exists()
    assert ServiceCycle.objects.for_organization(org).filter(name="Ciclo de servicio en sucursal").exists()
