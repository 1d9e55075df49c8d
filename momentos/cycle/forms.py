"""Forms of the four-step design: they validate input and limit choices to the organisation; services decide."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from momentos.accounts.models import Branch, Channel
from momentos.cycle import selectors
from momentos.cycle.models import (
    ChecklistItem,
    Evidence,
    Expectation,
    Moment,
    Objective,
    Segment,
    ServiceCycle,
    ServiceStandard,
)
from momentos.cycle.services import objective_target_problem, standard_problems


class ChoiceFieldsMixin:
    fields: dict[str, forms.Field]

    def _choice(self, name: str) -> forms.ModelChoiceField:
        return cast(forms.ModelChoiceField, self.fields[name])


class ProtocolChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return selectors.document_title(obj)


class ExpectationChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.segment.name} · {obj.description} ({obj.importance}/5)"


class ObjectiveForm(ChoiceFieldsMixin, forms.ModelForm):
    class Meta:
        model = Objective
        fields = ["title", "indicator", "comparison", "target", "period", "branch", "channel", "description"]
        help_texts = {
            "target": _(
                "Percentages (CSAT, resolution, compliance, coverage) from 0 to 100; NPS from −100 to 100; "
                "CES from 1 to 7; times in minutes, more than 0."
            ),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, organization: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._choice("branch").queryset = Branch.objects.for_organization(organization).order_by("name")
        self._choice("branch").empty_label = _("The whole organisation")
        self._choice("channel").queryset = Channel.objects.for_organization(organization).order_by("kind")
        self._choice("channel").empty_label = _("Every channel")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        indicator, target = data.get("indicator"), data.get("target")
        if indicator and target is not None:
            problem = objective_target_problem(indicator=indicator, target=target)
            if problem:
                self.add_error("target", problem)
        return data


class SegmentForm(forms.ModelForm):
    class Meta:
        model = Segment
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"name": _("For example “First-time visitors” or “Business customers”.")}


class ExpectationForm(forms.ModelForm):
    importance = forms.TypedChoiceField(
        label=_("Importance"),
        coerce=int,
        choices=[
            (1, _("1 — minor")),
            (2, _("2")),
            (3, _("3 — important")),
            (4, _("4")),
            (5, _("5 — essential")),
        ],
        initial=3,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Expectation
        fields = ["kind", "description", "importance"]
        help_texts = {
            "description": _("In the customer's words, e.g. “Know how long I will wait”."),
        }


class EvidenceForm(forms.ModelForm):
    class Meta:
        model = Evidence
        fields = ["kind", "source", "date", "notes"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"source": _("Who or what: “12 interviews at the front desk”, “March survey”.")}


class CycleForm(ChoiceFieldsMixin, forms.ModelForm):
    class Meta:
        model = ServiceCycle
        fields = ["channel", "name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, organization: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        channels = Channel.objects.for_organization(organization).filter(is_active=True)
        if self.instance.pk:
            channels = channels | Channel.objects.filter(pk=self.instance.channel_id)
        self._choice("channel").queryset = channels.order_by("kind")


class MomentForm(ChoiceFieldsMixin, forms.ModelForm):
    procedure = ProtocolChoiceField(
        label=_("Procedure"),
        queryset=None,
        required=False,
        empty_label=_("No procedure yet"),
        help_text=_("The protocol staff follow in this moment."),
    )
    expectations = ExpectationChoiceField(
        label=_("Expectations it serves"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("From Step 2: what the customers expect at this point."),
    )

    class Meta:
        model = Moment
        fields = ["name", "description", "procedure", "expectations"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, organization: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._choice("procedure").queryset = selectors.protocol_choices(organization=organization)
        self._choice("expectations").queryset = selectors.expectation_choices(organization=organization)


class StandardForm(forms.ModelForm):
    class Meta:
        model = ServiceStandard
        fields = ["name", "metric", "comparison", "threshold", "unit", "business_hours"]
        help_texts = {
            "threshold": _(
                "You may save without a threshold: the standard stays a draft, marked incomplete."
            ),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        metric, unit = data.get("metric"), data.get("unit")
        if metric and unit:
            for field, message in standard_problems(
                metric=metric, threshold=data.get("threshold"), unit=unit
            ).items():
                self.add_error(field, message)
        return data


class ChecklistItemForm(ChoiceFieldsMixin, forms.ModelForm):
    protocol = ProtocolChoiceField(
        label=_("Linked protocol"), queryset=None, required=False, empty_label=_("None")
    )

    class Meta:
        model = ChecklistItem
        fields = ["text", "weight", "critical", "protocol"]
        help_texts = {
            "text": _("Something an auditor can see or hear, e.g. “Says their name when greeting”."),
            "weight": _("1 or more: how much this item counts in the score."),
        }
        widgets = {"weight": forms.NumberInput(attrs={"min": 1})}

    def __init__(self, *args: Any, organization: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._choice("protocol").queryset = selectors.protocol_choices(organization=organization)
        cast(forms.IntegerField, self.fields["weight"]).min_value = 1
        self.fields["weight"].validators.append(_min_one)


def _min_one(value: int) -> None:
    if value is not None and value < 1:
        raise forms.ValidationError(_("The weight must be 1 or more."))
