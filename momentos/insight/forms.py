"""The filter bar of every insight page: a period and the organisation's dimensions, read from GET.

Choices are limited to what the member's scope may see, so an identifier from another organisation or
outside a supervisor's branches is refused as an unknown choice (a form error), never a 500. An invalid
field is shown with its error and does not filter; the scope still narrows every figure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from momentos.accounts.models import Branch, Channel, Membership, Team, User
from momentos.core.access import scoped_queryset
from momentos.cycle.choices import Period
from momentos.cycle.models import Moment, Segment
from momentos.insight.filters import CUSTOM, Filters, organization_today, period_bounds, restrict_to_scope

PERIOD_CHOICES = [*Period.choices, (CUSTOM, _("Custom dates"))]
# How the folded filter bar names the period in use (each one runs up to today).
PERIOD_SUMMARY = {
    Period.WEEK: _("This week"),
    Period.MONTH: _("This month"),
    Period.QUARTER: _("This quarter"),
    Period.YEAR: _("This year"),
    CUSTOM: _("Custom dates"),
}
DIMENSIONS = ("branch", "channel", "team", "agent", "segment", "moment")
# Dates outside this range are refused: they mean nothing here and would overflow date arithmetic.
EARLIEST = date(2000, 1, 1)
LATEST = date(2099, 12, 31)
LONGEST_DAYS = 366 * 5


class OneOrManySelect(forms.Select):
    """A single select that also accepts the same parameter repeated (links built from ``Filters``)."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        getter = getattr(data, "getlist", None)
        values = getter(name) if getter else [data.get(name)]
        return [value for value in values if value not in (None, "")]

    def format_value(self, value: Any) -> list[str]:  # type: ignore[override]
        if value is None:
            return []
        if not isinstance(value, (list, tuple)):
            value = [value]
        return [str(v) for v in value if v not in (None, "")]


class DimensionField(forms.ModelMultipleChoiceField):
    """One dimension of the filters: its choices are the rows the member may see."""

    widget = OneOrManySelect

    def __init__(self, label: Any, empty_label: Any, **kwargs: Any) -> None:
        super().__init__(queryset=Branch.objects.none(), label=label, required=False, **kwargs)
        # The "all" option first: ModelChoiceIterator offers empty_label as the "" choice.
        self.empty_label = empty_label

    def label_from_instance(self, obj: Any) -> str:
        if isinstance(obj, Moment):
            return f"{obj.cycle} · {obj.name}"
        if isinstance(obj, User):
            return obj.full_name or obj.email
        return str(obj)


class InsightFilterForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"), choices=PERIOD_CHOICES, required=False)
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    branch = DimensionField(_("Branch"), _("All branches"))
    channel = DimensionField(_("Channel"), _("All channels"))
    team = DimensionField(_("Team"), _("All teams"))
    agent = DimensionField(_("Agent"), _("All agents"))
    segment = DimensionField(_("Segment"), _("All segments"))
    moment = DimensionField(_("Moment of truth"), _("All moments"))

    def __init__(
        self,
        data: Mapping[str, Any] | None,
        *,
        scope: Membership,
        today: date | None = None,
        exclude: Iterable[str] = (),
        **kwargs: Any,
    ) -> None:
        # Always bound: an empty query is the default selection, validated like any other.
        super().__init__(data if data is not None else {}, **kwargs)
        self.scope = scope
        self.organization = scope.organization
        self.today = today or organization_today(self.organization)
        excluded = set(exclude)
        if scope.is_agent:
            excluded.add("agent")  # an agent only ever sees their own figures
        for name in excluded:
            self.fields.pop(name, None)
        for name, queryset in self._querysets().items():
            if name in self.fields:
                field = self.fields[name]
                assert isinstance(field, DimensionField)
                field.queryset = queryset
        self.period_value: str = Period.MONTH
        self.start_value: date = self.today
        self.end_value: date = self.today

    def _querysets(self) -> dict[str, QuerySet[Any]]:
        scope = self.scope
        members = scoped_queryset(Membership, scope=scope).filter(is_active=True)
        return {
            "branch": scoped_queryset(Branch, scope=scope).order_by("name"),
            "channel": Channel.objects.for_organization(self.organization).order_by("kind"),
            "team": scoped_queryset(Team, scope=scope).order_by("name"),
            "agent": User.objects.filter(pk__in=members.values("user_id")).order_by("full_name", "email"),
            "segment": Segment.objects.for_organization(self.organization).order_by("position", "name"),
            "moment": Moment.objects.for_organization(self.organization)
            .select_related("cycle__channel")
            .order_by("cycle__channel__kind", "position"),
        }

    # Validation -------------------------------------------------------------------------------------

    def _check_date(self, name: str) -> date | None:
        value = self.cleaned_data.get(name)
        if value is not None and not EARLIEST <= value <= LATEST:
            self.add_error(name, _("Choose a date between 2000 and 2099."))
            return None
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        period = data.get("period") or ""
        start, end = self._check_date("start"), self._check_date("end")
        if "period" in self.errors:
            period = ""
        if not period:
            period = CUSTOM if (start or end) else Period.MONTH
        # The filter bar sends the period it showed (``shown``): a period just chosen wins over the
        # dates still in the inputs; with the period unchanged, edited dates mean a custom range.
        shown = str(self.data.get("shown") or "")
        period_changed = bool(shown) and shown != period
        if period != CUSTOM:
            bounds = period_bounds(period, self.today)
            if not period_changed and ((start and start != bounds[0]) or (end and end != bounds[1])):
                period = CUSTOM
            else:
                start, end = bounds
        if period == CUSTOM:
            if start is None and "start" not in self.errors:
                self.add_error("start", _("Choose the first day of the period."))
            if end is None and "end" not in self.errors:
                self.add_error("end", _("Choose the last day of the period."))
            if start and end and end < start:
                self.add_error("end", _("The end date comes before the start date."))
                start = end = None
            elif start and end and (end - start).days > LONGEST_DAYS:
                self.add_error("end", _("Choose a period of five years or less."))
                start = end = None
            if start is None or end is None:
                # Fall back to the default period; the errors say why.
                period = Period.MONTH
                start, end = period_bounds(period, self.today)
        assert start is not None and end is not None
        self.period_value, self.start_value, self.end_value = period, start, end
        data.update(period=period, start=start, end=end)
        return data

    def full_clean(self) -> None:
        super().full_clean()
        if not self.is_bound:
            return
        # Show the dates actually used in the date inputs.
        data = self.data.copy() if hasattr(self.data, "copy") else dict(self.data)
        data["period"] = self.period_value
        data["start"] = self.start_value.isoformat()
        data["end"] = self.end_value.isoformat()
        self.data = data

    # Results ----------------------------------------------------------------------------------------

    @property
    def has_errors(self) -> bool:
        self.is_valid()
        return bool(self.errors)

    def selected(self, name: str) -> list[Any]:
        """The valid rows chosen for a dimension (empty: no restriction)."""
        self.is_valid()
        value = self.cleaned_data.get(name) if name not in self.errors else None
        return list(value) if value else []

    def filters(self) -> Filters:
        """The selection as engine ``Filters``, narrowed to the member's scope."""
        self.is_valid()
        ids = {f"{name}_ids": tuple(row.pk for row in self.selected(name)) for name in DIMENSIONS}
        filters = Filters(start=self.start_value, end=self.end_value, **ids)
        return restrict_to_scope(filters, self.scope)

    def chosen_ids(self) -> dict[str, tuple[Any, ...]]:
        """The dimensions the member chose (``branch_ids``...), before the scope narrows them."""
        return {
            f"{name}_ids": tuple(row.pk for row in self.selected(name))
            for name in DIMENSIONS
            if self.selected(name)
        }

    @property
    def filtered(self) -> bool:
        """Whether anything beyond the period narrows the selection."""
        return any(self.selected(name) for name in DIMENSIONS if name in self.fields)

    @property
    def applied_count(self) -> int:
        """How many dimensions narrow the selection (a refused choice does not count)."""
        return sum(1 for name in DIMENSIONS if name in self.fields and self.selected(name))

    def summary(self) -> str:
        """What the folded filter bar says is applied: "This month · 2 filters"."""
        self.is_valid()
        parts = [str(PERIOD_SUMMARY.get(self.period_value, self.period_value))]
        if count := self.applied_count:
            parts.append(ngettext("%(count)s filter", "%(count)s filters", count) % {"count": count})
        return " · ".join(parts)

    def period_label(self) -> str:
        """The period for file names: ``2026-11-01_2026-11-23``."""
        self.is_valid()
        return f"{self.start_value.isoformat()}_{self.end_value.isoformat()}"

    def query(self, **overrides: Any) -> str:
        """The current selection as a query string, with some parameters replaced or dropped (None)."""
        from django.http import QueryDict

        self.is_valid()
        params = QueryDict(mutable=True)
        params["period"] = self.period_value
        if self.period_value == CUSTOM:
            params["start"] = self.start_value.isoformat()
            params["end"] = self.end_value.isoformat()
        for name in DIMENSIONS:
            if name in self.fields:
                values = [str(row.pk) for row in self.selected(name)]
                if values:
                    params.setlist(name, values)
        for key, value in overrides.items():
            params.pop(key, None)
            if value is None:
                continue
            if isinstance(value, (list, tuple)):
                params.setlist(key, [str(v) for v in value])
            else:
                params[key] = str(value)
        return params.urlencode()
