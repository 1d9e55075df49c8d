"""`momentos reports send-weekly`: queue last week's report e-mail for every organisation (or one)."""

from __future__ import annotations

import argparse
import sys

from momentos.accounts.models import Organization
from momentos.insight.report_mail import default_base_url, weekly_reports_enqueue

STATUS_TEXT = {
    "queued": "queued for {n} manager(s)",
    "would_send": "would be sent to {n} manager(s): {emails}",
    "already_sent": "already sent, nothing to do",
    "no_managers": "no active administrator or quality manager, nothing sent",
}


def send_weekly(ns: argparse.Namespace) -> int:
    organization = None
    if ns.organization:
        organization = Organization.objects.filter(slug=ns.organization).first()
        if organization is None:
            print(f"momentos: no organisation with the short name {ns.organization!r}", file=sys.stderr)
            return 2
    base_url = (ns.base_url or default_base_url()).rstrip("/")
    if base_url and not base_url.startswith(("http://", "https://")):
        print(f"momentos: --base-url must start with http:// or https://, not {base_url!r}", file=sys.stderr)
        return 2
    plans = weekly_reports_enqueue(organization=organization, dry_run=ns.dry_run, base_url=base_url)
    if not plans:
        print("No organisation.")
    for plan in plans:
        text = STATUS_TEXT[plan.status].format(n=len(plan.recipients), emails=", ".join(plan.recipients))
        print(f"{plan.organization.slug}: week {plan.start.isoformat()} to {plan.end.isoformat()}: {text}")
    if not base_url:
        print("Note: no --base-url (or CSRF_TRUSTED_ORIGINS), so the e-mails carry no link to the page.")
    return 0
