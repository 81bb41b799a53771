"""Import of the enterprise registry from CSV or XLSX: read, validate, preview, apply.

Column layout. Line 1 holds the headers; Russian titles or English aliases are accepted, with
case, extra spaces, «ё»/«е», «_» and a trailing «*» ignored. Columns may come in any order;
unknown columns are reported as a warning and skipped.

=====================  ==================  ========  ===========================================
Russian title          English alias       required  value
=====================  ==================  ========  ===========================================
ИНН                    inn                 yes       10 or 12 digits with valid checksum
Краткое название       short_name          yes       up to 255 characters
Полное наименование    legal_name                    up to 500; a new company defaults to the
                                                     short name
ОГРН                   ogrn                          13 (15 for ОГРНИП) digits, valid checksum
ОКВЭД                  okved                         e.g. 26.11; the division must be known
Округ                  okrug                         ЦАО, «Центральный», CAO…
Сайт                   website                       https://… («zavod.ru» gets https://)
Описание               description                   free text
Принимает экскурсии    hosts_tours                   да/нет, yes/no, 1/0
ОЭЗ                    sez_zone                      name of a zone known to the registry
Статус в ОЭЗ           sez_status                    резидент / размещённая компания
Номер соглашения       agreement_number              required for a resident
Дата соглашения        agreement_date                dd.mm.yyyy or yyyy-mm-dd; resident only
Площадка               site_name                     one production site per row
Адрес площадки         site_address                  required with a site
Широта, Долгота        latitude, longitude           decimal degrees, both or neither
=====================  ==================  ========  ===========================================

Rules:

- A row is an enterprise, identified by its INN: a new INN creates one, a known INN updates
  only the fields that differ. Each INN appears once per file.
- An empty cell never erases: it leaves the current value as it is (a new enterprise gets
  the model's default). Imports never delete sites or SEZ memberships.
- The site of a row is matched by (enterprise, «Площадка»); its okrug is the row's okrug.
- Nothing is written while any row has a problem, unless the caller skips the bad rows.
- Line numbers are those a person sees in the file: the header is line 1.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import re
from collections.abc import Generator, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import PurePath
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mosprom.accounts.audit import audit_record
from mosprom.accounts.models import AuditAction, User
from mosprom.core import clock
from mosprom.core.validators import inn_is_valid, ogrn_is_valid
from mosprom.registry.models import (
    Enterprise,
    ImportBatch,
    ImportStatus,
    Industry,
    ProductionSite,
    SEZMembership,
    SEZStatus,
    SpecialEconomicZone,
)
from mosprom.registry.okrugs import parse_okrug
from mosprom.registry.okved import division_of

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000  # guards memory against a zip bomb in XLSX; the registry is ~5K companies
SAMPLE_SIZE = 20
_CHUNK = 500  # keeps IN (...) lists well below every backend's parameter limit


_l = gettext_lazy


@dataclass(frozen=True)
class Column:
    field: str
    title: str  # as in the template file
    aliases: str  # «|»-separated other spellings
    hint: Any
    required: bool = False

    @property
    def other_names(self) -> str:
        return ", ".join(self.aliases.split("|"))


COLUMNS: tuple[Column, ...] = (
    Column("inn", "ИНН", "inn", _l("10 или 12 цифр"), required=True),
    Column(
        "short_name", "Краткое название", "short_name|название|name", _l("до 255 символов"), True
    ),
    Column(
        "legal_name", "Полное наименование", "legal_name|полное название", _l("до 500 символов")
    ),
    Column("ogrn", "ОГРН", "ogrn", _l("13 цифр (15 для ИП)")),
    Column("okved", "ОКВЭД", "okved|основной оквэд", _l("например, 26.11")),
    Column("okrug", "Округ", "okrug", _l("ЦАО, «Центральный» и т. п.")),
    Column("website", "Сайт", "website|url", _l("https://example.ru")),
    Column("description", "Описание", "description", _l("свободный текст")),
    Column("hosts_tours", "Принимает экскурсии", "hosts_tours", _l("да/нет, yes/no, 1/0")),
    Column("sez_zone", "ОЭЗ", "sez_zone|sez", _l("например, Технополис Москва")),
    Column("sez_status", "Статус в ОЭЗ", "sez_status", _l("резидент или размещённая компания")),
    Column("agreement_number", "Номер соглашения", "agreement_number", _l("нужен резиденту")),
    Column("agreement_date", "Дата соглашения", "agreement_date", _l("ДД.ММ.ГГГГ или ГГГГ-ММ-ДД")),
    Column("site_name", "Площадка", "site_name|site", _l("название площадки")),
    Column("site_address", "Адрес площадки", "site_address", _l("нужен, если есть площадка")),
    Column("latitude", "Широта", "latitude|lat", _l("например, 55.751244")),
    Column("longitude", "Долгота", "longitude|lon|lng", _l("например, 37.618423")),
)
TITLES = {c.field: c.title for c in COLUMNS}

# Every message a row or file can get: key -> (machine code, Russian text).
MESSAGES: dict[str, tuple[str, Any]] = {
    "inn_missing": ("bad_inn", _l("Не указан ИНН.")),
    "bad_inn": (
        "bad_inn",
        _l("ИНН «%(value)s» недействителен: нужно 10 или 12 цифр с верной контрольной суммой."),
    ),
    "missing_name": ("missing_name", _l("Не указано краткое название предприятия.")),
    "too_long": (
        "too_long",
        _l("«%(column)s»: не длиннее %(limit)d символов, а здесь %(length)d."),
    ),
    "bad_ogrn": (
        "bad_ogrn",
        _l(
            "ОГРН «%(value)s» недействителен: нужно 13 (15 для ИП) цифр "
            "с верной контрольной цифрой."
        ),
    ),
    "bad_okved": ("bad_okved", _l("ОКВЭД «%(value)s» записан неверно: нужен код вида 26.11.")),
    "unknown_okved": (
        "unknown_okved",
        _l("ОКВЭД «%(value)s»: раздела %(division)s нет среди отраслей реестра."),
    ),
    "unknown_okrug": (
        "unknown_okrug",
        _l("Округ «%(value)s» не найден: укажите округ Москвы, например «ЦАО» или «Центральный»."),
    ),
    "bad_url": (
        "bad_url",
        _l("Сайт «%(value)s» не похож на ссылку: нужен вид https://example.ru."),
    ),
    "bad_bool": (
        "bad_bool",
        _l("«Принимает экскурсии»: значение «%(value)s» не распознано, пишите «да» или «нет»."),
    ),
    "missing_sez_zone": ("missing_sez_zone", _l("Есть сведения об ОЭЗ, но не указана сама ОЭЗ.")),
    "unknown_sez_zone": ("unknown_sez_zone", _l("ОЭЗ «%(value)s» нет в реестре; есть: %(known)s.")),
    "sez_status_missing": (
        "bad_sez_status",
        _l("Не указан статус в ОЭЗ: «резидент» или «размещённая компания»."),
    ),
    "bad_sez_status": (
        "bad_sez_status",
        _l("Статус в ОЭЗ «%(value)s» не распознан: «резидент» или «размещённая компания»."),
    ),
    "bad_date": ("bad_date", _l("Дата соглашения «%(value)s» не распознана: пишите ДД.ММ.ГГГГ.")),
    "resident_without_agreement": (
        "resident_without_agreement",
        _l("Для резидента ОЭЗ нужны номер и дата соглашения."),
    ),
    "site_name_missing": (
        "incomplete_site",
        _l("Для площадки не указано название (столбец «Площадка»)."),
    ),
    "site_address_missing": (
        "incomplete_site",
        _l("Для площадки не указан адрес (столбец «Адрес площадки»)."),
    ),
    "bad_coordinates": (
        "bad_coordinates",
        _l(
            "Координаты «%(lat)s», «%(lon)s» неверны: нужны обе, широта от −90 до 90, "
            "долгота от −180 до 180, например 55.751244 и 37.618423."
        ),
    ),
    "duplicate_in_file": (
        "duplicate_in_file",
        _l("ИНН %(inn)s уже был в строке %(first)d: одно предприятие — одна строка."),
    ),
    "duplicate_ogrn": (
        "duplicate_ogrn",
        _l("ОГРН %(ogrn)s уже указан в строке %(first)d для другого ИНН."),
    ),
    "ogrn_taken": (
        "duplicate_ogrn",
        _l("ОГРН %(ogrn)s в реестре принадлежит другому предприятию (ИНН %(inn)s)."),
    ),
    "missing_column": (
        "missing_column",
        _l("Нет обязательного столбца «%(column)s» в первой строке."),
    ),
    "duplicate_column": ("duplicate_column", _l("Столбец «%(column)s» встречается дважды.")),
    "empty_file": ("empty_file", _l("В файле нет ни одной строки с данными.")),
    "too_many_rows": ("too_many_rows", _l("В файле больше %(max)d строк: разделите его на части.")),
}


def problem(line: int | None, key: str, **params: Any) -> Problem:
    code, text = MESSAGES[key]
    return Problem(line, code, str(text) % params if params else str(text))


def normalise_header(text: str) -> str:
    """The form a header is compared in: casefolded, «ё»→«е», «_»→space, no trailing «*»."""
    text = text.replace("\ufeff", "").replace("ё", "е").replace("Ё", "Е").replace("_", " ")
    return " ".join(text.split()).casefold().rstrip("*").strip()


_HEADER_ALIASES = {
    normalise_header(alias): c.field for c in COLUMNS for alias in (c.title, *c.aliases.split("|"))
}


# --- Report ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    line: int | None  # None: the file as a whole
    code: str
    message: str


@dataclass
class ImportRow:
    """One valid row: what the file says about one enterprise (only filled cells)."""

    line: int
    inn: str
    enterprise: dict[str, Any]
    site: dict[str, Any] | None = None
    sez: dict[str, Any] | None = None


@dataclass
class ImportReport:
    filename: str
    total_rows: int = 0
    rows: list[ImportRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    file_problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    to_create: int = 0
    to_update: int = 0
    unchanged: int = 0
    sample: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and not self.file_problems

    @property
    def invalid_lines(self) -> list[int]:
        return sorted({p.line for p in self.problems if p.line is not None})

    def errors_by_line(self) -> dict[int, list[Problem]]:
        by_line: dict[int, list[Problem]] = {}
        for problem in self.problems:
            by_line.setdefault(problem.line or 0, []).append(problem)
        return by_line

    def as_dict(self) -> dict[str, Any]:
        """The report without the parsed rows, as stored in ImportBatch.report (JSON)."""
        return {
            "filename": self.filename,
            "total_rows": self.total_rows,
            "valid_rows": len(self.rows),
            "invalid_rows": len(self.invalid_lines),
            "to_create": self.to_create,
            "to_update": self.to_update,
            "unchanged": self.unchanged,
            "problems": [asdict(p) for p in self.problems],
            "file_problems": [asdict(p) for p in self.file_problems],
            "warnings": list(self.warnings),
            "sample": self.sample,
        }


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


class ImportFileError(Exception):
    """The file as a whole cannot be read."""


# --- Reading CSV and XLSX -------------------------------------------------------------------


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


def _read(content: bytes, filename: str) -> Generator[tuple[int, list[Any]]]:
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


def _text(value: Any) -> str:
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


def _line(value: Any) -> str:
    return " ".join(_text(value).split())


def _paragraphs(value: Any) -> str:
    return "\n".join(part.rstrip() for part in _text(value).strip().splitlines())


def _digits(value: Any, *, pad: dict[int, int] | None = None) -> str:
    """Digits of a registration number. A number cell loses leading zeros; ``pad`` restores them."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = _text(value)
        if text.isdigit() and pad and len(text) in pad:
            text = text.zfill(pad[len(text)])
        return text
    return re.sub(r"\s", "", _text(value))


_TRUE = {"да", "д", "yes", "y", "true", "1", "+"}
_FALSE = {"нет", "н", "no", "n", "false", "0", "-"}
_SEZ_STATUSES = {
    "резидент": SEZStatus.RESIDENT,
    "resident": SEZStatus.RESIDENT,
    "размещенная компания": SEZStatus.LOCATED,
    "размещенная": SEZStatus.LOCATED,
    "located": SEZStatus.LOCATED,
}
_OKVED = re.compile(r"\d{2}(\.\d{1,2}){0,2}")
_MICRODEGREE = Decimal("0.000001")
_url_validator = URLValidator(schemes=["http", "https"])


def _parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _line(value)
    for fmt in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            pass
    try:
        return dt.datetime.fromisoformat(text).date()
    except ValueError:
        return None


def _parse_degrees(value: Any, limit: int) -> Decimal | None:
    try:
        number = Decimal(_line(value).replace(",", "."))
    except InvalidOperation:
        return None
    if not number.is_finite() or abs(number) > limit:
        return None
    return number.quantize(_MICRODEGREE, rounding=ROUND_HALF_UP)


# --- Validation -----------------------------------------------------------------------------


class _RowCheck:
    """Collects every problem of one row while its cells are parsed."""

    def __init__(self, line: int, cells: dict[str, Any]) -> None:
        self.line, self.cells, self.problems = line, cells, []

    def bad(self, key: str, **params: Any) -> None:
        self.problems.append(problem(self.line, key, **params))

    def text(self, key: str, limit: int | None = None) -> str:
        """The cell as one line of text; "" (and a problem) when longer than ``limit``."""
        value = _line(self.cells.get(key))
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
    inn = _digits(cells.get("inn"), pad={9: 10, 11: 12})
    if not inn:
        check.bad("inn_missing")
    elif not inn_is_valid(inn):
        check.bad("bad_inn", value=inn)

    if not _line(cells.get("short_name")):
        check.bad("missing_name")
    elif short_name := check.text("short_name", 255):
        enterprise["short_name"] = short_name
    if legal_name := check.text("legal_name", 500):
        enterprise["legal_name"] = legal_name

    if ogrn := _digits(cells.get("ogrn")):
        if ogrn_is_valid(ogrn):
            enterprise["ogrn"] = ogrn
        else:
            check.bad("bad_ogrn", value=ogrn)

    if okved := check.text("okved"):
        if not _OKVED.fullmatch(okved):
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

    if description := _paragraphs(cells.get("description")):
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
        latitude = _parse_degrees(lat_text, 90)
        longitude = _parse_degrees(lon_text, 180)
        if latitude is None or longitude is None:
            check.bad("bad_coordinates", lat=lat_text or "—", lon=lon_text or "—")
        else:
            site["latitude"], site["longitude"] = latitude, longitude
    return site


def _chunks(items: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


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
    for chunk in _chunks(list(first_by_ogrn)):
        owners.update(Enterprise.objects.filter(ogrn__in=chunk).values_list("ogrn", "inn"))
    for row, problems in candidates:
        ogrn = row.enterprise.get("ogrn")
        if ogrn in owners and owners[ogrn] != row.inn:
            problems.append(problem(row.line, "ogrn_taken", ogrn=ogrn, inn=owners[ogrn]))


def registry_import_validate(*, content: bytes, filename: str) -> ImportReport:
    """Read and check a whole file without writing; every problem of every row is reported."""
    report = ImportReport(filename=filename)
    try:
        records = _read(content, filename)
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
    _summarise(report)
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
            if not any(_line(value) for value in cells.values()):
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
        if not (title := _line(value).replace("\ufeff", "")):
            continue
        key = _HEADER_ALIASES.get(normalise_header(title))
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


# --- Planning: what the rows would change ---------------------------------------------------


_ENTERPRISE_LABELS = {
    "short_name": _l("краткое название"),
    "legal_name": _l("полное наименование"),
    "ogrn": _l("ОГРН"),
    "okved": _l("ОКВЭД"),
    "industry_id": _l("отрасль"),
    "okrug": _l("округ"),
    "website": _l("сайт"),
    "description": _l("описание"),
    "hosts_tours": _l("принимает экскурсии"),
}


@dataclass
class _Plan:
    row: ImportRow
    enterprise: Enterprise | None
    changes: dict[str, Any]
    site: ProductionSite | None = None
    site_changes: dict[str, Any] = field(default_factory=dict)
    membership: SEZMembership | None = None
    sez_changes: dict[str, Any] = field(default_factory=dict)

    @property
    def action(self) -> str:
        if self.enterprise is None:
            return "create"
        return "update" if self.changes or self.site_changes or self.sez_changes else "unchanged"

    def labels(self) -> list[str]:
        labels = [str(_ENTERPRISE_LABELS[key]) for key in self.changes if key in _ENTERPRISE_LABELS]
        if self.site_changes:
            labels.append(_("площадка «%(name)s»") % {"name": self.row.site["name"]})
        if self.sez_changes:
            labels.append(_("ОЭЗ"))
        return labels


def _diff(current: Any, wanted: dict[str, Any]) -> dict[str, Any]:
    if current is None:
        return dict(wanted)
    return {key: value for key, value in wanted.items() if getattr(current, key) != value}


def _plan(rows: list[ImportRow], *, lock: bool) -> list[_Plan]:
    """Compare the rows with the registry in a fixed number of queries (chunks of 500)."""
    industries = dict(Industry.objects.values_list("code", "pk"))
    zones = dict(SpecialEconomicZone.objects.values_list("name", "pk"))

    def rows_of(model):
        # While applying, lock what may be written so a concurrent edit is not overwritten.
        return model.objects.select_for_update().order_by("pk") if lock else model.objects.all()

    existing: dict[str, Enterprise] = {}
    for chunk in _chunks([row.inn for row in rows]):
        existing.update((e.inn, e) for e in rows_of(Enterprise).filter(inn__in=chunk))
    ids = [e.pk for e in existing.values()]
    sites: dict[tuple[int, str], ProductionSite] = {}
    memberships: dict[int, SEZMembership] = {}
    for chunk in _chunks(ids):
        if any(row.site for row in rows):
            for site in rows_of(ProductionSite).filter(enterprise_id__in=chunk).order_by("pk"):
                sites.setdefault((site.enterprise_id, site.name), site)
        if any(row.sez for row in rows):
            memberships.update(
                (m.enterprise_id, m) for m in rows_of(SEZMembership).filter(enterprise_id__in=chunk)
            )

    plans: list[_Plan] = []
    for row in rows:
        enterprise = existing.get(row.inn)
        wanted = {"inn": row.inn, **row.enterprise}
        if "okved" in wanted:
            wanted["industry_id"] = industries.get(division_of(wanted["okved"]))
        if enterprise is None:
            wanted.setdefault("legal_name", wanted["short_name"])
        plan = _Plan(row=row, enterprise=enterprise, changes=_diff(enterprise, wanted))
        if row.site:
            key = (enterprise.pk if enterprise else None, row.site["name"])
            plan.site = sites.get(key)
            plan.site_changes = _diff(plan.site, row.site)
        if row.sez:
            plan.membership = memberships.get(enterprise.pk) if enterprise else None
            wanted_sez = {
                "zone_id": zones[row.sez["zone"]],
                **{k: v for k, v in row.sez.items() if k != "zone"},
            }
            plan.sez_changes = _diff(plan.membership, wanted_sez)
        plans.append(plan)
    return plans


def _summarise(report: ImportReport) -> None:
    plans = _plan(report.rows, lock=False)
    samples: dict[str, list[dict[str, Any]]] = {"create": [], "update": []}
    for plan in plans:
        action = plan.action
        if action == "create":
            report.to_create += 1
        elif action == "update":
            report.to_update += 1
        else:
            report.unchanged += 1
        if action in samples and len(samples[action]) < SAMPLE_SIZE:
            samples[action].append(
                {
                    "line": plan.row.line,
                    "inn": plan.row.inn,
                    "short_name": plan.row.enterprise.get("short_name", ""),
                    "action": action,
                    "changes": [] if action == "create" else plan.labels(),
                }
            )
    report.sample = samples["create"] + samples["update"]


# --- Applying -------------------------------------------------------------------------------


def registry_import_apply(
    *,
    rows: list[ImportRow],
    actor: User | None,
    filename: str = "",
    source: str = "",
    request: HttpRequest | None = None,
    target: ImportBatch | None = None,
) -> ImportResult:
    """Upsert valid rows by INN in one transaction, writing only what differs; audited."""
    with transaction.atomic():
        plans = _plan(rows, lock=True)
        actions = [p.action for p in plans]
        now = clock.now()

        _update(Enterprise, [(p.enterprise, p.changes) for p in plans if p.enterprise], now)
        new = [p for p in plans if p.enterprise is None]
        created = Enterprise.objects.bulk_create([Enterprise(**p.changes) for p in new])
        for plan, enterprise in zip(new, created, strict=True):
            plan.enterprise = enterprise

        site_plans = [p for p in plans if p.row.site and p.site_changes]
        ProductionSite.objects.bulk_create(
            [
                ProductionSite(enterprise=p.enterprise, **p.site_changes)
                for p in site_plans
                if p.site is None
            ]
        )
        _update(ProductionSite, [(p.site, p.site_changes) for p in site_plans if p.site], now)

        sez_plans = [p for p in plans if p.row.sez and p.sez_changes]
        SEZMembership.objects.bulk_create(
            [
                SEZMembership(enterprise=p.enterprise, **p.sez_changes)
                for p in sez_plans
                if p.membership is None
            ]
        )
        _update(
            SEZMembership, [(p.membership, p.sez_changes) for p in sez_plans if p.membership], now
        )

        result = ImportResult(
            created=actions.count("create"),
            updated=actions.count("update"),
            unchanged=actions.count("unchanged"),
        )
        audit_record(
            action=AuditAction.IMPORT,
            actor=actor,
            target=target,
            request=request,
            details={**result.as_dict(), "filename": filename, "source": source},
        )
    return result


def _update(model: type, changed: Iterable[tuple[Any, dict[str, Any]]], now: dt.datetime) -> None:
    """One bulk UPDATE per model (per batch), touching updated_at only of the changed objects."""
    objects, names = [], set()
    for obj, changes in changed:
        if not changes:
            continue
        for key, value in changes.items():
            setattr(obj, key, value)
            names.add(model._meta.get_field(key).name)
        obj.updated_at = now
        objects.append(obj)
    if objects:
        model.objects.bulk_update(objects, [*sorted(names), "updated_at"])


# --- Batches: upload → preview → confirm ----------------------------------------------------


def import_batch_list(*, user: User) -> QuerySet[ImportBatch]:
    """Recent imports, newest first, for organisers only (without the file contents)."""
    if not user.is_organiser:
        raise PermissionDenied
    return ImportBatch.objects.select_related("uploaded_by").defer("content")


def import_batch_get(*, user: User, pk: int) -> ImportBatch:
    """One import for an organiser; raises ImportBatch.DoesNotExist or PermissionDenied."""
    if not user.is_organiser:
        raise PermissionDenied
    return ImportBatch.objects.select_related("uploaded_by").get(pk=pk)


def import_batch_create(
    *, filename: str, content: bytes, report: ImportReport, actor: User
) -> ImportBatch:
    """Store an uploaded file with its report, awaiting the organiser's confirmation."""
    return ImportBatch.objects.create(
        filename=filename[:255],
        content=content,
        uploaded_by=actor,
        report=report.as_dict(),
    )


@dataclass(frozen=True)
class BatchOutcome:
    applied: bool
    reason: str = ""  # "done" (already applied or discarded), "invalid", "conflict"
    result: ImportResult | None = None


class _Blocked(Exception):
    def __init__(self, report: ImportReport) -> None:
        self.report = report


def import_batch_apply(
    *,
    batch_id: int,
    actor: User,
    skip_invalid: bool,
    request: HttpRequest | None = None,
) -> BatchOutcome:
    """Re-check the stored file against today's registry and apply it, at most once."""
    try:
        with transaction.atomic():
            claimed = ImportBatch.objects.filter(pk=batch_id, status=ImportStatus.PREVIEW).update(
                status=ImportStatus.APPLIED, applied_at=clock.now()
            )
            if not claimed:
                return BatchOutcome(applied=False, reason="done")
            batch = ImportBatch.objects.get(pk=batch_id)
            report = registry_import_validate(content=bytes(batch.content), filename=batch.filename)
            if report.file_problems or not report.rows or (report.problems and not skip_invalid):
                raise _Blocked(report)
            result = registry_import_apply(
                rows=report.rows,
                actor=actor,
                filename=batch.filename,
                source="upload",
                request=request,
                target=batch,
            )
            batch.report = {
                **report.as_dict(),
                "result": result.as_dict(),
                "skipped_lines": report.invalid_lines,
            }
            batch.save(update_fields=["report"])
    except _Blocked as blocked:
        ImportBatch.objects.filter(pk=batch_id).update(report=blocked.report.as_dict())
        return BatchOutcome(applied=False, reason="invalid")
    except IntegrityError:
        # Another import or an edit took the same INN/OGRN meanwhile; nothing was written.
        return BatchOutcome(applied=False, reason="conflict")
    return BatchOutcome(applied=True, result=result)


def import_batch_discard(*, batch_id: int) -> bool:
    """Mark a batch awaiting confirmation as discarded; False if it was already decided."""
    return bool(
        ImportBatch.objects.filter(pk=batch_id, status=ImportStatus.PREVIEW).update(
            status=ImportStatus.DISCARDED
        )
    )
