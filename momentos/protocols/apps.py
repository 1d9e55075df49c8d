"""Application config for the protocol studio."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProtocolsConfig(AppConfig):
    name = "momentos.protocols"
    label = "protocols"
    verbose_name = _("Protocol studio")
