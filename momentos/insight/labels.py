"""How an indicator's status against its target is named and coloured on every insight page."""

from django.utils.translation import gettext_lazy

STATUS_LABELS = {
    "on_target": gettext_lazy("On target"),
    "at_risk": gettext_lazy("At risk"),
    "off_target": gettext_lazy("Off target"),
    "no_data": gettext_lazy("No data"),
    "not_enough": gettext_lazy("Not enough answers"),
}
# The design system's badge class for each status ("no data" stays plain).
STATUS_BADGES = {
    "on_target": "badge-success",
    "at_risk": "badge-warning",
    "off_target": "badge-danger",
    "no_data": "",
    "not_enough": "badge-info",
}
