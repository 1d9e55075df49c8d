"""Application config for the four-step design and the service cycle."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CycleConfig(AppConfig):
    name = "momentos.cycle"
    label = "cycle"
    verbose_name = _("Service design")
