"""Checksums of Russian registration numbers: INN (ИНН) and OGRN (ОГРН/ОГРНИП).

The rules are those of the Federal Tax Service: INN check digits are weighted sums mod 11
then mod 10; OGRN's last digit is the number without it mod 11 (mod 13 for the 15-digit
OGRNIP), then mod 10.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_INN10 = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_1 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_2 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)


def _check_digit(digits: str, weights: tuple[int, ...]) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11 % 10


def inn_is_valid(value: str) -> bool:
    """True for a 10-digit (organisation) or 12-digit (person) INN with right checksums."""
    if not value.isdigit() or not value.isascii():
        return False
    if len(value) == 10:
        return _check_digit(value[:9], _INN10) == int(value[9])
    if len(value) == 12:
        return _check_digit(value[:10], _INN12_1) == int(value[10]) and _check_digit(
            value[:11], _INN12_2
        ) == int(value[11])
    return False


def ogrn_is_valid(value: str) -> bool:
    """True when ``value`` is a 13-digit OGRN or 15-digit OGRNIP with the right check digit."""
    if not value.isdigit() or not value.isascii():
        return False
    if len(value) == 13:
        return int(value[:12]) % 11 % 10 == int(value[12])
    if len(value) == 15:
        return int(value[:14]) % 13 % 10 == int(value[14])
    return False


def validate_inn(value: str) -> None:
    if not inn_is_valid(value or ""):
        raise ValidationError(
            _("ИНН «%(value)s» недействителен: нужно 10 или 12 цифр с верной контрольной суммой."),
            code="invalid_inn",
            params={"value": value},
        )


def validate_ogrn(value: str) -> None:
    if not ogrn_is_valid(value or ""):
        raise ValidationError(
            _(
                "ОГРН «%(value)s» недействителен: нужно 13 (или 15 для ИП) цифр "
                "с верной контрольной цифрой."
            ),
            code="invalid_ogrn",
            params={"value": value},
        )


def inn_complete(body: str) -> str:
    """Append the check digit(s) to the first 9 (organisation) or 10 (person) INN digits."""
    if len(body) == 9:
        return body + str(_check_digit(body, _INN10))
    if len(body) == 10:
        first = body + str(_check_digit(body, _INN12_1))
        return first + str(_check_digit(first, _INN12_2))
    raise ValueError("an INN body has 9 or 10 digits")


def ogrn_complete(body: str) -> str:
    """Append the check digit to the first 12 (OGRN) or 14 (OGRNIP) digits."""
    if len(body) == 12:
        return body + str(int(body) % 11 % 10)
    if len(body) == 14:
        return body + str(int(body) % 13 % 10)
    raise ValueError("an OGRN body has 12 or 14 digits")
