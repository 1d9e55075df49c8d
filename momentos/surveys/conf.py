"""Settings of the surveys app, read from config/settings.py (which validates the environment at start-up).

Each reader checks again what it gets, so a bad value set another way (a test, a custom settings
module) fails with a clear message instead of a 500 on a customer's page.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _whole(name: str, default: int, minimum: int) -> int:
    value: Any = getattr(settings, name, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < minimum:
        raise ImproperlyConfigured(f"{name} must be a number of at least {minimum}, not {value!r}")
    return int(value)


def link_days() -> int:
    return _whole("SURVEY_LINK_DAYS", 14, 1)


def follow_up_days() -> int:
    return _whole("SURVEY_FOLLOW_UP_DAYS", 2, 0)


def min_fill_seconds() -> float:
    value: Any = getattr(settings, "SURVEY_MIN_FILL_SECONDS", 3)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ImproperlyConfigured(f"SURVEY_MIN_FILL_SECONDS must be 0 or more, not {value!r}")
    return float(value)


def qr_limit() -> tuple[int, int]:
    """(submits, seconds): how many QR submits one client may make in the window."""
    value: Any = getattr(settings, "SURVEY_QR_LIMIT", (5, 60 * 60))
    try:
        count, window = (int(v) for v in value)
    except (TypeError, ValueError) as exc:
        raise ImproperlyConfigured(f"SURVEY_QR_LIMIT must be (submits, seconds), not {value!r}") from exc
    if count < 1 or window < 1:
        raise ImproperlyConfigured(f"SURVEY_QR_LIMIT must be at least (1, 1), not {value!r}")
    return count, window


def duplicate_window() -> int:
    return _whole("SURVEY_DUPLICATE_SECONDS", 60 * 60, 0)


def reminder_days() -> int:
    return _whole("SURVEY_REMINDER_DAYS", 3, 1)


def trusted_proxy_count() -> int:
    return _whole("TRUSTED_PROXY_COUNT", 0, 0)
