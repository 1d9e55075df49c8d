"""Where other pages send a manager to raise an action from what they show."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.http import urlencode


def raise_action_url(*, objective: Any = None, moment: Any = None, follow_up: Any = None) -> str:
    """The form of a new action prefilled from an objective, a moment of truth or a follow-up.

    Only quality managers and admins may open it (Capability.DESIGN_PROTOCOL): show the link to them.
    """
    url = reverse("improvement:action_create")
    for name, obj in (("objective", objective), ("moment", moment), ("follow_up", follow_up)):
        if obj is not None:
            return f"{url}?{urlencode({name: str(getattr(obj, 'pk', obj))})}"
    return url
