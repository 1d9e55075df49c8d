"""Test support shared by every app: the registry of tenant factories and request helpers.

Each app's ``tests/factories.py`` registers one factory per organisation-owned model with
``tenant_factory``; the tenant-isolation test fails for any model that has none, so a new
model is covered as soon as it exists.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from typing import Any

TenantFactory = Callable[[Any], Any]
TENANT_FACTORIES: dict[type, TenantFactory] = {}


def tenant_factory(model: type) -> Callable[[TenantFactory], TenantFactory]:
    """Register ``fn(organization) -> instance`` as the way to make a ``model`` row in an organisation."""

    def register(fn: TenantFactory) -> TenantFactory:
        TENANT_FACTORIES[model] = fn
        return fn

    return register


def load_all_factories() -> dict[type, TenantFactory]:
    import momentos

    for info in pkgutil.iter_modules(momentos.__path__):
        if not info.ispkg:
            continue
        try:
            importlib.import_module(f"momentos.{info.name}.tests.factories")
        except ModuleNotFoundError as exc:
            if exc.name not in {f"momentos.{info.name}.tests", f"momentos.{info.name}.tests.factories"}:
                raise
    return TENANT_FACTORIES
