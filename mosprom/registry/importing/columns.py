"""The columns of a registry import file and the header spellings they are known by.

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
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy


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
    Column("inn", "ИНН", "inn", gettext_lazy("10 или 12 цифр"), required=True),
    Column(
        "short_name",
        "Краткое название",
        "short_name|название|name",
        gettext_lazy("до 255 символов"),
        True,
    ),
    Column(
        "legal_name",
        "Полное наименование",
        "legal_name|полное название",
        gettext_lazy("до 500 символов"),
    ),
    Column("ogrn", "ОГРН", "ogrn", gettext_lazy("13 цифр (15 для ИП)")),
    Column("okved", "ОКВЭД", "okved|основной оквэд", gettext_lazy("например, 26.11")),
    Column("okrug", "Округ", "okrug", gettext_lazy("ЦАО, «Центральный» и т. п.")),
    Column("website", "Сайт", "website|url", gettext_lazy("https://example.ru")),
    Column("description", "Описание", "description", gettext_lazy("свободный текст")),
    Column(
        "hosts_tours", "Принимает экскурсии", "hosts_tours", gettext_lazy("да/нет, yes/no, 1/0")
    ),
    Column("sez_zone", "ОЭЗ", "sez_zone|sez", gettext_lazy("например, Технополис Москва")),
    Column(
        "sez_status",
        "Статус в ОЭЗ",
        "sez_status",
        gettext_lazy("резидент или размещённая компания"),
    ),
    Column(
        "agreement_number", "Номер соглашения", "agreement_number", gettext_lazy("нужен резиденту")
    ),
    Column(
        "agreement_date",
        "Дата соглашения",
        "agreement_date",
        gettext_lazy("ДД.ММ.ГГГГ или ГГГГ-ММ-ДД"),
    ),
    Column("site_name", "Площадка", "site_name|site", gettext_lazy("название площадки")),
    Column(
        "site_address", "Адрес площадки", "site_address", gettext_lazy("нужен, если есть площадка")
    ),
    Column("latitude", "Широта", "latitude|lat", gettext_lazy("например, 55.751244")),
    Column("longitude", "Долгота", "longitude|lon|lng", gettext_lazy("например, 37.618423")),
)
TITLES = {c.field: c.title for c in COLUMNS}


def normalise_header(text: str) -> str:
    """The form a header is compared in: casefolded, «ё»→«е», «_»→space, no trailing «*»."""
    text = text.replace("\ufeff", "").replace("ё", "е").replace("Ё", "Е").replace("_", " ")
    return " ".join(text.split()).casefold().rstrip("*").strip()


# Every accepted spelling of every header, normalised -> the column's field.
HEADER_ALIASES = {
    normalise_header(alias): c.field for c in COLUMNS for alias in (c.title, *c.aliases.split("|"))
}
