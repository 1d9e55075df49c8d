"""Application config for attention: interactions, their evaluation and their ingestion."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttentionConfig(AppConfig):
    name = "momentos.attention"
    label = "attention"
    verbose_name = _("Attention")

    def ready(self) -> None:
        from momentos.accounts.navigation import NavItem, register
        from momentos.accounts.permissions import Capability

        register(
            NavItem(
                _("Interactions"), "attention:interaction_list", Capability.ATTEND, "message", _("Attention")
            )
        )
