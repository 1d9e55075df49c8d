"""The surveys' settings: validated at start-up and where they are read; the client behind a proxy."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from momentos.surveys import conf
from momentos.surveys.public_views import client_address
from tests.cli_support import REPO, cli_env, momentos

SURVEY_SETTINGS = [
    "SURVEY_LINK_DAYS",
    "SURVEY_MIN_FILL_SECONDS",
    "SURVEY_QR_LIMIT",
    "SURVEY_DUPLICATE_SECONDS",
    "SURVEY_REMINDER_DAYS",
    "TRUSTED_PROXY_COUNT",
]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"SURVEY_LINK_DAYS": "0"}, "SURVEY_LINK_DAYS must be at least 1"),
        ({"SURVEY_MIN_FILL_SECONDS": "soon"}, "SURVEY_MIN_FILL_SECONDS must be a whole number"),
        ({"SURVEY_QR_LIMIT": "5 per hour"}, "SURVEY_QR_LIMIT must look like 5/3600"),
        ({"TRUSTED_PROXY_COUNT": "-1"}, "TRUSTED_PROXY_COUNT must be at least 0"),
    ],
)
def test_a_bad_survey_setting_stops_start_up_with_a_clear_message(
    tmp_path: Path, change: dict[str, str], message: str
) -> None:
    done = momentos("manage", "check", env=cli_env(tmp_path, **change))
    assert done.returncode != 0
    assert message in done.stderr


def test_every_survey_setting_is_documented_in_env_example() -> None:
    example = (REPO / ".env.example").read_text()
    assert all(f"\n{name}=" in example for name in SURVEY_SETTINGS)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SURVEY_LINK_DAYS", 0),
        ("SURVEY_QR_LIMIT", (0, 60)),
        ("SURVEY_QR_LIMIT", "5/60"),
        ("TRUSTED_PROXY_COUNT", -2),
    ],
)
def test_readers_refuse_a_bad_value_set_in_code(settings: Any, name: str, value: Any) -> None:
    setattr(settings, name, value)
    with pytest.raises(ImproperlyConfigured, match=name):
        {
            "SURVEY_LINK_DAYS": conf.link_days,
            "SURVEY_QR_LIMIT": conf.qr_limit,
            "TRUSTED_PROXY_COUNT": conf.trusted_proxy_count,
        }[name]()


def request_from(remote: str, forwarded: str | None = None) -> Any:
    headers = {"X-Forwarded-For": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, headers=headers)


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(request_from("10.0.0.5", "203.0.113.7")) == "10.0.0.5"


def test_behind_one_trusted_proxy_the_forwarded_address_is_the_client(settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request_from("10.0.0.5", "203.0.113.7")) == "203.0.113.7"
    # A client that forges its own header is still known by the address the proxy saw.
    assert client_address(request_from("10.0.0.5", "198.51.100.1, 203.0.113.7")) == "203.0.113.7"
    assert client_address(request_from("10.0.0.5")) == "10.0.0.5"


def test_behind_two_proxies_the_second_from_the_right_is_the_client(settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_address(request_from("10.0.0.5", "1.1.1.1, 203.0.113.7, 10.0.0.9")) == "203.0.113.7"
