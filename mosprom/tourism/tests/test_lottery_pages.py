"""Lottery pages and API: apply with companions, my applications, withdraw, the result."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse

from mosprom.accounts.tests.factories import make_user
from mosprom.accounts.tokens import api_token_create
from mosprom.core import clock
from mosprom.tourism.booking import ParticipantData
from mosprom.tourism.lottery import lottery_apply, lottery_draw
from mosprom.tourism.models import AllocationMode, LotteryApplication, LotteryStatus, Session
from mosprom.tourism.tests.factories import ADULT_BIRTH_DATE, make_session

pytestmark = pytest.mark.django_db

ADULT = {"full_name": "Заводская Мария Ивановна", "birth_date": "1990-05-17"}
FRIEND = {"full_name": "Заводской Пётр Иванович", "birth_date": "1991-03-01"}


def lottery_session(**fields) -> Session:
    return make_session(mode=AllocationMode.LOTTERY, **fields)


def apply_post(client, session, people):
    rows = session.experience.max_places_per_booking
    data = {
        "p-TOTAL_FORMS": str(max(rows, len(people))),
        "p-INITIAL_FORMS": "1",
        "p-MIN_NUM_FORMS": "1",
        "p-MAX_NUM_FORMS": str(rows),
    }
    for i, person in enumerate(people):
        for name, value in person.items():
            data[f"p-{i}-{name}"] = value
    return client.post(reverse("tourism:lottery_apply", args=[session.pk]), data)


def applied(session, n: int) -> list[LotteryApplication]:
    return [
        lottery_apply(
            user=make_user(),
            session=session,
            participants=[ParticipantData(f"Иванов Иван {i}", ADULT_BIRTH_DATE)],
        )
        for i in range(n)
    ]


def drawn(session) -> None:
    with clock.frozen(session.registration_closes_at() + dt.timedelta(minutes=1)):
        lottery_draw(session=session)


# --- Pages -------------------------------------------------------------------------------------


def test_apply_page_applies_with_a_companion_and_then_shows_the_application(client):
    session = lottery_session()
    user = make_user()
    client.force_login(user)
    page = client.get(reverse("tourism:lottery_apply", args=[session.pk]))
    assert page.status_code == 200
    assert 'name="p-1-full_name"' in page.content.decode()
    response = apply_post(client, session, [ADULT, FRIEND])
    assert response.status_code == 302
    application = LotteryApplication.objects.get(user=user, session=session)
    assert [p.full_name for p in application.participants.all()] == [
        ADULT["full_name"],
        FRIEND["full_name"],
    ]
    again = client.get(reverse("tourism:lottery_apply", args=[session.pk])).content.decode()
    assert "Ваша заявка" in again
    assert 'name="p-0-full_name"' not in again
    assert reverse("tourism:lottery_withdraw", args=[application.pk]) in again


def test_apply_page_refusal_keeps_what_was_typed(client):
    session = lottery_session()
    client.force_login(make_user())
    child = {"full_name": "Малышев Малыш", "birth_date": str(clock.today() - dt.timedelta(700))}
    session.experience.min_age = 14
    session.experience.save()
    response = apply_post(client, session, [ADULT, child])
    page = response.content.decode()
    assert response.status_code == 200
    assert "участие с 14 лет" in page
    assert "Малышев Малыш" in page
    assert not LotteryApplication.objects.exists()


def test_apply_page_asks_for_confirmed_email(client):
    session = lottery_session()
    client.force_login(make_user(confirmed=False))
    page = client.get(reverse("tourism:lottery_apply", args=[session.pk])).content.decode()
    assert "Подтвердите e-mail" in page
    apply_post(client, session, [ADULT])
    assert not LotteryApplication.objects.exists()


def test_apply_page_of_a_first_come_session_sends_to_booking(client):
    session = make_session()
    client.force_login(make_user())
    response = client.get(reverse("tourism:lottery_apply", args=[session.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("tourism:book", args=[session.pk])


def test_my_applications_and_withdraw(client, django_assert_max_num_queries):
    user = make_user()
    sessions = [lottery_session() for _ in range(3)]
    applications = [
        lottery_apply(
            user=user, session=s, participants=[ParticipantData("Иванов Иван", ADULT_BIRTH_DATE)]
        )
        for s in sessions
    ]
    client.force_login(user)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("tourism:my_lottery_applications"))
    assert page.content.decode().count("Заявка принята") == 3
    url = reverse("tourism:lottery_withdraw", args=[applications[0].pk])
    assert "Отозвать заявку на розыгрыш?" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    applications[0].refresh_from_db()
    assert applications[0].status == LotteryStatus.WITHDRAWN
    other = make_user()
    client.force_login(other)
    assert client.get(url).status_code == 404
    empty = client.get(reverse("tourism:my_lottery_applications")).content.decode()
    assert "Заявок на розыгрыши нет." in empty


def test_result_page_shows_seed_order_and_masked_names(client, django_assert_max_num_queries):
    session = lottery_session(capacity=2)
    url = reverse("tourism:lottery_result", args=[session.pk])
    assert "Розыгрыш ещё не проводился" in client.get(url).content.decode()
    applied(session, 30)
    drawn(session)
    session.lottery.refresh_from_db()
    with django_assert_max_num_queries(8):
        response = client.get(url)
    page = response.content.decode()
    assert session.lottery.seed in page
    assert " ".join(str(pk) for pk in session.lottery.order) in page
    assert "Иванов Иван" not in page
    assert "И***в И." in page
    assert page.count("выигрыш") >= 2


# --- API ---------------------------------------------------------------------------------------


def bearer(user) -> dict[str, str]:
    _, key = api_token_create(user=user, name="test")
    return {"Authorization": f"Bearer {key}"}


def api_post(client, path, body=None, **headers):
    return client.post(
        "/api/v1/tourism" + path,
        data=json.dumps(body or {}),
        content_type="application/json",
        headers=headers,
    )


def test_api_apply_list_withdraw(client):
    session = lottery_session()
    user = make_user()
    auth = bearer(user)
    body = {"participants": [ADULT, FRIEND]}
    assert api_post(client, f"/sessions/{session.pk}/lottery/applications", body).status_code == 401
    created = api_post(client, f"/sessions/{session.pk}/lottery/applications", body, **auth)
    assert created.status_code == 201, created.content
    assert created.json()["places"] == 2
    assert created.json()["status"] == "applied"
    twice = api_post(client, f"/sessions/{session.pk}/lottery/applications", body, **auth)
    assert twice.status_code == 409
    assert twice.json()["code"] == "already_applied"
    listed = client.get("/api/v1/tourism/lottery/applications", headers=auth).json()
    assert [item["id"] for item in listed["items"]] == [created.json()["id"]]
    gone = api_post(client, f"/lottery/applications/{created.json()['id']}/withdraw", **auth)
    assert gone.status_code == 200
    assert gone.json()["status"] == "withdrawn"


def test_api_refuses_unconfirmed_email_and_first_come_sessions(client):
    unconfirmed = bearer(make_user(confirmed=False))
    body = {"participants": [ADULT]}
    refused = api_post(
        client, f"/sessions/{lottery_session().pk}/lottery/applications", body, **unconfirmed
    )
    assert refused.status_code == 403
    assert refused.json()["code"] == "email_not_confirmed"
    other = api_post(
        client, f"/sessions/{make_session().pk}/lottery/applications", body, **bearer(make_user())
    )
    assert other.status_code == 409
    assert other.json()["code"] == "not_lottery"


def test_api_result(client):
    session = lottery_session(capacity=1)
    assert client.get(f"/api/v1/tourism/sessions/{session.pk}/lottery").status_code == 404
    applications = applied(session, 3)
    drawn(session)
    result = client.get(f"/api/v1/tourism/sessions/{session.pk}/lottery").json()
    assert len(result["seed"]) == 64
    assert sorted(result["order"]) == sorted(a.pk for a in applications)
    assert len(result["result"]["won"]) == 1
    assert [row["position"] for row in result["rows"]] == [1, 2, 3]
    assert all("***" in row["name"] for row in result["rows"])
