"""How surveys plug into attention without attention importing surveys: the console's close offer
and the receiver that attaches a survey link to every interaction that closes.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from momentos.surveys import services


def console_close_offer(interaction: Any, request: HttpRequest) -> dict[str, str]:
    """The single-use link and QR code the attention console shows once the attention is closed."""
    url, svg = services.survey_link_for_interaction(
        interaction, base_url=request.build_absolute_uri("/")[:-1]
    )
    return {"url": url, "svg": svg}


def attach_links_on_close(sender: Any, *, interactions: list[Any], **kwargs: Any) -> None:
    """Closing an interaction (console, API, import) attaches the survey its triggers select."""
    services.links_attach(interactions=interactions)
