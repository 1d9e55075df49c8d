"""The surveys app's section of the home page: the open alerts a supervisor or manager should act on."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from momentos.accounts.permissions import Capability
from momentos.core.home import register_home_section
from momentos.surveys.choices import FollowUpStatus
from momentos.surveys.models import Alert


def alerts_section(request: HttpRequest, membership: Any) -> dict[str, Any] | None:
    if not membership.can(Capability.AUDIT):
        return None
    return {
        "template": "surveys/partials/home_alerts.html",
        "open_count": Alert.objects.visible_to(membership)
        .exclude(follow_up__status=FollowUpStatus.DONE)
        .count(),
    }


# Registered on import (from SurveysConfig.ready), right after the attention section.
register_home_section(alerts_section, order=35)
