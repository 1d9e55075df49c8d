"""API of insight: read indicators, with the same filters as the pages."""

from ninja import Router

router = Router(tags=["insight"])
