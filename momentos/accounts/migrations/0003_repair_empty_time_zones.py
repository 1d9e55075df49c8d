"""Give every branch and organisation without a time zone one, before 0004 makes the zone compulsory."""

from __future__ import annotations

from typing import Any

from django.db import migrations
from django.db.models import OuterRef, Subquery

FALLBACK_ZONE = "UTC"


def repair_empty_time_zones(apps: Any, schema_editor: Any) -> tuple[int, int]:
    """An organisation without a zone gets UTC; a branch without one gets its organisation's zone.

    Organisations first, so a branch never inherits an empty zone. Returns the rows changed
    (organisations, branches).
    """
    organization_model = apps.get_model("accounts", "Organization")
    branch_model = apps.get_model("accounts", "Branch")
    db = schema_editor.connection.alias
    organizations = (
        organization_model._base_manager.using(db).filter(time_zone="").update(time_zone=FALLBACK_ZONE)
    )
    zone_of_organization = organization_model._base_manager.using(db).filter(pk=OuterRef("organization_id"))
    branches = (
        branch_model._base_manager.using(db)
        .filter(time_zone="")
        .update(time_zone=Subquery(zone_of_organization.values("time_zone")[:1]))
    )
    return organizations, branches


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_utc_time_zone_choice"),
    ]

    operations = [
        # Nothing to undo: the empty zones were never a state worth going back to.
        migrations.RunPython(repair_empty_time_zones, migrations.RunPython.noop),
    ]
