"""Coordinates of production sites: decimal degrees kept to six places (about 10 cm)."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

LATITUDE_LIMIT = 90
LONGITUDE_LIMIT = 180
_MICRODEGREE = Decimal("0.000001")


def coordinate_parse(value: str | float | Decimal, *, limit: int) -> Decimal:
    """``value`` in decimal degrees (a dot or a comma), rounded half-up to six places.

    Finer input is rounded, not refused. Raises ``ValueError`` unless ``value`` is a finite
    number within ±``limit`` (90 for a latitude, 180 for a longitude).
    """
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise ValueError(f"not a number of degrees: {value!r}") from None
    if not number.is_finite() or abs(number) > limit:
        raise ValueError(f"not within ±{limit} degrees: {value!r}")
    return number.quantize(_MICRODEGREE, rounding=ROUND_HALF_UP)
