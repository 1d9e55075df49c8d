"""The demo organisation starts from the Spanish starter kit, applied by its quality manager."""

from __future__ import annotations

from typing import Any

from momentos.demo import register_demo_step

DEMO_DESIGNER = "calidad@demo.momentos.app"


def starter_demo_step(context: dict[str, Any]) -> None:
    from momentos.cycle.starter.services import starter_apply

    user = context["users"].get(DEMO_DESIGNER) or context["owner"]
    starter_apply(organization=context["organization"], language="es", user=user)


# Early: attention, surveys, audits and training need the cycle, its moments and the published documents.
register_demo_step(starter_demo_step, order=20)
