"""Application config for continuous improvement: actions raised from what the indicators show."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImprovementConfig(AppConfig):
    name = "momentos.improvement"
    label = "improvement"
    verbose_name = _("Continuous improvement")
