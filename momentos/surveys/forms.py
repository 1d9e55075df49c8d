"""Forms of the surveys app: the customer's answer form, and the designer's survey and question forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from momentos.accounts.choices import Language
from momentos.accounts.models import Branch, Channel, User
from momentos.core.forms import model_choice_field
from momentos.cycle.models import Moment
from momentos.surveys.choices import CHOICE_KINDS, SCALES, FollowUpOutcome, FollowUpStatus, QuestionKind
from momentos.surveys.models import Question, Survey
from momentos.surveys.services import AnswerData, QuestionData
from momentos.surveys.tokens import sign_form_start

# The words at both ends of each scale, so a number always says which way is good.
SCALE_ENDS: dict[str, tuple[Any, Any]] = {
    QuestionKind.CSAT: (_("Very dissatisfied"), _("Very satisfied")),
    QuestionKind.NPS: (_("Not at all likely"), _("Extremely likely")),
    QuestionKind.CES: (_("Strongly disagree"), _("Strongly agree")),
    QuestionKind.MOMENT_RATING: (_("Very poor"), _("Excellent")),
}
HONEYPOT = "website"


class ResponseForm(forms.Form):
    """The customer's answers to one survey version; follow-ups appear only for low scores (second step)."""

    started = forms.CharField(widget=forms.HiddenInput, required=False)
    # Hidden from people by CSS and from assistive technology; scripts that fill every field fill it.
    website = forms.CharField(required=False, max_length=200)

    def __init__(
        self,
        *args: Any,
        questions: list[Question],
        language: str,
        with_followups: bool = False,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.language = language
        self.with_followups = with_followups
        if not self.is_bound or not self.data.get("started"):
            self.initial["started"] = sign_form_start()
        for q in questions:
            label = q.text(language)
            name = f"q_{q.pk}"
            if q.kind in SCALES:
                low, high, _mark = SCALES[q.kind]
                self.fields[name] = forms.TypedChoiceField(
                    label=label,
                    choices=[(str(v), str(v)) for v in range(low, high + 1)],
                    coerce=int,
                    empty_value=None,
                    required=q.required,
                    widget=forms.RadioSelect,
                )
                if q.followup_es or q.followup_en:
                    self.fields[f"f_{q.pk}"] = forms.CharField(
                        label=q.followup(language),
                        required=False,
                        max_length=2000,
                        widget=forms.Textarea(attrs={"rows": 3}),
                    )
            elif q.kind in CHOICE_KINDS:
                options = [(str(c.pk), c.text(language)) for c in q.choices.all()]
                if q.kind == QuestionKind.SINGLE_CHOICE:
                    self.fields[name] = forms.ChoiceField(
                        label=label, choices=options, required=q.required, widget=forms.RadioSelect
                    )
                else:
                    self.fields[name] = forms.MultipleChoiceField(
                        label=label, choices=options, required=q.required, widget=forms.CheckboxSelectMultiple
                    )
            else:
                self.fields[name] = forms.CharField(
                    label=label,
                    required=q.required,
                    max_length=2000,
                    widget=forms.Textarea(attrs={"rows": 4}),
                )

    def items(self) -> list[dict[str, Any]]:
        """What the template renders: each question with its field, its scale ends and its follow-up."""
        rows = []
        for q in self.questions:
            followup = None
            if self.with_followups and f"f_{q.pk}" in self.fields and q.is_low(self._value(q)):
                followup = self[f"f_{q.pk}"]
            ends = SCALE_ENDS.get(q.kind)
            rows.append(
                {
                    "question": q,
                    "field": self[f"q_{q.pk}"],
                    "is_scale": q.kind in SCALES,
                    "is_group": q.kind != QuestionKind.FREE_TEXT,
                    "low_end": ends[0] if ends else "",
                    "high_end": ends[1] if ends else "",
                    "followup": followup,
                }
            )
        return rows

    def _value(self, q: Question) -> int | None:
        if hasattr(self, "cleaned_data"):
            return self.cleaned_data.get(f"q_{q.pk}")
        return None

    def pending_followups(self) -> bool:
        """True when a low score has a follow-up the customer has not been shown yet."""
        return any(
            f"f_{q.pk}" in self.fields and q.is_low(self.cleaned_data.get(f"q_{q.pk}"))
            for q in self.questions
        )

    def answers(self) -> dict[Any, AnswerData]:
        data = self.cleaned_data
        result: dict[Any, AnswerData] = {}
        for q in self.questions:
            value: Any = data.get(f"q_{q.pk}")
            if value in (None, "", []):
                continue
            if q.kind in SCALES:
                result[q.pk] = AnswerData(value=value, followup_text=data.get(f"f_{q.pk}", "") or "")
            elif q.kind in CHOICE_KINDS:
                result[q.pk] = AnswerData(choice_ids=value if isinstance(value, list) else [value])
            else:
                result[q.pk] = AnswerData(text=value)
        return result


class SurveyForm(forms.ModelForm):
    channels = forms.ModelMultipleChoiceField(
        Channel.objects.none(),
        label=_("Channels"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None selected: every channel."),
    )
    branches = forms.ModelMultipleChoiceField(
        Branch.objects.none(),
        label=_("Branches"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None selected: every branch."),
    )
    moments = forms.ModelMultipleChoiceField(
        Moment.objects.none(),
        label=_("Moments of truth"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None selected: whatever moments the interaction reached."),
    )

    class Meta:
        model = Survey
        fields = ["name", "is_active"]

    def __init__(self, *args: Any, organization: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "channels").queryset = Channel.objects.for_organization(organization)
        model_choice_field(self, "branches").queryset = Branch.objects.for_organization(organization)
        model_choice_field(self, "moments").queryset = Moment.objects.for_organization(
            organization
        ).select_related("cycle")
        if self.instance.pk:
            self.initial["channels"] = list(self.instance.channels.all())
            self.initial["branches"] = list(self.instance.branches.all())
            self.initial["moments"] = list(self.instance.moments.all())


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=QuestionKind.choices)
    text_es = forms.CharField(label=_("Question (Spanish)"), max_length=300)
    text_en = forms.CharField(label=_("Question (English)"), max_length=300, required=False)
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)
    moment = forms.ModelChoiceField(
        Moment.objects.none(),
        label=_("Moment of truth"),
        required=False,
        help_text=_("Only for a moment rating."),
    )
    choices_es = forms.CharField(
        label=_("Options (Spanish)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One option per line; only for choice questions."),
    )
    choices_en = forms.CharField(
        label=_("Options (English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Same order as the Spanish options."),
    )
    followup_es = forms.CharField(
        label=_("Follow-up after a low score (Spanish)"), max_length=300, required=False
    )
    followup_en = forms.CharField(
        label=_("Follow-up after a low score (English)"), max_length=300, required=False
    )

    def __init__(self, *args: Any, organization: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if organization is not None:
            model_choice_field(self, "moment").queryset = Moment.objects.for_organization(
                organization
            ).select_related("cycle")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        kind = data.get("kind")
        if kind == QuestionKind.MOMENT_RATING and not data.get("moment"):
            self.add_error("moment", _("Choose the moment of truth this question rates."))
        if kind != QuestionKind.MOMENT_RATING:
            data["moment"] = None
        es = [line for line in (data.get("choices_es") or "").splitlines() if line.strip()]
        if kind in CHOICE_KINDS and len(es) < 2:
            self.add_error("choices_es", _("Give at least two options, one per line."))
        if kind not in SCALES and (data.get("followup_es") or data.get("followup_en")):
            self.add_error("followup_es", _("Only scored questions can have a follow-up."))
        return data

    def to_data(self) -> QuestionData:
        d = self.cleaned_data
        es = [line.strip() for line in (d.get("choices_es") or "").splitlines() if line.strip()]
        en = [line.strip() for line in (d.get("choices_en") or "").splitlines() if line.strip()]
        return QuestionData(
            kind=d["kind"],
            text_es=d["text_es"],
            text_en=d.get("text_en", ""),
            required=d.get("required", False),
            moment=d.get("moment"),
            followup_es=d.get("followup_es", ""),
            followup_en=d.get("followup_en", ""),
            choices=[(text, en[i] if i < len(en) else "") for i, text in enumerate(es)]
            if d["kind"] in CHOICE_KINDS
            else [],
        )

    @staticmethod
    def initial_for(question: Question) -> dict[str, Any]:
        choices = list(question.choices.all())
        return {
            "kind": question.kind,
            "text_es": question.text_es,
            "text_en": question.text_en,
            "required": question.required,
            "moment": question.moment_id,
            "choices_es": "\n".join(c.text_es for c in choices),
            "choices_en": "\n".join(c.text_en for c in choices),
            "followup_es": question.followup_es,
            "followup_en": question.followup_en,
        }


QuestionFormSet = forms.formset_factory(QuestionForm, extra=1, can_delete=True, max_num=40, validate_max=True)


class LinkForm(forms.Form):
    survey = forms.ModelChoiceField(
        Survey.objects.none(),
        label=_("Survey"),
        required=False,
        empty_label=_("The one its triggers select"),
    )

    def __init__(self, *args: Any, organization: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "survey").queryset = Survey.objects.for_organization(organization).filter(
            is_active=True
        )


class QrCodeForm(forms.Form):
    branch = forms.ModelChoiceField(Branch.objects.none(), label=_("Branch"))
    moment = forms.ModelChoiceField(
        Moment.objects.none(), label=_("Moment of truth"), required=False, empty_label=_("Any moment")
    )

    def __init__(self, *args: Any, scope: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "branch").queryset = Branch.objects.visible_to(scope).filter(is_active=True)
        model_choice_field(self, "moment").queryset = Moment.objects.for_organization(
            scope.organization_id
        ).select_related("cycle")


class FollowUpForm(forms.Form):
    owner: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        User.objects.none(), label=_("Owner"), required=False
    )
    due_date = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))
    status = forms.ChoiceField(label=_("Status"), choices=FollowUpStatus.choices)
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[("", "—"), *FollowUpOutcome.choices], required=False
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, organization: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "owner").queryset = User.objects.filter(
            memberships__organization_id=getattr(organization, "pk", organization),
            memberships__is_active=True,
        )


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("Customer's e-mail"),
        help_text=_("Used for this invitation and its one reminder, then erased."),
    )
    language = forms.ChoiceField(
        label=_("Language of the e-mail"),
        choices=[("", _("The branch's language")), *Language.choices],
        required=False,
    )
