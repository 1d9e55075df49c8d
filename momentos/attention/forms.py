"""Forms of the attention app: the filters of the interaction list."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from momentos.accounts.choices import ChannelKind
from momentos.accounts.models import Branch, Membership, Team, User
from momentos.attention.choices import Outcome
from momentos.attention.selectors import InteractionFilters
from momentos.core.access import scoped_queryset
from momentos.cycle.models import Moment, Segment


class _UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.full_name or obj.email


class _MomentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.cycle} · {obj.name}"


class InteractionFilterForm(forms.Form):
    """Narrow the list; an invalid value is ignored with a message rather than failing the page."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    branch = forms.ModelChoiceField(label=_("Branch"), queryset=Branch.objects.none(), required=False)
    channel = forms.ChoiceField(label=_("Channel"), required=False)
    outcome = forms.ChoiceField(label=_("Outcome"), required=False)
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False)
    agent = _UserChoiceField(label=_("Agent"), queryset=User.objects.none(), required=False)
    segment = forms.ModelChoiceField(label=_("Segment"), queryset=Segment.objects.none(), required=False)
    moment = _MomentChoiceField(label=_("Moment of truth"), queryset=Moment.objects.none(), required=False)
    started_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    started_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, scope: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        branch = cast(forms.ModelChoiceField, self.fields["branch"])
        branch.queryset = scoped_queryset(Branch, scope=scope).order_by("name")
        branch.empty_label = _("All branches")
        organization_id = scope.organization_id
        choices: dict[str, tuple[Any, Any]] = {
            "team": (scoped_queryset(Team, scope=scope).order_by("name"), _("All teams")),
            "agent": (
                User.objects.filter(
                    pk__in=scoped_queryset(Membership, scope=scope).values("user_id")
                ).order_by("full_name", "email"),
                _("All agents"),
            ),
            "segment": (
                Segment.objects.for_organization(organization_id).order_by("position", "name"),
                _("All segments"),
            ),
            "moment": (
                Moment.objects.for_organization(organization_id)
                .select_related("cycle__channel")
                .order_by("cycle__channel__kind", "position"),
                _("All moments"),
            ),
        }
        for name, (queryset, empty_label) in choices.items():
            field = cast(forms.ModelChoiceField, self.fields[name])
            field.queryset = queryset
            field.empty_label = empty_label
        if scope.is_agent:
            del self.fields["agent"]  # an agent sees only their own interactions anyway
        cast(forms.ChoiceField, self.fields["channel"]).choices = [
            ("", _("All channels")),
            *ChannelKind.choices,
        ]
        cast(forms.ChoiceField, self.fields["outcome"]).choices = [
            ("", _("Any outcome")),
            ("open", _("Open")),
            ("closed", _("Closed")),
            *Outcome.choices,
        ]
        self.fields["q"].widget.attrs["placeholder"] = _("Reason, customer reference or external id")
        self.fields["q"].widget.attrs["type"] = "search"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("started_from"), data.get("started_to")
        if start and end and end < start:
            self.add_error("started_to", _("The end date comes before the start date."))
        return data

    def filters(self) -> InteractionFilters:
        """The filters of the valid fields; the others do not filter."""
        data = self.cleaned_data if self.is_bound else {}
        return InteractionFilters(
            branch=data.get("branch"),
            channel=data.get("channel") or "",
            outcome=data.get("outcome") or "",
            started_from=data.get("started_from"),
            started_to=data.get("started_to"),
            search=(data.get("q") or "").strip(),
            team=data.get("team"),
            agent=data.get("agent"),
            segment=data.get("segment"),
            moment=data.get("moment"),
        )
