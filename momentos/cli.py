"""The `momentos` command: initialise, serve, demo, backup/restore, import, worker, and Django's own commands."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

EMBEDDED_HELP = """Environment: DATABASE_URL (default: SQLite in ./var), SECRET_KEY, ALLOWED_HOSTS, EMAIL_URL,
TIME_ZONE, MOMENTOS_ENV=production for a production deployment. See .env.example."""


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as exc:
        _fail(f"configuration error: {exc}")


def _fail(message: str, code: int = 2) -> None:
    print(f"momentos: {message}", file=sys.stderr)
    raise SystemExit(code)


def cmd_init(ns: argparse.Namespace) -> int:
    _setup_django()
    from django.core.management import call_command
    from django.db import transaction

    call_command("migrate", interactive=False, verbosity=1 if ns.verbose else 0)
    _compile_messages_if_missing()
    from momentos.accounts.models import User
    from momentos.accounts.services import organization_create

    if User.objects.exists() and not ns.email:
        print("Database is up to date; an administrator already exists.")
        return 0
    email = ns.email or os.environ.get("MOMENTOS_ADMIN_EMAIL", "")
    password = ns.password or os.environ.get("MOMENTOS_ADMIN_PASSWORD", "")
    org_name = ns.organization or os.environ.get("MOMENTOS_ORGANIZATION", "")
    interactive = sys.stdin.isatty()
    if not email:
        if not interactive:
            _fail("give --email (or MOMENTOS_ADMIN_EMAIL) to create the first administrator")
        email = input("Administrator e-mail: ").strip()
    if not org_name:
        if not interactive:
            _fail("give --organization (or MOMENTOS_ORGANIZATION) to name the organisation")
        org_name = input("Organisation name: ").strip()
    if not password:
        if not interactive:
            _fail("give --password (or MOMENTOS_ADMIN_PASSWORD) for the first administrator")
        password = getpass.getpass("Password: ")
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    try:
        validate_email(email)
    except ValidationError:
        _fail(f"{email!r} is not a valid e-mail address")
    try:
        validate_password(password, User(email=email))
    except ValidationError as exc:
        _fail("password refused: " + " ".join(exc.messages))
    if User.objects.filter(email__iexact=email).exists():
        _fail(f"a user with e-mail {email} already exists")
    with transaction.atomic():
        user = User.objects.create_superuser(
            email=email, password=password, full_name=ns.name or email.split("@")[0]
        )
        org = organization_create(name=org_name, admin=user, language=ns.language)
    print(f"Created organisation {org.name!r} with administrator {user.email}.")
    return 0


def _compile_messages_if_missing() -> None:
    from django.conf import settings

    for path in settings.LOCALE_PATHS:
        po = Path(path) / "es" / "LC_MESSAGES" / "django.po"
        mo = po.with_suffix(".mo")
        if po.exists() and (not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime):
            from django.core.management import call_command

            call_command("compilemessages", verbosity=0, ignore_patterns=[".venv/*", "var/*"])
            return


def _gunicorn(bind: str, workers: int, extra: list[str] | None = None) -> int:
    from gunicorn.app.wsgiapp import run

    sys.argv = [
        "gunicorn",
        "config.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--access-logfile",
        "-",
        "--forwarded-allow-ips",
        "*",
        *(extra or []),
    ]
    run()
    return 0


def cmd_serve(ns: argparse.Namespace) -> int:
    _setup_django()
    from django.conf import settings
    from django.core.management import call_command

    if settings.PRODUCTION:
        call_command("collectstatic", interactive=False, verbosity=0)
    if ns.migrate:
        call_command("migrate", interactive=False, verbosity=0)
    _compile_messages_if_missing()
    print(f"momentos serving on http://{ns.bind}/", flush=True)
    return _gunicorn(ns.bind, ns.workers)


def cmd_demo(ns: argparse.Namespace) -> int:
    if not os.environ.get("DATABASE_URL"):
        data_dir = Path(os.environ.get("MOMENTOS_DATA_DIR", "var")).resolve()
        db = data_dir / "demo.sqlite3"
        data_dir.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    elif not ns.force:
        _fail(
            "DATABASE_URL is set: the demo replaces a database's content; add --force to load it there anyway"
        )
    _setup_django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    _compile_messages_if_missing()
    from momentos.demo import DEMO_PASSWORD, load_demo

    if ns.force:
        call_command("flush", interactive=False, verbosity=0)
    summary = load_demo(interactions=ns.interactions)
    host, _, port = ns.bind.rpartition(":")
    shown = "localhost" if host in {"0.0.0.0", "127.0.0.1", ""} else host  # noqa: S104
    print()
    print(f"  momentos demo: {summary['organization']}")
    print(f"  Open http://{shown}:{port}/ and log in with any of these (password: {DEMO_PASSWORD}):")
    for email, role in summary["logins"]:
        print(f"    {email:<42} {role}")
    print()
    sys.stdout.flush()
    if ns.no_serve:
        return 0
    return _gunicorn(ns.bind, ns.workers)


def cmd_backup(ns: argparse.Namespace) -> int:
    _setup_django()
    from momentos.core.backup import backup_write

    target = Path(ns.file)
    if not target.parent.is_dir():
        _fail(f"cannot write {target}: {target.parent} is not a directory")
    try:
        count = backup_write(target)
    except OSError as exc:
        _fail(f"cannot write {target}: {exc.strerror or exc}")
    print(f"Wrote {count} records to {ns.file}.")
    return 0


def cmd_restore(ns: argparse.Namespace) -> int:
    _setup_django()
    from django.apps import apps

    from momentos.core.backup import BackupError, backup_restore

    guards = []
    if apps.is_installed("momentos.protocols"):
        # Published versions are frozen by triggers; a restore writes them back whole.
        from momentos.protocols.immutability import purge_allowed

        guards.append(purge_allowed)
    try:
        count = backup_restore(Path(ns.file), replace=ns.replace, guards=guards)
    except BackupError as exc:
        _fail(str(exc))
    print(f"Restored {count} records from {ns.file}.")
    return 0


def cmd_worker(ns: argparse.Namespace) -> int:
    _setup_django()
    from django.conf import settings

    if settings.TASK_BACKEND != "database":
        _fail(
            "the worker needs TASK_BACKEND=database; with TASK_BACKEND="
            f"{settings.TASK_BACKEND} tasks run inside the web process and there is nothing to work on"
        )
    from momentos.core.worker import worker_run

    worker_run(
        queue=ns.queue,
        batch=ns.batch,
        interval=ns.interval,
        recover_interval=ns.recover_interval,
        max_tasks=ns.max_tasks,
        worker_id=ns.worker_id,
        verbosity=ns.verbosity,
    )
    return 0


def cmd_import_interactions(ns: argparse.Namespace) -> int:
    _setup_django()
    from momentos.attention.importing.cli import import_interactions

    return import_interactions(ns)


def cmd_reports_send_weekly(ns: argparse.Namespace) -> int:
    _setup_django()
    from momentos.insight.report_cli import send_weekly

    return send_weekly(ns)


def cmd_actions_propose(ns: argparse.Namespace) -> int:
    _setup_django()
    from django.core.management import call_command

    args = ["--organization", ns.organization] if ns.organization else []
    call_command("propose_actions", *args)
    return 0


def cmd_rollups_rebuild(ns: argparse.Namespace) -> int:
    _setup_django()
    from momentos.insight.rollups import rebuild_command

    return rebuild_command(organization=ns.organization)


def cmd_manage(ns: argparse.Namespace) -> int:
    _setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["momentos", *ns.args])
    return 0


def _seconds(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 <= value < float("inf"):
        raise argparse.ArgumentTypeError(f"{raw!r} is not a number of seconds")
    return value


def _positive_int(raw: str) -> int:
    if not raw.isdigit() or int(raw) == 0:
        raise argparse.ArgumentTypeError(f"{raw!r} is not a positive whole number")
    return int(raw)


def _count(raw: str) -> int:
    digits = raw.replace("_", "").replace(",", "")
    if not digits.isdigit():
        raise argparse.ArgumentTypeError(f"{raw!r} is not a whole number (0 or more)")
    return int(digits)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="momentos", description="Customer service protocols, measured.", epilog=EMBEDDED_HELP
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("init", help="create or migrate the database and the first administrator")
    p.add_argument("--email")
    p.add_argument("--password")
    p.add_argument("--name", help="the administrator's full name")
    p.add_argument("--organization")
    p.add_argument("--language", choices=["es", "en"], default="es")
    p.add_argument("--verbose", action="store_true")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("serve", help="serve the application with gunicorn (static files included)")
    p.add_argument("--bind", default=os.environ.get("BIND", "127.0.0.1:8000"))
    p.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))
    p.add_argument("--migrate", action="store_true", help="apply migrations first")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("demo", help="a fresh SQLite database with the demo organisation, then serve it")
    p.add_argument("--bind", default=os.environ.get("BIND", "127.0.0.1:8000"))
    p.add_argument("--workers", type=int, default=2)
    p.add_argument(
        "--interactions",
        type=_count,
        default=None,
        help="how many interactions to generate (default 600; written in bulk, progress on stderr for large counts)",
    )
    p.add_argument("--no-serve", action="store_true", help="load the data and exit")
    p.add_argument("--force", action="store_true", help="replace the content of the database in DATABASE_URL")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("backup", help="write a consistent copy of the database to FILE")
    p.add_argument("file")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="load a backup FILE into an empty database (SQLite or PostgreSQL)")
    p.add_argument("file")
    p.add_argument("--replace", action="store_true", help="delete the current content first")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("worker", help="run background tasks from the database queue (production)")
    p.add_argument("--queue", default="default")
    p.add_argument("--batch", action="store_true", help="exit when the queue is empty")
    p.add_argument("--interval", type=_seconds, default=1.0, help="seconds between polls of an empty queue")
    p.add_argument(
        "--recover-interval",
        type=_seconds,
        default=30.0,
        help="seconds between checks for tasks left running by a stopped worker (0: only at start)",
    )
    p.add_argument("--max-tasks", type=_positive_int, default=None, help="exit after this many tasks")
    p.add_argument("--worker-id", default=None, help="a unique name for this worker (default: generated)")
    p.add_argument("--verbosity", type=int, choices=[0, 1, 2], default=1)
    p.set_defaults(func=cmd_worker)

    p = sub.add_parser("import", help="import data from files: `momentos import interactions FILE`")
    what = p.add_subparsers(dest="what", metavar="WHAT", required=True)
    p = what.add_parser("interactions", help="interactions from a CSV or XLSX file (e.g. a helpdesk export)")
    p.add_argument("file")
    p.add_argument("--organization", required=True, help="the organisation's short name (slug)")
    how = p.add_mutually_exclusive_group()
    how.add_argument("--mapping", help="a column mapping saved in the organisation, by name")
    how.add_argument("--preset", choices=["helpdesk"], help="a ready mapping for a helpdesk ticket export")
    p.add_argument("--branch", help="branch code or name for rows without one")
    p.add_argument("--channel", help="channel kind for rows without one (email, phone, chat, …)")
    p.add_argument("--delimiter", help="CSV delimiter (default: detected); use 'tab' for a tab")
    p.add_argument("--encoding", help="file encoding (default: UTF-8, else Windows-1252 with a warning)")
    p.add_argument(
        "--date-format", help="strptime format of the dates, e.g. '%%d/%%m/%%Y %%H:%%M' (default: ISO)"
    )
    p.add_argument("--dry-run", action="store_true", help="check every row and store nothing")
    p.add_argument("--all-or-nothing", action="store_true", help="store nothing if any row has an error")
    p.add_argument("--quiet", action="store_true", help="no progress lines")
    p.set_defaults(func=cmd_import_interactions)

    p = sub.add_parser("reports", help="scheduled reports: `momentos reports send-weekly`")
    what = p.add_subparsers(dest="what", metavar="WHAT", required=True)
    p = what.add_parser(
        "send-weekly", help="e-mail last week's report to each organisation's managers (once a week)"
    )
    p.add_argument("--organization", help="only this organisation (its short name, slug)")
    p.add_argument("--dry-run", action="store_true", help="say who would receive it and send nothing")
    p.add_argument(
        "--base-url", help="the site's address for the link in the e-mail, e.g. https://momentos.example.org"
    )
    p.set_defaults(func=cmd_reports_send_weekly)

    p = sub.add_parser("actions", help="improvement actions: `momentos actions propose` (run it daily)")
    what = p.add_subparsers(dest="what", metavar="WHAT", required=True)
    p = what.add_parser(
        "propose",
        help="propose improvement actions from objectives off target, weak moments, late detractors",
    )
    p.add_argument("--organization", help="only this organisation (its short name, slug)")
    p.set_defaults(func=cmd_actions_propose)

    p = sub.add_parser("rollups", help="insight's pre-aggregated indicators: `momentos rollups rebuild`")
    what = p.add_subparsers(dest="what", metavar="WHAT", required=True)
    p = what.add_parser(
        "rebuild", help="recompute the rollups from the raw rows (after a bulk load or a restore)"
    )
    p.add_argument("--organization", help="only this organisation (its short name, slug)")
    p.set_defaults(func=cmd_rollups_rebuild)

    p = sub.add_parser("manage", help="any Django management command, e.g. `momentos manage check --deploy`")
    p.add_argument("args", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_manage)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    ns = parser.parse_args(argv)
    if not getattr(ns, "func", None):
        parser.print_help(sys.stderr)
        return 2
    return int(ns.func(ns) or 0)


if __name__ == "__main__":
    raise SystemExit(main())
