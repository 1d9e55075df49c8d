"""Application config for the protocol studio."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProtocolsConfig(AppConfig):
    name = "momentos.protocols"
    label = "protocols"
    verbose_name = _("Protocol studio")

    def ready(self) -> None:
        from momentos.accounts.navigation import NavItem, register
        from momentos.accounts.permissions import Capability

        register(NavItem(_("Protocol studio"), "protocols:document_list", Capability.READ_PROTOCOL, "doc"))
