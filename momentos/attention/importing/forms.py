"""Forms of the import pages: the upload, and the column mapping with its fixed values and translations."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from momentos.accounts.choices import ChannelKind
from momentos.accounts.models import Branch, Organization
from momentos.attention.choices import Outcome
from momentos.attention.importing.mapping import DATE_FORMATS, FIELDS, PRESET_LABELS, ColumnMap
from momentos.attention.importing.readers import ImportFileError
from momentos.attention.models import ColumnMapping
from momentos.core.forms import choice_field

DELIMITER_CHOICES = [
    ("", gettext_lazy("Detect")),
    (",", gettext_lazy("Comma (,)")),
    (";", gettext_lazy("Semicolon (;)")),
    ("\t", gettext_lazy("Tab")),
    ("|", gettext_lazy("Pipe (|)")),
]
ENCODING_CHOICES = [
    ("", gettext_lazy("Detect")),
    ("utf-8-sig", "UTF-8"),
    ("cp1252", "Windows-1252"),
    ("latin-1", "ISO-8859-1 (Latin-1)"),
    ("utf-16", "UTF-16"),
]


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("A CSV file (comma, semicolon, tab or pipe) or an Excel workbook (.xlsx)."),
    )
    start_from = forms.ChoiceField(label=gettext_lazy("Read the columns with"), required=False)

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, Any]] = [("", _("Columns named like the fields (external_id, branch, …)"))]
        choices += [(f"preset:{name}", label) for name, label in PRESET_LABELS.items()]
        choices += [
            (f"saved:{m.pk}", _("Saved mapping: %(name)s") % {"name": m.name})
            for m in ColumnMapping.objects.for_organization(organization)
        ]
        choice_field(self, "start_from").choices = choices


def _parse_translations(text: str, allowed: list[str], label: str) -> dict[str, str]:
    table: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if "=" not in line:
            raise forms.ValidationError(
                _("Line %(number)d: write “value in the file = %(what)s”.")
                % {"number": number, "what": label}
            )
        source, _sep, target = (part.strip() for part in line.partition("="))
        if target and target not in allowed:
            raise forms.ValidationError(
                _("Line %(number)d: “%(target)s” is not one of %(allowed)s.")
                % {"number": number, "target": target, "allowed": ", ".join(allowed)}
            )
        table[source.lower()] = target
    return table


def _format_translations(table: dict[str, str]) -> str:
    return "\n".join(f"{source} = {target}" for source, target in table.items())


class MappingForm(forms.Form):
    """One select per interaction field, listing the file's columns; built for one file's header."""

    delimiter = forms.ChoiceField(label=gettext_lazy("Delimiter"), choices=DELIMITER_CHOICES, required=False)
    encoding = forms.ChoiceField(label=gettext_lazy("Encoding"), choices=ENCODING_CHOICES, required=False)
    fixed_branch = forms.ChoiceField(
        label=gettext_lazy("Branch for rows without one"),
        required=False,
        help_text=gettext_lazy(
            "A helpdesk export usually has no branch: choose the one its tickets belong to."
        ),
    )
    fixed_channel = forms.ChoiceField(
        label=gettext_lazy("Channel for rows without one"),
        required=False,
        choices=[("", "—"), *ChannelKind.choices],
    )
    date_format = forms.ChoiceField(
        label=gettext_lazy("Dates are written as"), choices=DATE_FORMATS, required=False
    )
    outcome_values = forms.CharField(
        label=gettext_lazy("Outcome values"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "One per line: value in the file = resolved, escalated, unresolved or abandoned (empty: still open)."
        ),
    )
    channel_values = forms.CharField(
        label=gettext_lazy("Channel values"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "One per line: value in the file = in_person, phone, email, chat, whatsapp, web_form or social."
        ),
    )
    save_as = forms.CharField(
        label=gettext_lazy("Save this mapping as"),
        required=False,
        max_length=120,
        help_text=gettext_lazy("Optional: a name to use it again for the next file of the same kind."),
    )
    all_or_nothing = forms.BooleanField(
        label=gettext_lazy("All or nothing"),
        required=False,
        help_text=gettext_lazy("Store nothing if any row has an error."),
    )

    def __init__(
        self,
        *args: Any,
        header: list[str],
        organization: Organization,
        column_map: ColumnMap,
        file_options: dict[str, str],
        is_csv: bool,
        **kwargs: Any,
    ) -> None:
        self.header = header
        self.organization = organization
        initial: dict[str, Any] = {
            "delimiter": file_options.get("delimiter", ""),
            "encoding": file_options.get("encoding", ""),
            "fixed_branch": column_map.defaults.get("branch", ""),
            "fixed_channel": column_map.defaults.get("channel", ""),
            "date_format": column_map.date_format,
            "outcome_values": _format_translations(column_map.values.get("outcome", {})),
            "channel_values": _format_translations(column_map.values.get("channel", {})),
        }
        lower = {h.strip().lower(): h for h in header}
        for name in FIELDS:
            wanted = column_map.columns.get(name)
            if name == "notes":
                wanted_list = wanted if isinstance(wanted, list) else [wanted] if wanted else []
                initial[f"col_{name}"] = [lower[w.lower()] for w in wanted_list if w and w.lower() in lower]
            elif isinstance(wanted, str) and wanted.strip().lower() in lower:
                initial[f"col_{name}"] = lower[wanted.strip().lower()]
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        column_choices = [("", "—"), *((h, h) for h in header if h)]
        for name, label in FIELDS.items():
            if name == "notes":
                self.fields[f"col_{name}"] = forms.MultipleChoiceField(
                    label=label,
                    required=False,
                    choices=column_choices[1:],
                    help_text=gettext_lazy("Several columns are kept together, each with its name."),
                )
            else:
                self.fields[f"col_{name}"] = forms.ChoiceField(
                    label=label, required=False, choices=column_choices
                )
        branches = Branch.objects.for_organization(organization).order_by("name")
        choice_field(self, "fixed_branch").choices = [
            ("", "—"),
            *((b.code or str(b.pk), b.name) for b in branches),
        ]
        if not is_csv:
            del self.fields["delimiter"]
            del self.fields["encoding"]
        # Columns first, then what a file may lack, then the rest.
        order = [f"col_{n}" for n in FIELDS] + ["fixed_branch", "fixed_channel", "date_format"]
        self.order_fields(order)

    def clean_outcome_values(self) -> dict[str, str]:
        return _parse_translations(
            self.cleaned_data.get("outcome_values") or "", list(Outcome.values), "resolved"
        )

    def clean_channel_values(self) -> dict[str, str]:
        return _parse_translations(
            self.cleaned_data.get("channel_values") or "", list(ChannelKind.values), "email"
        )

    def column_map(self) -> ColumnMap:
        data = self.cleaned_data
        columns: dict[str, Any] = {}
        for name in FIELDS:
            value = data.get(f"col_{name}")
            if value:
                columns[name] = list(value) if name == "notes" else value
        defaults = {
            k: v
            for k, v in (("branch", data.get("fixed_branch")), ("channel", data.get("fixed_channel")))
            if v
        }
        values = {
            k: v
            for k, v in (("outcome", data.get("outcome_values")), ("channel", data.get("channel_values")))
            if v
        }
        return ColumnMap(
            columns=columns, defaults=defaults, values=values, date_format=data.get("date_format") or ""
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors:
            try:
                self.column_map().bind(self.header, organization=self.organization)
            except ImportFileError as exc:
                raise forms.ValidationError(str(exc.message)) from exc
        return cleaned

    def file_options(self) -> dict[str, str]:
        return {
            "delimiter": self.cleaned_data.get("delimiter") or "",
            "encoding": self.cleaned_data.get("encoding") or "",
        }
