"""Events reach a real receiver signed; failures are recorded and retried; no endpoint costs no query."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.db.models.signals import post_save
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from momentos.accounts.tests.factories import admin_of
from momentos.surveys import services as survey_services
from momentos.surveys.choices import ResponseSource
from momentos.surveys.models import Alert, Response
from momentos.surveys.tests.factories import answers_for, make_link, make_response
from momentos.webhooks import cache, receivers, services, signing
from momentos.webhooks.models import DeliveryStatus, WebhookDelivery
from momentos.webhooks.tests.factories import make_endpoint
from momentos.webhooks.tests.support import closed_port, running_receiver

pytestmark = pytest.mark.django_db


@pytest.fixture
def local_hosts(settings: Any) -> None:
    settings.WEBHOOKS_ALLOW_HTTP = True
    settings.WEBHOOKS_ALLOW_PRIVATE = True


def _endpoint(org: Any, url: str, events: list[str]) -> tuple[Any, str]:
    return services.endpoint_create(organization=org, created_by=admin_of(org).user, url=url, events=events)


def _receiver_verifies(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """What a receiver written from docs/webhooks.md does, independently of momentos' code."""
    timestamp = headers["x-momentos-timestamp"]
    expected = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    fresh = abs(time.time() - int(timestamp)) < 300
    return fresh and hmac.compare_digest(headers["x-momentos-signature"], "sha256=" + expected)


def test_a_submitted_response_is_posted_signed(
    org: Any, local_hosts: None, django_capture_on_commit_callbacks: Any
) -> None:
    with running_receiver() as receiver:
        endpoint, secret = _endpoint(org, receiver.url, ["response.submitted"])
        with django_capture_on_commit_callbacks(execute=True):
            response = make_response(org, scores=(9, 5))
        assert len(receiver.requests) == 1
    got = receiver.requests[0]
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert got.path == "/hooks/momentos"
    assert got.headers["content-type"] == "application/json"
    assert got.headers["x-momentos-event"] == "response.submitted"
    assert got.headers["x-momentos-delivery"] == str(delivery.pk)
    assert _receiver_verifies(secret, got.headers, got.body)
    assert not _receiver_verifies("whsec_wrong", got.headers, got.body)
    assert not _receiver_verifies(secret, got.headers, got.body + b" ")
    body = json.loads(got.body)
    assert body["event"] == "response.submitted" and body["organization_id"] == str(org.pk)
    assert body["id"] and body["occurred_at"]
    data = body["data"]
    assert data["response_id"] == str(response.pk)
    assert data["survey_version_id"] == str(response.version_id)
    assert data["survey_id"] == str(response.version.survey_id)
    assert data["branch"] == {"id": str(response.branch_id), "name": response.branch.name}
    assert data["interaction_id"] == str(response.interaction_id)
    assert data["language"] == "es" and data["channel"]
    assert sorted(a["value"] for a in data["answers"] if a["value"] is not None) == [5, 9]
    assert {a["question_id"] for a in data["answers"]} == {str(a.question_id) for a in response.answers.all()}
    assert "email" not in got.body.decode().lower() and "@" not in got.body.decode()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 1
    assert delivery.last_status_code == 200 and delivery.delivered_at is not None


def test_a_low_score_posts_the_alert(
    org: Any, local_hosts: None, django_capture_on_commit_callbacks: Any
) -> None:
    with running_receiver() as receiver:
        _endpoint(org, receiver.url, ["alert.raised"])
        with django_capture_on_commit_callbacks(execute=True):
            response = make_response(org, scores=(2, 4))
    alert = Alert.objects.get(response=response)
    assert [r.headers["x-momentos-event"] for r in receiver.requests] == ["alert.raised"]
    data = json.loads(receiver.requests[0].body)["data"]
    assert data["alert_id"] == str(alert.pk) and data["score"] == alert.score and data["kind"] == alert.kind
    assert data["branch"]["id"] == str(alert.branch_id)
    assert data["follow_up"] == {
        "id": str(alert.follow_up.pk),
        "due_date": alert.follow_up.due_date.isoformat(),
    }


def test_an_endpoint_gets_only_its_events(
    org: Any, local_hosts: None, django_capture_on_commit_callbacks: Any
) -> None:
    with running_receiver() as both, running_receiver() as other_org_receiver:
        _endpoint(org, both.url, ["response.submitted", "alert.raised"])
        from momentos.accounts.tests.factories import make_organization

        other = make_organization(name="Other")
        _endpoint(other, other_org_receiver.url, ["response.submitted", "alert.raised"])
        with django_capture_on_commit_callbacks(execute=True):
            make_response(org, scores=(2, 4))
    assert sorted(r.headers["x-momentos-event"] for r in both.requests) == [
        "alert.raised",
        "response.submitted",
    ]
    assert other_org_receiver.requests == []


def test_a_staff_response_sends_nothing(
    org: Any, local_hosts: None, django_capture_on_commit_callbacks: Any
) -> None:
    with running_receiver() as receiver:
        _endpoint(org, receiver.url, ["response.submitted", "alert.raised"])
        with django_capture_on_commit_callbacks(execute=True):
            make_response(org, scores=(2, 4), flagged_staff=True)
    assert receiver.requests == []
    assert not WebhookDelivery.objects.exists()


def test_an_inactive_endpoint_gets_nothing(
    org: Any, local_hosts: None, django_capture_on_commit_callbacks: Any
) -> None:
    with running_receiver() as receiver:
        endpoint, _secret = _endpoint(org, receiver.url, ["response.submitted"])
        services.endpoint_set_active(endpoint=endpoint, active=False)
        with django_capture_on_commit_callbacks(execute=True):
            make_response(org)
    assert receiver.requests == []


def test_a_non_2xx_answer_is_a_failed_attempt_then_retried(
    org: Any, local_hosts: None, django_capture_on_commit_callbacks: Any
) -> None:
    with running_receiver(status=500) as receiver:
        endpoint, _secret = _endpoint(org, receiver.url, ["response.submitted"])
        with django_capture_on_commit_callbacks(execute=True):
            make_response(org)
        delivery = WebhookDelivery.objects.get(endpoint=endpoint)
        assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 1
        assert delivery.last_status_code == 500 and delivery.last_error
        assert delivery.next_attempt_at is not None and delivery.next_attempt_at > timezone.now()
        # Not due yet: nothing is sent.
        assert services.deliveries_retry_due() == 0
        # Due, and the receiver is back.
        receiver.status = 204
        assert services.deliveries_retry_due(now=delivery.next_attempt_at + timedelta(seconds=1)) == 1
        assert len(receiver.requests) == 2
        assert (
            receiver.requests[0].headers["x-momentos-delivery"]
            == receiver.requests[1].headers["x-momentos-delivery"]
        )
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 2
    assert delivery.last_status_code == 204 and delivery.last_error == ""


def test_a_refused_connection_is_recorded_and_attempts_stop_at_five(
    org: Any, local_hosts: None, django_capture_on_commit_callbacks: Any
) -> None:
    endpoint, _secret = _endpoint(org, f"http://127.0.0.1:{closed_port()}/hook", ["response.submitted"])
    with django_capture_on_commit_callbacks(execute=True):
        make_response(org)
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 1
    assert delivery.last_status_code is None and "refused" in delivery.last_error.lower()
    later = timezone.now()
    for _n in range(10):
        later += timedelta(hours=3)
        services.deliveries_retry_due(now=later)
    delivery.refresh_from_db()
    assert delivery.attempts == services.MAX_ATTEMPTS == 5
    assert delivery.status == DeliveryStatus.FAILED and delivery.next_attempt_at is None


def test_a_private_address_is_refused_again_at_delivery(
    org: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.WEBHOOKS_ALLOW_HTTP = True
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    with running_receiver() as receiver:
        endpoint, _secret = _endpoint(org, receiver.url, ["response.submitted"])
        settings.WEBHOOKS_ALLOW_PRIVATE = False
        with django_capture_on_commit_callbacks(execute=True):
            make_response(org)
    assert receiver.requests == []
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert delivery.status == DeliveryStatus.FAILED and "private" in delivery.last_error


def test_a_ping_reaches_the_endpoint(
    org: Any, local_hosts: None, django_capture_on_commit_callbacks: Any
) -> None:
    with running_receiver() as receiver:
        endpoint, secret = _endpoint(org, receiver.url, ["alert.raised"])
        with django_capture_on_commit_callbacks(execute=True):
            services.endpoint_ping(endpoint=endpoint)
    assert receiver.requests[0].headers["x-momentos-event"] == "ping"
    assert _receiver_verifies(secret, receiver.requests[0].headers, receiver.requests[0].body)


def test_signatures_verify_and_old_timestamps_do_not() -> None:
    body = signing.body_of({"event": "ping", "id": "x"})
    now = int(time.time())
    signature = signing.sign("whsec_abc", now, body)
    assert signing.verify("whsec_abc", timestamp=str(now), body=body, signature=signature)
    assert not signing.verify("whsec_abd", timestamp=str(now), body=body, signature=signature)
    assert not signing.verify("whsec_abc", timestamp=str(now + 1), body=body, signature=signature)
    replayed = signing.sign("whsec_abc", now - 3600, body)
    assert not signing.verify("whsec_abc", timestamp=str(now - 3600), body=body, signature=replayed)


def _submit(org: Any) -> int:
    link = make_link(org)
    with CaptureQueriesContext(connection) as queries:
        survey_services.response_submit(
            version=link.version,
            answers=answers_for(link.version, 9, 5),
            source=ResponseSource.LINK,
            language="es",
            link=link,
        )
    assert not [q for q in queries.captured_queries if "webhook" in q["sql"].lower()]
    return len(queries.captured_queries)


def test_without_endpoints_a_submit_costs_no_query(org: Any, other_org: Any) -> None:
    make_endpoint(other_org)  # some organisation has webhooks; this one has none
    cache.subscribed_events(org.pk)  # the per-process table is loaded (once per 30 s)
    _submit(org)  # warm the submit's own per-process caches
    post_save.disconnect(sender=Response, dispatch_uid="webhooks_response_submitted")
    try:
        without_receiver = _submit(org)
    finally:
        post_save.connect(
            receivers.response_submitted, sender=Response, dispatch_uid="webhooks_response_submitted"
        )
    assert _submit(org) == without_receiver


def test_the_cache_follows_endpoint_changes(org: Any) -> None:
    assert not cache.wants(org.pk, "response.submitted")
    endpoint = make_endpoint(org, events=["response.submitted"])
    assert cache.wants(org.pk, "response.submitted") and not cache.wants(org.pk, "alert.raised")
    services.endpoint_set_active(endpoint=endpoint, active=False)
    assert not cache.wants(org.pk, "response.submitted")
    endpoint.delete()
    assert cache.subscribed_events(org.pk) == frozenset()


def test_with_the_database_queue_a_failure_schedules_its_retry(
    org: Any, local_hosts: None, settings: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    endpoint, _secret = _endpoint(org, f"http://127.0.0.1:{closed_port()}/hook", ["alert.raised"])
    delivery = services.endpoint_ping(endpoint=endpoint)
    assert services.delivery_attempt(delivery_id=delivery.pk) == DeliveryStatus.FAILED
    delivery.refresh_from_db()
    queued = DBTaskResult.objects.get()
    assert queued.args_kwargs["kwargs"] == {"delivery_id": str(delivery.pk)}
    assert queued.run_after == delivery.next_attempt_at
