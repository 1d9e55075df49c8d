"""Pages of the four-step design: role guards, forms, reordering with and without JavaScript, the diagram."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from momentos.accounts.choices import Role
from momentos.accounts.models import Channel
from momentos.cycle import services
from momentos.cycle.choices import Indicator, StandardMetric, Unit
from momentos.cycle.models import Objective, ServiceStandard
from momentos.cycle.tests.factories import (
    make_checklist_item,
    make_cycle,
    make_evidence,
    make_moment,
    make_objective,
    make_segment,
    make_standard,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_client(make_member_of: Any, member_client: Any) -> Any:
    return member_client(make_member_of(Role.QUALITY_MANAGER))


def _edit_urls(org: Any) -> list[str]:
    moment = make_moment(org)
    standard = make_standard(org)
    item = make_checklist_item(org)
    evidence = make_evidence(org)
    return [
        reverse("cycle:design_overview"),
        reverse("cycle:implementation"),
        reverse("cycle:objective_list"),
        reverse("cycle:objective_create"),
        reverse("cycle:objective_edit", kwargs={"pk": make_objective(org).pk}),
        reverse("cycle:segment_list"),
        reverse("cycle:segment_detail", kwargs={"pk": make_segment(org).pk}),
        reverse("cycle:expectation_edit", kwargs={"pk": evidence.expectation_id}),
        reverse("cycle:evidence_edit", kwargs={"pk": evidence.pk}),
        reverse("cycle:cycle_create"),
        reverse("cycle:cycle_edit", kwargs={"pk": moment.cycle_id}),
        reverse("cycle:moment_create", kwargs={"pk": moment.cycle_id}),
        reverse("cycle:moment_edit", kwargs={"pk": moment.pk}),
        reverse("cycle:moment_delete", kwargs={"pk": moment.pk}),
        reverse("cycle:standard_edit", kwargs={"pk": standard.pk}),
        reverse("cycle:checklist_item_edit", kwargs={"pk": item.pk}),
    ]


@pytest.mark.parametrize("role", [Role.AGENT, Role.SUPERVISOR])
def test_agents_and_supervisors_get_404_on_design_pages_but_can_read_the_cycle(
    org: Any, make_member_of: Any, member_client: Any, role: str
) -> None:
    client = member_client(make_member_of(role))
    for url in _edit_urls(org):
        assert client.get(url).status_code == 404, url
    moment = make_moment(org)
    assert (
        client.post(reverse("cycle:moment_move", kwargs={"pk": moment.pk}), {"direction": "up"}).status_code
        == 404
    )
    for url in (
        reverse("cycle:cycle_list"),
        reverse("cycle:cycle_detail", kwargs={"pk": moment.cycle_id}),
        reverse("cycle:moment_detail", kwargs={"pk": moment.pk}),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert reverse("cycle:moment_edit", kwargs={"pk": moment.pk}) not in response.content.decode()


def test_quality_manager_reaches_every_design_page(org: Any, manager_client: Any) -> None:
    for url in _edit_urls(org):
        assert manager_client.get(url).status_code == 200, url


def test_anonymous_visitors_are_sent_to_log_in(client: Any) -> None:
    response = client.get(reverse("cycle:design_overview"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_objective_form_shows_a_clear_error_for_an_nps_target_out_of_range(
    org: Any, manager_client: Any
) -> None:
    response = manager_client.post(
        reverse("cycle:objective_create"),
        {
            "title": "Loyalty",
            "indicator": Indicator.NPS,
            "comparison": "gte",
            "target": "140",
            "period": "month",
        },
    )
    assert response.status_code == 200
    assert "For NPS the target must be between -100 and 100." in response.content.decode()
    assert not Objective.objects.for_organization(org).exists()


def test_objective_form_saves_a_valid_objective_scoped_to_a_channel(org: Any, manager_client: Any) -> None:
    channel = Channel.objects.for_organization(org).first()
    response = manager_client.post(
        reverse("cycle:objective_create"),
        {
            "title": "Quick replies",
            "indicator": Indicator.FIRST_RESPONSE_TIME,
            "comparison": "lte",
            "target": "30",
            "period": "week",
            "channel": channel.pk,
        },
    )
    assert response.status_code == 302
    objective = Objective.objects.for_organization(org).get()
    assert objective.channel == channel and objective.branch is None and objective.target == Decimal("30")


def test_objective_form_refuses_a_branch_of_another_organisation(
    org: Any, other_org: Any, manager_client: Any
) -> None:
    from momentos.accounts.tests.factories import make_branch

    response = manager_client.post(
        reverse("cycle:objective_create"),
        {
            "title": "X",
            "indicator": "csat",
            "comparison": "gte",
            "target": "80",
            "period": "month",
            "branch": make_branch(other_org).pk,
        },
    )
    assert response.status_code == 200 and not Objective.objects.exists()


def test_empty_pages_say_what_to_do_next(org: Any, manager_client: Any) -> None:
    assert "Describe the first segment" in manager_client.get(reverse("cycle:segment_list")).content.decode()
    assert "Set the first objective" in manager_client.get(reverse("cycle:objective_list")).content.decode()
    cycle = make_cycle(org)
    assert (
        "Add the first moment"
        in manager_client.get(reverse("cycle:cycle_detail", kwargs={"pk": cycle.pk})).content.decode()
    )


def test_a_standard_saved_without_threshold_is_flagged_incomplete(org: Any, manager_client: Any) -> None:
    moment = make_moment(org)
    response = manager_client.post(
        reverse("cycle:standard_create", kwargs={"pk": moment.pk}),
        {
            "name": "Wait",
            "metric": StandardMetric.WAIT_TIME,
            "comparison": "lte",
            "threshold": "",
            "unit": Unit.MINUTES,
        },
    )
    assert response.status_code == 302
    assert ServiceStandard.objects.get(moment=moment).threshold is None
    page = manager_client.get(reverse("cycle:moment_detail", kwargs={"pk": moment.pk})).content.decode()
    assert "Incomplete: no threshold" in page


def test_a_standard_with_a_unit_that_does_not_fit_gets_a_form_error(org: Any, manager_client: Any) -> None:
    moment = make_moment(org)
    response = manager_client.post(
        reverse("cycle:standard_create", kwargs={"pk": moment.pk}),
        {
            "name": "Wait",
            "metric": StandardMetric.WAIT_TIME,
            "comparison": "lte",
            "threshold": "5",
            "unit": Unit.COUNT,
        },
    )
    assert response.status_code == 200 and "is measured in" in response.content.decode()


def test_checklist_weight_below_one_is_a_form_error(org: Any, manager_client: Any) -> None:
    moment = make_moment(org)
    response = manager_client.post(
        reverse("cycle:checklist_item_create", kwargs={"pk": moment.pk}), {"text": "Smiles", "weight": "0"}
    )
    assert response.status_code == 200 and not moment.checklist_items.exists()


def _cycle_with(org: Any, *names: str) -> tuple[Any, list[Any]]:
    cycle = make_cycle(org)
    return cycle, [services.moment_save(cycle=cycle, name=n) for n in names]


def _order(cycle: Any) -> list[str]:
    return list(cycle.moments.order_by("position").values_list("name", flat=True))


def test_move_buttons_work_as_plain_form_posts(org: Any, manager_client: Any) -> None:
    cycle, (a, b, c) = _cycle_with(org, "Arrival", "Greeting", "Closing")
    response = manager_client.post(reverse("cycle:moment_move", kwargs={"pk": c.pk}), {"direction": "up"})
    assert response.status_code == 302 and response["Location"] == reverse(
        "cycle:cycle_detail", kwargs={"pk": cycle.pk}
    )
    assert _order(cycle) == ["Arrival", "Closing", "Greeting"]


def test_move_buttons_with_htmx_get_the_list_back(org: Any, manager_client: Any) -> None:
    cycle, (a, b) = _cycle_with(org, "Arrival", "Greeting")
    response = manager_client.post(
        reverse("cycle:moment_move", kwargs={"pk": a.pk}),
        {"direction": "down"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="cycle-moments"') and "<svg" in html
    assert html.index("Greeting") < html.index("Arrival")
    assert _order(cycle) == ["Greeting", "Arrival"]


def test_drag_and_drop_order_is_posted_and_persists(org: Any, manager_client: Any) -> None:
    cycle, (a, b, c) = _cycle_with(org, "A", "B", "C")
    url = reverse("cycle:moment_reorder", kwargs={"pk": cycle.pk})
    response = manager_client.post(
        url, {"order": [str(c.pk), str(a.pk), str(b.pk)]}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert _order(cycle) == ["C", "A", "B"]
    assert manager_client.post(url, {"order": [str(a.pk)]}).status_code == 400
    assert manager_client.post(url, {"order": ["not-a-uuid", str(a.pk), str(b.pk)]}).status_code == 400
    assert _order(cycle) == ["C", "A", "B"]


def test_cycle_page_marks_lists_for_the_drag_module(org: Any, manager_client: Any) -> None:
    cycle, moments = _cycle_with(org, "A", "B")
    html = manager_client.get(reverse("cycle:cycle_detail", kwargs={"pk": cycle.pk})).content.decode()
    assert f'data-reorder-url="{reverse("cycle:moment_reorder", kwargs={"pk": cycle.pk})}"' in html
    assert all(f'data-reorder-id="{m.pk}"' in html for m in moments)
    assert "cycle/reorder.js" in html and "<script>" not in html


def test_checklist_items_reorder_by_buttons(org: Any, manager_client: Any) -> None:
    moment = make_moment(org)
    one = services.checklist_item_save(moment=moment, text="One")
    two = services.checklist_item_save(moment=moment, text="Two")
    manager_client.post(reverse("cycle:checklist_item_move", kwargs={"pk": two.pk}), {"direction": "up"})
    assert list(moment.checklist_items.order_by("position")) == [two, one]


def test_diagram_draws_every_moment_linked_and_escaped(org: Any, manager_client: Any) -> None:
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    cycle, moments = _cycle_with(org, "Arrival", evil, "Tom & Jerry's")
    html = manager_client.get(reverse("cycle:cycle_detail", kwargs={"pk": cycle.pk})).content.decode()
    start = html.index('<svg xmlns="http://www.w3.org/2000/svg" class="cycle-svg"')
    svg = html[start : html.index("</svg>", start)]
    assert "<title" in svg and "<desc" in svg
    assert "<script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in svg
    assert "Tom &amp; Jerry&#x27;s" in svg and "Arrival" in svg
    for moment in moments:
        assert f'href="{reverse("cycle:moment_detail", kwargs={"pk": moment.pk})}"' in svg


def test_create_cycle_prefills_the_channel_from_the_overview_link(org: Any, manager_client: Any) -> None:
    channel = Channel.objects.for_organization(org).filter(is_active=True).first()
    html = manager_client.get(reverse("cycle:cycle_create") + f"?channel={channel.pk}").content.decode()
    assert f'<option value="{channel.pk}" selected>' in html
    assert manager_client.get(reverse("cycle:cycle_create") + "?channel=nonsense").status_code == 200


def test_overview_lists_what_is_missing_with_links(org: Any, manager_client: Any) -> None:
    html = manager_client.get(reverse("cycle:design_overview")).content.decode()
    assert "Set a target for CSAT %." in html and reverse("cycle:segment_create") in html
    home = manager_client.get(reverse("core:home")).content.decode()
    assert "Your protocol in four steps" in home


def test_home_section_is_only_for_designers(org: Any, make_member_of: Any, member_client: Any) -> None:
    home = member_client(make_member_of(Role.AGENT)).get(reverse("core:home")).content.decode()
    assert "Your protocol in four steps" not in home


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


# Baselines: session, user and membership, then the page's own reads. An N+1 changes them.
PINNED = {"objective_list": 5, "segment_list": 5, "cycle_list": 7, "cycle_detail": 8}


def test_list_pages_run_a_fixed_number_of_queries(org: Any, manager_client: Any) -> None:
    from momentos.protocols.tests.factories import make_document

    cycle = make_cycle(org)
    make_objective(org)
    make_evidence(org)
    services.moment_save(cycle=cycle, name="First", procedure=make_document(org))
    urls = {
        "objective_list": reverse("cycle:objective_list"),
        "segment_list": reverse("cycle:segment_list"),
        "cycle_list": reverse("cycle:cycle_list"),
        "cycle_detail": reverse("cycle:cycle_detail", kwargs={"pk": cycle.pk}),
    }
    before = {name: _queries(manager_client, url) for name, url in urls.items()}
    for n in range(3):
        make_objective(org)
        make_evidence(org)
        make_cycle(org)
        m = services.moment_save(cycle=cycle, name=f"M{n}", procedure=make_document(org))
        services.checklist_item_save(moment=m, text="Greets")
        services.standard_save(
            moment=m, name="S", metric=StandardMetric.CONTACTS, threshold=Decimal(1), unit=Unit.COUNT
        )
    after = {name: _queries(manager_client, url) for name, url in urls.items()}
    assert after == before == PINNED
