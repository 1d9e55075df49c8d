"""Fixtures of the accounts tests."""

from __future__ import annotations

from typing import Any

import pytest

from momentos.accounts import services
from momentos.accounts.tests.factories import admin_of


@pytest.fixture
def headers(org: Any) -> dict[str, str]:
    """The headers of an API request with a token of ``org`` made by its admin."""
    _token, raw = services.api_token_create(organization=org, created_by=admin_of(org).user, name="Tests")
    return {"Authorization": f"Bearer {raw}"}
