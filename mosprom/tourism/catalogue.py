"""Writes of the catalogue by hosts and organisers: experiences and their photos, seasons,
sessions.

Hosts act for the enterprises they are members of, organisers for every enterprise; seasons
are the organisers' alone. Refusals are ``ValidationError``s keyed by the argument they concern
(or ``__all__``), in Russian, so a form can show them next to the field.

Two rules protect people who have already booked, and both are checked by the database row
itself rather than by a read before the write (docs/adr/0004-capacity-counters.md):

- a session's capacity never drops below the places taken (``taken <= capacity`` is a CHECK
  constraint; the UPDATE is conditional on it, so a booking arriving meanwhile cannot slip in);
- a session with places taken keeps its time and season (its visitors hold tickets, reminders
  and season quotas for that time) — to move it, cancel it, which tells everyone.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mosprom.accounts.models import User
from mosprom.core import clock
from mosprom.registry.models import Enterprise, ProductionSite
from mosprom.tourism.models import (
    Booking,
    BookingStatus,
    Experience,
    ExperiencePhoto,
    IdRequirement,
    Season,
    SeasonAllowance,
    Session,
    SessionStatus,
)
from mosprom.tourism.selectors_host import may_manage_enterprise

EXPERIENCE_FIELDS = (
    "site",
    "kind",
    "title",
    "description",
    "duration_minutes",
    "min_age",
    "group_size",
    "max_places_per_booking",
    "step_free",
    "accessibility",
    "what_to_bring",
    "meeting_point",
    "id_requirement",
    "is_published",
)
SEASON_FIELDS = (
    "name",
    "starts_on",
    "ends_on",
    "registration_opens_at",
    "mode",
    "close_days_before",
    "places_per_person",
    "no_show_limit",
    "offer_hours",
)
MAX_PHOTOS = 10
MAX_SESSION_HOURS = 12
_ID_STRICTNESS = {IdRequirement.NONE: 0, IdRequirement.FULL_NAME: 1, IdRequirement.PASSPORT: 2}


def _require_manager(actor: User, enterprise_id: int) -> None:
    if not may_manage_enterprise(viewer=actor, enterprise_id=enterprise_id):
        raise PermissionDenied(
            _(
                "Изменять программы предприятия могут организаторы и представители этого "
                "предприятия."
            )
        )


def _require_organiser(actor: User) -> None:
    if not (actor.is_authenticated and actor.is_organiser):
        raise PermissionDenied(_("Сезоны ведут организаторы."))


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


# --- Experiences ----------------------------------------------------------------------------


def _experience_errors(
    enterprise: Enterprise, data: dict[str, Any], current: Experience | None
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    site: ProductionSite | None = data.get("site")
    if site is not None and site.enterprise_id != enterprise.pk:
        errors["site"] = [_("Выберите площадку этого предприятия.")]
    if current is None or not _has_upcoming_bookings(current):
        return errors
    # Visitors who booked met the old requirements; tightening them would strand them.
    if data["min_age"] > current.min_age:
        errors.setdefault("min_age", []).append(
            _(
                "Нельзя поднять возрастное ограничение, пока на предстоящие сеансы есть записи: "
                "записавшиеся проверены по прежнему возрасту."
            )
        )
    new_id = _ID_STRICTNESS[IdRequirement(data["id_requirement"])]
    if new_id > _ID_STRICTNESS[IdRequirement(current.id_requirement)]:
        errors.setdefault("id_requirement", []).append(
            _(
                "Нельзя требовать больше данных участников, пока на предстоящие сеансы есть "
                "записи: у записавшихся их нет."
            )
        )
    return errors


def _has_upcoming_bookings(experience: Experience) -> bool:
    return Booking.objects.filter(
        session__experience=experience,
        session__ends_at__gt=clock.now(),
        status=BookingStatus.CONFIRMED,
    ).exists()


@transaction.atomic
def experience_create(*, actor: User, enterprise: Enterprise, data: dict[str, Any]) -> Experience:
    """A new experience of ``enterprise`` held at one of its own sites, if ``actor`` may act
    for the enterprise."""
    _require_manager(actor, enterprise.pk)
    _raise(_experience_errors(enterprise, data, None))
    return Experience.objects.create(
        enterprise=enterprise, **{name: data[name] for name in EXPERIENCE_FIELDS}
    )


@transaction.atomic
def experience_update(*, actor: User, experience: Experience, data: dict[str, Any]) -> Experience:
    """``experience`` with the new values, its enterprise unchanged; the minimum age and the
    identification required are not raised while upcoming sessions have bookings."""
    _require_manager(actor, experience.enterprise_id)
    locked = Experience.objects.select_for_update().get(pk=experience.pk)
    _raise(_experience_errors(experience.enterprise, data, locked))
    for name in EXPERIENCE_FIELDS:
        setattr(locked, name, data[name])
    locked.save(update_fields=[*EXPERIENCE_FIELDS, "updated_at"])
    return locked


@transaction.atomic
def experience_photo_add(
    *, actor: User, experience: Experience, image: UploadedFile, alt_text: str
) -> ExperiencePhoto:
    """A photo appended to ``experience`` (at most MAX_PHOTOS), with its text alternative."""
    _require_manager(actor, experience.enterprise_id)
    Experience.objects.select_for_update().filter(pk=experience.pk).first()
    count = ExperiencePhoto.objects.filter(experience=experience).count()
    if count >= MAX_PHOTOS:
        _raise(
            {"image": [_("У программы может быть не больше %(max)s фото.") % {"max": MAX_PHOTOS}]}
        )
    if not alt_text.strip():
        _raise({"alt_text": [_("Опишите, что на фото: это прочтут незрячие посетители.")]})
    return ExperiencePhoto.objects.create(
        experience=experience, image=image, alt_text=alt_text.strip(), position=count
    )


@transaction.atomic
def experience_photo_delete(*, actor: User, photo: ExperiencePhoto) -> None:
    """``photo`` removed from its experience and from storage once the transaction commits."""
    _require_manager(actor, photo.experience.enterprise_id)
    name, storage = photo.image.name, photo.image.storage
    photo.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


# --- Seasons --------------------------------------------------------------------------------


def _season_errors(data: dict[str, Any], current: Season | None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    starts_on: dt.date = data["starts_on"]
    ends_on: dt.date = data["ends_on"]
    if ends_on < starts_on:
        errors["ends_on"] = [_("Последний день сезона не может быть раньше первого.")]
    if data["registration_opens_at"] >= clock.start_of_day(ends_on):
        errors["registration_opens_at"] = [
            _("Регистрация должна открыться раньше последнего дня сезона.")
        ]
    if data["places_per_person"] < 1:
        errors["places_per_person"] = [_("Нужно хотя бы одно место на человека.")]
    if data["offer_hours"] < 1:
        errors["offer_hours"] = [_("На ответ по листу ожидания нужен хотя бы один час.")]
    if current is not None and not errors:
        outside = Session.objects.filter(season=current, status=SessionStatus.SCHEDULED).exclude(
            starts_at__gte=clock.start_of_day(starts_on),
            starts_at__lt=clock.start_of_day(ends_on + dt.timedelta(days=1)),
        )
        count = outside.count()
        if count:
            errors[NON_FIELD_ERRORS] = [
                _(
                    "Сеансов этого сезона вне новых дат: %(count)s. "
                    "Перенесите или отмените их, затем измените даты."
                )
                % {"count": count}
            ]
    return errors


@transaction.atomic
def season_create(*, actor: User, data: dict[str, Any]) -> Season:
    """A new season whose registration opens before its last day; organisers only."""
    _require_organiser(actor)
    _raise(_season_errors(data, None))
    return Season.objects.create(**{name: data[name] for name in SEASON_FIELDS})


@transaction.atomic
def season_update(*, actor: User, season: Season, data: dict[str, Any]) -> Season:
    """``season`` with new rules; its dates still cover its scheduled sessions, and every
    visitor's quota follows the new places per person (never below what they already hold)."""
    _require_organiser(actor)
    locked = Season.objects.select_for_update().get(pk=season.pk)
    _raise(_season_errors(data, locked))
    quota_changed = data["places_per_person"] != locked.places_per_person
    for name in SEASON_FIELDS:
        setattr(locked, name, data[name])
    locked.save(update_fields=[*SEASON_FIELDS, "updated_at"])
    if quota_changed:
        # A lower quota does not take away places already held: those people simply cannot
        # book more (allowed = taken keeps the CHECK taken <= allowed true).
        SeasonAllowance.objects.filter(season=locked).update(
            allowed=Greatest(F("taken"), locked.places_per_person)
        )
    return locked


# --- Sessions -------------------------------------------------------------------------------


def _session_errors(
    *, season: Season, starts_at: dt.datetime, ends_at: dt.datetime, capacity: int
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if starts_at <= clock.now():
        errors["starts_at"] = [_("Начало сеанса должно быть в будущем.")]
    if ends_at <= starts_at:
        errors["ends_at"] = [_("Сеанс должен заканчиваться позже, чем начинается.")]
    elif ends_at - starts_at > dt.timedelta(hours=MAX_SESSION_HOURS):
        errors["ends_at"] = [
            ngettext(
                "Сеанс не может длиться дольше %(hours)s часа.",
                "Сеанс не может длиться дольше %(hours)s часов.",
                MAX_SESSION_HOURS,
            )
            % {"hours": MAX_SESSION_HOURS}
        ]
    day = clock.localtime(starts_at).date()
    if not season.starts_on <= day <= season.ends_on:
        errors["season"] = [
            _(
                "Сезон «%(name)s» идёт с %(start)s по %(end)s; выберите день в эти даты "
                "или другой сезон."
            )
            % {
                "name": season.name,
                "start": f"{season.starts_on:%d.%m.%Y}",
                "end": f"{season.ends_on:%d.%m.%Y}",
            }
        ]
    if capacity < 1:
        errors["capacity"] = [_("Нужно хотя бы одно место.")]
    return errors


@transaction.atomic
def session_create(
    *,
    actor: User,
    experience: Experience,
    season: Season,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    capacity: int,
    mode: str = "",
) -> Session:
    """A scheduled session of ``experience`` in the future, within the days of ``season``
    (``mode`` empty: the season's way of allocating places)."""
    _require_manager(actor, experience.enterprise_id)
    _raise(_session_errors(season=season, starts_at=starts_at, ends_at=ends_at, capacity=capacity))
    return Session.objects.create(
        experience=experience,
        season=season,
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity,
        mode=mode or None,
    )


@transaction.atomic
def session_update(
    *,
    actor: User,
    session: Session,
    season: Season,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    capacity: int,
    mode: str = "",
) -> Session:
    """``session`` with a new capacity (never below the places taken) and, while nobody holds
    a place, a new time and season. Places added go to the waitlist first."""
    _require_manager(actor, session.experience.enterprise_id)
    if session.status != SessionStatus.SCHEDULED:
        _raise({NON_FIELD_ERRORS: [_("Сеанс отменён, изменить его нельзя.")]})
    if session.ends_at <= clock.now():
        _raise({NON_FIELD_ERRORS: [_("Сеанс уже прошёл, изменить его нельзя.")]})
    moved = (
        starts_at != session.starts_at
        or ends_at != session.ends_at
        or season.pk != session.season_id
    )
    errors = _session_errors(season=season, starts_at=starts_at, ends_at=ends_at, capacity=capacity)
    if not moved:
        errors.pop("starts_at", None)  # an unchanged time need not be in the future any more
    mode = mode or None  # empty: the season decides
    if mode != session.mode and (session.taken or session.applications.exists()):
        errors.setdefault("mode", []).append(
            _("Способ распределения мест нельзя менять, когда есть записи или заявки.")
        )
    _raise(errors)
    # One conditional UPDATE: a booking committed meanwhile either is seen (and refuses the
    # change) or waits for this row and then sees the new capacity.
    guard = Session.objects.filter(
        pk=session.pk, status=SessionStatus.SCHEDULED, taken__lte=capacity
    )
    if moved:
        guard = guard.filter(taken=0)
    updated = guard.update(
        season=season,
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity,
        mode=mode,
        updated_at=clock.now(),
    )
    if not updated:
        current = Session.objects.get(pk=session.pk)
        if current.status != SessionStatus.SCHEDULED:
            _raise({NON_FIELD_ERRORS: [_("Сеанс отменён, изменить его нельзя.")]})
        if current.taken > capacity:
            _raise(
                {
                    "capacity": [
                        _(
                            "Уже занято мест: %(taken)s. Меньше сделать нельзя — "
                            "сначала отмените записи или весь сеанс."
                        )
                        % {"taken": current.taken}
                    ]
                }
            )
        _raise(
            {
                NON_FIELD_ERRORS: [
                    _(
                        "На сеанс уже записаны (занято мест: %(taken)s), поэтому его время "
                        "и сезон не меняются: у людей билеты на это время. Чтобы перенести "
                        "сеанс, отмените его — участники получат письмо — и создайте новый."
                    )
                    % {"taken": current.taken}
                ]
            }
        )
    session.refresh_from_db()
    if capacity > session.taken:
        _offer_to_waitlist(session)
    return session


def _offer_to_waitlist(session: Session) -> None:
    """Places that appeared go to the people waiting, in their order (tourism.waitlist)."""
    from mosprom.tourism import waitlist

    waitlist.waitlist_offer_next(session=session)
