"""The starter kit's one form: which language to write the kit in."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from momentos.accounts.choices import Language


class StarterForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language of the kit"),
        choices=Language.choices,
        widget=forms.RadioSelect,
        help_text=_("Documents, moments and checklists are written in this language; you can edit them all."),
    )
