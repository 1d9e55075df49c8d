"""Forms of the webhooks page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from momentos.webhooks.models import WebhookEvent


class EndpointForm(forms.Form):
    # A plain text field: the service's URL check gives the precise reason a URL is refused.
    url = forms.CharField(
        label=_("URL"),
        max_length=500,
        widget=forms.URLInput(attrs={"placeholder": "https://", "inputmode": "url"}),
        help_text=_("An https:// address of your system that receives a signed POST for each event."),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=200,
        required=False,
        help_text=_("What receives the events, e.g. “CRM”."),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=WebhookEvent.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one event.")},
    )
