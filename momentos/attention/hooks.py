"""Extension points of attention for the apps built on it (surveys), so attention never imports them.

- ``register_close_offer(fn)``: ``fn(interaction, request)`` returns what the console offers the
  customer once an attention is closed (e.g. ``{"url": ..., "svg": ...}`` or ``{"error": ...}``), or
  an empty dict when it has nothing to offer. ``close_offers`` asks the providers in order.
- ``interactions_closed``: a signal sent with ``interactions=[...]`` whenever interactions become
  closed, whether closed in the console or ingested already closed (API, import).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.dispatch import Signal
from django.http import HttpRequest

CloseOffer = Callable[[Any, HttpRequest], dict[str, str]]

_close_offers: list[CloseOffer] = []

interactions_closed = Signal()


def register_close_offer(fn: CloseOffer) -> CloseOffer:
    """Register a provider once (``AppConfig.ready`` may run twice in tests); usable as a decorator."""
    if fn not in _close_offers:
        _close_offers.append(fn)
    return fn


def has_close_offers() -> bool:
    return bool(_close_offers)


def close_offers(interaction: Any, request: HttpRequest) -> dict[str, str]:
    """The first non-empty offer of the registered providers, or an empty dict."""
    for provider in _close_offers:
        offer = provider(interaction, request)
        if offer:
            return offer
    return {}


def send_interactions_closed(interactions: list[Any]) -> None:
    if interactions:
        interactions_closed.send(sender=interactions[0].__class__, interactions=interactions)
