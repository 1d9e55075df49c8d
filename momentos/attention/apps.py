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
        from momentos.attention.home import attention_section
        from momentos.core.home import register_home_section

        section = _("Attention")
        register(NavItem(_("Attend"), "attention:console_list", Capability.ATTEND, "check", section))
        register(
            NavItem(_("Interactions"), "attention:interaction_list", Capability.ATTEND, "message", section)
        )
        register(NavItem(_("Live attentions"), "attention:live_list", Capability.AUDIT, "chart", section))
        register_home_section(attention_section, order=30)
        import momentos.attention.demo  # noqa: F401  (registers the demo step)
