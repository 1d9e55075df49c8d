"""Run as `python -m tests.backup_support enrich|snapshot` against DATABASE_URL, for the backup tests."""

from __future__ import annotations

import json
import os
import sys
from typing import Any


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def enrich() -> None:
    """Add what the demo lacks: groups and permissions (by natural key), JSON fields, odd characters."""
    from django.contrib.auth.models import Group, Permission

    from momentos.accounts.models import Branch, Organization, User
    from momentos.accounts.tests.factories import make_invitation_with_token

    org = Organization.objects.get()
    user = User.objects.order_by("email").first()
    group = Group.objects.create(name="Auditoría «interna»")
    permission = Permission.objects.get(codename="view_branch")
    group.permissions.add(permission)
    user.groups.add(group)
    user.user_permissions.add(Permission.objects.get(codename="change_team"))
    make_invitation_with_token(
        org, email="nueva@example.test", branches=list(Branch.objects.filter(organization=org)[:2])
    )


def snapshot() -> dict[str, Any]:
    """Every backed-up row as comparable text, with references to permissions by codename."""
    from momentos.core.backup import NATURAL_KEY_MODELS, _models

    result: dict[str, Any] = {}
    for model in _models(auto_created=True):
        names = []
        for field in model._meta.concrete_fields:
            if model._meta.auto_created and field.primary_key:
                continue  # the id of an M2M row is not data
            related = field.related_model._meta.label_lower if field.is_relation else None
            if related in NATURAL_KEY_MODELS:
                names.append(f"{field.name}__{'codename' if related == 'auth.permission' else 'model'}")
            else:
                names.append(field.attname)
        rows = [json.dumps(row, default=str, sort_keys=True) for row in model._base_manager.values(*names)]
        result[model._meta.label_lower] = sorted(rows)
    return result


if __name__ == "__main__":
    _setup()
    if sys.argv[1] == "enrich":
        enrich()
    else:
        json.dump(snapshot(), sys.stdout)
