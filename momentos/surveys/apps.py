"""Application config for surveys: questionnaires, links and QR codes, public answers, alerts."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "momentos.surveys"
    label = "surveys"
    verbose_name = _("Voice of the customer")

    def ready(self) -> None:
        from momentos.accounts.navigation import NavItem, register
        from momentos.accounts.permissions import Capability
        from momentos.attention import hooks
        from momentos.surveys import receivers

        section = _("Voice of the customer")
        register(NavItem(_("Surveys"), "surveys:survey_list", Capability.DESIGN_PROTOCOL, "message", section))
        register(NavItem(_("Alerts"), "surveys:alert_list", Capability.AUDIT, "check", section))
        hooks.register_close_offer(receivers.console_close_offer)
        hooks.interactions_closed.connect(
            receivers.attach_links_on_close, dispatch_uid="surveys.attach_links"
        )
        from momentos.surveys import demo, home  # noqa: F401  (register the demo steps and the home section)
