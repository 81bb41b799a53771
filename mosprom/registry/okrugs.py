"""The administrative okrugs of Moscow."""

from django.db import models


class Okrug(models.TextChoices):
    CAO = "CAO", "Центральный (ЦАО)"
    SAO = "SAO", "Северный (САО)"
    SVAO = "SVAO", "Северо-Восточный (СВАО)"
    VAO = "VAO", "Восточный (ВАО)"
    UVAO = "UVAO", "Юго-Восточный (ЮВАО)"
    UAO = "UAO", "Южный (ЮАО)"
    UZAO = "UZAO", "Юго-Западный (ЮЗАО)"
    ZAO = "ZAO", "Западный (ЗАО)"
    SZAO = "SZAO", "Северо-Западный (СЗАО)"
    ZELAO = "ZELAO", "Зеленоградский (ЗелАО)"
    NAO = "NAO", "Новомосковский (НАО)"
    TAO = "TAO", "Троицкий (ТАО)"


# Every spelling an import file may use for an okrug: the code, the Russian abbreviation,
# and the full name, compared case-insensitively.
_ABBREVIATIONS = {
    "CAO": "ЦАО",
    "SAO": "САО",
    "SVAO": "СВАО",
    "VAO": "ВАО",
    "UVAO": "ЮВАО",
    "UAO": "ЮАО",
    "UZAO": "ЮЗАО",
    "ZAO": "ЗАО",
    "SZAO": "СЗАО",
    "ZELAO": "ЗелАО",
    "NAO": "НАО",
    "TAO": "ТАО",
}


def _aliases() -> dict[str, str]:
    table: dict[str, str] = {}
    for okrug in Okrug:
        full = okrug.label.split(" (")[0]
        for alias in (
            okrug.value,
            _ABBREVIATIONS[okrug.value],
            full,
            f"{full} административный округ",
        ):
            table[alias.casefold()] = okrug.value
    return table


OKRUG_ALIASES = _aliases()


def parse_okrug(text: str) -> str | None:
    """The okrug code for any usual spelling, or None when it is not a Moscow okrug."""
    return OKRUG_ALIASES.get(" ".join((text or "").split()).casefold())
