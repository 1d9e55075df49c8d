"""`{% load improvement %}{% raise_action_url objective=objective %}`: link to raise an action from a page."""

from __future__ import annotations

from typing import Any

from django import template

from momentos.improvement import links

register = template.Library()


@register.simple_tag
def raise_action_url(objective: Any = None, moment: Any = None, follow_up: Any = None) -> str:
    return links.raise_action_url(objective=objective, moment=moment, follow_up=follow_up)
