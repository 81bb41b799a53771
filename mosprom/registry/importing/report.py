"""What an import check finds: the problems, the valid rows, the report stored with a batch."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy, ngettext_lazy


@dataclass(frozen=True)
class Problem:
    line: int | None  # None: the file as a whole
    code: str
    message: str


# Every message a row or file can get: key -> (machine code, Russian text). A counted text is
# an ngettext_lazy whose plural form follows the named parameter when it is formatted.
MESSAGES: dict[str, tuple[str, Any]] = {
    "inn_missing": ("bad_inn", gettext_lazy("Не указан ИНН.")),
    "bad_inn": (
        "bad_inn",
        gettext_lazy(
            "ИНН «%(value)s» недействителен: нужно 10 или 12 цифр с верной контрольной суммой."
        ),
    ),
    "missing_name": ("missing_name", gettext_lazy("Не указано краткое название предприятия.")),
    "too_long": (
        "too_long",
        ngettext_lazy(
            "«%(column)s»: не длиннее %(limit)d символа, а здесь %(length)d.",
            "«%(column)s»: не длиннее %(limit)d символов, а здесь %(length)d.",
            "limit",
        ),
    ),
    "bad_ogrn": (
        "bad_ogrn",
        gettext_lazy(
            "ОГРН «%(value)s» недействителен: нужно 13 (15 для ИП) цифр "
            "с верной контрольной цифрой."
        ),
    ),
    "bad_okved": (
        "bad_okved",
        gettext_lazy("ОКВЭД «%(value)s» записан неверно: нужен код вида 26.11."),
    ),
    "unknown_okved": (
        "unknown_okved",
        gettext_lazy("ОКВЭД «%(value)s»: раздела %(division)s нет среди отраслей реестра."),
    ),
    "unknown_okrug": (
        "unknown_okrug",
        gettext_lazy(
            "Округ «%(value)s» не найден: укажите округ Москвы, например «ЦАО» или «Центральный»."
        ),
    ),
    "bad_url": (
        "bad_url",
        gettext_lazy("Сайт «%(value)s» не похож на ссылку: нужен вид https://example.ru."),
    ),
    "bad_bool": (
        "bad_bool",
        gettext_lazy(
            "«Принимает экскурсии»: значение «%(value)s» не распознано, пишите «да» или «нет»."
        ),
    ),
    "missing_sez_zone": (
        "missing_sez_zone",
        gettext_lazy("Есть сведения об ОЭЗ, но не указана сама ОЭЗ."),
    ),
    "unknown_sez_zone": (
        "unknown_sez_zone",
        gettext_lazy("ОЭЗ «%(value)s» нет в реестре; есть: %(known)s."),
    ),
    "sez_status_missing": (
        "bad_sez_status",
        gettext_lazy("Не указан статус в ОЭЗ: «резидент» или «размещённая компания»."),
    ),
    "bad_sez_status": (
        "bad_sez_status",
        gettext_lazy(
            "Статус в ОЭЗ «%(value)s» не распознан: «резидент» или «размещённая компания»."
        ),
    ),
    "bad_date": (
        "bad_date",
        gettext_lazy("Дата соглашения «%(value)s» не распознана: пишите ДД.ММ.ГГГГ."),
    ),
    "resident_without_agreement": (
        "resident_without_agreement",
        gettext_lazy("Для резидента ОЭЗ нужны номер и дата соглашения."),
    ),
    "site_name_missing": (
        "incomplete_site",
        gettext_lazy("Для площадки не указано название (столбец «Площадка»)."),
    ),
    "site_address_missing": (
        "incomplete_site",
        gettext_lazy("Для площадки не указан адрес (столбец «Адрес площадки»)."),
    ),
    "bad_coordinates": (
        "bad_coordinates",
        gettext_lazy(
            "Координаты «%(lat)s», «%(lon)s» неверны: нужны обе, широта от −90 до 90, "
            "долгота от −180 до 180, например 55.751244 и 37.618423."
        ),
    ),
    "duplicate_in_file": (
        "duplicate_in_file",
        gettext_lazy("ИНН %(inn)s уже был в строке %(first)d: одно предприятие — одна строка."),
    ),
    "duplicate_ogrn": (
        "duplicate_ogrn",
        gettext_lazy("ОГРН %(ogrn)s уже указан в строке %(first)d для другого ИНН."),
    ),
    "ogrn_taken": (
        "duplicate_ogrn",
        gettext_lazy("ОГРН %(ogrn)s в реестре принадлежит другому предприятию (ИНН %(inn)s)."),
    ),
    "missing_column": (
        "missing_column",
        gettext_lazy("Нет обязательного столбца «%(column)s» в первой строке."),
    ),
    "duplicate_column": (
        "duplicate_column",
        gettext_lazy("Столбец «%(column)s» встречается дважды."),
    ),
    "empty_file": ("empty_file", gettext_lazy("В файле нет ни одной строки с данными.")),
    "too_many_rows": (
        "too_many_rows",
        ngettext_lazy(
            "В файле больше %(max)d строки: разделите его на части.",
            "В файле больше %(max)d строк: разделите его на части.",
            "max",
        ),
    ),
}


def problem(line: int | None, key: str, **params: Any) -> Problem:
    """The problem ``key`` of MESSAGES at ``line``, its text filled in with ``params``."""
    code, text = MESSAGES[key]
    return Problem(line, code, str(text % params if params else text))


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

    def refusal(self, *, skip_invalid: bool) -> str | None:
        """Why nothing may be written: "file", "invalid_rows" or "no_rows"; None if it may."""
        if self.file_problems:
            return "file"
        if self.problems and not skip_invalid:
            return "invalid_rows"
        if not self.rows:
            return "no_rows"
        return None

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
