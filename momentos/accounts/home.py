"""The accounts app's section of the home page: what is left to set up in the organisation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from momentos.accounts.models import Branch, Channel, Membership, OpeningHours, Team
from momentos.accounts.permissions import Capability


def setup_section(request: HttpRequest, membership: Any) -> dict[str, Any] | None:
    if not membership.can(Capability.MANAGE_ORGANIZATION):
        return None
    org = membership.organization
    steps = [
        (
            _("Add your branches"),
            Branch.objects.for_organization(org).exists(),
            reverse("accounts:branch_list"),
        ),
        (
            _("Set opening hours"),
            OpeningHours.objects.for_organization(org).exists(),
            reverse("accounts:branch_list"),
        ),
        (
            _("Choose your channels"),
            Channel.objects.for_organization(org).filter(is_active=True).exists(),
            reverse("accounts:channel_list"),
        ),
        (_("Create teams"), Team.objects.for_organization(org).exists(), reverse("accounts:team_list")),
        (
            _("Invite your staff"),
            Membership.objects.for_organization(org).count() > 1,
            reverse("accounts:member_list"),
        ),
    ]
    return {
        "template": "accounts/partials/home_setup.html",
        "steps": [{"label": label, "done": done, "url": url} for label, done, url in steps],
        "done": sum(1 for _label, done, _url in steps if done),
        "total": len(steps),
    }
