"""The home page is assembled from sections that domain apps register; core knows none of them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

HomeSection = Callable[[HttpRequest, Any], dict[str, Any] | None]
_SECTIONS: list[tuple[int, HomeSection]] = []


def register_home_section(section: HomeSection, *, order: int = 100) -> None:
    if all(existing is not section for _, existing in _SECTIONS):
        _SECTIONS.append((order, section))
        _SECTIONS.sort(key=lambda item: item[0])


def home_sections(request: HttpRequest, membership: Any) -> list[dict[str, Any]]:
    result = []
    for _order, section in _SECTIONS:
        data = section(request, membership)
        if data:
            result.append(data)
    return result
