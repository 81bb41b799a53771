"""The host cabinet (tourism.views_host, tourism.selectors_host): who sees which sessions, the
attendee list with its print view, CSV and passport reveal, the check-in page, no-shows and
cancelling a session."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

import pytest
from django.core import mail
from django.urls import reverse

from mosprom.accounts.models import AuditAction, AuditEvent, Role
from mosprom.accounts.tests.factories import make_user
from mosprom.core import clock
from mosprom.registry.tests.factories import make_enterprise, make_membership
from mosprom.tourism.booking import ParticipantData, booking_cancel
from mosprom.tourism.models import (
    Booking,
    BookingStatus,
    IdRequirement,
    Participant,
    SessionStatus,
)
from mosprom.tourism.tests.factories import (
    ADULT_BIRTH_DATE,
    make_booking,
    make_experience,
    make_season,
    make_session,
)
from mosprom.tourism.tickets import ticket_token

pytestmark = pytest.mark.django_db

LOGIN = "login"


@dataclass
class World:
    """Two enterprises, each with a session; the host is a member of the first only."""

    users: dict
    own_session: object
    other_session: object


@pytest.fixture
def world() -> World:
    users = {
        "visitor": make_user(role=Role.VISITOR),
        "host": make_user(role=Role.HOST),
        "stranger_host": make_user(role=Role.HOST),
        "organiser": make_user(role=Role.ORGANISER),
        "admin": make_user(role=Role.ADMIN),
    }
    own, other = make_enterprise(short_name="Своё"), make_enterprise(short_name="Чужое")
    make_membership(users["host"], own)
    make_membership(users["stranger_host"], other)
    season = make_season()
    return World(
        users=users,
        own_session=make_session(
            experience=make_experience(enterprise=own, title="Своя экскурсия"), season=season
        ),
        other_session=make_session(
            experience=make_experience(enterprise=other, title="Чужая экскурсия"), season=season
        ),
    )


def url(name: str, *args) -> str:
    return reverse(f"tourism:{name}", args=args)


def after(session, minutes: int = 1) -> dt.datetime:
    """A moment just after ``session`` ended."""
    return session.ends_at + dt.timedelta(minutes=minutes)


# --- Who may open what ----------------------------------------------------------------------

HOST_PAGES = [
    "host_session",
    "host_attendees",
    "host_attendees_csv",
    "host_checkin",
    "host_session_cancel",
    "host_no_shows",
]
ROLES = ["anonymous", "visitor", "host", "stranger_host", "organiser", "admin"]
# A host runs their own enterprise's sessions only; organisers and administrators run all.
EXPECTED = {
    "anonymous": LOGIN,
    "visitor": 403,
    "host": 200,
    "stranger_host": 403,
    "organiser": 200,
    "admin": 200,
}


def _as(client, world: World, role: str):
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", HOST_PAGES)
def test_session_pages_matrix(client, world, name, role):
    response = _as(client, world, role).get(url(name, world.own_session.pk))
    want = EXPECTED[role]
    if want == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == want, f"{name} as {role}"


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 302), ("visitor", 403), ("host", 200), ("organiser", 200), ("admin", 200)],
)
def test_session_list_access(client, world, role, expected):
    assert _as(client, world, role).get(url("host_sessions")).status_code == expected


def test_missing_session_is_404(client, world):
    client.force_login(world.users["organiser"])
    assert client.get(url("host_attendees", 999_999)).status_code == 404


def test_host_sees_only_sessions_of_their_enterprises(client, world):
    client.force_login(world.users["host"])
    body = client.get(url("host_sessions")).content.decode()
    assert "Своя экскурсия" in body
    assert "Чужая экскурсия" not in body
    assert "Кабинет представителя" in body


def test_organiser_sees_every_session_and_can_search(client, world):
    client.force_login(world.users["organiser"])
    page = client.get(url("host_sessions")).context["page_obj"]
    assert {s.pk for s in page} == {world.own_session.pk, world.other_session.pk}
    page = client.get(url("host_sessions"), {"q": "Чужое"}).context["page_obj"]
    assert [s.pk for s in page] == [world.other_session.pk]


def test_session_list_periods(client, world):
    ended = make_session(
        experience=world.own_session.experience,
        season=world.own_session.season,
        starts_at=world.own_session.starts_at + dt.timedelta(days=1),
    )
    client.force_login(world.users["host"])
    with clock.frozen(after(ended)):
        past = client.get(url("host_sessions"), {"period": "past"}).context["page_obj"]
        upcoming = client.get(url("host_sessions")).context["page_obj"]
    assert [s.pk for s in past] == [ended.pk, world.own_session.pk]
    assert list(upcoming) == []
    world.own_session.status = SessionStatus.CANCELLED
    world.own_session.save()
    cancelled = client.get(url("host_sessions"), {"period": "cancelled"}).context["page_obj"]
    assert [s.pk for s in cancelled] == [world.own_session.pk]


def test_host_without_enterprises_gets_an_explanation(client):
    client.force_login(make_user(role=Role.HOST))
    body = client.get(url("host_sessions")).content.decode()
    assert "не представляете ни одно предприятие" in body


def test_session_list_query_count(client, world, django_assert_max_num_queries):
    experience = world.own_session.experience
    for i in range(40):
        session = make_session(
            experience=experience,
            season=world.own_session.season,
            starts_at=world.own_session.starts_at + dt.timedelta(hours=i + 1),
        )
        booking = make_booking(session=session)
        if i % 2:
            Booking.objects.filter(pk=booking.pk).update(checked_in_at=clock.now())
    client.force_login(world.users["host"])
    with django_assert_max_num_queries(6):
        response = client.get(url("host_sessions"), {"page": 2})
    page = response.context["page_obj"]
    assert len(page.object_list) == 16  # 41 sessions, 25 a page
    assert "Страница 2 из 2" in response.content.decode()
    # the checked-in places come summed per session from the same query
    assert sum(s.checked_in_places or 0 for s in page.object_list) > 0


def test_session_detail_shows_figures_and_actions(client, world):
    make_booking(session=world.own_session, places=2)
    client.force_login(world.users["host"])
    response = client.get(url("host_session", world.own_session.pk))
    figures = response.context["figures"]
    assert (figures.bookings, figures.places, figures.checked_in_places) == (1, 2, 0)
    body = response.content.decode()
    assert url("host_checkin", world.own_session.pk) in body
    assert url("host_session_cancel", world.own_session.pk) in body
    assert url("host_no_shows", world.own_session.pk) not in body  # not started yet


# --- Attendees, print view, CSV -------------------------------------------------------------


@pytest.fixture
def passport_session(world):
    """An own session of a secure plant, with one booking of two people."""
    experience = world.own_session.experience
    experience.id_requirement = IdRequirement.PASSPORT
    experience.min_age = 14
    experience.save()
    booking = make_booking(
        session=world.own_session,
        participants=[
            ParticipantData("Петрова Анна Сергеевна", ADULT_BIRTH_DATE, "45 06 123456"),
            ParticipantData("Петров Олег Ильич", dt.date(1988, 1, 2), "4507 654321"),
        ],
    )
    return world.own_session, booking


def test_attendees_show_participants_with_masked_passports(client, world, passport_session):
    session, booking = passport_session
    client.force_login(world.users["host"])
    body = client.get(url("host_attendees", session.pk)).content.decode()
    assert booking.code in body
    assert "Петрова Анна Сергеевна" in body
    assert "45 ** ****56" in body
    assert "45 07 654321" not in body and "4507" not in body
    assert "123456" not in body
    assert url("host_reveal_passport", booking.participants.first().pk) in body
    assert not AuditEvent.objects.filter(action=AuditAction.PD_REVEALED).exists()


def test_attendees_include_cancelled_bookings_marked(client, world):
    kept = make_booking(session=world.own_session)
    gone = make_booking(session=world.own_session)
    booking_cancel(booking=gone, actor=gone.user)
    client.force_login(world.users["host"])
    response = client.get(url("host_attendees", world.own_session.pk))
    codes = [row.booking.code for row in response.context["rows"]]
    assert codes == [kept.code, gone.code]  # confirmed first
    assert "отменена" in response.content.decode()


def test_attendees_query_count(client, world, django_assert_max_num_queries):
    session = world.own_session
    session.capacity = 200
    session.save()
    for _ in range(60):
        make_booking(session=session, places=2)
    client.force_login(world.users["host"])
    with django_assert_max_num_queries(10):
        response = client.get(url("host_attendees", session.pk))
    assert len(response.context["rows"]) == 50
    assert "Страница 1 из 2" in response.content.decode()


def test_print_view_has_every_participant_on_one_page(client, world, django_assert_max_num_queries):
    session = world.own_session
    session.capacity = 200
    session.save()
    for _ in range(60):
        make_booking(session=session, places=2)
    client.force_login(world.users["host"])
    with django_assert_max_num_queries(10):
        response = client.get(url("host_attendees", session.pk), {"print": "1"})
    body = response.content.decode()
    assert response.templates[0].name == "tourism/host/attendees_print.html"
    assert body.count("Участник Тестовый 2") == 60
    assert "Записано мест: 120 из 200" in body


def test_csv_lists_participants_escapes_formulas_and_is_audited(client, world):
    make_booking(
        session=world.own_session,
        participants=[
            ParticipantData("=HYPERLINK(1)", ADULT_BIRTH_DATE),
            ParticipantData("Сидорова Мария", dt.date(2001, 3, 4)),
        ],
    )
    client.force_login(world.users["host"])
    response = client.get(url("host_attendees_csv", world.own_session.pk))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:2] == ["Код билета", "Участник"]
    names = [row[1] for row in rows[1:]]
    assert names == ["'=HYPERLINK(1)", "Сидорова Мария"]
    assert rows[2][2] == "04.03.2001"
    event = AuditEvent.objects.get(action=AuditAction.PD_REVEALED)
    assert event.actor == world.users["host"]
    assert event.details == {"what": "attendees_csv", "participants": 2}


def test_csv_never_carries_passports(client, world, passport_session):
    session, _ = passport_session
    client.force_login(world.users["organiser"])
    text = client.get(url("host_attendees_csv", session.pk)).content.decode("utf-8-sig")
    assert "Петрова Анна Сергеевна" in text
    assert "123456" not in text and "45 **" not in text


def test_csv_of_another_enterprise_is_refused_without_audit(client, world):
    make_booking(session=world.other_session)
    client.force_login(world.users["host"])
    assert client.get(url("host_attendees_csv", world.other_session.pk)).status_code == 403
    assert not AuditEvent.objects.exists()


# --- Passport reveal ------------------------------------------------------------------------


def test_reveal_passport_to_htmx_is_a_fragment_and_audited(client, world, passport_session):
    _, booking = passport_session
    participant = booking.participants.get(position=1)
    client.force_login(world.users["host"])
    assert client.get(url("host_reveal_passport", participant.pk)).status_code == 405
    response = client.post(
        url("host_reveal_passport", participant.pk), HTTP_HX_REQUEST="true", REMOTE_ADDR="192.0.2.7"
    )
    body = response.content.decode()
    assert body.startswith(f'<span class="passport" id="passport-{participant.pk}">')
    assert "45 07 654321" in body
    assert "<html" not in body
    event = AuditEvent.objects.get(action=AuditAction.PD_REVEALED)
    assert (event.actor, event.target_id, event.ip_address) == (
        world.users["host"],
        str(participant.pk),
        "192.0.2.7",
    )


def test_reveal_passport_without_javascript_is_a_page(client, world, passport_session):
    _, booking = passport_session
    participant = booking.participants.get(position=0)
    client.force_login(world.users["organiser"])
    body = client.post(url("host_reveal_passport", participant.pk)).content.decode()
    assert "<html" in body
    assert "45 06 123456" in body
    assert AuditEvent.objects.filter(action=AuditAction.PD_REVEALED).count() == 1


@pytest.mark.parametrize(("role", "expected"), [("visitor", 403), ("stranger_host", 403)])
def test_reveal_passport_refused_to_others(client, world, passport_session, role, expected):
    _, booking = passport_session
    participant = booking.participants.first()
    client.force_login(world.users[role])
    response = client.post(url("host_reveal_passport", participant.pk))
    assert response.status_code == expected
    assert "123456" not in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.PD_REVEALED).exists()


def test_reveal_after_purge_says_so(client, world, passport_session):
    _, booking = passport_session
    Participant.objects.filter(booking=booking).update(
        passport_encrypted="", passport_purged_at=clock.now()
    )
    participant = booking.participants.first()
    client.force_login(world.users["host"])
    body = client.post(url("host_reveal_passport", participant.pk), HTTP_HX_REQUEST="true")
    assert "паспортные данные удалены" in body.content.decode()
    attendees = client.get(url("host_attendees", booking.session_id)).content.decode()
    assert "паспорт удалён" in attendees


# --- Check-in -------------------------------------------------------------------------------


def _check(client, session, code: str, htmx: bool = False):
    extra = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(url("host_checkin", session.pk), {"code": code}, **extra)


def test_checkin_by_typed_code_once(client, world):
    booking = make_booking(session=world.own_session, places=2)
    client.force_login(world.users["host"])
    first = _check(client, world.own_session, booking.code.lower()[:4] + " " + booking.code[4:])
    assert first.context["result"].kind == "valid"
    body = first.content.decode()
    assert "Проходите" in body
    assert "Участник Тестовый 2" in body
    assert "Отмечено мест: 2 из 2" in body
    booking.refresh_from_db()
    assert booking.checked_in_at is not None
    assert booking.checked_in_by == world.users["host"]

    second = _check(client, world.own_session, booking.code)
    assert second.context["result"].kind == "already_used"
    assert "Билет уже использован" in second.content.decode()


def test_checkin_accepts_the_qr_token(client, world):
    booking = make_booking(session=world.own_session)
    client.force_login(world.users["organiser"])
    response = _check(client, world.own_session, ticket_token(booking), htmx=True)
    body = response.content.decode()
    assert body.startswith('<div class="checkin-result checkin-valid" data-kind="valid">')
    assert "<html" not in body


def test_checkin_refuses_other_sessions_cancelled_and_unknown(client, world):
    other = make_session(
        experience=world.own_session.experience,
        season=world.own_session.season,
        starts_at=world.own_session.starts_at + dt.timedelta(hours=3),
    )
    elsewhere = make_booking(session=other)
    cancelled = make_booking(session=world.own_session)
    booking_cancel(booking=cancelled, actor=cancelled.user)
    client.force_login(world.users["host"])

    assert _check(client, world.own_session, elsewhere.code).context["result"].kind == (
        "wrong_session"
    )
    assert _check(client, world.own_session, cancelled.code).context["result"].kind == ("cancelled")
    unknown = _check(client, world.own_session, "ZZZZZZZZ")
    assert unknown.context["result"].kind == "unknown"
    assert "Билет не найден" in unknown.content.decode()
    assert not Booking.objects.filter(checked_in_at__isnull=False).exists()


def test_checkin_with_an_empty_code_asks_for_one(client, world):
    client.force_login(world.users["host"])
    response = _check(client, world.own_session, "   ", htmx=True)
    assert "Введите код билета" in response.content.decode()


def test_checkin_page_works_without_javascript(client, world):
    client.force_login(world.users["host"])
    body = client.get(url("host_checkin", world.own_session.pk)).content.decode()
    # The form posts to the page itself; the camera block stays hidden until the script runs.
    assert f'action="{url("host_checkin", world.own_session.pk)}"' in body
    assert "data-checkin-camera hidden" in body
    assert "tourism/vendor/jsQR-1.4.0.js" in body
    assert "cdn" not in body.lower()


def test_a_stranger_host_cannot_check_in(client, world):
    booking = make_booking(session=world.own_session)
    client.force_login(world.users["stranger_host"])
    assert _check(client, world.own_session, booking.code).status_code == 403
    booking.refresh_from_db()
    assert booking.checked_in_at is None


# --- No-shows -------------------------------------------------------------------------------


def test_no_shows_wait_for_the_session(client, world):
    booking = make_booking(session=world.own_session)
    client.force_login(world.users["host"])
    response = client.post(url("host_no_shows", world.own_session.pk), {"no_show": [booking.pk]})
    assert "после начала сеанса" in response.content.decode()
    booking.refresh_from_db()
    assert booking.no_show is False


def test_mark_and_unmark_no_shows_after_the_session(client, world):
    session = world.own_session
    came, absent = make_booking(session=session), make_booking(session=session)
    client.force_login(world.users["host"])
    _check(client, session, came.code)
    with clock.frozen(after(session)):
        page = client.get(url("host_no_shows", session.pk))
        assert [row.booking.pk for row in page.context["rows"]] == [absent.pk]  # not checked-in

        response = client.post(url("host_no_shows", session.pk), {"no_show": [absent.pk]})
        assert response.status_code == 302
        absent.refresh_from_db()
        assert absent.no_show is True
        page = client.get(url("host_no_shows", session.pk)).content.decode()
        assert f'value="{absent.pk}" id="no-show-{absent.pk}" checked' in page

        client.post(url("host_no_shows", session.pk), {})
        absent.refresh_from_db()
        assert absent.no_show is False
    came.refresh_from_db()
    assert came.no_show is False


def test_no_show_for_a_booking_of_another_session_is_ignored(client, world):
    session = world.own_session
    mine = make_booking(session=session)
    theirs = make_booking(session=world.other_session)
    client.force_login(world.users["host"])
    with clock.frozen(after(session)):
        response = client.post(url("host_no_shows", session.pk), {"no_show": [theirs.pk]})
    assert response.status_code == 200  # not a choice of this form
    theirs.refresh_from_db()
    mine.refresh_from_db()
    assert theirs.no_show is False and mine.no_show is False


# --- Cancelling a session -------------------------------------------------------------------


def test_cancel_needs_confirmation_and_reason(client, world):
    make_booking(session=world.own_session, places=2)
    client.force_login(world.users["host"])
    page = client.get(url("host_session_cancel", world.own_session.pk)).content.decode()
    assert "1 запись будет отменена" in page
    response = client.post(url("host_session_cancel", world.own_session.pk), {"reason": "Ремонт"})
    assert "Подтвердите отмену" in response.content.decode()
    response = client.post(url("host_session_cancel", world.own_session.pk), {"confirm": "on"})
    assert "Напишите причину" in response.content.decode()
    world.own_session.refresh_from_db()
    assert world.own_session.status == SessionStatus.SCHEDULED


def test_cancel_releases_places_and_tells_every_booker(
    client, world, django_capture_on_commit_callbacks
):
    session = world.own_session
    first, second = make_booking(session=session, places=2), make_booking(session=session)
    mail.outbox.clear()
    client.force_login(world.users["organiser"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("host_session_cancel", session.pk),
            {"reason": "Плановый ремонт цеха", "confirm": "on"},
        )
    assert response.status_code == 302
    assert response["Location"] == url("host_session", session.pk)
    session.refresh_from_db()
    assert (session.status, session.taken, session.cancel_reason) == (
        SessionStatus.CANCELLED,
        0,
        "Плановый ремонт цеха",
    )
    assert set(Booking.objects.filter(session=session).values_list("status", flat=True)) == {
        BookingStatus.CANCELLED
    }
    recipients = {address for message in mail.outbox for address in message.to}
    assert {first.user.email, second.user.email} <= recipients
    again = client.get(url("host_session_cancel", session.pk)).content.decode()
    assert "Сеанс уже отменён" in again


def test_a_past_session_cannot_be_cancelled(client, world):
    client.force_login(world.users["host"])
    with clock.frozen(after(world.own_session)):
        response = client.post(
            url("host_session_cancel", world.own_session.pk), {"reason": "x", "confirm": "on"}
        )
    assert "уже прошёл" in response.content.decode()
    world.own_session.refresh_from_db()
    assert world.own_session.status == SessionStatus.SCHEDULED


def test_a_stranger_host_cannot_cancel(client, world):
    client.force_login(world.users["stranger_host"])
    response = client.post(
        url("host_session_cancel", world.own_session.pk), {"reason": "x", "confirm": "on"}
    )
    assert response.status_code == 403
    world.own_session.refresh_from_db()
    assert world.own_session.status == SessionStatus.SCHEDULED
