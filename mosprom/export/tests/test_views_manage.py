"""The organisers' export pages: events with their call, criteria and rates; the ranking of an
event's applications; scoring and deciding one application (rejecting after a confirmation);
outcome reports with the totals in roubles and the reminder; the fair vote's rounds and
candidates. Hosts and visitors are refused."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from mosprom.accounts.models import Role
from mosprom.accounts.tests.factories import make_user
from mosprom.core import clock
from mosprom.export.models import (
    ApplicationStatus,
    Call,
    Contract,
    CriterionScore,
    EventRate,
    ExportEvent,
    FairCandidate,
    FairVote,
    OutcomeReport,
    VoteRound,
)
from mosprom.export.tests.factories import (
    make_application,
    make_company,
    make_export_event,
    make_vote_round,
)
from mosprom.registry.models import Industry

pytestmark = pytest.mark.django_db

S = ApplicationStatus


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def organiser(client):
    user = make_user(role=Role.ORGANISER)
    client.force_login(user)
    return user


def test_hosts_and_visitors_are_refused(client):
    event = make_export_event()
    for role in (Role.HOST, Role.VISITOR):
        client.force_login(make_user(role=role))
        for url in (
            reverse("export:manage_events"),
            reverse("export:manage_applications", args=[event.pk]),
            reverse("export:manage_reports", args=[event.pk]),
            reverse("export:manage_votes"),
        ):
            assert client.get(url).status_code == 403


# --- Events -------------------------------------------------------------------------------


def _event_post(**extra) -> dict:
    today = clock.today()
    data = {
        "event-kind": "exhibition",
        "event-title": "CIIF 2026: коллективный стенд Москвы",
        "event-title_en": "CIIF 2026: Moscow joint stand",
        "event-country": "Китай",
        "event-city": "Шанхай",
        "event-starts_on": (today + dt.timedelta(days=90)).isoformat(),
        "event-ends_on": (today + dt.timedelta(days=94)).isoformat(),
        "event-places": "7",
        "event-industries": [Industry.objects.get(code="28").pk],
        "event-city_covers": "Стенд и его застройка",
        "event-company_pays": "Перелёт",
        "event-is_published": "on",
        "call-opens_at": (today + dt.timedelta(days=1)).isoformat() + "T10:00",
        "call-closes_at": (today + dt.timedelta(days=30)).isoformat() + "T18:00",
        "call-required_documents": "Презентация компании\nКаталог продукции",
        "criteria-TOTAL_FORMS": "2",
        "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "20",
        "criteria-0-name": "Опыт экспорта",
        "criteria-0-weight": "40",
        "criteria-0-max_score": "10",
        "criteria-1-name": "Готовность продукции",
        "criteria-1-weight": "60",
        "criteria-1-max_score": "10",
        "rates-TOTAL_FORMS": "2",
        "rates-INITIAL_FORMS": "0",
        "rates-MIN_NUM_FORMS": "0",
        "rates-MAX_NUM_FORMS": "20",
        "rates-0-currency": "cny",
        "rates-0-rub_per_unit": "12.5",
        "rates-1-currency": "",
        "rates-1-rub_per_unit": "",
    }
    data.update(extra)
    return data


def test_create_an_event_with_call_criteria_and_rates(client, organiser, monkeypatch):
    scheduled = []
    monkeypatch.setattr(
        "mosprom.export.tasks.report_reminders_schedule", lambda event: scheduled.append(event.pk)
    )
    response = client.post(reverse("export:manage_event_new"), _event_post())
    event = ExportEvent.objects.get()
    assert response["Location"] == reverse("export:manage_applications", args=[event.pk])
    assert event.title_en == "CIIF 2026: Moscow joint stand" and event.places == 7
    assert list(event.industries.values_list("code", flat=True)) == ["28"]
    assert event.call.documents == ["Презентация компании", "Каталог продукции"]
    assert clock.localtime(event.call.opens_at).strftime("%H:%M") == "10:00"
    assert list(event.call.criteria.values_list("name", "weight", "position")) == [
        ("Опыт экспорта", 40, 1),
        ("Готовность продукции", 60, 2),
    ]
    assert list(event.rates.values_list("currency", "rub_per_unit")) == [("CNY", Decimal("12.5"))]
    assert scheduled == [event.pk]


def test_event_form_errors_keep_what_was_typed(client, organiser):
    data = _event_post(
        **{
            "event-ends_on": (clock.today() + dt.timedelta(days=80)).isoformat(),
            "call-closes_at": "",
            "rates-0-currency": "RUB",
            "criteria-0-weight": "0",
        }
    )
    text = _text(client.post(reverse("export:manage_event_new"), data))
    assert "Окончание не может быть раньше начала." in text
    assert "Укажите и начало, и конец приёма заявок" in text
    assert "Рублям курс не нужен." in text
    assert 'value="CIIF 2026: коллективный стенд Москвы"' in text
    assert "Каталог продукции" in text
    assert not ExportEvent.objects.exists()


def test_edit_an_event_without_writing_the_places_counter_back(client, organiser):
    event = make_export_event(places=3)
    make_application(event=event, status=S.ACCEPTED)
    make_application(event=event, status=S.ACCEPTED)
    url = reverse("export:manage_event_edit", args=[event.pk])
    text = _text(client.get(url))
    assert 'value="Опыт экспорта"' in text and "Презентация компании" in text
    criteria = list(event.call.criteria.all())
    data = _event_post(
        **{
            "event-title": "Новое название",
            "event-places": "1",
            "criteria-TOTAL_FORMS": "2",
            "criteria-INITIAL_FORMS": "2",
            "criteria-0-id": criteria[0].pk,
            "criteria-0-call": event.call.pk,
            "criteria-1-id": criteria[1].pk,
            "criteria-1-call": event.call.pk,
            "criteria-1-DELETE": "on",
        }
    )
    text = _text(client.post(url, data))
    assert "Одобренных заявок уже 2" in text
    assert 'value="Новое название"' in text
    data["event-places"] = "5"
    response = client.post(url, data)
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.title, event.places, event.taken) == ("Новое название", 5, 2)
    assert list(event.call.criteria.values_list("name", flat=True)) == ["Опыт экспорта"]
    assert Call.objects.count() == 1


def test_events_list_with_a_bounded_number_of_queries(
    client, organiser, django_assert_max_num_queries
):
    for n in range(30):
        event = make_export_event(title=f"Мероприятие {n:02d}", is_published=n % 2 == 0)
        make_application(event=event)
    with django_assert_max_num_queries(8):
        text = _text(client.get(reverse("export:manage_events")))
    assert "черновик" in text and "Страница 1 из 2" in text


# --- The ranking ---------------------------------------------------------------------------


def _scored(event, name, experience, readiness, status=S.IN_REVIEW):
    enterprise, _ = make_company(short_name=name)
    application = make_application(event=event, enterprise=enterprise, status=status)
    for criterion, score in zip(event.call.criteria.all(), (experience, readiness), strict=True):
        if score is not None:
            CriterionScore.objects.create(application=application, criterion=criterion, score=score)
    return application


def test_ranking_by_weighted_score_and_status_filter(client, organiser):
    event = make_export_event()
    _scored(event, "Средний", 5, 5)
    _scored(event, "Лучший", 10, 9)
    _scored(event, "Без оценки", None, None, status=S.SUBMITTED)
    _scored(event, "Отклонённый", 10, 10, status=S.REJECTED)
    url = reverse("export:manage_applications", args=[event.pk])
    text = _text(client.get(url))
    assert text.index("Лучший") < text.index("Средний") < text.index("Без оценки")
    assert "94,00" in text or "94.00" in text  # (40×10/10 + 60×9/10) / 100
    assert "Отклонённый" not in text
    text = _text(client.get(url, {"status": "rejected"}))
    assert "Отклонённый" in text and "Лучший" not in text
    text = _text(client.get(url, {"status": "submitted"}))
    assert "Без оценки" in text and "Средний" not in text


def test_ranking_has_a_bounded_number_of_queries(client, organiser, django_assert_max_num_queries):
    event = make_export_event(places=40)
    for n in range(25):
        _scored(event, f"Компания {n:02d}", n % 11, (n * 3) % 11)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("export:manage_applications", args=[event.pk]))
    assert _text(response).count("app-status-in_review") == 25


# --- One application: scores and decisions ------------------------------------------------


def test_scores_per_criterion_and_refusals(client, organiser):
    event = make_export_event()
    application = make_application(event=event, status=S.IN_REVIEW)
    experience, readiness = event.call.criteria.all()
    url = reverse("export:manage_application", args=[application.pk])
    client.post(url, {f"score-c{experience.pk}": "8", f"score-c{readiness.pk}": "6"})
    assert dict(CriterionScore.objects.values_list("criterion__name", "score")) == {
        "Опыт экспорта": 8,
        "Готовность продукции": 6,
    }
    assert "Взвешенная оценка: 68,00 из 100" in _text(client.get(url))
    text = _text(client.post(url, {f"score-c{experience.pk}": "11"}))
    assert 'value="11"' in text and "меньше либо равно 10" in text
    text = _text(client.post(url, {}))
    assert "Поставьте хотя бы одну оценку." in text


def test_organiser_accepts_through_review_and_the_page_shows_the_moves(
    client, organiser, django_capture_on_commit_callbacks
):
    event = make_export_event(places=1)
    application = make_application(event=event, status=S.SUBMITTED)
    page = _text(client.get(reverse("export:manage_application", args=[application.pk])))
    assert "Взять на рассмотрение" in page and "Одобрить" not in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("export:manage_transition", args=[application.pk, "in_review"]),
            {"comment": "Смотрим"},
        )
        client.post(reverse("export:manage_transition", args=[application.pk, "accepted"]))
    application.refresh_from_db()
    event.refresh_from_db()
    assert application.status == S.ACCEPTED and event.taken == 1
    assert len(mail.outbox) == 2
    # No place left: the refusal is shown with the comment typed.
    second = make_application(event=event, status=S.IN_REVIEW)
    url = reverse("export:manage_transition", args=[second.pk, "accepted"])
    text = _text(client.post(url, {"comment": "Очень сильная заявка"}))
    assert "Все места на мероприятии уже заняты" in text and "Очень сильная заявка" in text
    second.refresh_from_db()
    assert second.status == S.IN_REVIEW


def test_rejecting_needs_the_confirmation_page(client, organiser):
    application = make_application(status=S.IN_REVIEW)
    url = reverse("export:manage_transition", args=[application.pk, "rejected"])
    page = _text(client.get(reverse("export:manage_application", args=[application.pk])))
    assert f'href="{url}"' in page  # a link to the confirmation, not a button
    client.post(url, {"comment": "Не подходит по отрасли"})
    application.refresh_from_db()
    assert application.status == S.IN_REVIEW
    text = _text(client.get(url))
    assert "Отклонить заявку?" in text
    client.post(url, {"comment": "Не подходит по отрасли", "confirmed": "1"})
    application.refresh_from_db()
    assert application.status == S.REJECTED
    assert application.transitions.get().comment == "Не подходит по отрасли"


def test_a_move_not_allowed_now_is_explained_and_unknown_is_not_found(client, organiser):
    application = make_application(status=S.SUBMITTED)
    url = reverse("export:manage_transition", args=[application.pk, "accepted"])
    assert "нельзя перевести" in _text(client.get(url))
    client.post(url)
    application.refresh_from_db()
    assert application.status == S.SUBMITTED
    bogus = reverse("export:manage_transition", args=[application.pk, "confirmed"])
    assert client.get(bogus).status_code == 404


# --- Outcome reports ----------------------------------------------------------------------


def _finished_event():
    start = clock.today() - dt.timedelta(days=20)
    event = make_export_event(
        with_call=False, starts_on=start, ends_on=start + dt.timedelta(days=4), places=20
    )
    EventRate.objects.create(event=event, currency="CNY", rub_per_unit=Decimal("12.5"))
    EventRate.objects.create(event=event, currency="USD", rub_per_unit=Decimal("90"))
    return event


def _report(application, meetings, contracts, expected="0"):
    report = OutcomeReport.objects.create(
        application=application,
        meetings_held=meetings,
        agreements=1,
        expected_export_rub=Decimal(expected),
        submitted_at=clock.now(),
    )
    for value, currency in contracts:
        Contract.objects.create(
            report=report, counterpart="Buyer", value=Decimal(value), currency=currency
        )
    return report


def test_reports_overview_totals_in_roubles_and_who_has_not_reported(client, organiser):
    event = _finished_event()
    vozdukh, _ = make_company(short_name="Корпорация «Воздух»")
    sensor, _ = make_company(short_name="Монокристалл Сенсор")
    silent, _ = make_company(short_name="Молчаливый завод")
    _report(
        make_application(event=event, enterprise=vozdukh, status=S.PARTICIPATED),
        10,
        [("100000", "CNY"), ("500000", "RUB")],
        expected="2000000",
    )
    _report(
        make_application(event=event, enterprise=sensor, status=S.PARTICIPATED),
        5,
        [("1000", "USD")],
    )
    make_application(event=event, enterprise=silent, status=S.PARTICIPATED)
    text = _text(client.get(reverse("export:manage_reports", args=[event.pk])))
    # 100 000 × 12.5 + 500 000 + 1 000 × 90 = 1 840 000 ₽
    assert re.search(r'class="contracts-total">1[\s\xa0 ]?840[\s\xa0 ]?000[,.]00<', text)
    assert "Сдали отчёт</dt><dd>2<" in text.replace(" <", "<")
    missing = text.split("Не сдали отчёт", 1)[1].split("</section>", 1)[0]
    assert "Молчаливый завод" in missing and "Корпорация «Воздух»" not in missing
    assert "Напомнить" in missing


def test_remind_queues_the_reminder_mail(client, organiser, django_capture_on_commit_callbacks):
    event = _finished_event()
    silent, _ = make_company(short_name="Молчаливый завод")
    make_application(
        event=event, enterprise=silent, status=S.PARTICIPATED, contact_email="silent@example.test"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("export:manage_remind", args=[event.pk]), follow=True)
    assert "Напоминание отправится компаниям без отчёта: 1." in _text(response)
    assert any("silent@example.test" in message.to for message in mail.outbox)


def test_reports_overview_has_a_bounded_number_of_queries(
    client, organiser, django_assert_max_num_queries
):
    event = _finished_event()
    for n in range(20):
        enterprise, _ = make_company(short_name=f"Участник {n:02d}")
        application = make_application(event=event, enterprise=enterprise, status=S.PARTICIPATED)
        if n % 2:
            _report(application, n, [("1000", "CNY"), ("10", "USD")])
    with django_assert_max_num_queries(14):
        response = client.get(reverse("export:manage_reports", args=[event.pk]))
    assert _text(response).count("отчёт не сдан") == 10


# --- The fair vote ------------------------------------------------------------------------


def test_vote_round_candidates_and_publishing(client, organiser):
    now = clock.localtime(clock.now())
    response = client.post(
        reverse("export:manage_vote_new"),
        {
            "year": str(now.year + 1),
            "votes_per_enterprise": "3",
            "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (now + dt.timedelta(days=14)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    vote_round = VoteRound.objects.get()
    assert response["Location"] == reverse("export:manage_vote", args=[vote_round.pk])
    url = reverse("export:manage_vote", args=[vote_round.pk])
    client.post(
        url,
        {
            "action": "candidate",
            "title": "China International Industry Fair",
            "country": "Китай",
            "city": "Шанхай",
            "dates": "сентябрь",
        },
    )
    candidate = FairCandidate.objects.get(round=vote_round)
    FairVote.objects.create(candidate=candidate, enterprise=make_company()[0])
    assert "China International Industry Fair" in _text(client.get(url))
    client.post(reverse("export:manage_vote_publish", args=[vote_round.pk]), {"publish": "1"})
    vote_round.refresh_from_db()
    assert vote_round.results_published
    # A fair somebody voted for stays.
    client.post(reverse("export:manage_candidate", args=[candidate.pk]), {"action": "delete"})
    assert FairCandidate.objects.filter(pk=candidate.pk).exists()
    text = _text(client.post(url, {"action": "round", "year": "1999"}))
    assert "больше либо равно 2000" in text


def test_vote_round_year_is_unique(client, organiser):
    make_vote_round(year=2040)
    now = clock.localtime(clock.now())
    text = _text(
        client.post(
            reverse("export:manage_vote_new"),
            {
                "year": "2040",
                "votes_per_enterprise": "3",
                "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
                "closes_at": (now + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
            },
        )
    )
    assert "Голосование по выставкам этого года уже есть." in text
    assert VoteRound.objects.count() == 1


def test_unvoted_candidate_can_be_edited_and_deleted(client, organiser):
    vote_round = make_vote_round()
    candidate = FairCandidate.objects.create(
        round=vote_round, title="Canton Fair", country="Китай", city="Гуанчжоу"
    )
    url = reverse("export:manage_candidate", args=[candidate.pk])
    client.post(url, {"title": "Canton Fair 2027", "country": "Китай", "city": "Гуанчжоу"})
    candidate.refresh_from_db()
    assert candidate.title == "Canton Fair 2027"
    client.post(url, {"action": "delete"})
    assert not FairCandidate.objects.exists()
