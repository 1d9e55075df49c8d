"""Application config for insight: indicators against targets, rollups, the cycle map, trends and reports."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightConfig(AppConfig):
    name = "momentos.insight"
    label = "insight"
    verbose_name = _("Insight")

    def ready(self) -> None:
        # Each module registers its own part: rollup upkeep, navigation and home sections.
        from momentos.insight import nav, receivers  # noqa: F401
