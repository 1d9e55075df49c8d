"""The period report: the page, the PDF in both languages, and the weekly e-mail to the managers.

The fixture: Acme, one branch (Centro, Bogotá) and a second one (Norte), a phone cycle "Welcome → Solve",
the week of Monday 2 March 2026: four CSAT answers at Centro (5, 5, 4, 2 → 75 %), two interactions
closed (one resolved → 50 %), Welcome rated 5 and Solve rated 1 (the worst moment), and an objective
"Happy customers" CSAT ≥ 85 % (75 % is more than 5 points short: off target).
"""

from __future__ import annotations

import email
import email.policy
import io
from datetime import date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from momentos import cli
from momentos.accounts.choices import ChannelKind, Role
from momentos.accounts.models import Membership
from momentos.accounts.tests.factories import admin_of, make_branch, make_member
from momentos.attention.choices import Outcome
from momentos.attention.tests.factories import channel_of, make_cycle_for, make_interaction
from momentos.cycle.choices import Comparison, Indicator
from momentos.cycle.models import Objective
from momentos.insight.filters import Filters
from momentos.insight.models import ReportDelivery
from momentos.insight.report import last_week, report_build
from momentos.insight.report_mail import send_weekly_report, weekly_report_send, weekly_reports_enqueue
from momentos.insight.report_pdf import report_pdf
from momentos.insight.tests.factories import make_answers, make_scored_version
from tests.cli_support import cli_env, database_url_of_tests, momentos, postgres_skip

pytestmark = pytest.mark.django_db

BOGOTA = ZoneInfo("America/Bogota")
WEEK = {"period": "custom", "start": "2026-03-02", "end": "2026-03-08"}
MONDAY = date(2026, 3, 2)


def bog(*args: int) -> datetime:
    return datetime(*args, tzinfo=BOGOTA)


@pytest.fixture
def world(org: Any) -> SimpleNamespace:
    org.min_sample_size = 3
    org.save()
    centro = make_branch(org, name="Centro", time_zone="America/Bogota")
    norte = make_branch(org, name="Norte", time_zone="America/Bogota")
    phone = channel_of(org, ChannelKind.PHONE)
    welcome, solve = make_cycle_for(phone, "Welcome", "Solve")
    version = make_scored_version(org, moments=(welcome, solve))
    for day, csat in enumerate((5, 5, 4, 2)):
        make_answers(version, branch=centro, submitted_at=bog(2026, 3, 3 + day, 10), csat=csat)
    make_answers(version, branch=centro, submitted_at=bog(2026, 3, 4, 12), ratings={welcome: 5, solve: 1})
    for outcome in (Outcome.RESOLVED, Outcome.UNRESOLVED):
        make_interaction(
            org,
            branch=centro,
            channel=phone,
            started_at=bog(2026, 3, 3, 9),
            closed_at=bog(2026, 3, 3, 9, 20),
            resolved_at=bog(2026, 3, 3, 9, 20) if outcome == Outcome.RESOLVED else None,
            outcome=outcome,
            contacts=1,
        )
    Objective.objects.create(
        organization=org,
        title="Happy customers",
        indicator=Indicator.CSAT,
        comparison=Comparison.GTE,
        target=Decimal("85"),
    )
    return SimpleNamespace(org=org, centro=centro, norte=norte, welcome=welcome, solve=solve)


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


# --- the report's figures ---------------------------------------------------------------------------


def test_report_gathers_objectives_figures_worst_moment_and_league(world: SimpleNamespace) -> None:
    report = report_build(
        organization=world.org, filters=Filters(start=MONDAY, end=date(2026, 3, 8)), scope=admin_of(world.org)
    )

    [objective] = report.objectives
    assert (objective.title, objective.figure.text, objective.status) == (
        "Happy customers",
        "75.0 %",
        "off_target",
    )
    assert objective.target == "≥ 85 %"
    assert report.figure(Indicator.RESOLUTION_RATE).text == "50.0 %"
    assert report.figure(Indicator.CSAT).previous_text == "—"
    [cycle] = report.cycles
    assert cycle.worst is not None and cycle.worst.name == "Solve"
    assert [row.name for row in report.league] == ["Centro"]
    assert report.trends and report.trends[0].label == "CSAT %"
    assert report.scope == ["Whole organisation"]


# --- the page ---------------------------------------------------------------------------------------


def test_report_page_shows_the_period_figures_and_links_to_the_pdf(
    world: SimpleNamespace, admin_client: Any
) -> None:
    response = admin_client.get(reverse("insight:report"), WEEK)

    assert response.status_code == 200
    body = response.content.decode()
    assert "Happy customers" in body
    assert "75.0 %" in body
    assert "Worst moment: Solve" in body
    assert reverse("insight:report_pdf") + "?period=custom&amp;start=2026-03-02&amp;end=2026-03-08" in body
    assert "<svg" in body  # the trend charts


def test_report_page_without_data_says_so(world: SimpleNamespace, admin_client: Any) -> None:
    response = admin_client.get(
        reverse("insight:report"), {"period": "custom", "start": "2025-01-06", "end": "2025-01-12"}
    )

    assert response.status_code == 200
    assert "No data for this period" in response.content.decode()


def test_report_page_reports_a_bad_date_instead_of_failing(world: SimpleNamespace, admin_client: Any) -> None:
    response = admin_client.get(
        reverse("insight:report"), {"period": "custom", "start": "2026-13-45", "end": "x"}
    )

    assert response.status_code == 200
    assert "Some filters were not applied" in response.content.decode()


def test_supervisor_report_covers_only_their_branch(world: SimpleNamespace, member_client: Any) -> None:
    supervisor = make_member(world.org, role=Role.SUPERVISOR, branches=[world.norte])

    response = member_client(supervisor).get(reverse("insight:report"), WEEK)

    assert response.status_code == 200
    body = response.content.decode()
    assert "Branches: Norte" in body
    assert "75.0 %" not in body
    assert "No data for this period" in body


def test_agent_report_holds_only_their_own_figures(world: SimpleNamespace, member_client: Any) -> None:
    agent = make_member(world.org, role=Role.AGENT, branches=[world.centro])

    response = member_client(agent).get(reverse("insight:report_pdf"), {**WEEK, "language": "en"})

    text = pdf_text(response.content)
    assert f"Agents: {agent.user}" in text
    assert "No data for this period" in text
    assert "75.0 %" not in text


def test_report_needs_a_login(world: SimpleNamespace, client: Any) -> None:
    response = client.get(reverse("insight:report_pdf"), WEEK)

    assert response.status_code == 302


# --- the PDF ----------------------------------------------------------------------------------------


def test_pdf_in_english_has_the_objectives_values_and_facts(
    world: SimpleNamespace, admin_client: Any
) -> None:
    response = admin_client.get(reverse("insight:report_pdf"), {**WEEK, "language": "en"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="report-2026-03-02-2026-03-08.pdf"' in response["Content-Disposition"]
    text = pdf_text(response.content)
    for expected in (
        "Service report",
        "Acme",
        "March 2, 2026",
        "Whole organisation",
        "Happy customers",
        "75.0 %",
        "≥ 85 %",
        "Off target",
        "Resolution rate",
        "50.0 %",
        "Trends",
        "Worst moment: Solve",
        "Branch league",
        "Centro",
    ):
        assert expected in text, expected


def test_pdf_follows_the_readers_language(world: SimpleNamespace, member_client: Any) -> None:
    admin = admin_of(world.org)
    admin.user.language = "es"
    admin.user.save()

    response = member_client(admin).get(reverse("insight:report_pdf"), WEEK)

    text = pdf_text(response.content)
    assert "Happy customers" in text
    assert "75,0 %" in text  # Spanish decimals
    assert "2 de marzo de 2026" in text
    assert "Tasa de resolución" in text


def test_pdf_draws_its_charts(world: SimpleNamespace) -> None:
    report = report_build(organization=world.org, filters=Filters(start=MONDAY, end=date(2026, 3, 8)))
    content = report_pdf(report, language="en")

    page = PdfReader(io.BytesIO(content)).pages
    streams = b"".join(p.get_contents().get_data() for p in page)
    # Lines of the trend charts (polylines) and filled bars of the moments.
    assert b" l " in streams or b" l\n" in streams
    assert b" re f" in streams


def test_pdf_without_data_is_a_no_data_report(world: SimpleNamespace, admin_client: Any) -> None:
    response = admin_client.get(
        reverse("insight:report_pdf"), {"period": "custom", "start": "2025-01-06", "end": "2025-01-12"}
    )

    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "No data for this period" in text
    assert "Happy customers" in text
    assert "Branch league" not in text


def test_pdf_of_an_organisation_with_nothing_at_all(org: Any, admin_client: Any) -> None:
    response = admin_client.get(reverse("insight:report_pdf"))

    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "No data for this period" in text
    assert "No objective has been set yet" in text


# --- the weekly e-mail ------------------------------------------------------------------------------


@pytest.fixture
def managers(world: SimpleNamespace) -> SimpleNamespace:
    admin = admin_of(world.org)
    admin.user.language = "es"
    admin.user.save()
    quality = make_member(world.org, role=Role.QUALITY_MANAGER)
    quality.user.language = "en"
    quality.user.save()
    retired = make_member(world.org, role=Role.QUALITY_MANAGER)
    Membership.objects.filter(pk=retired.pk).update(is_active=False)
    make_member(world.org, role=Role.SUPERVISOR, branches=[world.centro])
    make_member(world.org, role=Role.AGENT)
    return SimpleNamespace(admin=admin, quality=quality, retired=retired)


def test_last_week_is_monday_to_sunday_before_this_week() -> None:
    assert last_week(date(2026, 3, 11)) == (date(2026, 3, 2), date(2026, 3, 8))
    assert last_week(date(2026, 3, 9)) == (date(2026, 3, 2), date(2026, 3, 8))


def test_weekly_report_goes_to_active_managers_in_their_language(
    world: SimpleNamespace, managers: SimpleNamespace
) -> None:
    plans = weekly_reports_enqueue(
        organization=world.org, today=date(2026, 3, 11), base_url="https://m.example"
    )

    assert [p.status for p in plans] == ["queued"]
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {managers.admin.user.email, managers.quality.user.email}
    english = by_recipient[managers.quality.user.email]
    spanish = by_recipient[managers.admin.user.email]
    assert english.subject.startswith("Weekly service report")
    assert "March 2, 2026" in english.body and "75.0 %" in english.body
    assert "2 de marzo de 2026" in spanish.body and "75,0 %" in spanish.body
    assert "https://m.example/insight/report/?period=custom&start=2026-03-02&end=2026-03-08" in english.body
    html, mimetype = english.alternatives[0]
    assert mimetype == "text/html" and "CSAT %" in html and "75.0 %" in html
    assert "Objectives: 0 of 1 on target, 1 off target." in english.body
    assert "Weakest moment of “Cycle" in english.body and ": Solve, score 0 of 100." in english.body
    [(name, content, kind)] = english.attachments
    assert (name, kind) == ("report-2026-03-02-2026-03-08.pdf", "application/pdf")
    assert "Happy customers" in pdf_text(content)
    assert "75,0 %" in pdf_text(spanish.attachments[0][1])


def test_weekly_report_is_sent_once_per_week(world: SimpleNamespace, managers: SimpleNamespace) -> None:
    weekly_reports_enqueue(organization=world.org, today=date(2026, 3, 11))
    sent = len(mail.outbox)

    again = weekly_reports_enqueue(organization=world.org, today=date(2026, 3, 12))
    retried = send_weekly_report.call(organization_id=str(world.org.pk), week_start="2026-03-02")

    assert sent == 2
    assert [p.status for p in again] == ["already_sent"]
    assert retried == 0
    assert len(mail.outbox) == 2
    delivery = ReportDelivery.objects.for_organization(world.org).get()
    assert (delivery.week_start, delivery.recipients) == (MONDAY, 2)
    # The next week is another report.
    weekly_reports_enqueue(organization=world.org, today=date(2026, 3, 16))
    assert len(mail.outbox) == 4


def test_failed_sending_leaves_the_week_to_try_again(
    world: SimpleNamespace, managers: SimpleNamespace, settings: Any
) -> None:
    settings.EMAIL_BACKEND = "momentos.insight.tests.test_report.FailingBackend"
    with pytest.raises(OSError):
        weekly_report_send(organization=world.org, week_start=MONDAY)
    assert not ReportDelivery.objects.exists()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert weekly_report_send(organization=world.org, week_start=MONDAY) == 2


class FailingBackend:
    def __init__(self, **kwargs: Any) -> None:
        pass

    def send_messages(self, messages: Any) -> int:
        raise OSError("SMTP server unreachable")


def test_organisation_without_managers_gets_nothing(world: SimpleNamespace) -> None:
    Membership.objects.for_organization(world.org).update(is_active=False)

    plans = weekly_reports_enqueue(organization=world.org, today=date(2026, 3, 11))

    assert [p.status for p in plans] == ["no_managers"]
    assert mail.outbox == []
    assert not ReportDelivery.objects.exists()


def test_weekly_report_of_an_empty_week_says_no_data(
    world: SimpleNamespace, managers: SimpleNamespace
) -> None:
    weekly_report_send(organization=world.org, week_start=date(2025, 1, 6))

    english = next(m for m in mail.outbox if m.to == [managers.quality.user.email])
    assert "No interaction was closed and no survey was answered" in english.body
    assert "No data for this period" in pdf_text(english.attachments[0][1])


def test_each_organisation_gets_its_own_report(world: SimpleNamespace, other_org: Any) -> None:
    weekly_reports_enqueue(today=date(2026, 3, 11))

    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([admin_of(world.org).user.email, admin_of(other_org).user.email])
    other = next(m for m in mail.outbox if m.to == [admin_of(other_org).user.email])
    assert "Rival" in other.subject and "Acme" not in other.subject
    assert "Happy customers" not in pdf_text(other.attachments[0][1])


# --- the command ------------------------------------------------------------------------------------


def test_command_dry_run_names_the_recipients_and_sends_nothing(
    world: SimpleNamespace, managers: SimpleNamespace, capsys: Any
) -> None:
    code = cli.main(["reports", "send-weekly", "--organization", world.org.slug, "--dry-run"])

    out = capsys.readouterr().out
    assert code == 0
    assert f"{world.org.slug}: week " in out
    assert managers.quality.user.email in out and "would be sent to 2 manager(s)" in out
    assert mail.outbox == []
    assert not ReportDelivery.objects.exists()


def test_command_sends_then_says_already_sent(world: SimpleNamespace, capsys: Any) -> None:
    assert cli.main(["reports", "send-weekly", "--organization", world.org.slug]) == 0
    assert cli.main(["reports", "send-weekly", "--organization", world.org.slug]) == 0

    out = capsys.readouterr().out
    assert "queued for 1 manager(s)" in out
    assert "already sent, nothing to do" in out
    assert len(mail.outbox) == 1


def test_command_refuses_an_unknown_organisation(world: SimpleNamespace, capsys: Any) -> None:
    assert cli.main(["reports", "send-weekly", "--organization", "nope"]) == 2
    assert "no organisation with the short name 'nope'" in capsys.readouterr().err


def test_report_of_last_week_is_relative_to_the_organisation_today(world: SimpleNamespace) -> None:
    plans = weekly_reports_enqueue(organization=world.org, dry_run=True)

    [plan] = plans
    assert plan.start.weekday() == 0 and plan.end - plan.start == timedelta(days=6)


def test_league_ranks_a_branch_below_the_minimum_sample_after_the_others(world: SimpleNamespace) -> None:
    version = make_scored_version(world.org)
    make_answers(version, branch=world.norte, submitted_at=bog(2026, 3, 5, 10), csat=5)  # 100 %, one answer

    report = report_build(organization=world.org, filters=Filters(start=MONDAY, end=date(2026, 3, 8)))

    assert [(row.name, row.cells[0]) for row in report.league] == [
        ("Centro", "75.0 %"),
        ("Norte", "100.0 % *"),
    ]
    assert report.league_small


def test_a_branch_objective_is_measured_on_its_branch_and_left_out_of_another_branchs_report(
    world: SimpleNamespace,
) -> None:
    Objective.objects.create(
        organization=world.org,
        title="Norte happy",
        indicator=Indicator.CSAT,
        target=Decimal("80"),
        branch=world.norte,
    )
    week = Filters(start=MONDAY, end=date(2026, 3, 8))

    everywhere = {row.title: row for row in report_build(organization=world.org, filters=week).objectives}
    centro_only = report_build(organization=world.org, filters=week.replace(branch_ids=(world.centro.pk,)))

    assert (everywhere["Norte happy"].scope, everywhere["Norte happy"].status) == ("Norte", "no_data")
    assert everywhere["Happy customers"].scope == ""
    assert [row.title for row in centro_only.objectives] == ["Happy customers"]
    assert centro_only.scope == ["Branches: Centro"]


@pytest.mark.postgres
@postgres_skip
def test_the_worker_sends_the_weekly_report_queued_in_postgresql(
    transactional_db: Any, world: SimpleNamespace, settings: Any, tmp_path: Any
) -> None:
    # Queued as rows of the test database; a real `momentos worker` process builds and sends it.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    env = cli_env(
        tmp_path / "data",
        DATABASE_URL=database_url_of_tests(),
        TASK_BACKEND="database",
        EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
    )

    [plan] = weekly_reports_enqueue(organization=world.org, today=date(2026, 3, 11))
    assert plan.status == "queued" and mail.outbox == []
    worker = momentos("worker", "--batch", "--interval", "0.2", env=env, timeout=180)

    assert worker.returncode == 0, worker.stderr
    # The console backend prints the message, then a line of dashes.
    sent = email.message_from_string(worker.stdout.split("\n" + "-" * 79)[0], policy=email.policy.default)
    assert (
        str(sent["Subject"]).strip().startswith("Informe semanal del servicio · Acme · 2 de marzo de 2026")
    )  # the manager reads Spanish
    [attachment] = list(sent.iter_attachments())  # type: ignore[attr-defined]
    assert attachment.get_filename() == "report-2026-03-02-2026-03-08.pdf"
    assert "Happy customers" in pdf_text(attachment.get_content())
    delivery = ReportDelivery.objects.for_organization(world.org).get()
    assert (delivery.week_start, delivery.recipients) == (MONDAY, 1)
