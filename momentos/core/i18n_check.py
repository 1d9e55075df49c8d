"""Fails when the Spanish catalogue is stale (a new string was not extracted) or has an untranslated entry.

Run as `python -m momentos.core.i18n_check`; `make lint` and CI do.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = [
    ROOT / "locale" / "es" / "LC_MESSAGES" / "django.po",
    ROOT / "locale" / "es" / "LC_MESSAGES" / "djangojs.po",
]


def parse_po(text: str) -> dict[str, tuple[str, bool]]:
    """msgid (with context) -> (joined msgstr forms, fuzzy) for every non-obsolete entry."""
    entries: dict[str, tuple[str, bool]] = {}
    for block in re.split(r"\n\s*\n", text):
        lines = [ln for ln in block.strip().splitlines() if not ln.startswith("#~")]
        if not lines:
            continue
        fuzzy = any(ln.startswith("#,") and "fuzzy" in ln for ln in lines)
        current = None
        parts: dict[str, str] = {}
        for ln in lines:
            if ln.startswith("#"):
                continue
            m = re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+"(.*)"$', ln)
            if m:
                current = m.group(1)
                parts[current] = m.group(2)
            elif ln.startswith('"') and current:
                parts[current] += ln[1:-1]
        if "msgid" not in parts or parts["msgid"] == "":
            continue
        key = parts.get("msgctxt", "") + "\x04" + parts["msgid"]
        strs = [v for k, v in parts.items() if k.startswith("msgstr")]
        entries[key] = ("\x00".join(strs) if all(strs) else "", fuzzy)
    return entries


def main() -> int:
    problems: list[str] = []
    po = CATALOGUES[0]
    if not po.exists():
        print(f"missing catalogue {po.relative_to(ROOT)}", file=sys.stderr)
        return 1
    before = {p: p.read_text(encoding="utf-8") for p in CATALOGUES if p.exists()}
    with tempfile.TemporaryDirectory() as tmp:
        backup = Path(tmp)
        for p, text in before.items():
            (backup / p.name).write_text(text, encoding="utf-8")
        try:
            env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings")
            subprocess.run(
                [
                    sys.executable,
                    "manage.py",
                    "makemessages",
                    "-l",
                    "es",
                    "--no-obsolete",
                    "-v",
                    "0",
                    "--ignore=.venv/*",
                    "--ignore=var/*",
                    "--ignore=bench/*",
                    "--ignore=tests/*",
                    "--ignore=build/*",
                ],
                cwd=ROOT,
                check=True,
                env=env,
            )
            after = parse_po(po.read_text(encoding="utf-8"))
        finally:
            for p in before:
                shutil.copyfile(backup / p.name, p)
    current = parse_po(before[po])
    for key in sorted(set(after) - set(current)):
        problems.append(f"not extracted yet (run `make messages-update`): {key.split(chr(4))[1]!r}")
    for key, (msgstr, fuzzy) in sorted(current.items()):
        if key not in after:
            continue
        if not msgstr:
            problems.append(f"no Spanish translation: {key.split(chr(4))[1]!r}")
        elif fuzzy:
            problems.append(f"fuzzy Spanish translation: {key.split(chr(4))[1]!r}")
    if problems:
        print("Spanish catalogue problems:\n  " + "\n  ".join(problems[:200]), file=sys.stderr)
        if len(problems) > 200:
            print(f"  … and {len(problems) - 200} more", file=sys.stderr)
        return 1
    print(f"Spanish catalogue complete: {len(after)} strings.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
