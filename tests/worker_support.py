"""Tasks the worker tests enqueue: each run leaves a line in a file, so the test sees how often it ran."""

from __future__ import annotations

import time
from pathlib import Path

from django_tasks import task


@task()
def note_write(*, path: str, text: str, delay: float = 0.0) -> str:
    """Wait ``delay`` seconds (so a test can kill the worker mid-task), then append ``text`` to ``path``."""
    marker = Path(path + ".started")
    with marker.open("a") as handle:
        handle.write(text + "\n")
    time.sleep(delay)
    with Path(path).open("a") as handle:
        handle.write(text + "\n")
    return text.upper()
