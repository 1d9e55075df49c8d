"""Forms of the protocol studio: a new document, a draft shaped by its kind, and publishing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from momentos.accounts.choices import Language
from momentos.accounts.models import Branch, Channel
from momentos.core.forms import model_choice_field
from momentos.protocols.choices import BlockKind, DocumentKind
from momentos.protocols.models import Document, DocumentVersion

MARKDOWN_HELP = _(
    "Plain text. **bold**, *italic*, lists starting with “-” or “1.”, and [links](https://…) work."
)

KIND_HELP = {
    DocumentKind.PROTOCOL: _(
        "How to act in one specific situation: what triggers it, where it applies, ordered steps saying "
        "who acts and what is said or done, and do's and don'ts. Binding for staff."
    ),
    DocumentKind.MANUAL: _(
        "What is done in an area or process and how, in sections. It can point to the protocols "
        "that apply. Binding, but broader than a protocol."
    ),
    DocumentKind.GUIDE: _(
        "Recommendations and orientations on a subject. Helps staff decide; it does not bind them."
    ),
}

TRIGGER_LABEL = {
    DocumentKind.PROTOCOL: (_("Situation that triggers it"), _("When does staff apply this protocol?")),
    DocumentKind.MANUAL: (_("Area or process"), _("The part of the organisation or the process documented.")),
    DocumentKind.GUIDE: (_("Subject"), _("What these recommendations are about (optional).")),
}


class KindSelect(forms.RadioSelect):
    option_template_name = "protocols/widgets/kind_option.html"

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        option["help"] = KIND_HELP.get(option["value"], "")
        return option


class DocumentCreateForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What are you writing?"), choices=DocumentKind.choices, widget=KindSelect, initial="protocol"
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    language = forms.ChoiceField(
        label=_("Language of the document"),
        choices=Language.choices,
        help_text=_("Its PDF and printed copy use this language."),
    )


class VersionForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    trigger = forms.CharField(label=_("Situation"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    body = forms.CharField(
        label=_("Introduction"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=MARKDOWN_HELP,
    )
    channels = forms.ModelMultipleChoiceField(
        label=_("Channels"),
        queryset=Channel.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: every channel."),
    )
    branches = forms.ModelMultipleChoiceField(
        label=_("Branches"),
        queryset=Branch.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: every branch."),
    )
    references = forms.ModelMultipleChoiceField(
        label=_("Protocols this manual refers to"),
        queryset=Document.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, version: DocumentVersion, **kwargs: Any):
        super().__init__(*args, **kwargs)
        document = version.document
        org = version.organization_id
        label, help_text = TRIGGER_LABEL[DocumentKind(document.kind)]
        self.fields["trigger"].label, self.fields["trigger"].help_text = label, help_text
        if document.kind == DocumentKind.PROTOCOL:
            model_choice_field(self, "channels").queryset = Channel.objects.for_organization(org).order_by("kind")
            model_choice_field(self, "branches").queryset = Branch.objects.for_organization(org).order_by("name")
        else:
            del self.fields["channels"], self.fields["branches"]
        if document.kind == DocumentKind.MANUAL:
            refs = (
                Document.objects.for_organization(org)
                .filter(kind=DocumentKind.PROTOCOL)
                .exclude(pk=document.pk)
            )
            model_choice_field(self, "references").queryset = refs.select_related("current_version").prefetch_related(
                "versions"
            )
        else:
            del self.fields["references"]


class BlockForm(forms.Form):
    """One block row; which of its fields show depends on the block kind (see BLOCK_FIELDS)."""

    position = forms.IntegerField(
        label=_("Order"),
        required=False,
        min_value=1,
        max_value=999,
        widget=forms.NumberInput(attrs={"size": 3}),
    )
    title = forms.CharField(label=_("Heading"), required=False, max_length=200)
    actor = forms.CharField(label=_("Who acts"), required=False, max_length=120)
    body = forms.CharField(
        label=_("What is said or done"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    how = forms.CharField(label=_("How it is done"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, block_kind: str = BlockKind.STEP, **kwargs: Any):
        super().__init__(*args, **kwargs)
        keep = BLOCK_FIELDS[block_kind]
        for name in list(self.fields):
            if name not in keep and name not in {"position", "DELETE"}:
                del self.fields[name]
        if block_kind == BlockKind.SECTION:
            self.fields["body"].label = _("What is done")
        elif block_kind in {BlockKind.DO, BlockKind.DONT, BlockKind.RECOMMENDATION}:
            self.fields["body"].label = _("Text")
        if "body" in self.fields:
            self.fields["body"].help_text = MARKDOWN_HELP


BLOCK_FIELDS: dict[str, tuple[str, ...]] = {
    BlockKind.STEP: ("title", "actor", "body"),
    BlockKind.DO: ("body",),
    BlockKind.DONT: ("body",),
    BlockKind.SECTION: ("title", "body", "how"),
    BlockKind.RECOMMENDATION: ("title", "body"),
}

BLOCK_LABELS = {
    BlockKind.STEP: (_("Steps"), _("In order: who acts, and what is said or done."), _("Add a step")),
    BlockKind.DO: (_("Do"), _("Behaviours that are expected."), _("Add a do")),
    BlockKind.DONT: (_("Don't"), _("Behaviours to avoid."), _("Add a don't")),
    BlockKind.SECTION: (_("Sections"), _("Each section says what is done and how."), _("Add a section")),
    BlockKind.RECOMMENDATION: (
        _("Recommendations"),
        _("Advice staff may follow."),
        _("Add a recommendation"),
    ),
}

BlockFormSet = formset_factory(BlockForm, extra=0, can_delete=True, max_num=100, absolute_max=200)


def block_formsets(
    *, version: DocumentVersion, data: Any = None, kinds: Any, add: str = ""
) -> list[dict[str, Any]]:
    """One formset per block kind of the document, bound to ``data`` or filled from the version's blocks.

    ``add`` names a kind that gets one more empty row (the "add a step" button, which saves nothing).
    """
    result = []
    for kind in kinds:
        prefix = str(kind)
        if data is not None:
            bound = data
            if add == kind:
                bound = data.copy()
                key = f"{prefix}-TOTAL_FORMS"
                try:
                    bound[key] = str(int(bound.get(key, "0")) + 1)
                except ValueError:
                    bound[key] = "1"
            formset = BlockFormSet(bound, prefix=prefix, form_kwargs={"block_kind": kind})
        else:
            initial = [
                {"position": b.position, "title": b.title, "actor": b.actor, "body": b.body, "how": b.how}
                for b in version.blocks.all()
                if b.kind == kind
            ]
            initial.sort(key=lambda row: row["position"])
            formset = BlockFormSet(initial=initial, prefix=prefix, form_kwargs={"block_kind": kind})
            if not initial:
                formset.extra = 1
        label, help_text, add_label = BLOCK_LABELS[kind]
        result.append(
            {"kind": kind, "label": label, "help": help_text, "add_label": add_label, "formset": formset}
        )
    return result


def blocks_from_formsets(formsets: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The blocks to save, in the order their "order" fields ask (rows without one keep their place)."""
    blocks: list[dict[str, Any]] = []
    for entry in formsets:
        rows = []
        for index, form in enumerate(entry["formset"].forms):
            data = form.cleaned_data
            if not data or data.get("DELETE"):
                continue
            position = data.get("position") or index + 1
            rows.append(
                (
                    position,
                    index,
                    {"kind": entry["kind"], **{k: data.get(k, "") for k in BLOCK_FIELDS[entry["kind"]]}},
                )
            )
        blocks += [row for _p, _i, row in sorted(rows, key=lambda r: (r[0], r[1]))]
    return blocks


class PublishForm(forms.Form):
    change_note = forms.CharField(
        label=_("Change note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What changed and why. Staff read it with the new version."),
    )
