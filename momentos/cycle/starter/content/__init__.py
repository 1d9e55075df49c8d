"""The starter kit's content, one parallel data set per language (same keys, numbers and order)."""

from __future__ import annotations

from typing import Any

from momentos.cycle.starter.content import en, es

KITS: dict[str, dict[str, Any]] = {"es": es.KIT, "en": en.KIT}

# The walk-in cycle serves the in-person channel; every other channel in use gets the remote cycle.
WALK_IN_CHANNEL = "in_person"
REMOTE_CHANNELS = ("phone", "email", "chat", "whatsapp", "web_form", "social")
