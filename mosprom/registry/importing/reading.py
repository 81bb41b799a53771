"""Reading an import file: CSV or XLSX bytes into numbered records, and cells into text.

Line numbers are those a person sees in the file: the header is line 1.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Generator
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
FILE_SUFFIXES = (".csv", ".xlsx")


class ImportFileError(Exception):
    """The file as a whole cannot be read."""


@dataclass(frozen=True)
class RowError:
    """One bad row of an import file: its line as a person sees it and a Russian message
    (the small imports — KPI history, platform view counts — report these)."""

    line: int
    message: str


def _read_csv(content: bytes) -> Generator[tuple[int, list[Any]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("cp1251")
        except UnicodeDecodeError as exc:
            raise ImportFileError(
                _("Не удалось прочитать текст: сохраните CSV в кодировке UTF-8.")
            ) from exc
    if "\x00" in text:
        raise ImportFileError(_("Файл не похож на CSV: сохраните таблицу как CSV или XLSX."))
    header = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=header.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 1
    try:
        for record in reader:
            yield line, record
            line = reader.line_num + 1
    except csv.Error as exc:
        raise ImportFileError(
            _("Строка %(line)d: CSV повреждён (%(error)s).") % {"line": line, "error": exc}
        ) from exc


def _read_xlsx(content: bytes) -> Generator[tuple[int, list[Any]]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged or foreign file
        raise ImportFileError(
            _("Не удалось открыть XLSX: файл повреждён или это не книга Excel.")
        ) from exc
    try:
        if not book.worksheets:
            return
        for line, values in enumerate(book.worksheets[0].iter_rows(values_only=True), start=1):
            yield line, list(values)
    finally:
        book.close()


def read_records(content: bytes, filename: str) -> Generator[tuple[int, list[Any]]]:
    """The numbered records of a .csv or .xlsx file; ImportFileError when it cannot be read."""
    suffix = PurePath(filename).suffix.lower()
    if suffix == ".csv":
        return _read_csv(content)
    if suffix == ".xlsx":
        return _read_xlsx(content)
    if suffix == ".xls":
        raise ImportFileError(
            _("Старый формат .xls не поддерживается: сохраните файл как .xlsx или .csv.")
        )
    raise ImportFileError(_("Поддерживаются файлы .csv и .xlsx."))


# --- Cell values ----------------------------------------------------------------------------


def cell_text(value: Any) -> str:
    """A cell as text: integral numbers without «.0», dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def cell_line(value: Any) -> str:
    """A cell as one line of text, runs of white space folded."""
    return " ".join(cell_text(value).split())


def cell_paragraphs(value: Any) -> str:
    """A cell as text that keeps its line breaks, trailing spaces trimmed."""
    return "\n".join(part.rstrip() for part in cell_text(value).strip().splitlines())


def cell_digits(value: Any, *, pad: dict[int, int] | None = None) -> str:
    """Digits of a registration number. A number cell loses leading zeros; ``pad`` restores them."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = cell_text(value)
        if text.isdigit() and pad and len(text) in pad:
            text = text.zfill(pad[len(text)])
        return text
    return re.sub(r"\s", "", cell_text(value))
