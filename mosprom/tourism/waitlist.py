"""The waitlist of a full session: joining, offers that hold places, accepting, passing on.

An open offer holds its places in ``Session.taken``, so at every commit
``taken == sum(places of confirmed bookings) + sum(places of OFFERED entries)``.
Row locks follow the booking order: allowance, session, then the entry.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from mosprom.core import clock
from mosprom.tourism import errors, selectors
from mosprom.tourism.booking import (
    ParticipantData,
    check_booking_rules,
    check_can_register,
    insert_booking,
    lock_session,
    refuse_until_drawn,
    release_session_places,
    schedule_booking_work,
    take_allowance,
)
from mosprom.tourism.models import (
    Booking,
    Session,
    SessionStatus,
    WaitlistEntry,
    WaitlistStatus,
)
from mosprom.tourism.tasks import expire_offer, schedule_at

OPEN = (WaitlistStatus.WAITING, WaitlistStatus.OFFERED)


def waitlist_join(*, user, session: Session, places: int) -> WaitlistEntry:
    """Put ``user`` in line for ``places`` on a session that cannot seat them now; one open
    entry per person and session."""
    check_can_register(user=user, session=session)
    refuse_until_drawn(session)
    limit = session.experience.max_places_per_booking
    if not 1 <= places <= limit:
        raise errors.TooManyPlaces(max=limit)
    if selectors.holds_booking(user=user, session=session):
        raise errors.AlreadyBooked()
    taken = selectors.allowance_taken(user=user, season_id=session.season_id)
    if taken + places > session.season.places_per_person:
        raise errors.QuotaExceeded(allowed=session.season.places_per_person, taken=taken)
    capacity, held = Session.objects.filter(pk=session.pk).values_list("capacity", "taken").get()
    if capacity - held >= places:
        raise errors.NotFull()
    try:
        with transaction.atomic():
            return WaitlistEntry.objects.create(user=user, session=session, places=places)
    except IntegrityError as clash:
        raise errors.AlreadyWaiting() from clash


def waitlist_leave(*, entry: WaitlistEntry, actor) -> WaitlistEntry:
    """Take the entry out of the line; an open offer is released and passed on."""
    if entry.user_id != actor.pk and not actor.is_organiser:
        raise errors.Forbidden()
    if entry.status == WaitlistStatus.OFFERED:
        _close_offer(entry=entry, status=WaitlistStatus.LEFT)
    elif entry.status == WaitlistStatus.WAITING:
        WaitlistEntry.objects.filter(pk=entry.pk, status=WaitlistStatus.WAITING).update(
            status=WaitlistStatus.LEFT, closed_at=clock.now()
        )
    entry.refresh_from_db()
    return entry


def waitlist_offer_next(*, session: Session) -> list[WaitlistEntry]:
    """Offer the session's free places to the first in line who fit, in order; each offer
    holds its places until accepted, declined or expired. Returns the new offers."""
    now = clock.now()
    closes_at = session.registration_closes_at()
    if now >= closes_at:
        return []
    offers = []
    with transaction.atomic():
        locked = lock_session(session.pk)
        if locked.status != SessionStatus.SCHEDULED:
            return []
        free = locked.capacity - locked.taken
        expires_at = min(now + dt.timedelta(hours=session.season.offer_hours), closes_at)
        while free > 0:
            entry = (
                WaitlistEntry.objects.filter(
                    session_id=session.pk, status=WaitlistStatus.WAITING, places__lte=free
                )
                .order_by("created_at", "id")
                .first()
            )
            if entry is None:
                break
            flipped = WaitlistEntry.objects.filter(
                pk=entry.pk, status=WaitlistStatus.WAITING
            ).update(status=WaitlistStatus.OFFERED, offered_at=now, offer_expires_at=expires_at)
            if not flipped:  # left the line meanwhile
                continue
            held = Session.objects.filter(
                pk=session.pk, taken__lte=F("capacity") - entry.places
            ).update(taken=F("taken") + entry.places)
            if not held:  # cannot happen under the session lock; undo rather than overbook
                WaitlistEntry.objects.filter(pk=entry.pk).update(
                    status=WaitlistStatus.WAITING, offered_at=None, offer_expires_at=None
                )
                break
            free -= entry.places
            entry.status = WaitlistStatus.OFFERED
            entry.offered_at, entry.offer_expires_at = now, expires_at
            offers.append(entry)
        if offers:
            transaction.on_commit(
                lambda: _send_offers([(e.pk, e.offer_expires_at) for e in offers])
            )
    return offers


def _send_offers(offers) -> None:
    from mosprom.tourism.notifications import send_waitlist_offer

    for entry_id, expires_at in offers:
        send_waitlist_offer.enqueue(entry_id)
        schedule_at(expire_offer, expires_at, entry_id)


def waitlist_accept(*, entry: WaitlistEntry, participants: list[ParticipantData]) -> Booking:
    """Turn an open offer into a confirmed booking under the booking rules, consuming the
    places the offer holds (fewer participants release the rest to the next in line)."""
    if entry.status == WaitlistStatus.WAITING:
        raise errors.NoOffer()
    if entry.status != WaitlistStatus.OFFERED:
        raise errors.OfferExpired(_("Предложение уже недействительно."))
    if entry.offer_expires_at is not None and entry.offer_expires_at <= clock.now():
        waitlist_expire(entry=entry)
        raise errors.OfferExpired()
    session = entry.session
    user = entry.user
    people = check_booking_rules(
        user=user, session=session, participants=participants, max_places=entry.places
    )
    surplus = entry.places - len(people)
    with transaction.atomic():
        take_allowance(user=user, season=session.season, places=len(people))
        lock_session(session.pk)
        flipped = WaitlistEntry.objects.filter(
            pk=entry.pk, status=WaitlistStatus.OFFERED, offer_expires_at__gt=clock.now()
        ).update(status=WaitlistStatus.ACCEPTED, closed_at=clock.now())
        if not flipped:
            raise errors.OfferExpired()
        if surplus:
            release_session_places(session_id=session.pk, places=surplus)
        booking = insert_booking(user=user, session=session, people=people)
        WaitlistEntry.objects.filter(pk=entry.pk).update(booking=booking)
        schedule_booking_work(booking, with_passports=any(p.passport_digits for p in people))
        if surplus:
            waitlist_offer_next(session=session)
    entry.refresh_from_db()
    return booking


def waitlist_decline(*, entry: WaitlistEntry) -> WaitlistEntry:
    """Refuse an open offer: its places go to the next in line."""
    _close_offer(entry=entry, status=WaitlistStatus.DECLINED)
    entry.refresh_from_db()
    return entry


def waitlist_expire(*, entry: WaitlistEntry) -> bool:
    """End an open offer (its time is up): release its places and offer them on. False if the
    offer was already answered."""
    closed = _close_offer(entry=entry, status=WaitlistStatus.EXPIRED)
    entry.refresh_from_db()
    return closed


def _close_offer(*, entry: WaitlistEntry, status: WaitlistStatus) -> bool:
    with transaction.atomic():
        lock_session(entry.session_id)
        flipped = WaitlistEntry.objects.filter(pk=entry.pk, status=WaitlistStatus.OFFERED).update(
            status=status, closed_at=clock.now()
        )
        if flipped:
            release_session_places(session_id=entry.session_id, places=entry.places)
            waitlist_offer_next(session=entry.session)
    return bool(flipped)
