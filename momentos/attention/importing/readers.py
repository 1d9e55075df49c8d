"""Streaming readers of tabular files: CSV (any common delimiter and encoding) and XLSX, row by row.

Each row comes with its line number in the file (for XLSX, the sheet's row number), so every error
can point at the line a person sees in an editor or a spreadsheet.
"""

from __future__ import annotations

import codecs
import csv
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from momentos.attention.choices import ImportFormat
from momentos.core.errors import DomainError

SAMPLE_BYTES = 64 * 1024
DELIMITERS = ",;\t|"
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}


class ImportFileError(DomainError):
    """The file as a whole cannot be read: empty, binary, undecodable, too large, or its columns are wrong."""

    code = "import_file_invalid"
    status = 400


def cell_text(value: Any) -> str:
    """A cell as text: numbers a spreadsheet stored as 12345.0 come back as 12345."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def _blank(cells: list[Any]) -> bool:
    return all(cell_text(c) == "" for c in cells)


def _detect_encoding(sample: bytes, warnings: list[str]) -> str:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in sample:
        raise ImportFileError(
            _("This is not a text file (it holds binary data). Upload a CSV file or an XLSX workbook.")
        )
    try:
        # Not final: the sample may end in the middle of a character.
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        sample.decode("cp1252")
        encoding = "cp1252"
    except UnicodeDecodeError:
        encoding = "latin-1"
    warnings.append(
        _(
            "The file is not UTF-8; it was read as %(encoding)s. Check accented letters in the preview, "
            "or save the file as UTF-8."
        )
        % {"encoding": encoding}
    )
    return encoding


def _detect_delimiter(text: str) -> str:
    lines = text.splitlines()
    if len(lines) > 1 and not text.endswith(("\n", "\r")):
        lines = lines[:-1]  # the sample cut the last line short
    lines = [line for line in lines if line.strip()][:50]
    if not lines:
        return ","
    header = lines[0]
    try:
        found = csv.Sniffer().sniff("\n".join(lines), delimiters=DELIMITERS).delimiter
        if found in header:
            return found
    except csv.Error:
        pass
    # A single line, or rows too irregular for the sniffer: the delimiter the header uses most.
    counts = {d: header.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


@dataclass
class Table:
    """A CSV or XLSX file opened for reading, as many times as needed (preview, count, dry run, import)."""

    path: Path
    format: str
    encoding: str = ""
    delimiter: str = ""
    warnings: list[str] = field(default_factory=list)

    def _raw_rows(self) -> Iterator[tuple[int, list[Any]]]:
        if self.format == ImportFormat.XLSX:
            yield from self._xlsx_rows()
        else:
            yield from self._csv_rows()

    def _csv_rows(self) -> Iterator[tuple[int, list[Any]]]:
        with self.path.open(encoding=self.encoding, newline="", errors="strict") as handle:
            reader = csv.reader(handle, delimiter=self.delimiter)
            line = 1
            while True:
                try:
                    record = next(reader)
                except StopIteration:
                    return
                except UnicodeDecodeError as exc:
                    raise ImportFileError(
                        _(
                            "Near line %(line)d the file has bytes that are not valid %(encoding)s. Save it "
                            "as UTF-8 (or choose its encoding) and upload it again."
                        )
                        % {"line": reader.line_num + 1, "encoding": self.encoding}
                    ) from exc
                except csv.Error as exc:
                    raise ImportFileError(
                        _("Line %(line)d cannot be read as CSV: %(problem)s")
                        % {"line": reader.line_num, "problem": str(exc)}
                    ) from exc
                start, line = line, reader.line_num + 1
                yield start, record

    def _xlsx_rows(self) -> Iterator[tuple[int, list[Any]]]:
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(self.path, read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise ImportFileError(
                _("This workbook cannot be opened; save it again as an Excel workbook (.xlsx) or as CSV.")
            ) from exc
        try:
            sheet = workbook.worksheets[0]
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield number, list(row)
        finally:
            workbook.close()

    def header(self) -> list[str]:
        """The column names: the first row that is not blank."""
        for _line, cells in self._raw_rows():
            if not _blank(cells):
                return [cell_text(c).lstrip("\ufeff") for c in cells]
        raise ImportFileError(_("The file is empty: it has no header row and no data."))

    def records(self) -> Iterator[tuple[int, list[Any]]]:
        """The data rows after the header, with their line numbers; blank lines are skipped."""
        seen_header = False
        for line, cells in self._raw_rows():
            if _blank(cells):
                continue
            if not seen_header:
                seen_header = True
                continue
            yield line, cells

    def count(self) -> int:
        """Read the whole file once: counts the data rows and finds a decoding error before anything is stored."""
        return sum(1 for _row in self.records())

    @property
    def delimiter_name(self) -> str:
        return DELIMITER_NAMES.get(self.delimiter, self.delimiter)


def open_table(
    path: Path, *, encoding: str | None = None, delimiter: str | None = None, max_bytes: int | None = None
) -> Table:
    """Look at a file's first bytes and say how to read it; refuse it whole when it cannot be read at all."""
    size = path.stat().st_size
    if max_bytes is not None and size > max_bytes:
        raise ImportFileError(
            _("The file is %(size)s; files up to %(max)s can be imported. Split it into smaller files.")
            % {"size": human_size(size), "max": human_size(max_bytes)}
        )
    if size == 0:
        raise ImportFileError(_("The file is empty: it has no header row and no data."))
    with path.open("rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
    if sample.startswith(b"PK\x03\x04"):
        return Table(path=path, format=ImportFormat.XLSX)
    if sample.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            _("This is an old Excel workbook (.xls); save it as .xlsx or as CSV and upload it again.")
        )
    warnings: list[str] = []
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError as exc:
            raise ImportFileError(
                _("“%(encoding)s” is not an encoding I know.") % {"encoding": encoding}
            ) from exc
    else:
        encoding = _detect_encoding(sample, warnings)
    text = sample.decode(encoding, errors="replace")
    if not text.strip().lstrip("\ufeff"):
        raise ImportFileError(_("The file is empty: it has no header row and no data."))
    if delimiter and delimiter not in DELIMITERS:
        raise ImportFileError(_("The delimiter must be a comma, a semicolon, a tab or a pipe (|)."))
    return Table(
        path=path,
        format=ImportFormat.CSV,
        encoding=encoding,
        delimiter=delimiter or _detect_delimiter(text),
        warnings=warnings,
    )


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"
