"""The attention app's section of the home page: start an attention, resume the open ones, see the latest.

Agents see their own interactions, supervisors those of their branches and teams; the queries are the
same few for any amount of data.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from momentos.accounts.permissions import Capability
from momentos.attention import selectors
from momentos.attention.console import my_open_attentions

RECENT = 5


def attention_section(request: HttpRequest, membership: Any) -> dict[str, Any] | None:
    if not membership.can(Capability.ATTEND):
        return None
    return {
        "template": "attention/partials/home_attention.html",
        "open_count": my_open_attentions(scope=membership).count(),
        "recent": list(selectors.interaction_list(scope=membership)[:RECENT]),
        "is_supervisor": membership.can(Capability.AUDIT),
    }
