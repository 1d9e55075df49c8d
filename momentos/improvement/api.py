"""API of improvement actions."""

from ninja import Router

router = Router(tags=["improvement"])
