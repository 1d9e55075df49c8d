"""Rollups: the sums of every indicator per local day and dimensions, kept equal to the raw rows."""

from __future__ import annotations

from collections.abc import Callable

from momentos.insight import raw


def reader(family: str) -> Callable[..., raw.Grouped]:
    """The function that reads ``family``'s sums from the rollups (the raw rows until they exist)."""
    return {
        "interaction": raw.interaction_sums,
        "survey": raw.survey_sums,
        "standard": raw.standard_sums,
        "checklist": raw.checklist_sums,
    }[family]
