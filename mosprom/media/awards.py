"""Writing the programme's awards (organisers and administrators only; audited)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from mosprom.core import clock
from mosprom.media.models import Award
from mosprom.media.selectors import require_organiser
from mosprom.media.tours import audit_change

AWARD_FIELDS = ("name", "category", "year", "awarding_body", "place", "url")
FIRST_YEAR = 2000
_LIMITS = {"name": 255, "category": 255, "awarding_body": 255, "place": 100, "url": 200}


def _clean(data: dict, current: dict) -> dict:
    unknown = set(data) - set(AWARD_FIELDS)
    if unknown:
        raise ValueError(f"unknown award fields: {sorted(unknown)}")
    merged = current | data
    values = {name: str(merged.get(name) or "").strip() for name in _LIMITS}
    errors: dict[str, list[str]] = {}
    required = {
        "name": _("Укажите название премии или конкурса."),
        "awarding_body": _("Укажите, кто вручает награду."),
        "place": _("Укажите место: например, 1 место, Гран-при, лауреат."),
    }
    for name, message in required.items():
        if not values[name]:
            errors[name] = [message]
    for name, limit in _LIMITS.items():
        if len(values[name]) > limit and name not in errors:
            errors[name] = [_("Не длиннее %(n)s символов.") % {"n": limit}]
    if values["url"] and "url" not in errors:
        try:
            URLValidator(schemes=["http", "https"])(values["url"])
        except ValidationError:
            errors["url"] = [_("Ссылка должна начинаться с http:// или https://.")]
    last_year = clock.today().year + 1
    year = merged.get("year")
    try:
        if isinstance(year, bool):
            raise TypeError
        year = int(str(year).strip()) if isinstance(year, str) else int(year)
    except (TypeError, ValueError):
        year = None
    if year is None or not FIRST_YEAR <= year <= last_year:
        errors["year"] = [
            _("Год — от %(first)s до %(last)s.") % {"first": FIRST_YEAR, "last": last_year}
        ]
    if errors:
        raise ValidationError(errors)
    return values | {"year": year}


def award_create(*, actor, data: dict) -> Award:
    """A new award on the programme page, audited."""
    require_organiser(actor)
    values = _clean(data, {})
    with transaction.atomic():
        award = Award.objects.create(**values)
        audit_change(actor=actor, target=award, op="create", name=award.name, year=award.year)
    return award


def award_update(*, actor, award: Award, data: dict) -> Award:
    """The award with the fields in ``data`` changed (absent fields keep their value), audited."""
    require_organiser(actor)
    current = {name: getattr(award, name) for name in AWARD_FIELDS}
    values = _clean(data, current)
    with transaction.atomic():
        changed = sorted(name for name, value in values.items() if current[name] != value)
        for name, value in values.items():
            setattr(award, name, value)
        award.save()
        audit_change(actor=actor, target=award, op="update", fields=changed)
    return award


def award_delete(*, actor, award: Award) -> None:
    """The award gone from the programme page, audited."""
    require_organiser(actor)
    with transaction.atomic():
        audit_change(actor=actor, target=award, op="delete", name=award.name, year=award.year)
        award.delete()
