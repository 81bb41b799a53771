"""The administrative okrugs of Moscow."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Okrug(models.TextChoices):
    CAO = "CAO", _("Центральный (ЦАО)")
    SAO = "SAO", _("Северный (САО)")
    SVAO = "SVAO", _("Северо-Восточный (СВАО)")
    VAO = "VAO", _("Восточный (ВАО)")
    UVAO = "UVAO", _("Юго-Восточный (ЮВАО)")
    UAO = "UAO", _("Южный (ЮАО)")
    UZAO = "UZAO", _("Юго-Западный (ЮЗАО)")
    ZAO = "ZAO", _("Западный (ЗАО)")
    SZAO = "SZAO", _("Северо-Западный (СЗАО)")
    ZELAO = "ZELAO", _("Зеленоградский (ЗелАО)")
    NAO = "NAO", _("Новомосковский (НАО)")
    TAO = "TAO", _("Троицкий (ТАО)")


# Every spelling an import file may use for an okrug: the code, the Russian abbreviation,
# and the full name, compared case-insensitively. Files are Russian whatever language the
# interface speaks, so the names are spelled out here rather than read from the (translated)
# labels above; a test keeps the two in step.
RUSSIAN_NAMES = {
    "CAO": ("Центральный", "ЦАО"),
    "SAO": ("Северный", "САО"),
    "SVAO": ("Северо-Восточный", "СВАО"),
    "VAO": ("Восточный", "ВАО"),
    "UVAO": ("Юго-Восточный", "ЮВАО"),
    "UAO": ("Южный", "ЮАО"),
    "UZAO": ("Юго-Западный", "ЮЗАО"),
    "ZAO": ("Западный", "ЗАО"),
    "SZAO": ("Северо-Западный", "СЗАО"),
    "ZELAO": ("Зеленоградский", "ЗелАО"),
    "NAO": ("Новомосковский", "НАО"),
    "TAO": ("Троицкий", "ТАО"),
}


def _aliases() -> dict[str, str]:
    table: dict[str, str] = {}
    for code, (full, abbreviation) in RUSSIAN_NAMES.items():
        for alias in (code, abbreviation, full, f"{full} административный округ"):
            table[alias.casefold()] = code
    return table


OKRUG_ALIASES = _aliases()


def parse_okrug(text: str) -> str | None:
    """The okrug code for any usual spelling, or None when it is not a Moscow okrug."""
    return OKRUG_ALIASES.get(" ".join((text or "").split()).casefold())
