"""Checking an import file row by row, and across rows, without writing anything.

Every problem of every row is reported; a row with any problem is not among the valid rows.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Generator
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from mosprom.core.validators import inn_is_valid, ogrn_is_valid
from mosprom.registry.geo import LATITUDE_LIMIT, LONGITUDE_LIMIT, coordinate_parse
from mosprom.registry.importing.columns import COLUMNS, HEADER_ALIASES, TITLES, normalise_header
from mosprom.registry.importing.planning import chunks, summarise
from mosprom.registry.importing.reading import (
    ImportFileError,
    cell_digits,
    cell_line,
    cell_paragraphs,
    read_records,
)
from mosprom.registry.importing.report import ImportReport, ImportRow, Problem, problem
from mosprom.registry.models import Enterprise, SEZStatus, SpecialEconomicZone
from mosprom.registry.okrugs import parse_okrug
from mosprom.registry.okved import division_of, okved_is_valid

MAX_ROWS = 50_000  # guards memory against a zip bomb in XLSX; the registry is ~5K companies


_TRUE = {"да", "д", "yes", "y", "true", "1", "+"}
_FALSE = {"нет", "н", "no", "n", "false", "0", "-"}
_SEZ_STATUSES = {
    "резидент": SEZStatus.RESIDENT,
    "resident": SEZStatus.RESIDENT,
    "размещенная компания": SEZStatus.LOCATED,
    "размещенная": SEZStatus.LOCATED,
    "located": SEZStatus.LOCATED,
}
_url_validator = URLValidator(schemes=["http", "https"])


def _parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = cell_line(value)
    for fmt in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            pass
    try:
        return dt.datetime.fromisoformat(text).date()
    except ValueError:
        return None


def _parse_degrees(text: str, limit: int) -> Decimal | None:
    try:
        return coordinate_parse(text, limit=limit)
    except ValueError:
        return None


class _RowCheck:
    """Collects every problem of one row while its cells are parsed."""

    def __init__(self, line: int, cells: dict[str, Any]) -> None:
        self.line, self.cells, self.problems = line, cells, []

    def bad(self, key: str, **params: Any) -> None:
        self.problems.append(problem(self.line, key, **params))

    def text(self, key: str, limit: int | None = None) -> str:
        """The cell as one line of text; "" (and a problem) when longer than ``limit``."""
        value = cell_line(self.cells.get(key))
        if limit is not None and len(value) > limit:
            self.bad("too_long", column=TITLES[key], limit=limit, length=len(value))
            return ""
        return value


def _validate_row(
    line: int, cells: dict[str, Any], zones: dict[str, str]
) -> tuple[ImportRow, list[Problem]]:
    """Every problem of one row on its own (no other rows, no registry lookups but zones)."""
    check = _RowCheck(line, cells)
    enterprise: dict[str, Any] = {}
    inn = cell_digits(cells.get("inn"), pad={9: 10, 11: 12})
    if not inn:
        check.bad("inn_missing")
    elif not inn_is_valid(inn):
        check.bad("bad_inn", value=inn)

    if not cell_line(cells.get("short_name")):
        check.bad("missing_name")
    elif short_name := check.text("short_name", 255):
        enterprise["short_name"] = short_name
    if legal_name := check.text("legal_name", 500):
        enterprise["legal_name"] = legal_name

    if ogrn := cell_digits(cells.get("ogrn")):
        if ogrn_is_valid(ogrn):
            enterprise["ogrn"] = ogrn
        else:
            check.bad("bad_ogrn", value=ogrn)

    if okved := check.text("okved"):
        if not okved_is_valid(okved):
            check.bad("bad_okved", value=okved)
        elif division_of(okved) is None:
            check.bad("unknown_okved", value=okved, division=okved[:2])
        else:
            enterprise["okved"] = okved

    okrug = None
    if okrug_text := check.text("okrug"):
        if (okrug := parse_okrug(okrug_text)) is None:
            check.bad("unknown_okrug", value=okrug_text)
        else:
            enterprise["okrug"] = okrug

    if website := check.text("website"):
        url = website if "://" in website else f"https://{website}"
        try:
            _url_validator(url)
        except ValidationError:
            url = ""
        if url and len(url) <= 200:
            enterprise["website"] = url
        else:
            check.bad("bad_url", value=website)

    if description := cell_paragraphs(cells.get("description")):
        enterprise["description"] = description

    if hosts := check.text("hosts_tours"):
        if hosts.casefold() in _TRUE | _FALSE:
            enterprise["hosts_tours"] = hosts.casefold() in _TRUE
        else:
            check.bad("bad_bool", value=hosts)

    sez = _validate_sez(check, zones)
    site = _validate_site(check, okrug)
    return ImportRow(line=line, inn=inn, enterprise=enterprise, site=site, sez=sez), check.problems


def _validate_sez(check: _RowCheck, zones: dict[str, str]) -> dict[str, Any] | None:
    zone_text, status_text = check.text("sez_zone"), check.text("sez_status")
    number, date_text = check.text("agreement_number"), check.text("agreement_date")
    if not (zone_text or status_text or number or date_text):
        return None
    sez: dict[str, Any] = {}
    if not zone_text:
        check.bad("missing_sez_zone")
    elif (zone := zones.get(normalise_header(zone_text))) is None:
        known = ", ".join(f"«{name}»" for name in sorted(zones.values())) or "—"
        check.bad("unknown_sez_zone", value=zone_text, known=known)
    else:
        sez["zone"] = zone
    status = _SEZ_STATUSES.get(normalise_header(status_text))
    if not status_text:
        check.bad("sez_status_missing")
    elif status is None:
        check.bad("bad_sez_status", value=status_text)
    else:
        sez["status"] = status
    if number := check.text("agreement_number", 64):
        sez["agreement_number"] = number
    if date_text:
        if (date := _parse_date(check.cells.get("agreement_date"))) is None:
            check.bad("bad_date", value=date_text)
        else:
            sez["agreement_date"] = date
    if status == SEZStatus.RESIDENT and not (check.text("agreement_number") and date_text):
        check.bad("resident_without_agreement")
    return sez


def _validate_site(check: _RowCheck, okrug: str | None) -> dict[str, Any] | None:
    lat_text, lon_text = check.text("latitude"), check.text("longitude")
    if not (check.text("site_name") or check.text("site_address") or lat_text or lon_text):
        return None
    site: dict[str, Any] = {}
    if not check.text("site_name"):
        check.bad("site_name_missing")
    elif name := check.text("site_name", 255):
        site["name"] = name
    if not check.text("site_address"):
        check.bad("site_address_missing")
    elif address := check.text("site_address", 500):
        site["address"] = address
    if okrug:
        site["okrug"] = okrug
    if lat_text or lon_text:
        latitude = _parse_degrees(lat_text, LATITUDE_LIMIT)
        longitude = _parse_degrees(lon_text, LONGITUDE_LIMIT)
        if latitude is None or longitude is None:
            check.bad("bad_coordinates", lat=lat_text or "—", lon=lon_text or "—")
        else:
            site["latitude"], site["longitude"] = latitude, longitude
    return site


def _check_across_rows(candidates: list[tuple[ImportRow, list[Problem]]]) -> None:
    """Duplicates in the file, and OGRNs that belong to another enterprise in the registry."""
    first_by_inn: dict[str, int] = {}
    first_by_ogrn: dict[str, int] = {}
    for row, problems in candidates:
        if not inn_is_valid(row.inn):
            continue
        if row.inn in first_by_inn:
            problems.append(
                problem(row.line, "duplicate_in_file", inn=row.inn, first=first_by_inn[row.inn])
            )
            continue
        first_by_inn[row.inn] = row.line
        if (ogrn := row.enterprise.get("ogrn")) in first_by_ogrn:
            problems.append(
                problem(row.line, "duplicate_ogrn", ogrn=ogrn, first=first_by_ogrn[ogrn])
            )
        elif ogrn:
            first_by_ogrn[ogrn] = row.line
    owners: dict[str, str] = {}
    for chunk in chunks(list(first_by_ogrn)):
        owners.update(Enterprise.objects.filter(ogrn__in=chunk).values_list("ogrn", "inn"))
    for row, problems in candidates:
        ogrn = row.enterprise.get("ogrn")
        if ogrn in owners and owners[ogrn] != row.inn:
            problems.append(problem(row.line, "ogrn_taken", ogrn=ogrn, inn=owners[ogrn]))


def registry_import_validate(*, content: bytes, filename: str) -> ImportReport:
    """Read and check a whole file without writing; every problem of every row is reported."""
    report = ImportReport(filename=filename)
    try:
        records = read_records(content, filename)
    except ImportFileError as exc:
        report.file_problems.append(Problem(None, "unreadable", str(exc)))
        return report
    with contextlib.closing(records):
        candidates = _read_candidates(records, report)
    if report.file_problems:
        return report
    _check_across_rows(candidates)
    for row, problems in candidates:
        if problems:
            report.problems.extend(problems)
        else:
            report.rows.append(row)
    summarise(report)
    return report


def _read_candidates(
    records: Generator[tuple[int, list[Any]]], report: ImportReport
) -> list[tuple[ImportRow, list[Problem]]]:
    zones = {
        normalise_header(name): name
        for name in SpecialEconomicZone.objects.values_list("name", flat=True)
    }
    mapping: dict[int, str] | None = None
    candidates: list[tuple[ImportRow, list[Problem]]] = []
    try:
        for line, values in records:
            if mapping is None:
                mapping = _map_header(values, report)
                if report.file_problems:
                    return []
                continue
            cells = {key: values[i] for i, key in mapping.items() if i < len(values)}
            if not any(cell_line(value) for value in cells.values()):
                continue
            report.total_rows += 1
            if report.total_rows > MAX_ROWS:
                report.file_problems.append(problem(None, "too_many_rows", max=MAX_ROWS))
                return []
            candidates.append(_validate_row(line, cells, zones))
    except ImportFileError as exc:
        report.file_problems.append(Problem(None, "unreadable", str(exc)))
    if not candidates and not report.file_problems:
        report.file_problems.append(problem(None, "empty_file"))
    return candidates


def _map_header(values: list[Any], report: ImportReport) -> dict[int, str]:
    mapping: dict[int, str] = {}
    unknown: list[str] = []
    for index, value in enumerate(values):
        if not (title := cell_line(value).replace("\ufeff", "")):
            continue
        key = HEADER_ALIASES.get(normalise_header(title))
        if key is None:
            unknown.append(title)
        elif key in mapping.values():
            report.file_problems.append(problem(None, "duplicate_column", column=TITLES[key]))
        else:
            mapping[index] = key
    for column in COLUMNS:
        if column.required and column.field not in mapping.values():
            report.file_problems.append(problem(None, "missing_column", column=column.title))
    if unknown:
        report.warnings.append(
            _("Столбцы не распознаны и пропущены: %(columns)s.")
            % {"columns": ", ".join(f"«{t}»" for t in unknown)}
        )
    return mapping
