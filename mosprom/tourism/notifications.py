"""Mail to visitors about their bookings, as deferred tasks (enqueued after commit by the
services in ``tourism.booking`` and ``tourism.waitlist``).

Each task takes an id, reloads the row and does nothing when the fact it announces is no longer
true (a cancelled booking gets no reminder, a closed waitlist entry no offer): a task may run
late, or after the visitor changed their mind. Mail is in Russian; the ticket mails carry the
QR code (inline in the HTML part and as a PNG attachment) and the calendar file.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.utils import make_msgid
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from mosprom.core import clock
from mosprom.core.links import absolute_url
from mosprom.tourism.models import (
    Booking,
    BookingStatus,
    IdRequirement,
    SessionStatus,
    WaitlistEntry,
    WaitlistStatus,
)
from mosprom.tourism.tickets import (
    ticket_ics,
    ticket_location,
    ticket_qr_png,
    ticket_url,
)

TEMPLATES = "tourism/email"


@dataclass(frozen=True)
class InlineImage:
    cid: str  # without angle brackets
    content: bytes
    filename: str


class TicketMail(EmailMultiAlternatives):
    """Text and HTML alternatives; images the HTML shows inline travel with it in a
    multipart/related part (Django's own attachments go to the outer multipart/mixed)."""

    def __init__(self, *args: Any, inline_images: list[InlineImage] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.inline_images = list(inline_images)

    def _add_bodies(self, msg):
        super()._add_bodies(msg)
        html = msg.get_body(preferencelist=("html",)) if self.inline_images else None
        for image in self.inline_images if html is not None else ():
            html.add_related(
                image.content,
                maintype="image",
                subtype="png",
                cid=f"<{image.cid}>",
                filename=image.filename,
                disposition="inline",
            )
        return msg


def _booking(booking_id: int) -> Booking | None:
    return (
        Booking.objects.select_related(
            "user",
            "session__season",
            "session__experience__enterprise",
            "session__experience__site",
        )
        .prefetch_related("participants")
        .filter(pk=booking_id)
        .first()
    )


def _booking_context(booking: Booking) -> dict[str, Any]:
    session = booking.session
    experience = session.experience
    site = experience.site
    return {
        "booking": booking,
        "user": booking.user,
        "session": session,
        "experience": experience,
        "enterprise": experience.enterprise,
        "site": site,
        "address": ticket_location(booking),
        "map_url": site.map_url if site is not None else "",
        "participants": list(booking.participants.all()),
        "passport_required": experience.id_requirement == IdRequirement.PASSPORT,
        "ticket_url": ticket_url(booking),
        "calendar_url": absolute_url(reverse("tourism:calendar")),
        "my_tickets_url": absolute_url(reverse("tourism:my_tickets")),
        "SITE_URL": settings.SITE_URL,
    }


def _send(
    *,
    to: str,
    template: str,
    context: dict[str, Any],
    attachments: list[tuple[str, bytes, str]] = (),
    inline_images: list[InlineImage] = (),
) -> None:
    """Render ``<template>_subject.txt``, ``_body.txt`` and ``_body.html`` in Russian and send."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{TEMPLATES}/{template}_subject.txt", context).split())
        text = render_to_string(f"{TEMPLATES}/{template}_body.txt", context)
        html = render_to_string(f"{TEMPLATES}/{template}_body.html", context)
    message = TicketMail(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        inline_images=inline_images,
    )
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    message.send()


def _send_ticket_mail(booking: Booking, *, template: str, extra: dict[str, Any] | None = None):
    qr = ticket_qr_png(booking)
    cid = make_msgid(idstring="ticket-qr", domain="mosprom.local")[1:-1]
    context = _booking_context(booking) | {"qr_cid": cid} | (extra or {})
    _send(
        to=booking.user.email,
        template=template,
        context=context,
        attachments=[
            (f"mosprom-{booking.code}.ics", ticket_ics(booking), "text/calendar"),
            (f"mosprom-{booking.code}.png", qr, "image/png"),
        ],
        inline_images=[InlineImage(cid=cid, content=qr, filename="qr.png")],
    )


def _bookable(booking: Booking | None) -> bool:
    return (
        booking is not None
        and booking.status == BookingStatus.CONFIRMED
        and booking.session.status == SessionStatus.SCHEDULED
    )


@task()
def send_booking_confirmation(booking_id: int) -> bool:
    """Mail the ticket of a confirmed booking; returns whether a mail was sent."""
    booking = _booking(booking_id)
    if not _bookable(booking):
        return False
    _send_ticket_mail(booking, template="booking_confirmation")
    return True


@task()
def send_reminder_mail(booking_id: int) -> bool:
    """Remind of a confirmed booking before its session (not once the session has begun)."""
    booking = _booking(booking_id)
    if not _bookable(booking) or booking.session.starts_at <= clock.now():
        return False
    _send_ticket_mail(booking, template="booking_reminder")
    return True


@task()
def send_session_cancelled(booking_id: int) -> bool:
    """Tell a booker that the session was cancelled (with a calendar update that removes it)."""
    booking = _booking(booking_id)
    if (
        booking is None
        or booking.status != BookingStatus.CANCELLED
        or booking.session.status != SessionStatus.CANCELLED
    ):
        return False
    _send(
        to=booking.user.email,
        template="session_cancelled",
        context=_booking_context(booking) | {"reason": booking.session.cancel_reason.strip()},
        attachments=[(f"mosprom-{booking.code}.ics", ticket_ics(booking), "text/calendar")],
    )
    return True


@task()
def send_waitlist_offer(entry_id: int) -> bool:
    """Offer places held for a waitlist entry while the offer is open."""
    entry = (
        WaitlistEntry.objects.select_related(
            "user",
            "session__season",
            "session__experience__enterprise",
            "session__experience__site",
        )
        .filter(pk=entry_id)
        .first()
    )
    if (
        entry is None
        or entry.status != WaitlistStatus.OFFERED
        or entry.offer_expires_at is None
        or entry.offer_expires_at <= clock.now()
        or entry.session.status != SessionStatus.SCHEDULED
    ):
        return False
    session = entry.session
    experience = session.experience
    site = experience.site
    _send(
        to=entry.user.email,
        template="waitlist_offer",
        context={
            "entry": entry,
            "user": entry.user,
            "session": session,
            "experience": experience,
            "enterprise": experience.enterprise,
            "site": site,
            "address": site.address if site is not None else experience.enterprise.short_name,
            "offer_url": absolute_url(reverse("tourism:waitlist_offer", args=[entry.pk])),
            "SITE_URL": settings.SITE_URL,
        },
    )
    return True
