"""The database refuses changes to a published or superseded version, its blocks and its scope.

Vendor-specific triggers (SQLite and PostgreSQL), so that no code path — a form, the API, a shell,
a raw ``QuerySet.update()`` — can rewrite what staff were told. The only change allowed is
published → superseded (with ``superseded_at``), and clearing a user reference when that user is
deleted. A row in ``protocols_purge`` (inserted inside one transaction by
``momentos.protocols.immutability.purge_allowed``) lets maintenance remove whole organisations and
lets Django's ``flush`` empty the tables in tests.

Note for future migrations: on SQLite, an operation that rebuilds ``protocols_documentversion`` or
a child table drops its triggers; such a migration must re-create them (the immutability tests fail
otherwise).
"""

from django.db import migrations

FROZEN = "('published', 'superseded')"
MESSAGE = "momentos: a published document version cannot be changed"
PARTS = ["protocols_documentblock", "protocols_versionchannel", "protocols_versionbranch", "protocols_versionreference"]

# Columns that never change once a version is published; user references may only be cleared.
CONTENT = [
    "id", "organization_id", "document_id", "number", "title", "summary", '"trigger"', "body",
    "body_html", "change_note", "revision", "submitted_at", "published_at", "created_at",
]
USERS = ["author_id", "edited_by_id", "published_by_id"]


def _sqlite_forward() -> list[str]:
    changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in CONTENT)
    users = " OR ".join(f"(NEW.{c} IS NOT OLD.{c} AND NEW.{c} IS NOT NULL)" for c in USERS)
    status = (
        "NOT ((NEW.status = OLD.status AND NEW.superseded_at IS OLD.superseded_at)"
        " OR (OLD.status = 'published' AND NEW.status = 'superseded' AND NEW.superseded_at IS NOT NULL))"
    )
    no_purge = "NOT EXISTS (SELECT 1 FROM protocols_purge)"
    raise_ = f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
    sql = [
        "CREATE TABLE protocols_purge (token integer NOT NULL)",
        f"""CREATE TRIGGER protocols_version_frozen_update BEFORE UPDATE ON protocols_documentversion
        FOR EACH ROW WHEN OLD.status IN {FROZEN} AND {no_purge} AND ({changed} OR {users} OR {status})
        {raise_}""",
        f"""CREATE TRIGGER protocols_version_frozen_delete BEFORE DELETE ON protocols_documentversion
        FOR EACH ROW WHEN OLD.status IN {FROZEN} AND {no_purge}
        {raise_}""",
    ]
    frozen = "EXISTS (SELECT 1 FROM protocols_documentversion v WHERE v.id = {ref}.version_id AND v.status IN " + FROZEN + ")"
    for table in PARTS:
        sql += [
            f"""CREATE TRIGGER {table}_frozen_insert BEFORE INSERT ON {table}
            FOR EACH ROW WHEN {no_purge} AND {frozen.format(ref="NEW")} {raise_}""",
            f"""CREATE TRIGGER {table}_frozen_update BEFORE UPDATE ON {table}
            FOR EACH ROW WHEN {no_purge} AND ({frozen.format(ref="OLD")} OR {frozen.format(ref="NEW")}) {raise_}""",
            f"""CREATE TRIGGER {table}_frozen_delete BEFORE DELETE ON {table}
            FOR EACH ROW WHEN {no_purge} AND {frozen.format(ref="OLD")} {raise_}""",
        ]
    return sql


def _sqlite_reverse() -> list[str]:
    sql = [
        "DROP TRIGGER IF EXISTS protocols_version_frozen_update",
        "DROP TRIGGER IF EXISTS protocols_version_frozen_delete",
    ]
    for table in PARTS:
        sql += [f"DROP TRIGGER IF EXISTS {table}_frozen_{op}" for op in ("insert", "update", "delete")]
    return [*sql, "DROP TABLE IF EXISTS protocols_purge"]


def _postgres_forward() -> list[str]:
    content = ", ".join(f"NEW.{c}" for c in CONTENT), ", ".join(f"OLD.{c}" for c in CONTENT)
    users = " OR ".join(f"(NEW.{c} IS DISTINCT FROM OLD.{c} AND NEW.{c} IS NOT NULL)" for c in USERS)
    fail = f"RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation'"
    return [
        "CREATE TABLE protocols_purge (token integer NOT NULL)",
        f"""CREATE FUNCTION protocols_version_guard() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF OLD.status NOT IN {FROZEN} OR EXISTS (SELECT 1 FROM protocols_purge) THEN
            IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
            RETURN NEW;
          END IF;
          IF TG_OP = 'DELETE' THEN {fail}; END IF;
          IF ({content[0]}) IS DISTINCT FROM ({content[1]}) OR {users} THEN {fail}; END IF;
          IF NOT ((NEW.status = OLD.status AND NEW.superseded_at IS NOT DISTINCT FROM OLD.superseded_at)
                  OR (OLD.status = 'published' AND NEW.status = 'superseded' AND NEW.superseded_at IS NOT NULL)) THEN
            {fail};
          END IF;
          RETURN NEW;
        END $$""",
        """CREATE TRIGGER protocols_version_guard BEFORE UPDATE OR DELETE ON protocols_documentversion
        FOR EACH ROW EXECUTE FUNCTION protocols_version_guard()""",
        f"""CREATE FUNCTION protocols_version_part_guard() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF EXISTS (SELECT 1 FROM protocols_purge) THEN
            IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
            RETURN NEW;
          END IF;
          IF TG_OP <> 'INSERT' THEN
            IF EXISTS (SELECT 1 FROM protocols_documentversion v
                       WHERE v.id = OLD.version_id AND v.status IN {FROZEN}) THEN {fail}; END IF;
          END IF;
          IF TG_OP <> 'DELETE' THEN
            IF EXISTS (SELECT 1 FROM protocols_documentversion v
                       WHERE v.id = NEW.version_id AND v.status IN {FROZEN}) THEN {fail}; END IF;
            RETURN NEW;
          END IF;
          RETURN OLD;
        END $$""",
        *[
            f"""CREATE TRIGGER {table}_guard BEFORE INSERT OR UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION protocols_version_part_guard()"""
            for table in PARTS
        ],
    ]


def _postgres_reverse() -> list[str]:
    return [
        *[f"DROP TRIGGER IF EXISTS {table}_guard ON {table}" for table in PARTS],
        "DROP TRIGGER IF EXISTS protocols_version_guard ON protocols_documentversion",
        "DROP FUNCTION IF EXISTS protocols_version_part_guard()",
        "DROP FUNCTION IF EXISTS protocols_version_guard()",
        "DROP TABLE IF EXISTS protocols_purge",
    ]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": _sqlite_forward, "postgresql": _postgres_forward}.get(vendor)
    if statements is None:
        raise NotImplementedError(f"no immutability triggers for the {vendor} database")
    for sql in statements():
        schema_editor.execute(sql)


def reverse(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": _sqlite_reverse, "postgresql": _postgres_reverse}.get(vendor, list)
    for sql in statements():
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("protocols", "0002_rendered_html_and_search")]

    operations = [migrations.RunPython(forward, reverse)]
