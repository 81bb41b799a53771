"""Importing historical KPI values (``kpi_import`` and the back-office page).

The file is CSV or XLSX with the columns ``kpi,period,value`` (header on line 1, any order):
``kpi`` is a catalogue name (``tours_held``), ``period`` any form ``core.periods`` reads
(2022, 2022-H1, 2022-Q3, 2022-05, ranges), ``value`` a non-negative number (decimal comma or
point, spaces between thousands). Every bad row is reported with its line; nothing is written
when any row is bad unless ``skip_bad`` is set. A row for a KPI and period already imported
replaces the value (and says so). Imported values are used only where the records do not
cover the period (``analytics.values``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from mosprom.accounts.audit import audit_record
from mosprom.accounts.models import AuditAction
from mosprom.analytics.catalogue import get_kpi
from mosprom.analytics.models import ImportedValue
from mosprom.core import clock
from mosprom.core.periods import Period, PeriodError, parse_period
from mosprom.registry.importing.reading import (
    ImportFileError,
    RowError,
    cell_text,
    read_records,
)

COLUMNS = ("kpi", "period", "value")
MAX_VALUE = Decimal("1e17")
_SPACES = re.compile(r"[\s\u00a0\u202f]")


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    skipped: int = 0
    written: bool = False
    errors: list[RowError] = field(default_factory=list)


@dataclass(frozen=True)
class _Row:
    line: int
    kpi: str
    period: Period
    value: Decimal


def _value(text: str) -> Decimal:
    cleaned = _SPACES.sub("", text).replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(_("значение «%(value)s» — не число") % {"value": text[:40]}) from None
    if not value.is_finite() or value < 0:
        raise ValueError(_("значение не может быть отрицательным"))
    if value >= MAX_VALUE:
        raise ValueError(_("значение слишком велико"))
    return value.quantize(Decimal("0.01"))


def _header(record: list) -> dict[str, int]:
    names = [cell_text(cell).strip().lower() for cell in record]
    missing = [name for name in COLUMNS if name not in names]
    if missing:
        raise ImportFileError(
            _("Строка 1: нет столбцов %(missing)s. Нужны столбцы: kpi, period, value.")
            % {"missing": ", ".join(missing)}
        )
    return {name: names.index(name) for name in COLUMNS}


def _parse(content: bytes, filename: str) -> tuple[list[_Row], list[RowError]]:
    rows: list[_Row] = []
    errors: list[RowError] = []
    seen: dict[tuple, int] = {}
    records = read_records(content, filename)
    try:
        _line, first = next(records)
    except StopIteration:
        raise ImportFileError(_("Файл пуст.")) from None
    where = _header(first)
    for line, record in records:
        cells = {name: cell_text(record[i]) if i < len(record) else "" for name, i in where.items()}
        if not any(value.strip() for value in cells.values()):
            continue
        problems = []
        kpi = get_kpi(cells["kpi"].strip())
        if kpi is None:
            problems.append(_("неизвестный показатель «%(kpi)s»") % {"kpi": cells["kpi"][:64]})
        period = None
        try:
            period = parse_period(cells["period"])
        except PeriodError as exc:
            problems.append(str(exc))
        value = None
        try:
            value = _value(cells["value"])
        except ValueError as exc:
            problems.append(str(exc))
        if not problems:
            key = (kpi.name, period)
            if key in seen:
                problems.append(
                    _("показатель и период уже были в строке %(line)d") % {"line": seen[key]}
                )
            seen[key] = line
        if problems:
            errors.append(RowError(line, "; ".join(problems)))
        else:
            rows.append(_Row(line, kpi.name, period, value))
    return rows, errors


def kpi_import(
    *, actor, content: bytes, filename: str, skip_bad: bool = False, dry_run: bool = False
) -> ImportResult:
    """Import historical values from a CSV/XLSX file: all or nothing unless ``skip_bad``;
    ``dry_run`` checks and counts without writing. ``ImportFileError`` when the file as a
    whole cannot be read."""
    if not getattr(actor, "is_organiser", False):
        raise PermissionDenied(_("Импортировать показатели могут только организаторы."))
    rows, errors = _parse(content, filename)
    result = ImportResult(errors=errors, skipped=len(errors) if skip_bad else 0)
    existing = set(
        ImportedValue.objects.filter(kpi__in={row.kpi for row in rows}).values_list(
            "kpi", "period_start", "period_end"
        )
    )
    for row in rows:
        if (row.kpi, row.period.start, row.period.end) in existing:
            result.updated += 1
        else:
            result.created += 1
    if dry_run or (errors and not skip_bad) or not rows:
        return result
    with transaction.atomic():
        for row in rows:
            ImportedValue.objects.update_or_create(
                kpi=row.kpi,
                period_start=row.period.start,
                period_end=row.period.end,
                defaults={
                    "value": row.value,
                    "imported_by": actor,
                    "imported_at": clock.now(),
                    "note": _("Импорт из файла %(name)s") % {"name": filename[:200]},
                },
            )
        audit_record(
            action=AuditAction.FIGURES_CHANGED,
            actor=actor,
            details={
                "what": "kpi_import",
                "file": filename[:200],
                "created": result.created,
                "updated": result.updated,
                "skipped": result.skipped,
            },
        )
    result.written = True
    return result
