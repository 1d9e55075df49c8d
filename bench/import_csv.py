"""Import of a large generated CSV through `momentos import interactions`: rows per second and peak memory.

The file is a helpdesk ticket export (the ``helpdesk`` preset's columns), written row by row to a
temporary directory. The command runs as its own process with production settings. Its peak resident
memory is measured by GNU time (``/usr/bin/time``), which forks the command from its own small process:
a child forked straight from this benchmark would report this process's memory at the fork as its own
peak (Linux keeps the high-water mark across exec). Without GNU time, the command's ``VmHWM`` is read
from /proc every 50 ms instead. A 1,000-row file is imported first by the same command, as the
baseline: memory that stays flat grows little between the two.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from bench._common import (
    BRANCH_CODE,
    HELPDESK_CHANNEL,
    REPO,
    Fixture,
    child_env,
    momentos_command,
    rate,
    rows,
)

TARGET_MB = 300
BASELINE_ROWS = 1_000
HEADER = ("id", "created", "first reply", "solved", "channel", "assignee", "group", "status", "satisfaction")


def _when(value: object) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value else ""  # type: ignore[attr-defined]


def write_csv(path: Path, count: int, *, prefix: str) -> int:
    """A helpdesk export of ``count`` tickets, streamed to ``path``; returns its size in bytes."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for i, r in enumerate(rows(count, prefix=prefix, seed=11)):
            status = r.outcome.replace("resolved", "solved") if r.outcome else ("open", "pending")[i % 2]
            satisfaction = ("good", "bad", "unoffered", "")[i % 4]
            writer.writerow(
                (
                    r.external_id,
                    _when(r.started_at),
                    _when(r.first_response_at),
                    _when(r.closed_at),
                    HELPDESK_CHANNEL[r.channel],
                    r.agent,
                    r.team,
                    status,
                    satisfaction,
                )
            )
    return path.stat().st_size


def _vm_hwm_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


@dataclass
class Run:
    rows: int
    file_bytes: int
    seconds: float
    peak_mb: float
    exit_code: int
    summary: str
    stored: int

    @property
    def rate(self) -> float:
        return rate(self.stored, self.seconds)


def import_file(*, url: str, fixture: Fixture, work_dir: Path, count: int, prefix: str) -> Run:
    from momentos.attention.models import Interaction

    path = work_dir / f"{prefix}.csv"
    size = write_csv(path, count, prefix=prefix)
    out_path = work_dir / f"{prefix}.out"
    command = momentos_command(
        "import",
        "interactions",
        str(path),
        "--organization",
        fixture.slug,
        "--preset",
        "helpdesk",
        "--branch",
        BRANCH_CODE,
        "--quiet",
    )
    gnu_time = shutil.which("time", path="/usr/bin:/bin")
    rss_file = work_dir / f"{prefix}.rss"
    if gnu_time:
        command = [gnu_time, "-f", "%M", "-o", str(rss_file), *command]
    peak_kb = 0
    with out_path.open("wb") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(  # noqa: S603 - our own interpreter and command
            command, cwd=REPO, env=child_env(work_dir, url), stdout=out, stderr=subprocess.STDOUT
        )
        while proc.poll() is None:
            if not gnu_time:
                peak_kb = max(peak_kb, _vm_hwm_kb(proc.pid))
            time.sleep(0.05)
        seconds = time.perf_counter() - started
    if gnu_time:
        peak_kb = int(rss_file.read_text().split()[-1])
    output = out_path.read_text(errors="replace").strip()
    stored = Interaction.objects.filter(
        organization_id=fixture.organization_id, external_id__startswith=f"{prefix}-"
    ).count()
    path.unlink()
    return Run(
        rows=count,
        file_bytes=size,
        seconds=seconds,
        peak_mb=peak_kb / 1024,
        exit_code=proc.returncode,
        summary=output.splitlines()[0] if output else "",
        stored=stored,
    )


def run(*, url: str, fixture: Fixture, work_dir: Path, count: int) -> list[str]:
    baseline = import_file(url=url, fixture=fixture, work_dir=work_dir, count=BASELINE_ROWS, prefix="small")
    big = import_file(url=url, fixture=fixture, work_dir=work_dir, count=count, prefix="csv")
    verdict = "met" if big.peak_mb < TARGET_MB else "NOT met"
    lines = []
    for label, r in (("baseline", baseline), ("import", big)):
        lines += [
            f"{label}: {r.rows:,} rows, {r.file_bytes / 1024**2:,.1f} MB file, exit code {r.exit_code}: "
            f"{r.summary}",
            f"{label}: stored {r.stored:>12,}  in {r.seconds:8.2f} s  = {r.rate:>10,.0f} rows/s"
            f"  peak RSS {r.peak_mb:6.1f} MB",
        ]
    lines += [
        f"peak RSS {big.peak_mb:.1f} MB for {big.rows:,} rows vs {baseline.peak_mb:.1f} MB for "
        f"{baseline.rows:,}: ratio {big.peak_mb / baseline.peak_mb:.2f}",
        f"target peak RSS < {TARGET_MB} MB: {verdict}",
    ]
    for r, prefix in ((baseline, "small"), (big, "csv")):
        if r.exit_code != 0 or r.stored != r.rows:
            tail = (work_dir / f"{prefix}.out").read_text(errors="replace").splitlines()[-15:]
            lines += [f"WARNING: the {r.rows:,}-row import did not store every row; the command said:", *tail]
    return lines
