"""The improvement section of the home page: overdue actions in the member's scope."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from momentos.accounts.permissions import Capability
from momentos.core.home import register_home_section
from momentos.improvement.selectors import organization_today, overdue_actions, overdue_count


def overdue_section(request: HttpRequest, membership: Any) -> dict[str, Any] | None:
    if not membership.can(Capability.AUDIT):
        return None
    today = organization_today(membership.organization)
    return {
        "template": "improvement/partials/home_overdue.html",
        "overdue_actions": overdue_actions(membership, limit=5, today=today),
        "overdue_total": overdue_count(membership, today=today),
    }


# Registered on import (from ImprovementConfig.ready), after the survey alerts.
register_home_section(overdue_section, order=40)
