"""Navigation entries and home sections of the insight pages."""

from django.utils.translation import gettext_lazy as _

from momentos.accounts.navigation import NavItem, register
from momentos.accounts.permissions import Capability

SECTION = _("Insight")

register(NavItem(_("Insight"), "insight:overview", Capability.READ_INSIGHT, "chart", SECTION))
register(NavItem(_("Service cycle map"), "insight:cycle_map", Capability.READ_INSIGHT, "cycle", SECTION))
register(NavItem(_("Period report"), "insight:report", Capability.READ_INSIGHT, "doc", SECTION))
register(
    NavItem(_("Trends and rankings"), "insight:trends", Capability.READ_INSIGHT, "chart", SECTION),
    before="insight:report",
)
register(
    NavItem(_("Customers' comments"), "insight:verbatims", Capability.READ_INSIGHT, "message", SECTION),
    before="insight:report",
)
