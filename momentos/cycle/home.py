"""The design app's section of the home page: where each of the four steps stands."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from momentos.accounts.permissions import Capability
from momentos.cycle.selectors import design_progress


def design_section(request: HttpRequest, membership: Any) -> dict[str, Any] | None:
    if not membership.can(Capability.DESIGN_PROTOCOL):
        return None
    steps = design_progress(organization=membership.organization)
    return {
        "template": "cycle/partials/home_design.html",
        "steps": steps,
        "done": sum(1 for step in steps if step.complete),
        "total": len(steps),
    }
