"""Forms of the guided attention console: start an attention, tick an item, move on, close."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from momentos.accounts.models import Branch, Channel
from momentos.attention import console
from momentos.attention.choices import Outcome, TickAnswer
from momentos.cycle.models import Segment


class AttentionStartForm(forms.Form):
    """What the agent knows when the customer arrives; the branch is asked only when there is a choice."""

    channel = forms.ModelChoiceField(label=_("Channel"), queryset=Channel.objects.none())
    branch = forms.ModelChoiceField(label=_("Branch"), queryset=Branch.objects.none())
    reason = forms.CharField(label=_("Reason"), max_length=200)
    segment = forms.ModelChoiceField(
        label=_("Customer segment"), queryset=Segment.objects.none(), required=False
    )
    customer_ref = forms.CharField(
        label=_("Customer reference"),
        max_length=100,
        required=False,
        help_text=_("A pseudonymous reference, never a name or contact detail."),
    )

    def __init__(self, *args: Any, scope: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = {
            name: cast(forms.ModelChoiceField, self.fields[name]) for name in ("channel", "branch", "segment")
        }
        fields["channel"].queryset = console.channels_for_console(organization=scope.organization_id)
        fields["channel"].empty_label = None
        branches = console.branches_for_console(scope=scope)
        fields["branch"].queryset = branches
        fields["branch"].empty_label = None
        self.single_branch = branches.count() == 1
        if self.single_branch:
            fields["branch"].widget = forms.HiddenInput()
            fields["branch"].initial = branches.first()
        fields["segment"].queryset = Segment.objects.for_organization(scope.organization_id).order_by(
            "position", "name"
        )
        fields["segment"].empty_label = _("Not known")
        self.fields["reason"].widget.attrs["placeholder"] = _("What the customer comes for")


class TickForm(forms.Form):
    item = forms.UUIDField()
    answer = forms.ChoiceField(choices=TickAnswer.choices)


class NextForm(forms.Form):
    current = forms.UUIDField()


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect)
    contacts = forms.IntegerField(
        label=_("Contacts"),
        min_value=1,
        max_value=99,
        initial=1,
        help_text=_("How many contacts the customer needed, this one included."),
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
