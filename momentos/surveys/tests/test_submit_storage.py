"""How a submit is stored: one statement on PostgreSQL when no alert is due, and the same rows either way."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.db import connection
from django.db.models import signals
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from momentos.attention.tests.factories import make_interaction
from momentos.core.errors import DomainError
from momentos.insight import rollups
from momentos.surveys import hooks, services
from momentos.surveys.choices import ResponseSource
from momentos.surveys.models import Alert, Answer, Response, SurveyLink
from momentos.surveys.services import AlreadyAnswered, AnswerData
from momentos.surveys.tests.factories import expire, make_link_with_token, make_response, make_survey
from momentos.surveys.tokens import sign_form_start

pytestmark = pytest.mark.django_db
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="the one-statement path")


def full_answers(version: Any, *, nps: int) -> dict[Any, AnswerData]:
    nps_q, csat_q, choice_q, text_q = version.questions.order_by("position")
    return {
        nps_q.pk: AnswerData(value=nps, followup_text="  Slow  "),
        csat_q.pk: AnswerData(value=4),
        choice_q.pk: AnswerData(choice_ids=[str(choice_q.choices.get(position=2).pk)]),
        text_q.pk: AnswerData(text="  Kind staff "),
    }


@pytest.mark.parametrize("nps", [9, 3])  # 9: no alert (one statement on PostgreSQL); 3: an alert is due
def test_a_submit_stores_the_same_rows_whichever_way_it_goes(org: Any, nps: int) -> None:
    link, _raw = make_link_with_token(org)
    response = services.response_submit(
        version=link.version,
        answers=full_answers(link.version, nps=nps),
        source=ResponseSource.LINK,
        language="en",
        link=link,
        client_hash="h" * 64,
    )
    assert not response._state.adding  # noqa: SLF001 - the returned object is a stored row
    stored = Response.objects.get(pk=response.pk)
    assert stored.interaction_id == link.interaction_id and stored.link_id == link.pk
    assert stored.branch_id == link.interaction.branch_id and stored.channel_id == link.interaction.channel_id
    assert (stored.language, stored.source, stored.client_hash) == ("en", "link", "h" * 64)
    assert stored.created_at and stored.updated_at and stored.submitted_at == response.submitted_at
    rows = {a.kind: a for a in Answer.objects.filter(response=stored)}
    assert rows["nps"].value == nps and rows["csat"].value == 4
    assert rows["nps"].followup_text == ("Slow" if nps <= 6 else "")
    assert rows["single_choice"].choice_ids == [
        str(link.version.questions.get(kind="single_choice").choices.get(position=2).pk)
    ]
    assert rows["free_text"].text == "Kind staff" and rows["free_text"].value is None
    assert all(a.organization_id == org.pk for a in rows.values())
    assert Alert.objects.filter(response=stored).count() == (1 if nps <= 6 else 0)
    assert SurveyLink.objects.get(pk=link.pk).used_at == stored.submitted_at


@pytest.mark.parametrize("nps", [9, 3])
def test_a_stored_response_sends_the_model_signals_whichever_way_it_goes(org: Any, nps: int) -> None:
    seen: list[tuple[str, Any, bool]] = []

    def before(sender: Any, instance: Response, **kwargs: Any) -> None:
        seen.append(("pre", instance.pk, Response.objects.filter(pk=instance.pk).exists()))

    def after(sender: Any, instance: Response, created: bool, **kwargs: Any) -> None:
        seen.append(("post", instance.pk, created and Response.objects.filter(pk=instance.pk).exists()))

    signals.pre_save.connect(before, sender=Response, dispatch_uid="test-pre")
    signals.post_save.connect(after, sender=Response, dispatch_uid="test-post")
    try:
        response = make_response(org, scores=(nps, 4))
    finally:
        signals.pre_save.disconnect(sender=Response, dispatch_uid="test-pre")
        signals.post_save.disconnect(sender=Response, dispatch_uid="test-post")
    assert seen == [("pre", response.pk, False), ("post", response.pk, True)]


@on_postgresql
def test_a_failing_follower_of_the_stored_response_does_not_fail_the_submit(org: Any, caplog: Any) -> None:
    def broken(sender: Any, **kwargs: Any) -> None:
        raise ValueError("a follower broke")

    signals.post_save.connect(broken, sender=Response, dispatch_uid="test-broken")
    try:
        response = make_response(org)  # no alert due: the one-statement path
    finally:
        signals.post_save.disconnect(sender=Response, dispatch_uid="test-broken")
    assert Response.objects.filter(pk=response.pk).exists()
    assert "a follower broke" in caplog.text


def test_a_clash_on_the_interaction_leaves_the_second_link_unused(org: Any) -> None:
    interaction = make_interaction(org)
    survey = make_survey(org)
    first, _t = services.link_create(interaction=interaction, survey=survey)
    second, _t = services.link_create(interaction=interaction, survey=survey)
    make_response(org, link=first)
    with pytest.raises(AlreadyAnswered):
        make_response(org, link=second)
    assert SurveyLink.objects.get(pk=second.pk).used_at is None  # the claim was undone with the insert
    assert Response.objects.count() == 1 and Answer.objects.count() == 2


def test_an_expired_or_used_link_stores_nothing(org: Any) -> None:
    link, _raw = make_link_with_token(org)
    expire(link)
    with pytest.raises(DomainError) as refused:
        make_response(org, link=link)
    assert refused.value.code == "expired"
    assert not Response.objects.exists() and not Answer.objects.exists()

    used, _raw = make_link_with_token(org)
    make_response(org, link=used)
    used.used_at = None  # a stale copy, as a concurrent request would hold
    with pytest.raises(AlreadyAnswered):
        make_response(org, link=used)
    assert Response.objects.count() == 1


def test_a_walk_in_response_without_a_link_is_stored(org: Any) -> None:
    survey = make_survey(org)
    interaction = make_interaction(org)
    version = survey.current_version
    response = services.response_submit(
        version=version,
        answers=full_answers(version, nps=10),
        source=ResponseSource.QR,
        language="es",
        branch=interaction.branch,
    )
    assert Response.objects.get(pk=response.pk).interaction_id is None
    assert Answer.objects.filter(response_id=response.pk).count() == 4


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_public_submit_is_two_round_trips_on_postgresql(org: Any) -> None:
    link, token = make_link_with_token(org)
    url = reverse("surveys_public:respond", kwargs={"token": token})
    client = Client(headers={"Accept-Language": "en"})
    html = client.get(url).content.decode()
    nps, csat = list(dict.fromkeys(re.findall(r'name="(q_[0-9a-f-]+)"', html)))[:2]
    data = {"started": sign_form_start(time.time() - 30), nps: "9", csat: "5", "lang": "en"}
    rollups.marking_zones([link.interaction.branch_id])  # a process reads its branches' zones once a minute
    with CaptureQueriesContext(connection) as queries:
        assert client.post(url, data).status_code == 302
    # The submit's own work: read the link, then claim + insert in one statement, no BEGIN/COMMIT.
    # (What other apps do on the response's post_save signal, such as refreshing rollups, comes after.)
    sqls = [q["sql"] for q in queries.captured_queries]
    assert [q.split()[0].upper() for q in sqls[:2]] == ["SELECT", "WITH"], sqls[:2]
    writes = [q for q in sqls if 'INSERT INTO "surveys_' in q or 'UPDATE "surveys_' in q]
    assert writes == [sqls[1]]  # the link, the response and its answers: all in that one statement
    # The rollup partition is marked by that statement too (committed with the response), not after it.
    assert 'INSERT INTO "insight_rollupdirty"' in sqls[1]
    assert not [q for q in sqls[2:] if 'INTO "insight_rollupdirty"' in q]
    assert Response.objects.get().link_id == link.pk and Answer.objects.count() == 2


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_with_kept_connections_the_submit_statements_are_prepared_once_per_connection(
    org: Any, monkeypatch: Any
) -> None:
    from momentos.core.db import prepared_statements

    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 60)
    assert prepared_statements()
    client = Client(headers={"Accept-Language": "en"})
    stored = []
    for _ in range(3):
        link, token = make_link_with_token(org)
        url = reverse("surveys_public:respond", kwargs={"token": token})
        nps, csat = list(
            dict.fromkeys(re.findall(r'name="(q_[0-9a-f-]+)"', client.get(url).content.decode()))
        )[:2]
        data = {"started": sign_form_start(time.time() - 30), nps: "9", csat: "5", "lang": "en"}
        assert client.post(url, data).status_code == 302
        stored.append(link.pk)
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    # The link read and the storing statement, each parsed once for the three submits.
    assert len([s for s in prepared if 'WHERE l."token_hash" = $1' in s]) == 1, prepared
    assert len([s for s in prepared if s.startswith("WITH claimed AS")]) == 1, prepared
    assert sorted(Response.objects.values_list("link_id", flat=True)) == sorted(stored)
    assert Answer.objects.count() == 6


@pytest.mark.django_db
def test_without_kept_connections_nothing_is_prepared(monkeypatch: Any) -> None:
    from momentos.core.db import prepared_statements

    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 0)
    assert not prepared_statements()
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 60)
    monkeypatch.setattr("django.conf.settings.DB_PREPARED_STATEMENTS", False)
    assert not prepared_statements()


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_statement_part_that_fails_to_build_costs_the_customer_nothing(org: Any, monkeypatch: Any) -> None:
    def broken(response: Any) -> None:
        raise RuntimeError("zone lookup failed")

    monkeypatch.setattr(hooks, "_statement_parts", [broken, *hooks._statement_parts])
    link, token = make_link_with_token(org)
    url = reverse("surveys_public:respond", kwargs={"token": token})
    client = Client(headers={"Accept-Language": "en"})
    nps, csat = list(dict.fromkeys(re.findall(r'name="(q_[0-9a-f-]+)"', client.get(url).content.decode())))[
        :2
    ]
    data = {"started": sign_form_start(time.time() - 30), nps: "9", csat: "5", "lang": "en"}
    with CaptureQueriesContext(connection) as queries:
        assert client.post(url, data).status_code == 302
    assert Response.objects.get().link_id == link.pk
    # The part that works (insight's rollup mark) is still written with the response.
    stored = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("WITH claimed")]
    assert len(stored) == 1 and 'INSERT INTO "insight_rollupdirty"' in stored[0]


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_when_the_rollup_part_cannot_be_built_the_receiver_marks_the_partition_after_saving(
    org: Any, monkeypatch: Any
) -> None:
    def broken(response: Any) -> None:
        raise RuntimeError("zone lookup failed")

    monkeypatch.setattr(hooks, "_statement_parts", [broken])
    marked: list[set[Any]] = []
    real_mark = rollups.mark_dirty

    def spy(organization: Any, keys: Any) -> int:
        marked.append(set(keys))
        return real_mark(organization, keys)

    monkeypatch.setattr(rollups, "mark_dirty", spy)
    link, _token = make_link_with_token(org)
    services.response_submit(
        version=link.version,
        answers=full_answers(link.version, nps=9),
        source=ResponseSource.LINK,
        language="es",
        link=link,
    )
    assert Response.objects.filter(link=link).exists()
    assert [{branch for branch, _day in keys} for keys in marked] == [{link.interaction.branch_id}]
