"""Forms of the accounts app: they validate input; services decide."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.contrib.auth.password_validation import validate_password
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from momentos.accounts.choices import ChannelKind, Language, Role, Weekday
from momentos.accounts.models import Branch, Holiday, Membership, Team, User
from momentos.accounts.tasks import send_email
from momentos.core.forms import model_choice_field


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )
    error_messages = {
        "invalid_login": _("That e-mail and password do not match an account. Check both and try again."),
        "inactive": _("This account is inactive."),
    }


class QueuedPasswordResetForm(PasswordResetForm):
    """Password reset whose e-mail goes through the task interface."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        send_email.enqueue(to=[to_email], subject=subject, body=body)

    def get_users(self, email: str) -> Iterator[User]:
        return (
            u for u in User.objects.filter(email__iexact=email, is_active=True) if u.has_usable_password()
        )


class BranchForm(forms.ModelForm):
    class Meta:
        model = Branch
        fields = ["name", "code", "address", "city", "time_zone", "language", "is_active"]
        help_texts = {"time_zone": _("Service standards are measured in this branch's local time.")}


class OpeningHoursForm(forms.Form):
    """A week of opening hours: up to two spans a day (morning and afternoon); empty means closed."""

    def __init__(self, *args: Any, initial_spans: dict[int, list[Any]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.days = []
        for day in Weekday:
            spans = (initial_spans or {}).get(day.value, [])
            fields = []
            for n in (1, 2):
                span = spans[n - 1] if len(spans) >= n else None
                o, c = f"d{day.value}_opens{n}", f"d{day.value}_closes{n}"
                self.fields[o] = forms.TimeField(
                    label=_("Opens"),
                    required=False,
                    initial=span.opens if span else None,
                    widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                )
                self.fields[c] = forms.TimeField(
                    label=_("Closes"),
                    required=False,
                    initial=span.closes if span else None,
                    widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                )
                fields.append((self[o], self[c]))
            self.days.append({"label": day.label, "value": day.value, "spans": fields})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        spans = []
        for day in Weekday:
            for n in (1, 2):
                o, c = data.get(f"d{day.value}_opens{n}"), data.get(f"d{day.value}_closes{n}")
                if o is None and c is None:
                    continue
                if o is None or c is None:
                    self.add_error(f"d{day.value}_opens{n}", _("Give both the opening and the closing time."))
                    continue
                if c <= o:
                    self.add_error(
                        f"d{day.value}_closes{n}",
                        _("%(day)s: closing must be after opening.") % {"day": day.label},
                    )
                    continue
                spans.append((day.value, o, c))
        data["spans"] = spans
        return data


class HolidayForm(forms.ModelForm):
    class Meta:
        model = Holiday
        fields = ["date", "name", "opens", "closes"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "opens": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "closes": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }
        help_texts = {"opens": _("Leave both times empty when the branch is closed all day.")}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, closes = data.get("opens"), data.get("closes")
        if (opens is None) != (closes is None):
            raise forms.ValidationError(_("A partial day needs both an opening and a closing time."))
        if opens and closes and closes <= opens:
            self.add_error("closes", _("The closing time must be after the opening time."))
        return data

    def validate_constraints(self, exclude: Any = None) -> None:
        # The service checks the constraints with messages of its own.
        return None


class TeamForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ["name", "branch", "description"]

    def __init__(self, *args: Any, organization: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "branch").queryset = Branch.objects.for_organization(organization)
        self.fields["branch"].required = False

    def validate_unique(self) -> None:
        return None

    def validate_constraints(self, exclude: Any = None) -> None:
        return None


class ChannelsForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label=_("Channels in use"),
        choices=ChannelKind.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Keep at least one channel in use.")},
    )


class ScopeFieldsMixin(forms.Form):
    """Role plus, for supervisors and agents, the branches and teams they work in."""

    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    branches = forms.ModelMultipleChoiceField(
        label=_("Branches"),
        queryset=Branch.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Supervisors and agents only see what happens in their branches and teams."),
    )
    teams = forms.ModelMultipleChoiceField(
        label=_("Teams"), queryset=Team.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, organization: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "branches").queryset = Branch.objects.for_organization(organization)
        model_choice_field(self, "teams").queryset = Team.objects.for_organization(organization)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("role") in {Role.SUPERVISOR, Role.AGENT}
            and not data.get("branches")
            and not data.get("teams")
        ):
            self.add_error("branches", _("Choose at least one branch or team for a supervisor or an agent."))
        return data


class InvitationForm(ScopeFieldsMixin):
    email = forms.EmailField(label=_("E-mail"))
    field_order = ["email", "role", "branches", "teams"]


class MembershipForm(ScopeFieldsMixin):
    is_active = forms.BooleanField(label=_("Active"), required=False)


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Password again"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            try:
                validate_password(p1, User(email=self.email, full_name=data.get("full_name", "")))
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=120, help_text=_("What uses this token, e.g. “Helpdesk sync”.")
    )


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "language"]
        help_texts = {"language": _("Leave empty to follow your browser.")}
        widgets = {"language": forms.Select(choices=[("", _("Browser language")), *Language.choices])}


def membership_initial(membership: Membership) -> dict[str, Any]:
    return {
        "role": membership.role,
        "is_active": membership.is_active,
        "branches": list(membership.membershipbranch_set.values_list("branch_id", flat=True)),
        "teams": list(membership.membershipteam_set.values_list("team_id", flat=True)),
    }
