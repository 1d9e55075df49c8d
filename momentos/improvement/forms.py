"""Forms of continuous improvement: raise or edit an action, accept a proposal, filter the list."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from momentos.accounts.models import Branch, User
from momentos.core.access import scoped_queryset
from momentos.core.forms import choice_field, model_choice_field
from momentos.cycle.models import Moment, Objective
from momentos.improvement.choices import ActionSource, ActionStatus
from momentos.improvement.selectors import ActionFilters
from momentos.improvement.services import published_versions
from momentos.surveys.models import FollowUp

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def members_of(organization: Any) -> Any:
    return (
        User.objects.filter(
            memberships__organization_id=getattr(organization, "pk", organization),
            memberships__is_active=True,
        )
        .distinct()
        .order_by("full_name", "email")
    )


class VersionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} · v{obj.number}"


class MomentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} · {obj.cycle.name}"


class ActionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("What will be done"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    source = forms.ChoiceField(
        label=_("Raised from"),
        choices=[c for c in ActionSource.choices if c[0] != ActionSource.AUDIT],
        initial=ActionSource.MANUAL,
    )
    objective: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        Objective.objects.none(), label=_("Objective"), required=False
    )
    moment: forms.ModelChoiceField[Any] = MomentChoiceField(
        Moment.objects.none(), label=_("Moment of truth"), required=False
    )
    follow_up: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        FollowUp.objects.none(), required=False, widget=forms.HiddenInput
    )
    branch: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        Branch.objects.none(),
        label=_("Branch"),
        required=False,
        help_text=_("Empty: the whole organisation. The branch's supervisors see and update the action."),
    )
    owner: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        User.objects.none(), label=_("Owner"), help_text=_("A member of the organisation.")
    )
    due_date = forms.DateField(label=_("Due date"), widget=DATE)
    closing_version: forms.ModelChoiceField[Any] = VersionChoiceField(
        Branch.objects.none(),
        label=_("Closed by version"),
        required=False,
        help_text=_("The published protocol version that puts the change in force."),
    )

    def __init__(self, *args: Any, organization: Any, scope: Any, proposal: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "objective").queryset = scoped_queryset(Objective, scope=scope).order_by(
            "title"
        )
        model_choice_field(self, "moment").queryset = (
            scoped_queryset(Moment, scope=scope).select_related("cycle").order_by("cycle__name", "position")
        )
        model_choice_field(self, "follow_up").queryset = scoped_queryset(FollowUp, scope=scope)
        branch = model_choice_field(self, "branch")
        branch.queryset = scoped_queryset(Branch, scope=scope).order_by("name")
        if not scope.sees_whole_organization:
            # A supervisor keeps the action inside their branches, or it would vanish from their list.
            branch.required = True
            branch.help_text = ""
        model_choice_field(self, "owner").queryset = members_of(organization)
        model_choice_field(self, "closing_version").queryset = (
            published_versions(organization).select_related("document").order_by("title", "-number")
        )
        model_choice_field(self, "objective").empty_label = _("None")
        model_choice_field(self, "moment").empty_label = _("None")
        model_choice_field(self, "owner").empty_label = _("Choose the owner")
        model_choice_field(self, "closing_version").empty_label = _("Not yet")
        if scope.sees_whole_organization:
            branch.empty_label = _("Whole organisation")
        if proposal:
            # A proposal gets its owner and due date when it is accepted.
            self.fields["owner"].required = False
            self.fields["due_date"].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        source = data.get("source")
        needs = {ActionSource.OBJECTIVE: "objective", ActionSource.MOMENT: "moment"}
        field = needs.get(source) if source else None
        if field and not data.get(field) and field not in self.errors:
            self.add_error(
                field, _("Choose the %(what)s the action comes from.") % {"what": self.fields[field].label}
            )
        if source == ActionSource.DETRACTOR and not data.get("follow_up"):
            self.add_error("source", _("Raise an action from the alert itself to link its follow-up."))
        return data


class AcceptForm(forms.Form):
    owner: forms.ModelChoiceField[Any] = forms.ModelChoiceField(User.objects.none(), label=_("Owner"))
    due_date = forms.DateField(label=_("Due date"), widget=DATE)

    def __init__(self, *args: Any, organization: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "owner").queryset = members_of(organization)


class ActionFilterForm(forms.Form):
    """Narrow the list; an invalid value is ignored with a message rather than failing the page."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False)
    owner: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        User.objects.none(), label=_("Owner"), required=False
    )
    source = forms.ChoiceField(label=_("Raised from"), required=False)
    branch: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        Branch.objects.none(), label=_("Branch"), required=False
    )
    overdue = forms.BooleanField(
        label=_("Overdue only"),
        required=False,
        # Not a text box: keep the search bar's stretching off the checkbox.
        widget=forms.CheckboxInput(attrs={"style": "flex: none; width: 1.1rem; height: 1.1rem; margin: 0"}),
    )

    def __init__(self, *args: Any, organization: Any, scope: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        choice_field(self, "status").choices = [("", _("Every status")), *ActionStatus.choices]
        choice_field(self, "source").choices = [("", _("Every source")), *ActionSource.choices]
        owner = model_choice_field(self, "owner")
        owner.queryset = members_of(organization)
        owner.empty_label = _("Every owner")
        branch = model_choice_field(self, "branch")
        branch.queryset = scoped_queryset(Branch, scope=scope).order_by("name")
        branch.empty_label = _("All branches")
        self.fields["q"].widget.attrs.update({"placeholder": _("Title or description"), "type": "search"})

    def filters(self) -> ActionFilters:
        data = self.cleaned_data if self.is_bound else {}
        return ActionFilters(
            search=(data.get("q") or "").strip(),
            status=data.get("status") or "",
            owner=data.get("owner"),
            source=data.get("source") or "",
            branch=data.get("branch"),
            overdue=bool(data.get("overdue")),
        )
