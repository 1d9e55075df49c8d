"""Where an endpoint may point: https on public addresses, unless the installation allows otherwise."""

from __future__ import annotations

from typing import Any

import pytest

from momentos.accounts.tests.factories import admin_of
from momentos.core.errors import DomainError
from momentos.webhooks import security, services
from momentos.webhooks.models import WebhookEndpoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def production(settings: Any) -> None:
    settings.DEBUG = False
    settings.WEBHOOKS_ALLOW_HTTP = False
    settings.WEBHOOKS_ALLOW_PRIVATE = False


def _create(org: Any, url: str) -> WebhookEndpoint:
    return services.endpoint_create(
        organization=org, created_by=admin_of(org).user, url=url, events=["response.submitted"]
    )[0]


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://localhost/hook",
        "https://10.0.0.8/hook",
        "https://192.168.1.20:8443/hook",
        "https://172.16.0.1/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/hook",
        "https://[fe80::1]/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "https://0.0.0.0/hook",
        "https://240.0.0.1/hook",
    ],
)
def test_private_loopback_link_local_and_reserved_hosts_are_refused(
    org: Any, production: None, url: str
) -> None:
    with pytest.raises(DomainError) as refused:
        _create(org, url)
    assert refused.value.field == "url"
    assert not WebhookEndpoint.objects.exists()


def test_private_hosts_are_allowed_by_the_setting(org: Any, production: None, settings: Any) -> None:
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    assert _create(org, "https://10.0.0.8/hook").url == "https://10.0.0.8/hook"


def test_http_is_refused_in_production(org: Any, production: None) -> None:
    with pytest.raises(DomainError) as refused:
        _create(org, "http://93.184.216.34/hook")
    assert refused.value.field == "url" and "https://" in str(refused.value.message)


@pytest.mark.parametrize("setting", ["DEBUG", "WEBHOOKS_ALLOW_HTTP"])
def test_http_is_allowed_in_debug_or_by_the_setting(
    org: Any, production: None, settings: Any, setting: str
) -> None:
    setattr(settings, setting, True)
    assert _create(org, "http://93.184.216.34/hook").url.startswith("http://")


def test_a_public_https_address_is_accepted(org: Any, production: None) -> None:
    endpoint = _create(org, "https://93.184.216.34/hooks/momentos?x=1")
    assert endpoint.is_active and endpoint.secret.startswith("whsec_") and len(endpoint.secret) > 40


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("", "url"),
        ("ftp://93.184.216.34/x", "url"),
        ("https://", "url"),
        ("https://user:pw@93.184.216.34/x", "url"),
        ("https://93.184.216.34:99999/x", "url"),
        ("not a url", "url"),
    ],
)
def test_malformed_urls_name_the_field(org: Any, production: None, url: str, field: str) -> None:
    with pytest.raises(DomainError) as refused:
        _create(org, url)
    assert refused.value.field == field


def test_events_must_be_known_and_at_least_one(org: Any, production: None) -> None:
    for events in ([], ["response.deleted"]):
        with pytest.raises(DomainError) as refused:
            services.endpoint_create(
                organization=org, created_by=None, url="https://93.184.216.34/x", events=events
            )
        assert refused.value.field == "events"


def test_the_check_runs_on_every_address_of_the_host(production: None, monkeypatch: Any) -> None:
    def resolves_to_both(host: str, port: int, **kwargs: Any) -> list[Any]:
        return [(2, 1, 6, "", ("93.184.216.34", port)), (2, 1, 6, "", ("10.0.0.1", port))]

    monkeypatch.setattr(security.socket, "getaddrinfo", resolves_to_both)
    with pytest.raises(security.UnsafeUrl):
        security.check_url("https://hooks.example.test/x")
