"""Fixtures of the protocol studio's tests: a quality manager and their logged-in client."""

from __future__ import annotations

from typing import Any

import pytest

from momentos.protocols.tests.factories import quality_manager_of


@pytest.fixture
def qm(org: Any) -> Any:
    return quality_manager_of(org)


@pytest.fixture
def qm_client(qm: Any, member_client: Any) -> Any:
    return member_client(qm)
