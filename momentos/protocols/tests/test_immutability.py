"""The database itself refuses to change a published version, its blocks or its scope (SQLite and PostgreSQL).

Run on PostgreSQL with DATABASE_URL=postgres://… — the same tests, the other set of triggers.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone

from momentos.accounts.models import Channel
from momentos.accounts.tests.factories import make_branch
from momentos.protocols.choices import BlockKind, VersionStatus
from momentos.protocols.immutability import purge_allowed
from momentos.protocols.models import (
    Document,
    DocumentBlock,
    DocumentVersion,
    VersionBranch,
    VersionChannel,
)
from momentos.protocols.tests.factories import complete_protocol, published_protocol

pytestmark = pytest.mark.django_db


def refused(fn: Any) -> None:
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        fn()


@pytest.fixture
def published(org: Any, qm: Any) -> DocumentVersion:
    return published_protocol(org, qm)


@pytest.mark.parametrize(
    "change",
    [
        {"title": "Rewritten"},
        {"body": "<p>new</p>"},
        {"body_html": "<p>new</p>"},
        {"trigger": "other"},
        {"change_note": "edited note"},
        {"number": 7},
        {"status": VersionStatus.DRAFT},
        {"status": VersionStatus.REVIEW},
        {"published_at": None},
    ],
)
def test_raw_update_of_a_published_version_is_refused(published: DocumentVersion, change: dict[str, Any]) -> None:
    refused(lambda: DocumentVersion.objects.filter(pk=published.pk).update(**change))
    published.refresh_from_db()
    assert published.status == VersionStatus.PUBLISHED and published.title == "Angry customer"


def test_saving_a_changed_published_instance_is_refused(published: DocumentVersion) -> None:
    published.title = "Rewritten in the shell"
    refused(published.save)


def test_published_version_cannot_be_deleted(published: DocumentVersion) -> None:
    refused(lambda: DocumentVersion.objects.filter(pk=published.pk).delete())
    assert DocumentVersion.objects.filter(pk=published.pk).exists()


def test_published_to_superseded_is_the_one_allowed_change(published: DocumentVersion) -> None:
    refused(lambda: DocumentVersion.objects.filter(pk=published.pk).update(status=VersionStatus.SUPERSEDED))
    DocumentVersion.objects.filter(pk=published.pk).update(
        status=VersionStatus.SUPERSEDED, superseded_at=timezone.now()
    )
    # …and once superseded, nothing more: not even back to published.
    refused(lambda: DocumentVersion.objects.filter(pk=published.pk).update(status=VersionStatus.PUBLISHED))
    refused(lambda: DocumentVersion.objects.filter(pk=published.pk).update(title="x"))
    refused(lambda: DocumentVersion.objects.filter(pk=published.pk).update(superseded_at=None))


def test_blocks_of_a_published_version_cannot_be_added_changed_or_removed(
    published: DocumentVersion,
) -> None:
    block = published.blocks.first()
    refused(lambda: DocumentBlock.objects.filter(pk=block.pk).update(body="<p>changed</p>"))
    refused(lambda: DocumentBlock.objects.filter(pk=block.pk).delete())
    refused(
        lambda: DocumentBlock.objects.create(
            organization_id=published.organization_id, version=published, kind=BlockKind.STEP, body="sneaky"
        )
    )
    assert published.blocks.count() == 4


def test_scope_rows_of_a_published_version_are_frozen(org: Any, published: DocumentVersion) -> None:
    channel = Channel.objects.for_organization(org).first()
    refused(lambda: VersionChannel.objects.create(organization=org, version=published, channel=channel))
    refused(lambda: VersionBranch.objects.create(organization=org, version=published, branch=make_branch(org)))


def test_a_block_cannot_be_moved_into_a_published_version(org: Any, qm: Any, published: DocumentVersion) -> None:
    draft_block = complete_protocol(org, qm, title="Other").blocks.first()
    refused(lambda: DocumentBlock.objects.filter(pk=draft_block.pk).update(version=published))


def test_drafts_stay_editable_at_the_database_level(org: Any, qm: Any) -> None:
    draft = complete_protocol(org, qm)
    DocumentVersion.objects.filter(pk=draft.pk).update(title="Fine")
    DocumentBlock.objects.filter(version=draft).update(body="fine")
    DocumentBlock.objects.filter(version=draft).delete()
    assert DocumentVersion.objects.get(pk=draft.pk).title == "Fine"


def test_purge_allowed_removes_a_whole_document_history(published: DocumentVersion) -> None:
    document = Document.objects.get(pk=published.document_id)
    with purge_allowed():
        document.delete()
    assert not DocumentVersion.objects.filter(pk=published.pk).exists()
    # The door closes again afterwards.
    with transaction.atomic():
        pass
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM protocols_purge")
        assert cursor.fetchone()[0] == 0


@pytest.mark.django_db(transaction=True)
def test_flush_between_transactional_tests_gets_through_the_triggers(org: Any, qm: Any) -> None:
    """Live-server and browser tests flush the database afterwards (DELETE on SQLite): that must work."""
    published_protocol(org, qm)
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)
    assert not DocumentVersion.objects.exists()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM protocols_purge")
        assert cursor.fetchone()[0] == 0
