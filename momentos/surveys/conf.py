"""Settings of the surveys app, each with a default, overridable from config/settings.py."""

from __future__ import annotations

from django.conf import settings


def link_days() -> int:
    return getattr(settings, "SURVEY_LINK_DAYS", 14)


def follow_up_days() -> int:
    return getattr(settings, "SURVEY_FOLLOW_UP_DAYS", 2)


def min_fill_seconds() -> float:
    return getattr(settings, "SURVEY_MIN_FILL_SECONDS", 3)


def qr_limit() -> tuple[int, int]:
    """(submits, seconds): how many QR submits one client may make in the window."""
    return getattr(settings, "SURVEY_QR_LIMIT", (5, 60 * 60))


def duplicate_window() -> int:
    return getattr(settings, "SURVEY_DUPLICATE_SECONDS", 60 * 60)


def reminder_days() -> int:
    return getattr(settings, "SURVEY_REMINDER_DAYS", 3)
