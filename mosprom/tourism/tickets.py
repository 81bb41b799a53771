"""Tickets: the signed token in the QR code, the QR code itself, the calendar file.

A booking's ticket is its short ``code`` (read out or typed at the door) and a signed token
(``<booking id>.<code>:<signature>``, Django's ``signing`` with a ticket-only salt) carried
by the QR code. The token cannot be forged without SECRET_KEY and names one booking; whether
that booking may still enter is the check-in's decision (``tourism.checkin``).
"""

from __future__ import annotations

import datetime as dt
import io
from urllib.parse import urlsplit

import icalendar
import segno
from django.conf import settings
from django.core import signing
from django.db.models import Q
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from mosprom.accounts.models import User
from mosprom.core import clock
from mosprom.core.links import absolute_url, reverse_one
from mosprom.tourism.errors import NotFound
from mosprom.tourism.models import Booking, BookingStatus, SessionStatus

TICKET_SALT = "mosprom.tourism.ticket"
# Medium error correction survives a scratched phone screen and keeps the code small.
QR_ERROR = "m"
PRODID = "-//Mosprom Platform//Открой#Моспром//RU"

_signer = signing.Signer(salt=TICKET_SALT)


def ticket_token(booking: Booking) -> str:
    """The signed token of ``booking``'s ticket: stable for the booking, unforgeable."""
    return _signer.sign(f"{booking.pk}.{booking.code}")


def _booking_queryset():
    return Booking.objects.select_related(
        "user",
        "session__season",
        "session__experience__enterprise",
        "session__experience__site",
    )


def ticket_from_token(token: str) -> Booking | None:
    """The booking a genuine token names (whatever its status), or None for anything else."""
    try:
        value = _signer.unsign((token or "").strip())
    except signing.BadSignature:
        return None
    booking_id, _sep, code = value.partition(".")
    if not booking_id.isdigit() or not code:
        return None
    return _booking_queryset().filter(pk=int(booking_id), code=code).first()


def ticket_booking_get(*, user: User, code: str) -> Booking:
    """The booking with ticket ``code`` if ``user`` may see its ticket (the booker, hosts of
    the session's enterprise, organisers); raises NotFound otherwise, revealing nothing."""
    bookings = _booking_queryset().filter(code=code.strip().upper())
    if not user.is_authenticated or not user.is_active:
        raise NotFound
    if user.is_host:
        bookings = bookings.filter(
            Q(user=user) | Q(session__experience__enterprise__memberships__user=user)
        ).distinct()
    elif not user.is_organiser:
        bookings = bookings.filter(user=user)
    booking = bookings.first()
    if booking is None:
        raise NotFound
    return booking


def ticket_url(booking: Booking) -> str:
    """The absolute address of the ticket page (for mail and calendar files)."""
    return absolute_url(reverse_one("tourism:ticket", booking.code))


def ticket_file_url(booking: Booking, name: str) -> str:
    """The absolute address of one of the ticket's files (``tourism:ticket_qr``/``_ics``)."""
    return absolute_url(reverse_one(name, booking.code))


def _qr(booking: Booking) -> segno.QRCode:
    return segno.make(ticket_token(booking), error=QR_ERROR, micro=False)


def ticket_qr_svg(booking: Booking) -> SafeString:
    """The ticket's QR code as inline SVG (scales with CSS; white background for scanners)."""
    svg = _qr(booking).svg_inline(
        scale=1, border=4, dark="#000", light="#fff", omitsize=True, svgclass="ticket-qr"
    )
    label = _("QR-код билета %(code)s") % {"code": booking.code}
    # An image with a name for screen readers; the markup is ours, only the label is escaped.
    opening = format_html('<svg role="img" aria-label="{}"', label)
    return mark_safe(svg.replace("<svg", opening, 1))


def ticket_qr_png(booking: Booking, *, scale: int = 8) -> bytes:
    """The ticket's QR code as a PNG image (for mail and download)."""
    buffer = io.BytesIO()
    _qr(booking).save(buffer, kind="png", scale=scale, border=4, dark="#000", light="#fff")
    return buffer.getvalue()


def ticket_location(booking: Booking) -> str:
    """Where to go: the site's address, or the enterprise's name when it has no site."""
    experience = booking.session.experience
    if experience.site is not None:
        return experience.site.address
    return experience.enterprise.short_name


def ticket_ics(booking: Booking) -> bytes:
    """An iCalendar file with the session as one event (UTC times, the site address, the
    meeting point and code in the description); cancelled bookings give a cancelled event."""
    session = booking.session
    experience = session.experience
    cancelled = (
        booking.status == BookingStatus.CANCELLED or session.status == SessionStatus.CANCELLED
    )
    lines = [
        f"{experience.title} — {experience.enterprise.short_name}",
        _("Код билета: %(code)s") % {"code": booking.code},
        _("Мест: %(places)s") % {"places": booking.places},
    ]
    if experience.meeting_point:
        lines.insert(1, _("Место сбора: %(point)s") % {"point": experience.meeting_point})
    if experience.what_to_bring:
        lines.append(_("Что взять с собой: %(what)s") % {"what": experience.what_to_bring})
    lines.append(_("Билет: %(url)s") % {"url": ticket_url(booking)})

    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    event = icalendar.Event()
    event.add("uid", f"booking-{booking.code}@{_uid_domain()}")
    event.add("dtstamp", clock.now().astimezone(dt.UTC))
    event.add("dtstart", session.starts_at.astimezone(dt.UTC))
    event.add("dtend", session.ends_at.astimezone(dt.UTC))
    event.add("summary", experience.title)
    event.add("location", ticket_location(booking))
    event.add("description", "\n".join(lines))
    event.add("url", ticket_url(booking))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    # A cancellation replaces the event the visitor imported earlier.
    event.add("sequence", 1 if cancelled else 0)
    calendar.add_component(event)
    return calendar.to_ical()


def _uid_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "mosprom.local"
