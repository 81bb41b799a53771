"""Mail about bookings: confirmation with the ticket, reminder, session cancelled, waitlist offer.

The tasks run directly (``task.call``) where the test is about the mail; the last tests follow
a service through ``on_commit`` to the mail, with the immediate task backend.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from email import message_from_bytes, policy

import icalendar
import pytest
from django.core import mail
from PIL import Image
from pyzbar.pyzbar import decode

from mosprom.accounts.tests.factories import make_user
from mosprom.core import clock
from mosprom.tourism.booking import booking_cancel, session_cancel
from mosprom.tourism.models import IdRequirement
from mosprom.tourism.notifications import (
    send_booking_confirmation,
    send_reminder_mail,
    send_session_cancelled,
    send_waitlist_offer,
)
from mosprom.tourism.tests.factories import (
    make_booking,
    make_experience,
    make_session,
    participants_for,
)
from mosprom.tourism.tickets import ticket_token
from mosprom.tourism.waitlist import waitlist_decline, waitlist_join

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "https://tours.example.test"


@pytest.fixture
def booking():
    experience = make_experience(
        title="Как делают микросхемы",
        meeting_point="Проходная №1, у турникетов",
        min_age=14,
        id_requirement=IdRequirement.PASSPORT,
        what_to_bring="Паспорт и закрытую обувь",
    )
    session = make_session(experience=experience)
    user = make_user(first_name="Мария", email="maria@example.test")
    return make_booking(session=session, user=user, places=2)


def parsed(message) -> object:
    """The mail as a receiver sees it (stdlib parser over the bytes Django would send)."""
    return message_from_bytes(message.message().as_bytes(), policy=policy.default)


def attachments_of(msg) -> dict[str, object]:
    return {part.get_filename(): part for part in msg.iter_attachments()}


# --- Confirmation ---------------------------------------------------------------------------


def test_confirmation_carries_the_ticket(booking):
    assert send_booking_confirmation.call(booking.pk) is True

    (message,) = mail.outbox
    assert message.to == ["maria@example.test"]
    assert message.subject.startswith("Ваш билет: «Как делают микросхемы»")
    text = message.body
    session = booking.session
    assert "Здравствуйте, Мария!" in text
    assert session.experience.site.address in text
    assert "Место сбора: Проходная №1, у турникетов" in text
    assert f"Код билета: {booking.code}" in text
    assert f"https://tours.example.test/my/tickets/{booking.code}/" in text
    assert "паспорт" in text  # a secure plant: bring the passport
    assert "Участие с 14 лет" in text
    assert "Участник Тестовый 1, Участник Тестовый 2" in text
    local = clock.localtime(session.starts_at)
    assert f"{local:%H:%M}" in text


def test_confirmation_attaches_the_calendar_file_and_the_qr_code(booking):
    send_booking_confirmation.call(booking.pk)

    msg = parsed(mail.outbox[0])
    files = attachments_of(msg)
    assert set(files) == {f"mosprom-{booking.code}.ics", f"mosprom-{booking.code}.png"}
    ics = files[f"mosprom-{booking.code}.ics"]
    assert ics.get_content_type() == "text/calendar"
    (event,) = icalendar.Calendar.from_ical(ics.get_content()).walk("VEVENT")
    assert event.decoded("DTSTART") == booking.session.starts_at
    png = files[f"mosprom-{booking.code}.png"].get_content()
    assert [s.data.decode() for s in decode(Image.open(io.BytesIO(png)))] == [ticket_token(booking)]


def test_confirmation_shows_the_qr_code_inline_in_the_html_part(booking):
    send_booking_confirmation.call(booking.pk)

    msg = parsed(mail.outbox[0])
    assert msg.get_content_type() == "multipart/mixed"
    html = msg.get_body(preferencelist=("html",))
    cid = re.search(r'src="cid:([^"]+)"', html.get_content()).group(1)
    related = next(p for p in msg.walk() if p.get_content_type() == "multipart/related")
    image = next(p for p in related.iter_parts() if p.get_content_type() == "image/png")
    assert image["Content-ID"] == f"<{cid}>"
    assert image.get_content_disposition() == "inline"
    assert decode(Image.open(io.BytesIO(image.get_content())))[0].data.decode() == (
        ticket_token(booking)
    )
    assert f'alt="QR-код билета {booking.code}"' in html.get_content()
    assert '<html lang="ru">' in html.get_content()


def test_no_confirmation_for_a_cancelled_or_missing_booking(booking):
    booking_cancel(booking=booking, actor=booking.user)

    assert send_booking_confirmation.call(booking.pk) is False
    assert send_booking_confirmation.call(987654) is False
    assert mail.outbox == []


# --- Reminder -------------------------------------------------------------------------------


def test_reminder_before_the_session(booking):
    with clock.frozen(booking.session.starts_at - dt.timedelta(hours=24)):
        assert send_reminder_mail.call(booking.pk) is True

    (message,) = mail.outbox
    assert message.subject.startswith("Напоминание: «Как делают микросхемы»")
    assert "Приходите за 10–15 минут до начала" in message.body
    assert f"mosprom-{booking.code}.ics" in {name for name, *_ in message.attachments}


def test_no_reminder_once_the_session_began_or_after_cancelling(booking):
    with clock.frozen(booking.session.starts_at + dt.timedelta(minutes=1)):
        assert send_reminder_mail.call(booking.pk) is False
    booking_cancel(booking=booking, actor=booking.user)
    assert send_reminder_mail.call(booking.pk) is False
    assert mail.outbox == []


# --- Session cancelled ----------------------------------------------------------------------


def test_everyone_booked_is_told_when_the_session_is_cancelled(
    booking, django_capture_on_commit_callbacks
):
    other = make_booking(session=booking.session)
    organiser = make_user(role="organiser")

    with django_capture_on_commit_callbacks(execute=True):
        session_cancel(session=booking.session, actor=organiser, reason="Авария на подстанции")

    assert sorted(m.to[0] for m in mail.outbox) == sorted(["maria@example.test", other.user.email])
    message = next(m for m in mail.outbox if m.to == ["maria@example.test"])
    assert message.subject.startswith("Отменено: «Как делают микросхемы»")
    assert "Причина: Авария на подстанции" in message.body
    assert f"билет {booking.code}" in message.body
    assert "https://tours.example.test/tours/" in message.body
    ((name, content, mimetype),) = message.attachments  # no QR: the ticket is void
    assert name == f"mosprom-{booking.code}.ics"
    assert mimetype == "text/calendar"
    calendar = icalendar.Calendar.from_ical(content)
    assert str(calendar["METHOD"]) == "CANCEL"


def test_no_cancellation_mail_while_the_session_stands(booking):
    assert send_session_cancelled.call(booking.pk) is False
    booking_cancel(booking=booking, actor=booking.user)  # the visitor's own cancellation
    assert send_session_cancelled.call(booking.pk) is False
    assert mail.outbox == []


# --- Waitlist offer -------------------------------------------------------------------------


def test_waitlist_offer_mail_follows_a_cancellation(django_capture_on_commit_callbacks):
    session = make_session(capacity=2)
    first = make_booking(session=session, places=2)
    waiting = make_user(first_name="Пётр", email="petr@example.test")
    entry = waitlist_join(user=waiting, session=session, places=2)

    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=first, actor=first.user)

    (message,) = [m for m in mail.outbox if m.to == ["petr@example.test"]]
    entry.refresh_from_db()
    assert message.subject.startswith("Освободились места:")
    assert "Здравствуйте, Пётр!" in message.body
    assert "Мест для вас: 2" in message.body
    assert f"https://tours.example.test/tours/waitlist/{entry.pk}/offer/" in message.body
    until = clock.localtime(entry.offer_expires_at)
    assert f"{until:%H:%M}" in message.body
    html = message.alternatives[0].content
    assert f"/tours/waitlist/{entry.pk}/offer/" in html


def test_no_offer_mail_for_an_entry_without_an_open_offer(django_capture_on_commit_callbacks):
    session = make_session(capacity=1)
    first = make_booking(session=session)
    entry = waitlist_join(user=make_user(), session=session, places=1)
    assert send_waitlist_offer.call(entry.pk) is False  # still waiting

    booking_cancel(booking=first, actor=first.user)  # the offer opens (its mail not captured)
    entry.refresh_from_db()
    with clock.frozen(entry.offer_expires_at + dt.timedelta(seconds=1)):
        assert send_waitlist_offer.call(entry.pk) is False  # already expired
    waitlist_decline(entry=entry)
    assert send_waitlist_offer.call(entry.pk) is False
    assert mail.outbox == []


# --- Through the services -------------------------------------------------------------------


def test_booking_mails_its_ticket_once_committed(django_capture_on_commit_callbacks):
    session = make_session()
    user = make_user(email="booker@example.test")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        from mosprom.tourism.booking import booking_create

        booking = booking_create(
            user=user, session=session, participants=participants_for(session, 1)
        )
    assert mail.outbox == []  # nothing before the commit
    for callback in callbacks:
        callback()

    (message,) = mail.outbox
    assert message.to == ["booker@example.test"]
    assert booking.code in message.subject + message.body
