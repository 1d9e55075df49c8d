"""The weekly report by e-mail: last week's report, PDF attached, to each manager of an organisation in their language.

`weekly_reports_enqueue` (run weekly by ``momentos reports send-weekly``) queues one task per organisation;
the task builds the report and sends it. A ReportDelivery row per organisation and week, claimed in the
same transaction as the sending, makes a second run, a second scheduler or a retried task send nothing
twice: on PostgreSQL a concurrent claim waits for the first and then finds the row. If sending fails the
claim is rolled back, so the next run tries again. A task killed after the mail left but before its
commit may send once more (the task interface delivers at least once).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from momentos.accounts.choices import Role
from momentos.accounts.models import Membership, Organization
from momentos.cycle.choices import Indicator
from momentos.insight.filters import Filters, organization_today
from momentos.insight.models import ReportDelivery
from momentos.insight.report import CycleBlock, Report, last_week, report_build
from momentos.insight.report_pdf import report_filename, report_pdf

MANAGER_ROLES = (Role.ADMIN, Role.QUALITY_MANAGER)
# The figures the body of the e-mail shows; the PDF has the rest.
MAIL_INDICATORS = (
    Indicator.CSAT,
    Indicator.NPS,
    Indicator.RESOLUTION_RATE,
    Indicator.FIRST_RESPONSE_TIME,
)


def report_managers(*, organization: Any) -> list[Membership]:
    """Who receives the weekly report: the active administrators and quality managers."""
    return list(
        Membership.objects.for_organization(organization)
        .filter(role__in=MANAGER_ROLES, is_active=True, user__is_active=True)
        .select_related("user")
        .order_by("user__email")
    )


def member_language(membership: Membership, organization: Organization) -> str:
    language = membership.user.language or organization.language
    return language if language in {"es", "en"} else "es"


def default_base_url() -> str:
    """The site's address for links in e-mails, when the deployment names it (CSRF_TRUSTED_ORIGINS)."""
    origins = [o for o in getattr(settings, "CSRF_TRUSTED_ORIGINS", []) if o.startswith("http")]
    return origins[0].rstrip("/") if origins else ""


def report_url(*, base_url: str, start: date, end: date) -> str:
    if not base_url:
        return ""
    query = QueryDict(mutable=True)
    query.update({"period": "custom", "start": start.isoformat(), "end": end.isoformat()})
    return f"{base_url.rstrip('/')}{reverse('insight:report')}?{query.urlencode()}"


@dataclass
class WeeklyPlan:
    """What ``weekly_reports_enqueue`` did (or, in a dry run, would do) for one organisation."""

    organization: Organization
    start: date
    end: date
    status: str  # "queued" | "would_send" | "already_sent" | "no_managers"
    recipients: list[str] = field(default_factory=list)


def weekly_reports_enqueue(
    *,
    organization: Organization | None = None,
    dry_run: bool = False,
    base_url: str = "",
    today: date | None = None,
) -> list[WeeklyPlan]:
    """Queue last week's report for each organisation (or one) that has managers and has not had it yet."""
    organizations = (
        [organization] if organization is not None else list(Organization.objects.order_by("name"))
    )
    plans = []
    for org in organizations:
        start, end = last_week(today or organization_today(org))
        managers = report_managers(organization=org)
        plan = WeeklyPlan(org, start, end, "queued", [m.user.email for m in managers])
        if ReportDelivery.objects.for_organization(org).filter(week_start=start).exists():
            plan.status = "already_sent"
        elif not managers:
            plan.status = "no_managers"
        elif dry_run:
            plan.status = "would_send"
        else:
            send_weekly_report.enqueue(
                organization_id=str(org.pk), week_start=start.isoformat(), base_url=base_url
            )
        plans.append(plan)
    return plans


@task()
def send_weekly_report(*, organization_id: str, week_start: str, base_url: str = "") -> int:
    """E-mail one organisation's report of the week starting ``week_start`` (an ISO Monday); idempotent."""
    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is None:
        return 0
    return weekly_report_send(
        organization=organization, week_start=date.fromisoformat(week_start), base_url=base_url
    )


def _weakest_moments(report: Report, limit: int = 3) -> list[CycleBlock]:
    """The worst moment of each cycle, weakest first, leaving out those with a perfect score."""
    scored = [(c.worst.score, c) for c in report.cycles if c.worst is not None and c.worst.score is not None]
    return [c for score, c in sorted(scored, key=lambda pair: pair[0]) if score < 100][:limit]


def _message(report: Report, *, membership: Membership, url: str, pdf: bytes) -> EmailMultiAlternatives:
    figures = [f for f in (report.figure(i) for i in MAIL_INDICATORS) if f is not None]
    statuses = [o.status for o in report.objectives]
    context = {
        "report": report,
        "name": membership.user.get_short_name(),
        "figures": figures,
        "objectives_total": len(statuses),
        "objectives_on_target": statuses.count("on_target"),
        "objectives_off_target": statuses.count("off_target"),
        "worst_moments": _weakest_moments(report),
        "overdue": len(report.actions or []),
        "url": url,
    }
    subject = _("Weekly service report · %(organization)s · %(period)s") % {
        "organization": report.organization,
        "period": report.period,
    }
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("insight/email/weekly_report.txt", context),
        to=[membership.user.email],
    )
    message.attach_alternative(render_to_string("insight/email/weekly_report.html", context), "text/html")
    message.attach(report_filename(report), pdf, "application/pdf")
    return message


def weekly_report_send(
    *, organization: Organization, week_start: date, base_url: str = "", now: datetime | None = None
) -> int:
    """Send the report of the week from ``week_start`` (seven days) to the managers; the number of e-mails sent.

    Nothing is sent (0) when the week's report has already gone out or the organisation has no manager.
    """
    managers = report_managers(organization=organization)
    if not managers:
        return 0
    now = now or timezone.now()
    filters = Filters(start=week_start, end=week_start + timedelta(days=6))
    url = report_url(base_url=base_url, start=filters.start, end=filters.end)
    with transaction.atomic():
        try:
            with transaction.atomic():
                delivery = ReportDelivery.objects.create(organization=organization, week_start=week_start)
        except IntegrityError:
            return 0
        # Managers see the whole organisation, so one report (and one PDF) per language serves them all.
        built: dict[str, tuple[Report, bytes]] = {}
        messages = []
        for membership in managers:
            language = member_language(membership, organization)
            with translation.override(language):
                if language not in built:
                    report = report_build(
                        organization=organization, filters=filters, scope=membership, now=now
                    )
                    built[language] = (report, report_pdf(report, language=language))
                report, pdf = built[language]
                messages.append(_message(report, membership=membership, url=url, pdf=pdf))
        sent = get_connection().send_messages(messages) or 0
        delivery.recipients = sent
        delivery.sent_at = now
        delivery.save(update_fields=["recipients", "sent_at", "updated_at"])
    return sent
