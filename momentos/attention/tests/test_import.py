"""Import of interactions from CSV and XLSX files: readers, mapping, dry run, all-or-nothing, pages, CLI."""

from __future__ import annotations

import io
import tracemalloc
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from momentos.accounts.choices import Role
from momentos.accounts.models import Team
from momentos.accounts.tests.factories import make_branch
from momentos.attention.choices import ImportStatus, Outcome
from momentos.attention.importing.mapping import ColumnMap
from momentos.attention.importing.readers import ImportFileError
from momentos.attention.importing.services import interactions_import
from momentos.attention.models import ImportJob, Interaction
from momentos.attention.tests.factories import make_import_job

HEADER = "external_id,branch,channel,started_at,closed_at,outcome\n"
GOOD = (
    "T1,CEN,phone,2026-03-02 09:00,2026-03-02 09:30,resolved\nT2,Centro,email,2026-03-02T10:00:00-05:00,,\n"
)


@pytest.fixture
def branch(org: Any) -> Any:
    return make_branch(org, name="Centro", code="CEN")


def write(tmp_path: Path, text: str, *, name: str = "file.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def run(org: Any, path: Path, **kwargs: Any) -> Any:
    return interactions_import(organization=org, path=path, **kwargs)


def messages_of(summary: Any) -> list[tuple[int, str]]:
    return [(e["line"], e["message"]) for e in summary.errors]


# --- the run ---------------------------------------------------------------------------------------


def test_import_stores_valid_rows_and_reads_branch_by_code_or_name(
    org: Any, branch: Any, tmp_path: Path
) -> None:
    summary = run(org, write(tmp_path, HEADER + GOOD))

    assert (summary.total, summary.created, summary.failed) == (2, 2, 0)
    stored = {i.external_id: i for i in Interaction.objects.for_organization(org)}
    assert stored["T1"].branch == branch and stored["T2"].branch == branch
    assert stored["T1"].outcome == Outcome.RESOLVED
    # A time without an offset is read in the branch's time zone (Bogotá, UTC-5).
    assert stored["T1"].started_at.utcoffset() is not None
    assert (
        stored["T1"].started_at.isoformat().startswith("2026-03-02T14:00")
        or stored["T1"].started_at.astimezone(branch_tz(branch)).hour == 9
    )


def branch_tz(branch: Any) -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo(branch.time_zone)


def test_dry_run_validates_everything_and_stores_nothing(org: Any, branch: Any, tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + GOOD + "T3,NOPE,phone,2026-03-02 09:00,,\n")

    summary = run(org, path, dry_run=True)

    assert (summary.created, summary.failed, summary.dry_run) == (2, 1, True)
    assert summary.errors[0]["line"] == 4 and summary.errors[0]["code"] == "unknown_branch"
    assert not Interaction.objects.exists()


def test_reimporting_a_file_changes_nothing(org: Any, branch: Any, tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + GOOD)
    run(org, path)
    first = list(Interaction.objects.order_by("external_id").values_list("pk", "updated_at"))

    again = run(org, path)

    assert (again.created, again.unchanged, again.failed) == (0, 2, 0)
    assert list(Interaction.objects.order_by("external_id").values_list("pk", "updated_at")) == first


def test_duplicate_external_id_in_the_file_names_both_lines_even_across_chunks(
    org: Any, branch: Any, tmp_path: Path
) -> None:
    rows = (
        "".join(f"T{i},CEN,phone,2026-03-02 09:00,,\n" for i in range(1, 6))
        + "T2,CEN,phone,2026-03-02 09:00,,\n"
    )
    summary = run(org, write(tmp_path, HEADER + rows), chunk_size=2)

    assert (summary.created, summary.failed) == (5, 1)
    [(line, message)] = messages_of(summary)
    assert line == 7 and "Line 3" in message
    assert Interaction.objects.count() == 5


def test_unknown_branch_and_channel_are_reported_with_their_line(
    org: Any, branch: Any, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        HEADER
        + "A,CEN,phone,2026-03-02 09:00,,\nB,XYZ,phone,2026-03-02 09:00,,\nC,CEN,fax,2026-03-02 09:00,,\n",
    )

    summary = run(org, path)

    codes = {(e["line"], e["code"]) for e in summary.errors}
    assert codes == {(3, "unknown_branch"), (4, "unknown_channel")}
    assert summary.created == 1


def test_unparsable_date_and_closed_before_started_are_row_errors(
    org: Any, branch: Any, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        HEADER + "A,CEN,phone,yesterday-ish,,\nB,CEN,phone,2026-03-02 09:00,2026-03-02 08:00,resolved\n",
    )

    summary = run(org, path)

    by_line = {e["line"]: e for e in summary.errors}
    assert by_line[2]["code"] == "invalid_date" and "yesterday-ish" in by_line[2]["message"]
    assert by_line[2]["column"] == "started_at"
    assert by_line[3]["code"] == "before_start"
    assert not Interaction.objects.exists()


def test_all_or_nothing_stores_nothing_when_one_row_fails(org: Any, branch: Any, tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + GOOD + "T3,CEN,phone,not a date,,\n")

    summary = run(org, path, all_or_nothing=True, chunk_size=1)

    assert summary.failed == 1 and "nothing was stored" in summary.message
    assert not Interaction.objects.exists()


def test_all_or_nothing_stores_everything_when_the_file_is_clean(
    org: Any, branch: Any, tmp_path: Path
) -> None:
    summary = run(org, write(tmp_path, HEADER + GOOD), all_or_nothing=True, chunk_size=1)

    assert (summary.created, summary.failed, summary.stored) == (2, 0, True)
    assert Interaction.objects.count() == 2


def test_line_numbers_count_lines_of_a_quoted_multiline_cell(org: Any, branch: Any, tmp_path: Path) -> None:
    text = 'external_id,branch,channel,started_at,notes\nA,CEN,phone,2026-03-02 09:00,"one\ntwo"\nB,CEN,phone,bad,\n'

    summary = run(org, write(tmp_path, text))

    assert messages_of(summary)[0][0] == 4
    assert Interaction.objects.get(external_id="A").notes == "one\ntwo"


# --- reading files ---------------------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [";", "\t", "|", ","])
def test_delimiter_is_detected(org: Any, branch: Any, tmp_path: Path, delimiter: str) -> None:
    text = (HEADER + GOOD).replace(",", delimiter)

    assert run(org, write(tmp_path, text)).created == 2


def test_utf8_with_bom_is_read(org: Any, branch: Any, tmp_path: Path) -> None:
    path = write(tmp_path, "\ufeff" + HEADER + "Ñ1,CEN,phone,2026-03-02 09:00,,\n")

    summary = run(org, path)

    assert summary.created == 1 and not summary.warnings
    assert Interaction.objects.get().external_id == "Ñ1"


def test_windows_1252_file_is_read_with_a_warning(org: Any, branch: Any, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "external_id,branch,channel,started_at,reason\nA,CEN,phone,2026-03-02 09:00,Reclamación\n",
        encoding="cp1252",
    )

    summary = run(org, path)

    assert summary.created == 1
    assert summary.warnings and "cp1252" in summary.warnings[0]
    assert Interaction.objects.get().reason == "Reclamación"


def test_binary_file_is_refused_with_a_clear_message(org: Any, tmp_path: Path) -> None:
    path = tmp_path / "photo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))

    with pytest.raises(ImportFileError, match="binary"):
        run(org, path)


def test_bytes_that_are_not_utf8_late_in_the_file_stop_it_before_anything_is_stored(
    org: Any, branch: Any, tmp_path: Path
) -> None:
    good = "".join(f"T{i},CEN,phone,2026-03-02 09:00,,\n" for i in range(3000))
    path = tmp_path / "late.csv"
    path.write_bytes((HEADER + good).encode() + b"Z,CEN,phone,2026-03-02 09:00,,\x81\x8d\xff\n")

    with pytest.raises(ImportFileError, match="not valid utf-8"):
        run(org, path, encoding="utf-8")
    assert not Interaction.objects.exists()


def test_empty_file_is_refused(org: Any, tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="empty"):
        run(org, write(tmp_path, ""))
    with pytest.raises(ImportFileError, match="empty"):
        run(org, write(tmp_path, "\n\n  \n", name="blank.csv"))


def test_header_only_file_is_refused(org: Any, branch: Any, tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="no data rows"):
        run(org, write(tmp_path, HEADER))


def test_wrong_delimiter_says_so(org: Any, branch: Any, tmp_path: Path) -> None:
    path = write(tmp_path, (HEADER + GOOD).replace(",", ";"))

    with pytest.raises(ImportFileError, match="another delimiter"):
        run(org, path, delimiter=",", column_map=ColumnMap.preset("helpdesk"))


def test_missing_column_of_the_mapping_lists_the_file_columns(org: Any, tmp_path: Path) -> None:
    text = HELPDESK.replace("created", "opened")

    with pytest.raises(ImportFileError, match="no column “created”. Its columns are: “id”, “opened”"):
        run(org, write(tmp_path, text), column_map=ColumnMap.preset("helpdesk"))


def test_file_over_the_maximum_size_is_refused_before_reading(
    org: Any, branch: Any, tmp_path: Path, settings: Any
) -> None:
    settings.IMPORT_MAX_BYTES = 1000
    path = write(tmp_path, HEADER + "T,CEN,phone,2026-03-02 09:00,,\n" * 40)
    assert path.stat().st_size > 1000

    with pytest.raises(ImportFileError, match="files up to"):
        run(org, path)
    assert not Interaction.objects.exists()


def test_xlsx_workbook_with_real_dates_is_imported(org: Any, branch: Any, tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["external_id", "branch", "channel", "started_at", "contacts"])
    sheet.append([1001.0, "CEN", "Phone", datetime(2026, 3, 2, 9, 0), 2])  # noqa: DTZ001 - as a spreadsheet holds it
    sheet.append([1002, "CEN", "phone", "not a date", 1])
    path = tmp_path / "tickets.xlsx"
    workbook.save(path)

    summary = run(org, path)

    assert (summary.created, summary.failed) == (1, 1)
    assert summary.errors[0]["line"] == 3
    stored = Interaction.objects.get()
    assert (stored.external_id, stored.contacts) == ("1001", 2)


def test_a_damaged_workbook_is_refused(org: Any, tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 200)

    with pytest.raises(ImportFileError, match="cannot be opened"):
        run(org, path)


# --- the helpdesk preset ---------------------------------------------------------------------------

HELPDESK = (
    "id,created,first reply,solved,channel,assignee,group,status,satisfaction\n"
    "501,2026-03-02 09:00,2026-03-02 09:20,2026-03-02 11:00,Web,{agent},Billing,Solved,good\n"
    "502,2026-03-02 10:00,,,voice,,,open,\n"
    "503,2026-03-02 10:00,,,Email,,,pending,unoffered\n"
)


def test_helpdesk_preset_maps_status_channel_and_keeps_satisfaction(
    org: Any, branch: Any, tmp_path: Path, make_member_of: Any
) -> None:
    agent = make_member_of(Role.AGENT)
    Team.objects.create(organization=org, name="Billing")
    column_map = ColumnMap.preset("helpdesk")
    column_map.defaults["branch"] = "CEN"

    summary = run(org, write(tmp_path, HELPDESK.format(agent=agent.user.email)), column_map=column_map)

    assert (summary.created, summary.failed) == (3, 0), summary.errors
    solved = Interaction.objects.select_related("channel", "team").get(external_id="501")
    assert solved.channel.kind == "web_form" and solved.outcome == Outcome.RESOLVED
    assert solved.agent == agent.user and solved.team.name == "Billing"
    assert solved.closed_at == solved.resolved_at is not None
    assert solved.notes == "satisfaction: good"
    open_one = Interaction.objects.select_related("channel").get(external_id="502")
    assert open_one.channel.kind == "phone" and open_one.outcome is None and open_one.closed_at is None


# --- memory ----------------------------------------------------------------------------------------


def _generated(tmp_path: Path, rows: int) -> Path:
    path = tmp_path / f"gen-{rows}.csv"
    with path.open("w", encoding="utf-8") as out:
        out.write("external_id,branch,channel,started_at,closed_at,outcome,reason\n")
        for i in range(rows):
            out.write(f"G{i},CEN,phone,2026-03-02 09:{i % 60:02d},2026-03-02 10:00,resolved,Question {i}\n")
    return path


def _peak(org: Any, path: Path) -> int:
    tracemalloc.start()
    try:
        summary = run(org, path, dry_run=True)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert summary.failed == 0
    return peak


def test_memory_stays_flat_however_many_rows(org: Any, branch: Any, tmp_path: Path) -> None:
    small = _peak(org, _generated(tmp_path, 10_000))
    large = _peak(org, _generated(tmp_path, 50_000))

    # Five times the rows may not cost more than a little noise: nothing grows with the file.
    assert large < small * 1.3 + 512 * 1024, (small, large)
    assert large < 64 * 1024 * 1024


# --- pages -----------------------------------------------------------------------------------------


def _upload(client: Any, content: bytes, name: str = "tickets.csv", **data: Any) -> Any:
    handle = io.BytesIO(content)
    handle.name = name
    return client.post(reverse("attention:importjob_list"), {"file": handle, **data})


def test_upload_preview_dry_run_then_import(
    org: Any,
    branch: Any,
    admin_client: Any,
    settings: Any,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.IMPORT_DIR = tmp_path / "imports"

    response = _upload(admin_client, (HEADER + GOOD).encode())
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "attention:importjob_detail", args=[job.pk]
    )

    page = admin_client.get(response.url)
    assert page.status_code == 200
    assert b"Centro" in page.content and b"T2" in page.content  # the preview

    form = {
        "col_external_id": "external_id",
        "col_branch": "branch",
        "col_channel": "channel",
        "col_started_at": "started_at",
        "col_closed_at": "closed_at",
        "col_outcome": "outcome",
        "delimiter": "",
        "encoding": "",
        "date_format": "",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(response.url, {**form, "action": "dry_run"})
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.dry_run, job.total, job.created_count) == (ImportStatus.DONE, True, 2, 2)
    assert not Interaction.objects.exists()
    assert b"nothing was stored" in admin_client.get(response.url).content

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(response.url, {**form, "action": "import", "save_as": "Our CRM"})
    job.refresh_from_db()
    assert (job.status, job.dry_run, job.created_count, job.processed) == (ImportStatus.DONE, False, 2, 2)
    assert Interaction.objects.count() == 2
    assert job.stored_name == "" and not list((tmp_path / "imports").iterdir())
    assert org.pk and job.organization_id == org.pk
    from momentos.attention.models import ColumnMapping

    assert (
        ColumnMapping.objects.for_organization(org).get(name="Our CRM").columns["started_at"] == "started_at"
    )


def test_upload_over_the_limit_is_refused_before_reading(
    org: Any, admin_client: Any, settings: Any, tmp_path: Path
) -> None:
    settings.IMPORT_MAX_BYTES = 100 * 1024
    settings.IMPORT_DIR = tmp_path / "imports"
    content = (HEADER + "T,CEN,phone,2026-03-02 09:00,,\n" * 8000).encode()
    assert len(content) > 100 * 1024 + 64 * 1024

    response = _upload(admin_client, content)

    assert response.status_code == 413
    assert b"files up to" in response.content
    assert not ImportJob.objects.exists()


def test_upload_just_over_the_limit_is_refused_by_the_stored_size(
    org: Any, admin_client: Any, settings: Any, tmp_path: Path
) -> None:
    settings.IMPORT_MAX_BYTES = 2000
    settings.IMPORT_DIR = tmp_path / "imports"
    content = (HEADER + "T,CEN,phone,2026-03-02 09:00,,\n" * 80)[:2100].encode()

    response = _upload(admin_client, content)

    assert response.status_code == 413
    assert not ImportJob.objects.exists()
    assert not (tmp_path / "imports").exists() or not list((tmp_path / "imports").iterdir())


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", b"empty"), (b"\x00\x01\x02binary\x00", b"binary")],
)
def test_unreadable_upload_is_a_form_error(
    org: Any, admin_client: Any, settings: Any, tmp_path: Path, content: bytes, message: bytes
) -> None:
    settings.IMPORT_DIR = tmp_path / "imports"

    response = _upload(admin_client, content)

    assert response.status_code == 400
    assert message in response.content
    assert not ImportJob.objects.exists()


def test_mapping_without_a_start_column_is_a_form_error(
    org: Any, branch: Any, admin_client: Any, settings: Any, tmp_path: Path
) -> None:
    settings.IMPORT_DIR = tmp_path / "imports"
    detail = _upload(admin_client, (HEADER + GOOD).encode()).url

    response = admin_client.post(
        detail, {"col_branch": "branch", "col_channel": "channel", "action": "dry_run"}
    )

    assert response.status_code == 400
    assert b"Started" in response.content
    assert ImportJob.objects.get().status == ImportStatus.UPLOADED


def test_agents_and_supervisors_cannot_reach_imports(
    org: Any, make_member_of: Any, member_client: Any
) -> None:
    job = make_import_job(org)
    for role in (Role.AGENT, Role.SUPERVISOR):
        client = member_client(make_member_of(role))
        assert client.get(reverse("attention:importjob_list")).status_code == 404
        assert client.get(reverse("attention:importjob_detail", args=[job.pk])).status_code == 404


def test_quality_manager_sees_the_progress_of_a_running_job(
    org: Any, make_member_of: Any, member_client: Any
) -> None:
    job = make_import_job(org, status=ImportStatus.RUNNING, total=50_000, processed=12_000, dry_run=False)
    client = member_client(make_member_of(Role.QUALITY_MANAGER))

    response = client.get(
        reverse("attention:importjob_progress", args=[job.pk]), headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assert b'hx-trigger="every 2s"' in response.content and b'value="24"' in response.content
    assert "HX-Refresh" not in response
    job.status = ImportStatus.DONE
    job.save()
    finished = client.get(
        reverse("attention:importjob_progress", args=[job.pk]), headers={"HX-Request": "true"}
    )
    assert finished["HX-Refresh"] == "true"


# --- command line ----------------------------------------------------------------------------------


def test_cli_imports_a_helpdesk_export_with_progress_summary_and_exit_codes(tmp_path: Path) -> None:
    from tests.cli_support import cli_env, momentos

    env = cli_env(tmp_path / "data")
    init = momentos(
        "init",
        "--email",
        "owner@example.org",
        "--password",
        "a long enough secret 42",
        "--organization",
        "Acme",
        env=env,
    )
    assert init.returncode == 0, init.stderr
    made = momentos(
        "manage",
        "shell",
        "-c",
        "from momentos.accounts.models import Organization;"
        "from momentos.accounts.services import branch_save;"
        "o = Organization.objects.get();"
        "branch_save(organization=o, name='Centro', code='CEN', time_zone='America/Bogota');"
        "from momentos.accounts.models import Team; Team.objects.create(organization=o, name='Billing');"
        "print(o.slug)",
        env=env,
    )
    assert made.returncode == 0, made.stderr
    slug = made.stdout.strip().splitlines()[-1]
    export = write(
        tmp_path, HELPDESK.format(agent="") + "504,2026-03-02 10:00,,,fax,,,open,\n", name="export.csv"
    )
    args = (
        "import",
        "interactions",
        str(export),
        "--organization",
        slug,
        "--preset",
        "helpdesk",
        "--branch",
        "CEN",
    )

    dry = momentos(*args, "--dry-run", env=env)
    assert dry.returncode == 1, dry.stderr
    assert "4 rows: 3 would be created" in dry.stdout and "line 5 (channel)" in dry.stdout
    assert "Dry run: nothing was stored." in dry.stdout
    assert "checking: 4/4 rows" in dry.stderr

    strict = momentos(*args, "--all-or-nothing", env=env)
    assert strict.returncode == 1 and "nothing was stored" in strict.stdout

    real = momentos(*args, env=env)
    assert real.returncode == 1 and "3 created" in real.stdout

    again = momentos(*args, env=env)
    assert again.returncode == 1 and "0 created, 3 unchanged" in again.stdout

    missing = momentos("import", "interactions", str(tmp_path / "nope.csv"), "--organization", slug, env=env)
    assert missing.returncode == 2 and "no such file" in missing.stderr
    empty = momentos(
        "import", "interactions", str(write(tmp_path, "", name="e.csv")), "--organization", slug, env=env
    )
    assert empty.returncode == 2 and "empty" in empty.stderr
