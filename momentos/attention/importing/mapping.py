"""Column mapping: which column of a file feeds which interaction field, fixed values, value translations.

A mapping turns one row of cells into the dictionary the API's ``InteractionIn`` schema reads, so a
file row and an API row are validated by the same schema and the same service. Dates are parsed here,
because a file's dates come in the file's format (or as spreadsheet dates), not always in ISO 8601.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from momentos.accounts.choices import ChannelKind
from momentos.accounts.models import Branch, Channel, Organization
from momentos.attention.importing.readers import ImportFileError, cell_text

FIELDS: dict[str, Any] = {
    "external_id": gettext_lazy("External id"),
    "branch": gettext_lazy("Branch (code or name)"),
    "channel": gettext_lazy("Channel"),
    "started_at": gettext_lazy("Started"),
    "first_response_at": gettext_lazy("First response"),
    "resolved_at": gettext_lazy("Resolved"),
    "closed_at": gettext_lazy("Closed"),
    "agent": gettext_lazy("Agent (e-mail)"),
    "team": gettext_lazy("Team"),
    "segment": gettext_lazy("Customer segment"),
    "reason": gettext_lazy("Reason"),
    "customer_ref": gettext_lazy("Customer reference"),
    "outcome": gettext_lazy("Outcome"),
    "contacts": gettext_lazy("Contacts"),
    "notes": gettext_lazy("Notes"),
}
DATE_FIELDS = ("started_at", "first_response_at", "resolved_at", "closed_at")
# A file must say these, by a column or a fixed value.
REQUIRED = ("branch", "channel", "started_at")
# Fields a fixed value makes sense for (the whole file comes from one branch, one channel, one team).
FIXABLE = ("branch", "channel", "team", "segment", "reason")
TRANSLATABLE = ("channel", "outcome")

DATE_FORMATS: list[tuple[str, Any]] = [
    ("", gettext_lazy("ISO 8601 (2026-03-02 09:30 or 2026-03-02T09:30:00Z)")),
    ("%d/%m/%Y %H:%M", gettext_lazy("day/month/year (02/03/2026 09:30)")),
    ("%m/%d/%Y %H:%M", gettext_lazy("month/day/year (03/02/2026 09:30)")),
    ("%d.%m.%Y %H:%M", gettext_lazy("day.month.year (02.03.2026 09:30)")),
    ("%d-%m-%Y %H:%M", gettext_lazy("day-month-year (02-03-2026 09:30)")),
]

# A ticket export as most helpdesks write it. The satisfaction rating has no field of its own on an
# interaction (surveys own ratings), so it is kept in the notes.
PRESETS: dict[str, dict[str, Any]] = {
    "helpdesk": {
        "columns": {
            "external_id": "id",
            "started_at": "created",
            "first_response_at": "first reply",
            "resolved_at": "solved",
            "closed_at": "solved",
            "channel": "channel",
            "agent": "assignee",
            "team": "group",
            "outcome": "status",
            "notes": ["satisfaction"],
        },
        "defaults": {},
        "values": {
            "outcome": {
                "solved": "resolved",
                "closed": "resolved",
                "new": "",
                "open": "",
                "pending": "",
                "hold": "",
                "on-hold": "",
                "escalated": "escalated",
                "deleted": "abandoned",
            },
            "channel": {
                "web": "web_form",
                "web form": "web_form",
                "web_form": "web_form",
                "web widget": "chat",
                "web_widget": "chat",
                "messaging": "chat",
                "chat": "chat",
                "email": "email",
                "e-mail": "email",
                "mail": "email",
                "voice": "phone",
                "phone": "phone",
                "call": "phone",
                "whatsapp": "whatsapp",
                "twitter": "social",
                "facebook": "social",
                "instagram": "social",
                "social": "social",
                "walk-in": "in_person",
                "in person": "in_person",
            },
        },
        "date_format": "",
    }
}
PRESET_LABELS = {"helpdesk": gettext_lazy("Helpdesk ticket export (id, created, first reply, solved, …)")}


def _err(line: int, field_name: str, column: str, code: str, message: str) -> dict[str, Any]:
    return {"line": line, "field": field_name, "column": column, "code": code, "message": message}


def parse_when(value: Any, date_format: str) -> datetime | None:
    """A cell as a date and time; a naive result is read later in the branch's time zone. ValueError if unreadable."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time())
    text = cell_text(value)
    if not text:
        return None
    if date_format:
        for fmt in (date_format, date_format + ":%S", date_format.split(" ")[0]):
            try:
                return datetime.strptime(text, fmt)  # noqa: DTZ007 - localised to the branch by the service
            except ValueError:
                continue
        raise ValueError(text)
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    return datetime.fromisoformat(text)


@dataclass
class ColumnMap:
    """A mapping as data: the shape stored in ``ColumnMapping`` and copied into each ``ImportJob``."""

    columns: dict[str, Any] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    date_format: str = ""

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> ColumnMap:
        data = data or {}
        return cls(
            columns=dict(data.get("columns") or {}),
            defaults=dict(data.get("defaults") or {}),
            values={
                k: {str(a).strip().lower(): str(b) for a, b in v.items()}
                for k, v in (data.get("values") or {}).items()
            },
            date_format=str(data.get("date_format") or ""),
        )

    @classmethod
    def preset(cls, name: str) -> ColumnMap:
        if name not in PRESETS:
            raise ImportFileError(
                _("There is no preset “%(name)s”; the presets are: %(names)s.")
                % {"name": name, "names": ", ".join(PRESETS)}
            )
        return cls.from_dict(PRESETS[name])

    @classmethod
    def by_field_name(cls, header: list[str]) -> ColumnMap:
        """Columns named like the fields (external_id, branch, channel, started_at, …)."""
        names = {h.strip().lower() for h in header}
        return cls(columns={f: f for f in FIELDS if f in names})

    def to_dict(self) -> dict[str, Any]:
        return {
            "columns": self.columns,
            "defaults": self.defaults,
            "values": self.values,
            "date_format": self.date_format,
        }

    def bind(self, header: list[str], *, organization: Organization) -> BoundMap:
        return BoundMap(self, header, organization=organization)


def _channel_names(organization: Organization) -> dict[str, str]:
    """Names a file may use for a channel: its kind, the organisation's own name for it, and the labels."""
    names: dict[str, str] = {}
    for language in ("en", "es"):
        with translation.override(language):
            names.update({str(label).lower(): kind for kind, label in ChannelKind.choices})
    for kind, name in Channel.objects.for_organization(organization).values_list("kind", "name"):
        if name:
            names[name.strip().lower()] = kind
    names.update({kind: kind for kind in ChannelKind.values})
    return names


class BoundMap:
    """A mapping applied to one file's header: column positions, checked once before any row is read."""

    def __init__(self, column_map: ColumnMap, header: list[str], *, organization: Organization) -> None:
        self.map = column_map
        positions: dict[str, int] = {}
        for i, name in enumerate(header):
            positions.setdefault(name.strip().lower(), i)
        self.index: dict[str, list[tuple[str, int]]] = {}
        missing: list[str] = []
        for field_name, columns in column_map.columns.items():
            if field_name not in FIELDS or not columns:
                continue
            wanted = columns if isinstance(columns, list) else [columns]
            found = []
            for column in wanted:
                pos = positions.get(str(column).strip().lower())
                if pos is None:
                    missing.append(str(column))
                else:
                    found.append((header[pos], pos))
            if found:
                self.index[field_name] = found
        if missing:
            raise ImportFileError(_missing_message(missing, header))
        unset = [str(FIELDS[f]) for f in REQUIRED if f not in self.index and not column_map.defaults.get(f)]
        if unset:
            raise ImportFileError(
                _("Say which column holds (or which fixed value to use for): %(fields)s.")
                % {"fields": ", ".join(unset)}
            )
        self.channels = _channel_names(organization)
        self.branch_codes: set[str] = set()
        self.branch_names: dict[str, str] = {}
        for pk, name, code in Branch.objects.for_organization(organization).values_list("pk", "name", "code"):
            if code:
                self.branch_codes.add(code.strip().lower())
            self.branch_names[name.strip().lower()] = str(pk)

    def column_for(self, field_name: str) -> str:
        found = self.index.get(field_name.split(".")[0])
        return ", ".join(c for c, _p in found) if found else ""

    def _text(self, field_name: str, cells: list[Any]) -> Any:
        found = self.index.get(field_name)
        if not found:
            return self.map.defaults.get(field_name, "")
        _column, pos = found[0]
        value = cells[pos] if pos < len(cells) else None
        if cell_text(value) == "" and self.map.defaults.get(field_name):
            return self.map.defaults[field_name]
        return value

    def convert(self, line: int, cells: list[Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """A row as the API's interaction dictionary, and the problems found reading its cells."""
        data: dict[str, Any] = {}
        errors: list[dict[str, Any]] = []
        for field_name in FIELDS:
            if field_name in DATE_FIELDS or field_name == "notes":
                continue
            text = cell_text(self._text(field_name, cells))
            table = self.map.values.get(field_name)
            if table and text.lower() in table:
                text = table[text.lower()]
            if text:
                data[field_name] = text
        if "channel" in data:
            data["channel"] = self.channels.get(data["channel"].strip().lower(), data["channel"])
        if "branch" in data:
            ref = data["branch"].strip().lower()
            if ref not in self.branch_codes and ref in self.branch_names:
                data["branch"] = self.branch_names[ref]
        if "outcome" in data:
            data["outcome"] = data["outcome"].strip().lower()
        if "contacts" in data:
            try:
                data["contacts"] = int(float(data["contacts"]))
            except ValueError:
                errors.append(
                    _err(
                        line,
                        "contacts",
                        self.column_for("contacts"),
                        "invalid",
                        _("“%(value)s” is not a number of contacts.") % {"value": data["contacts"]},
                    )
                )
                del data["contacts"]
        for field_name in DATE_FIELDS:
            raw = self._text(field_name, cells)
            try:
                when = parse_when(raw, self.map.date_format)
            except ValueError:
                errors.append(
                    _err(
                        line,
                        field_name,
                        self.column_for(field_name),
                        "invalid_date",
                        _("“%(value)s” is not a date and time I can read (expected %(format)s).")
                        % {"value": cell_text(raw), "format": _date_format_label(self.map.date_format)},
                    )
                )
                continue
            if when is not None:
                data[field_name] = when
        if "started_at" not in data and not any(e["field"] == "started_at" for e in errors):
            errors.append(
                _err(
                    line,
                    "started_at",
                    self.column_for("started_at"),
                    "required",
                    _("The start time is empty."),
                )
            )
        notes = []
        for column, pos in self.index.get("notes", []):
            text = cell_text(cells[pos] if pos < len(cells) else None)
            if text:
                notes.append(
                    text
                    if len(self.index["notes"]) == 1 and column.lower() == "notes"
                    else f"{column}: {text}"
                )
        if notes:
            data["notes"] = "\n".join(notes)
        return data, errors


def _date_format_label(date_format: str) -> str:
    for value, label in DATE_FORMATS:
        if value == date_format:
            return str(label)
    return date_format


def _missing_message(missing: list[str], header: list[str]) -> str:
    shown = ", ".join(f"“{h}”" for h in header[:12])
    if len(header) == 1 and any(d in header[0] for d in ",;\t|"):
        return _(
            "The file has a single column (“%(column)s”): it seems to use another delimiter. Choose the "
            "delimiter and upload it again."
        ) % {"column": header[0][:80]}
    return _("The file has no column %(missing)s. Its columns are: %(columns)s.") % {
        "missing": ", ".join(f"“{m}”" for m in dict.fromkeys(missing)),
        "columns": shown,
    }
