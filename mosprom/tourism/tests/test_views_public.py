"""The public tourism pages: calendar, experience, booking form, tickets, cancel, waitlist,
feedback — what a visitor sees and what each form does, refusals included."""

from __future__ import annotations

import datetime as dt
import html as htmllib
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mosprom.accounts.tests.factories import make_user
from mosprom.core import clock
from mosprom.registry.tests.factories import make_enterprise, make_site
from mosprom.tourism.booking import booking_cancel
from mosprom.tourism.models import (
    Booking,
    BookingStatus,
    ExperienceKind,
    Feedback,
    IdRequirement,
    Session,
    WaitlistEntry,
    WaitlistStatus,
)
from mosprom.tourism.tests.factories import (
    make_booking,
    make_experience,
    make_season,
    make_session,
)

pytestmark = pytest.mark.django_db

CALENDAR = reverse("tourism:calendar")


def text_of(response) -> str:
    """The page's visible text, tags dropped and spaces squeezed (for phrases split by markup)."""
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(htmllib.unescape(body).split())


@pytest.fixture
def season():
    return make_season()


@pytest.fixture
def visitor():
    return make_user(first_name="Мария", last_name="Заводская")


@pytest.fixture
def logged_in(client, visitor):
    client.force_login(visitor)
    return client


def at(day: dt.date, hour: int) -> dt.datetime:
    return clock.start_of_day(day) + dt.timedelta(hours=hour)


def book_url(session: Session) -> str:
    return reverse("tourism:book", args=[session.pk])


def booking_post(client, session, people, *, key="k-1"):
    """POST the booking form with ``people`` (dicts of the participant fields)."""
    experience = session.experience
    rows = experience.max_places_per_booking
    data = {
        "idempotency_key": key,
        "p-TOTAL_FORMS": str(max(rows, len(people))),
        "p-INITIAL_FORMS": "1",
        "p-MIN_NUM_FORMS": "1",
        "p-MAX_NUM_FORMS": str(rows),
    }
    for i, person in enumerate(people):
        for name, value in person.items():
            data[f"p-{i}-{name}"] = value
    return client.post(book_url(session), data)


ADULT = {"full_name": "Заводская Мария Ивановна", "birth_date": "1990-05-17"}
CHILD = {"full_name": "Заводской Пётр Иванович", "birth_date": "2016-03-01"}


# --- Calendar -------------------------------------------------------------------------------


def test_calendar_groups_sessions_by_day_with_places_and_actions(client, season):
    toys = make_enterprise(short_name="Комбинат игрушек", okrug="VAO")
    master = make_experience(
        enterprise=toys,
        site=make_site(toys, okrug="VAO"),
        title="Мастер-класс по игрушке",
        kind=ExperienceKind.MASTER_CLASS,
        min_age=7,
    )
    first_day = season.starts_on + dt.timedelta(days=1)
    bookable = make_session(season=season, experience=master, starts_at=at(first_day, 11))
    full = make_session(season=season, experience=master, starts_at=at(first_day, 15), capacity=1)
    make_booking(session=full)
    make_session(season=season, starts_at=at(first_day + dt.timedelta(days=2), 10), capacity=5)

    response = client.get(CALENDAR)

    assert response.status_code == 200
    page = response.content.decode()
    text = text_of(response)
    assert page.count("<h1>") == 1
    assert len(re.findall(r'<h2 id="day-\d{8}">', page)) == 2
    assert "Свободно мест: 20 из 20" in text
    assert "Мест нет" in text
    assert "Предстоящих сеансов: 3" in text
    assert "Комбинат игрушек · Восточный (ВАО)" in text
    assert "7+" in text and "Мастер-класс" in text
    assert f'href="{book_url(bookable)}"' in page
    assert f'href="{reverse("tourism:waitlist_join", args=[full.pk])}"' in page
    for field in ("date_from", "date_to", "kind", "industry", "okrug", "age", "step_free"):
        assert f'for="id_{field}"' in page


def test_calendar_filters_narrow_and_are_kept(client, season):
    make_session(season=season, experience=make_experience(title="Для взрослых", min_age=18))
    make_session(season=season, experience=make_experience(title="Для детей", min_age=7))

    response = client.get(CALENDAR, {"age": "10", "places_left": "on"})

    text = text_of(response)
    assert "Для детей" in text and "Для взрослых" not in text
    assert "Найдено сеансов: 1" in text
    page = response.content.decode()
    assert 'name="age" value="10"' in page
    assert re.search(r'name="places_left"[^>]*checked', page)
    assert '<details class="calendar-filters-box" open>' in page


def test_invalid_filters_are_reported_and_ignored(client, season):
    make_session(season=season, experience=make_experience(title="Экскурсия"))
    start = season.starts_on

    response = client.get(
        CALENDAR,
        {"okrug": "MARS", "date_from": start.isoformat(), "date_to": "2000-01-01"},
    )

    text = text_of(response)
    assert response.status_code == 200
    assert "Экскурсия" in text
    assert "Конечная дата раньше начальной." in text
    assert 'class="errorlist"' in response.content.decode()


def test_calendar_empty_states(client, season):
    assert "Расписание пока пусто" in text_of(client.get(CALENDAR))
    make_session(season=season)
    nothing = text_of(client.get(CALENDAR, {"kind": ExperienceKind.TASTING}))
    assert "Ничего не найдено" in nothing
    assert "Найдено сеансов: 0" in nothing


def test_calendar_htmx_returns_the_results_with_the_count(client, season):
    make_session(season=season, experience=make_experience(title="Экскурсия по цеху"))

    response = client.get(CALENDAR, headers={"HX-Request": "true"})

    page = response.content.decode()
    assert "<h1>" not in page
    assert 'hx-swap-oob="innerHTML"' in page
    assert "Экскурсия по цеху" in page
    assert "HX-Request" in response["Vary"]


def test_calendar_is_paginated(client, season):
    experience = make_experience()
    start = at(season.starts_on, 9)
    Session.objects.bulk_create(
        Session(
            experience=experience,
            season=season,
            starts_at=start + dt.timedelta(hours=i),
            ends_at=start + dt.timedelta(hours=i, minutes=30),
            capacity=10,
        )
        for i in range(35)
    )

    first = client.get(CALENDAR).content.decode()
    second = client.get(CALENDAR, {"page": 2}).content.decode()

    assert first.count('class="card session-card') == 30
    assert "Страница 1 из 2" in first and 'rel="next"' in first
    assert second.count('class="card session-card') == 5


def _many_sessions(season, *, experiences: int, per_experience: int) -> list:
    """``experiences`` experiences at different enterprises, each with sessions on every day."""
    made = []
    rows = []
    for n in range(experiences):
        enterprise = make_enterprise(industry_code=("26", "32", "10")[n % 3])
        experience = make_experience(enterprise=enterprise, min_age=(0, 7, 14)[n % 3])
        made.append(experience)
        for i in range(per_experience):
            start = at(season.starts_on + dt.timedelta(days=i % 14), 9 + n % 8)
            rows.append(
                Session(
                    experience=experience,
                    season=season,
                    starts_at=start,
                    ends_at=start + dt.timedelta(hours=1),
                    capacity=20,
                    taken=i % 21,
                )
            )
    Session.objects.bulk_create(rows)
    return made


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured)


def test_calendar_queries_do_not_grow_with_sessions(client, season, django_assert_max_num_queries):
    visitor = make_user()
    _many_sessions(season, experiences=2, per_experience=3)
    few_anonymous = _queries(client, CALENDAR)
    client.force_login(visitor)
    few_visitor = _queries(client, CALENDAR, {"places_left": "on", "age": "14"})
    client.logout()

    experiences = _many_sessions(season, experiences=30, per_experience=12)
    some = Session.objects.filter(experience=experiences[0], taken__lt=20)[:3]
    for session in some:
        make_booking(session=session, user=visitor)
    assert Session.objects.count() > 300

    with django_assert_max_num_queries(3):
        client.get(CALENDAR)
    assert _queries(client, CALENDAR) == few_anonymous
    client.force_login(visitor)
    with django_assert_max_num_queries(7):
        response = client.get(CALENDAR, {"places_left": "on", "age": "14"})
    assert "Вы записаны" in text_of(response)
    assert _queries(client, CALENDAR, {"places_left": "on", "age": "14"}) == few_visitor


def test_experience_page_queries_do_not_grow_with_sessions(
    client, season, django_assert_max_num_queries
):
    experience = _many_sessions(season, experiences=1, per_experience=3)[0]
    url = experience.get_absolute_url()
    visitor = make_user()
    client.force_login(visitor)
    few = _queries(client, url)

    rows = []
    for i in range(300):
        start = at(season.starts_on + dt.timedelta(days=i % 14), 8) + dt.timedelta(minutes=i)
        rows.append(
            Session(
                experience=experience,
                season=season,
                starts_at=start,
                ends_at=start + dt.timedelta(hours=1),
                capacity=20,
            )
        )
    Session.objects.bulk_create(rows)
    booked = make_booking(
        session=Session.objects.filter(experience=experience).first(), user=visitor
    )
    Booking.objects.filter(pk=booked.pk).update(checked_in_at=clock.now())
    Feedback.objects.create(booking=booked, rating=5, comment="Интересно")

    with django_assert_max_num_queries(10):
        response = client.get(url)
    assert "Средняя оценка 5,0 из 5" in text_of(response)
    # One more than with a few sessions: the latest comments, now that there are ratings.
    assert _queries(client, url) == few + 1


# --- Experience page ------------------------------------------------------------------------


def test_experience_page_shows_sessions_requirements_and_rating(client, season):
    enterprise = make_enterprise(short_name="Микрон", okrug="ZELAO")
    experience = make_experience(
        enterprise=enterprise,
        site=make_site(enterprise, address="Зеленоград, 1-й Западный проезд, 12"),
        title="Как делают микросхемы",
        min_age=14,
        id_requirement=IdRequirement.PASSPORT,
        what_to_bring="Паспорт и закрытую обувь",
        meeting_point="Проходная №2",
        step_free=True,
    )
    session = make_session(season=season, experience=experience, capacity=15)
    for rating in (5, 4):
        booking = make_booking(session=session)
        Booking.objects.filter(pk=booking.pk).update(checked_in_at=clock.now())
        Feedback.objects.create(booking=booking, rating=rating, comment="")

    response = client.get(experience.get_absolute_url())

    text = text_of(response)
    assert response.status_code == 200
    assert "Как делают микросхемы" in text
    assert "Свободно мест: 13 из 15" in text
    assert "Зеленоград, 1-й Западный проезд, 12" in text
    assert "Проходная №2" in text
    assert "с 14 лет" in text
    assert "паспортные данные каждого участника" in text
    assert "Паспорт и закрытую обувь" in text
    assert "Доступная среда" in text
    assert re.search(r"Средняя оценка 4[,.]5 из 5 · оценок: 2", text)
    assert f'href="{book_url(session)}"' in response.content.decode()


def test_experience_page_empty_and_unpublished(client, season):
    lonely = make_experience(title="Без сеансов")
    assert "Ближайших сеансов нет" in text_of(client.get(lonely.get_absolute_url()))
    assert "Оценок пока нет" in text_of(client.get(lonely.get_absolute_url()))
    hidden = make_experience(is_published=False)
    assert client.get(hidden.get_absolute_url()).status_code == 404


# --- Booking --------------------------------------------------------------------------------


def test_booking_needs_login(client, season):
    session = make_session(season=season)
    response = client.get(book_url(session))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "next=" in response["Location"]


def test_booking_form_is_prefilled_and_asks_only_what_the_plant_needs(logged_in, season):
    plain = make_session(season=season)
    response = logged_in.get(book_url(plain))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="Заводская Мария"' in page
    assert 'name="p-0-full_name"' in page and 'name="p-1-full_name"' in page
    assert 'name="p-2-full_name"' not in page
    assert "birth_date" not in page and "passport" not in page
    assert re.search(r'name="idempotency_key" value="[0-9a-f]{32}"', page)
    assert "Участник 2 — если идёте не один" in text_of(response)

    secure = make_session(
        season=season,
        experience=make_experience(min_age=14, id_requirement=IdRequirement.PASSPORT),
    )
    page = logged_in.get(book_url(secure)).content.decode()
    assert 'name="p-0-birth_date"' in page and 'type="date"' in page
    assert 'name="p-0-passport"' in page
    assert "режимный объект" in page


def test_booking_two_places_goes_to_the_ticket(logged_in, visitor, season):
    session = make_session(season=season, experience=make_experience(min_age=7))

    response = booking_post(logged_in, session, [ADULT, CHILD])

    booking = Booking.objects.get(user=visitor)
    assert response.status_code == 302
    assert response["Location"] == reverse("tourism:ticket", args=[booking.code])
    assert booking.places == 2
    assert booking.idempotency_key == "k-1"
    assert [p.full_name for p in booking.participants.all()] == [
        ADULT["full_name"],
        CHILD["full_name"],
    ]
    session.refresh_from_db()
    assert session.taken == 2


def test_a_retried_booking_post_books_once(logged_in, visitor, season):
    session = make_session(season=season)

    first = booking_post(logged_in, session, [ADULT], key="same")
    again = booking_post(logged_in, session, [ADULT], key="same")

    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    assert Booking.objects.filter(user=visitor).count() == 1
    session.refresh_from_db()
    assert session.taken == 1


def test_booking_form_errors_keep_what_was_typed(logged_in, season):
    session = make_session(
        season=season,
        experience=make_experience(min_age=14, id_requirement=IdRequirement.PASSPORT),
    )

    response = booking_post(
        logged_in,
        session,
        [{"full_name": "Заводская Мария", "birth_date": "1990-05-17", "passport": "12 34"}],
    )

    assert response.status_code == 200
    text = text_of(response)
    assert "Проверьте данные участников" in text
    assert "Серия и номер паспорта — 10 цифр" in text
    assert 'value="12 34"' in response.content.decode()
    assert not Booking.objects.exists()


def test_age_refusal_is_shown_on_the_form(logged_in, season):
    session = make_session(season=season, experience=make_experience(min_age=14))

    response = booking_post(logged_in, session, [ADULT, CHILD])

    text = text_of(response)
    assert response.status_code == 200
    assert f"{CHILD['full_name']}: участие с 14 лет" in text
    assert f'value="{CHILD["full_name"]}"' in response.content.decode()
    assert not Booking.objects.exists()


def test_sold_out_refusal_offers_the_waitlist(logged_in, season):
    session = make_session(season=season, capacity=1)
    page = logged_in.get(book_url(session)).content.decode()
    make_booking(session=session)  # somebody is faster

    response = booking_post(logged_in, session, [ADULT])

    text = text_of(response)
    assert 'name="p-0-full_name"' in page
    assert "Свободных мест не осталось" in text
    assert reverse("tourism:waitlist_join", args=[session.pk]) in response.content.decode()
    # Later visitors see no form at all, only the waitlist.
    again = logged_in.get(book_url(session))
    assert 'name="p-0-full_name"' not in again.content.decode()
    assert "Встать в лист ожидания" in text_of(again)


def test_quota_refusal(logged_in, visitor, season):
    season.places_per_person = 2
    season.save()
    make_booking(session=make_session(season=season), user=visitor)
    session = make_session(season=season)

    page = text_of(logged_in.get(book_url(session)))
    response = booking_post(logged_in, session, [ADULT, CHILD])

    assert "Мест, которые вы ещё можете занять в этом сезоне: 1." in page
    assert "не больше 2 мест на человека; у вас уже 1" in text_of(response)


def test_registration_window_refusals(logged_in, season):
    session = make_session(season=season)
    with clock.frozen(session.registration_closes_at()):
        closed = logged_in.get(book_url(session))
        refused = booking_post(logged_in, session, [ADULT])
    assert "Запись закрыта" in text_of(closed)
    assert 'name="p-0-full_name"' not in closed.content.decode()
    assert "Запись на этот сеанс закрыта" in text_of(refused)

    early = make_session(
        season=make_season(registration_opens_at=clock.now() + dt.timedelta(days=1))
    )
    assert "Запись откроется" in text_of(logged_in.get(book_url(early)))
    assert "Запись ещё не открыта" in text_of(booking_post(logged_in, early, [ADULT]))
    assert not Booking.objects.exists()


def test_unconfirmed_email_is_asked_to_confirm(client, season):
    client.force_login(make_user(confirmed=False))
    session = make_session(season=season)

    page = client.get(book_url(session))
    refused = booking_post(client, session, [ADULT])

    assert "Подтвердите e-mail" in text_of(page)
    assert reverse("accounts:confirm_resend") in page.content.decode()
    assert "Подтвердите адрес электронной почты" in text_of(refused)
    assert not Booking.objects.exists()


def test_booking_a_session_already_booked_leads_to_the_ticket(logged_in, visitor, season):
    booking = make_booking(session=make_session(season=season), user=visitor)
    response = logged_in.get(book_url(booking.session))
    assert response["Location"] == reverse("tourism:ticket", args=[booking.code])


# --- Tickets --------------------------------------------------------------------------------


def test_ticket_page_shows_qr_code_address_and_calendar_link(logged_in, visitor, season):
    enterprise = make_enterprise(short_name="Трансмаш")
    experience = make_experience(
        enterprise=enterprise,
        site=make_site(enterprise, address="Москва, ул. Вагонная, 5"),
        meeting_point="Главная проходная",
    )
    booking = make_booking(session=make_session(season=season, experience=experience), user=visitor)

    response = logged_in.get(reverse("tourism:ticket", args=[booking.code]))

    page = response.content.decode()
    text = text_of(response)
    assert response.status_code == 200
    assert '<svg role="img" aria-label="QR-код билета' in page
    assert booking.code in text
    assert "Москва, ул. Вагонная, 5" in text
    assert "Главная проходная" in text
    assert reverse("tourism:ticket_ics", args=[booking.code]) in page
    assert reverse("tourism:booking_cancel", args=[booking.code]) in page
    assert response["Cache-Control"].startswith("max-age=0")


def test_somebody_elses_ticket_is_not_found(logged_in, season):
    booking = make_booking(session=make_session(season=season))
    for name in ("tourism:ticket", "tourism:booking_cancel", "tourism:feedback"):
        assert logged_in.get(reverse(name, args=[booking.code])).status_code == 404


def test_my_tickets_lists_upcoming_history_and_waitlist(logged_in, visitor, season):
    assert "Предстоящих записей нет" in text_of(logged_in.get(reverse("tourism:my_tickets")))
    upcoming = make_booking(
        session=make_session(season=season, experience=make_experience(title="Будет")),
        user=visitor,
    )
    gone = make_booking(
        session=make_session(season=season, experience=make_experience(title="Отменил")),
        user=visitor,
    )
    booking_cancel(booking=gone, actor=visitor)
    full = make_session(season=season, capacity=1, experience=make_experience(title="Жду"))
    make_booking(session=full)
    WaitlistEntry.objects.create(session=full, user=visitor, places=2)

    response = logged_in.get(reverse("tourism:my_tickets"))

    text = text_of(response)
    assert text.index("Лист ожидания") < text.index("Будет") < text.index("Отменил")
    assert "запись отменена" in text
    assert "Вы в очереди, мест нужно: 2" in text
    assert reverse("tourism:ticket", args=[upcoming.code]) in response.content.decode()


def test_cancel_asks_first_then_frees_the_places(logged_in, visitor, season):
    booking = make_booking(session=make_session(season=season), user=visitor, places=2)
    url = reverse("tourism:booking_cancel", args=[booking.code])

    confirm = logged_in.get(url)
    assert "Отменить запись?" in text_of(confirm)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED

    response = logged_in.post(url)

    assert response["Location"] == reverse("tourism:ticket", args=[booking.code])
    booking.refresh_from_db()
    booking.session.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert booking.session.taken == 0
    ticket = logged_in.get(response["Location"])
    assert "Запись отменена" in text_of(ticket)
    assert "<svg" not in ticket.content.decode()
    assert reverse("tourism:booking_cancel", args=[booking.code]) not in ticket.content.decode()


def test_feedback_after_attending_once(logged_in, visitor, season):
    booking = make_booking(session=make_session(season=season), user=visitor)
    url = reverse("tourism:feedback", args=[booking.code])
    ticket_url = reverse("tourism:ticket", args=[booking.code])

    early = logged_in.post(url, {"rating": "5"})
    assert early["Location"] == ticket_url
    assert not Feedback.objects.exists()

    Booking.objects.filter(pk=booking.pk).update(checked_in_at=clock.now())
    assert "Как всё прошло?" in text_of(logged_in.get(ticket_url))
    invalid = logged_in.post(url, {"rating": "9", "comment": "Мой отзыв"})
    assert invalid.status_code == 200
    assert "Мой отзыв" in invalid.content.decode()
    assert 'class="errorlist"' in invalid.content.decode()

    done = logged_in.post(url, {"rating": "4", "comment": "Интересно и понятно"})

    assert done["Location"] == ticket_url
    feedback = Feedback.objects.get(booking=booking)
    assert (feedback.rating, feedback.comment) == (4, "Интересно и понятно")
    assert "Ваш отзыв" in text_of(logged_in.get(ticket_url))
    assert logged_in.post(url, {"rating": "1"})["Location"] == ticket_url
    assert Feedback.objects.get(booking=booking).rating == 4


# --- Waitlist -------------------------------------------------------------------------------


def test_join_and_leave_the_waitlist(logged_in, visitor, season):
    session = make_session(season=season, capacity=1)
    make_booking(session=session)
    url = reverse("tourism:waitlist_join", args=[session.pk])

    assert 'name="places"' in logged_in.get(url).content.decode()
    response = logged_in.post(url, {"places": "2"})

    assert response["Location"] == reverse("tourism:my_tickets")
    entry = WaitlistEntry.objects.get(user=visitor)
    assert (entry.session, entry.places, entry.status) == (session, 2, WaitlistStatus.WAITING)
    assert "Вы в листе ожидания" in text_of(logged_in.get(CALENDAR))

    leave = reverse("tourism:waitlist_leave", args=[entry.pk])
    assert "Покинуть лист ожидания?" in text_of(logged_in.get(leave))
    assert logged_in.post(leave)["Location"] == reverse("tourism:my_tickets")
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.LEFT


def test_waitlist_join_when_places_are_free_leads_to_booking(logged_in, season):
    session = make_session(season=season)
    url = reverse("tourism:waitlist_join", args=[session.pk])
    assert "записывайтесь сразу" in text_of(logged_in.get(url))
    response = logged_in.post(url, {"places": "1"})
    assert response["Location"] == book_url(session)
    assert not WaitlistEntry.objects.exists()


def test_waitlist_offer_is_accepted_with_participants(logged_in, visitor, season):
    session = make_session(season=season, capacity=2)
    other = make_booking(session=session, places=2)
    entry = WaitlistEntry.objects.create(session=session, user=visitor, places=2)
    booking_cancel(booking=other, actor=other.user)  # frees two places: offered to the visitor
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.OFFERED
    url = reverse("tourism:waitlist_offer", args=[entry.pk])

    page = logged_in.get(url)
    assert "Мест для вас: 2" in text_of(page)
    response = logged_in.post(
        url,
        {
            "action": "accept",
            "p-TOTAL_FORMS": "2",
            "p-INITIAL_FORMS": "1",
            "p-MIN_NUM_FORMS": "1",
            "p-MAX_NUM_FORMS": "2",
            "p-0-full_name": ADULT["full_name"],
            "p-1-full_name": CHILD["full_name"],
        },
    )

    booking = Booking.objects.get(user=visitor, status=BookingStatus.CONFIRMED)
    assert response["Location"] == reverse("tourism:ticket", args=[booking.code])
    assert booking.places == 2
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.ACCEPTED
    assert logged_in.get(url)["Location"] == response["Location"]


def test_waitlist_offer_can_be_declined(logged_in, visitor, season):
    session = make_session(season=season, capacity=1)
    other = make_booking(session=session)
    entry = WaitlistEntry.objects.create(session=session, user=visitor, places=1)
    booking_cancel(booking=other, actor=other.user)

    response = logged_in.post(
        reverse("tourism:waitlist_offer", args=[entry.pk]), {"action": "decline"}
    )

    assert response["Location"] == reverse("tourism:my_tickets")
    entry.refresh_from_db()
    session.refresh_from_db()
    assert entry.status == WaitlistStatus.DECLINED
    assert session.taken == 0


def test_an_expired_offer_says_so(logged_in, visitor, season):
    session = make_session(season=season, capacity=1)
    entry = WaitlistEntry.objects.create(
        session=session,
        user=visitor,
        places=1,
        status=WaitlistStatus.OFFERED,
        offer_expires_at=clock.now() - dt.timedelta(minutes=1),
    )
    page = logged_in.get(reverse("tourism:waitlist_offer", args=[entry.pk]))
    assert "Срок предложения истёк" in text_of(page)
    assert 'name="p-0-full_name"' not in page.content.decode()
    stranger = Client()
    stranger.force_login(make_user())
    for name in ("tourism:waitlist_offer", "tourism:waitlist_leave"):
        assert stranger.get(reverse(name, args=[entry.pk])).status_code == 404


def test_home_page_block_shows_the_soonest_sessions_with_places(season):
    from django.template.loader import render_to_string

    from mosprom.tourism.selectors import upcoming_sessions

    make_session(season=season, experience=make_experience(title="Мастер-класс"), capacity=5)
    full = make_session(season=season, experience=make_experience(title="Всё занято"), capacity=1)
    make_booking(session=full)

    html = render_to_string(
        "tourism/public/_home_upcoming.html", {"upcoming_sessions": upcoming_sessions()}
    )

    assert "Мастер-класс" in html and "Всё занято" not in html
    assert "Свободно мест: 5 из 5" in html
    assert f'href="{CALENDAR}"' in html
    empty = render_to_string("tourism/public/_home_upcoming.html", {"upcoming_sessions": []})
    assert "Сейчас свободных мест нет" in empty


# --- Display cache (docs/PERFORMANCE.md, browse round) ---------------------------------------


@pytest.fixture
def display_cache(settings):
    from django.core.cache import cache

    settings.DISPLAY_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def test_anonymous_session_lists_are_reused_for_a_few_seconds_members_see_fresh_places(
    client, logged_in, season, display_cache
):
    from django.core.cache import cache

    session = make_session(season=season, capacity=2)
    experience_url = session.experience.get_absolute_url()
    anonymous = Client()
    assert "Свободно мест: 2 из 2" in text_of(anonymous.get(CALENDAR))
    assert "Свободно мест: 2 из 2" in text_of(anonymous.get(experience_url))
    make_booking(session=session)
    # Display only: the anonymous lists may lag; a member's and every booking read the counter.
    assert "Свободно мест: 2 из 2" in text_of(anonymous.get(CALENDAR))
    assert "Свободно мест: 2 из 2" in text_of(anonymous.get(experience_url))
    assert "Свободно мест: 1 из 2" in text_of(logged_in.get(CALENDAR))
    assert "Свободно мест: 1 из 2" in text_of(logged_in.get(experience_url))
    # Another filter or language is another entry.
    assert "Свободно мест: 1 из 2" in text_of(anonymous.get(CALENDAR + "?places_left=on"))
    cache.clear()  # what the few seconds do
    assert "Свободно мест: 1 из 2" in text_of(anonymous.get(CALENDAR))
    assert "Свободно мест: 1 из 2" in text_of(anonymous.get(experience_url))
