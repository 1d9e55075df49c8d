"""Application config for continuous improvement: actions raised from what the indicators show."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImprovementConfig(AppConfig):
    name = "momentos.improvement"
    label = "improvement"
    verbose_name = _("Continuous improvement")

    def ready(self) -> None:
        from momentos.accounts.navigation import NavItem, register
        from momentos.accounts.permissions import Capability

        register(
            NavItem(
                _("Improvement actions"), "improvement:action_list", Capability.AUDIT, "target", _("Insight")
            )
        )
        from momentos.improvement import demo, home  # noqa: F401  (register the demo step and the home section)
