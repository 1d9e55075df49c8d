"""The main navigation, per role: each domain app adds its entries here as it arrives."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from momentos.accounts.permissions import Capability


@dataclass(frozen=True)
class NavItem:
    label: Any
    url_name: str
    capability: Capability | None
    icon: str
    section: Any = ""


NAVIGATION: list[NavItem] = [
    NavItem(_("Home"), "core:home", None, "home"),
    NavItem(
        _("Branches"), "accounts:branch_list", Capability.MANAGE_ORGANIZATION, "map-pin", _("Organisation")
    ),
    NavItem(_("Teams"), "accounts:team_list", Capability.MANAGE_ORGANIZATION, "users", _("Organisation")),
    NavItem(_("Members"), "accounts:member_list", Capability.MANAGE_ORGANIZATION, "user", _("Organisation")),
    NavItem(
        _("Channels"), "accounts:channel_list", Capability.MANAGE_ORGANIZATION, "message", _("Organisation")
    ),
    NavItem(
        _("API tokens"), "accounts:api_token_list", Capability.MANAGE_ORGANIZATION, "key", _("Organisation")
    ),
]


def register(item: NavItem, *, before: str | None = None) -> None:
    """Let a domain app add its page to the navigation (called from its AppConfig.ready)."""
    if any(existing.url_name == item.url_name for existing in NAVIGATION):
        return
    if before:
        for index, existing in enumerate(NAVIGATION):
            if existing.url_name == before:
                NAVIGATION.insert(index, item)
                return
    NAVIGATION.append(item)


def navigation_for(membership: Any, match: Any) -> list[dict[str, Any]]:
    if membership is None:
        return []
    current = f"{match.namespace}:{match.url_name}" if match and match.namespace else ""
    items = []
    for item in NAVIGATION:
        if item.capability and not membership.can(item.capability):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        app = item.url_name.split(":")[0]
        active = current == item.url_name or (
            current.startswith(app + ":")
            and current.split(":")[1].split("_")[0] == item.url_name.split(":")[1].split("_")[0]
        )
        items.append(
            {"label": item.label, "url": url, "icon": item.icon, "section": item.section, "active": active}
        )
    return items
