"""At the door and after it: checking tickets in, marking no-shows."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from django.db import transaction
from django.utils import formats
from django.utils.translation import gettext as _

from mosprom.core import clock
from mosprom.tourism import errors
from mosprom.tourism.booking import can_host_session
from mosprom.tourism.models import Booking, BookingStatus, Session, SessionStatus

_CODE = re.compile(r"^[A-Z0-9]{8}$")


class CheckinKind(enum.StrEnum):
    VALID = "valid"
    ALREADY_USED = "already_used"
    WRONG_SESSION = "wrong_session"
    CANCELLED = "cancelled"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class CheckinResult:
    """What the door shows for one scanned or typed ticket."""

    kind: CheckinKind
    booking: Booking | None = None

    @property
    def ok(self) -> bool:
        return self.kind == CheckinKind.VALID

    @property
    def message(self) -> str:
        booking = self.booking
        if self.kind == CheckinKind.VALID:
            return _("Билет действителен: %(code)s, мест — %(places)s.") % {
                "code": booking.code,
                "places": booking.places,
            }
        if self.kind == CheckinKind.ALREADY_USED:
            return _("Билет уже использован: отмечен %(when)s.") % {
                "when": formats.date_format(clock.localtime(booking.checked_in_at), "j E, H:i")
            }
        if self.kind == CheckinKind.WRONG_SESSION:
            return _("Билет на другой сеанс: %(session)s.") % {"session": booking.session}
        if self.kind == CheckinKind.CANCELLED:
            return _("Запись отменена — билет недействителен.")
        return _("Билет не найден. Проверьте код.")


def _normalise_code(text: str) -> str | None:
    code = re.sub(r"[\s\-]+", "", text).upper()
    return code if _CODE.match(code) else None


def _find_booking(text: str) -> Booking | None:
    text = (text or "").strip()
    if not text:
        return None
    code = _normalise_code(text)
    if code is not None:
        return Booking.objects.select_related("session__experience").filter(code=code).first()
    from mosprom.tourism.tickets import ticket_from_token

    return ticket_from_token(text)


def checkin(*, token_or_code: str, session: Session, actor) -> CheckinResult:
    """Admit a ticket to ``session`` once: the first valid scan records the time and the host,
    every later one answers "already used"; a ticket of another session or a cancelled one is
    refused."""
    if not can_host_session(user=actor, session=session):
        raise errors.Forbidden()
    booking = _find_booking(token_or_code)
    if booking is None:
        return CheckinResult(CheckinKind.UNKNOWN)
    if booking.session_id != session.pk:
        return CheckinResult(CheckinKind.WRONG_SESSION, booking)
    if booking.status == BookingStatus.CANCELLED or session.status == SessionStatus.CANCELLED:
        return CheckinResult(CheckinKind.CANCELLED, booking)
    admitted = Booking.objects.filter(
        pk=booking.pk, status=BookingStatus.CONFIRMED, checked_in_at__isnull=True
    ).update(checked_in_at=clock.now(), checked_in_by=actor, no_show=False)
    booking.refresh_from_db(fields=["status", "checked_in_at", "checked_in_by", "no_show"])
    if admitted:
        return CheckinResult(CheckinKind.VALID, booking)
    if booking.status == BookingStatus.CANCELLED:
        return CheckinResult(CheckinKind.CANCELLED, booking)
    return CheckinResult(CheckinKind.ALREADY_USED, booking)


def booking_mark_no_show(*, booking: Booking, actor, no_show: bool) -> Booking:
    """Record (or withdraw) that a confirmed booking's people did not come; only once the
    session has started, never for a booking checked in at the door."""
    session = booking.session
    if not can_host_session(user=actor, session=session):
        raise errors.Forbidden()
    if booking.status != BookingStatus.CONFIRMED:
        raise errors.InvalidRequest(_("Запись отменена — неявку отметить нельзя."))
    if session.starts_at > clock.now():
        raise errors.InvalidRequest(_("Неявку можно отметить только после начала сеанса."))
    if no_show and booking.checked_in_at is not None:
        raise errors.InvalidRequest(_("Участники отмечены на входе — это не неявка."))
    with transaction.atomic():
        rows = Booking.objects.filter(pk=booking.pk, status=BookingStatus.CONFIRMED)
        if no_show:
            rows = rows.filter(checked_in_at__isnull=True)  # a check-in in the meantime wins
        rows.update(no_show=no_show)
    booking.refresh_from_db(fields=["no_show", "checked_in_at", "status"])
    return booking
