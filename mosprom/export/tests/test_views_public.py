"""Public export pages: the events list with its filters, an event with its call, the exporter
showcase in Russian, English and Chinese, and the fair vote with its published results."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from mosprom.accounts.models import Role
from mosprom.accounts.tests.factories import make_user
from mosprom.core import clock
from mosprom.export.models import (
    ApplicationStatus,
    EventKind,
    FairCandidate,
    FairVote,
    OutcomeReport,
)
from mosprom.export.tests.factories import (
    make_application,
    make_company,
    make_export_event,
    make_vote_round,
)
from mosprom.registry.models import Industry
from mosprom.registry.tests.factories import make_product

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _past(**fields):
    start = clock.today() - dt.timedelta(days=40)
    fields.setdefault("starts_on", start)
    fields.setdefault("ends_on", start + dt.timedelta(days=4))
    return make_export_event(with_call=False, **fields)


# --- The list --------------------------------------------------------------------------------


def test_list_splits_upcoming_and_past_and_hides_drafts(client):
    make_export_event(title="CIIF Шанхай", places=7)
    _past(title="Иннопром Ташкент", country="Узбекистан", city="Ташкент")
    make_export_event(title="Черновик миссии", is_published=False)
    text = _text(client.get(reverse("export:event_list")))
    upcoming, past = text.split("Прошедшие мероприятия", 1)
    assert "CIIF Шанхай" in upcoming and "7 мест" in upcoming
    assert "Иннопром Ташкент" in past and "Иннопром Ташкент" not in upcoming
    assert "Черновик миссии" not in text


def test_list_filters_by_kind_country_and_year(client):
    make_export_event(title="Выставка в Китае", kind=EventKind.EXHIBITION)
    make_export_event(title="Миссия в Индию", kind=EventKind.MISSION, country="Индия", city="Дели")
    _past(title="Миссия прошлых лет", kind=EventKind.MISSION, country="Индия", city="Мумбаи")
    url = reverse("export:event_list")
    text = _text(client.get(url, {"kind": "mission"}))
    assert "Миссия в Индию" in text and "Выставка в Китае" not in text
    text = _text(client.get(url, {"country": "Китай"}))
    assert "Выставка в Китае" in text and "Миссия в Индию" not in text
    year = (clock.today() - dt.timedelta(days=40)).year
    later = make_export_event(
        title="Миссия через год",
        starts_on=clock.today().replace(year=year + 2, month=6, day=1),
        ends_on=clock.today().replace(year=year + 2, month=6, day=5),
    )
    text = _text(client.get(url, {"year": str(later.starts_on.year)}))
    assert "Миссия через год" in text and "Миссия в Индию" not in text
    # A value not offered is ignored, not an error.
    assert client.get(url, {"country": "Атлантида"}).status_code == 200
    assert "Сбросить фильтры" in _text(client.get(url, {"kind": "b2b"}))


def test_list_is_paginated_with_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    industry = Industry.objects.first()
    for n in range(15):
        event = make_export_event(
            title=f"Миссия {n:02d}", starts_on=clock.today() + dt.timedelta(days=30 + n)
        )
        event.industries.add(industry)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("export:event_list"))
    text = _text(response)
    assert "Миссия 00" in text and "Миссия 14" not in text
    assert "Страница 1 из 2" in text
    assert "Миссия 14" in _text(client.get(reverse("export:event_list"), {"page": 2}))


def test_empty_list_says_so(client):
    text = _text(client.get(reverse("export:event_list")))
    assert "Предстоящих мероприятий пока нет" in text


# --- An event ------------------------------------------------------------------------------


def test_event_page_shows_terms_call_criteria_and_documents(client):
    event = make_export_event(
        title="CIIF 2026",
        places=7,
        city_covers="Аренда и застройка стенда",
        company_pays="Перелёт и проживание",
    )
    event.industries.add(Industry.objects.get(code="28"))
    make_application(event=event, status=ApplicationStatus.ACCEPTED)
    text = _text(client.get(event.get_absolute_url()))
    assert "CIIF 2026" in text and "Шанхай, Китай" in text
    assert "свободно 6 из 7" in text
    assert "Аренда и застройка стенда" in text and "Перелёт и проживание" in text
    assert "Опыт экспорта" in text and "Готовность продукции" in text and ">60<" in text
    assert "Презентация компании" in text
    assert "Заявки принимаются до" in text
    # Anonymous people are asked to log in, a visitor is told who applies, a host gets the button.
    assert "Войдите" in text and "Подать заявку</a>" not in text
    client.force_login(make_user(role=Role.VISITOR))
    assert "Подать заявку могут представители" in _text(client.get(event.get_absolute_url()))
    _, host = make_company()
    client.force_login(host)
    text = _text(client.get(event.get_absolute_url()))
    assert reverse("export:apply", args=[event.pk]) in text


def test_event_page_links_the_hosts_own_application(client):
    enterprise, host = make_company(short_name="Воздух")
    application = make_application(enterprise=enterprise, user=host)
    client.force_login(host)
    text = _text(client.get(application.event.get_absolute_url()))
    assert reverse("export:my_application", args=[application.pk]) in text
    assert "Заявка «Воздух»: Подана" in text


def test_event_page_tells_a_closed_or_future_call(client):
    event = make_export_event()
    event.call.opens_at = clock.now() + dt.timedelta(days=3)
    event.call.closes_at = clock.now() + dt.timedelta(days=10)
    event.call.save()
    assert "Приём заявок откроется" in _text(client.get(event.get_absolute_url()))
    event.call.opens_at = clock.now() - dt.timedelta(days=10)
    event.call.closes_at = clock.now() - dt.timedelta(days=3)
    event.call.save()
    assert "Приём заявок закрыт" in _text(client.get(event.get_absolute_url()))
    assert "не принимаются" in _text(client.get(_past().get_absolute_url()))


def test_draft_event_is_for_organisers_only(client):
    event = make_export_event(is_published=False)
    assert client.get(event.get_absolute_url()).status_code == 404
    client.force_login(make_user(role=Role.ORGANISER))
    assert "Черновик" in _text(client.get(event.get_absolute_url()))


# --- The showcase --------------------------------------------------------------------------


def _showcase_event():
    event = _past(
        title="CIIF 2025: коллективный стенд Москвы",
        title_en="CIIF 2025: Moscow joint stand",
        title_zh="2025年中国国际工业博览会：莫斯科联合展台",
        description="Семь московских компаний.",
        description_en="Seven Moscow companies.",
    )
    vozdukh, _ = make_company(short_name="Корпорация «Воздух»")
    make_product(vozdukh, name="Газоочистная установка", hs_code="8421392000")
    shown = make_application(event=event, enterprise=vozdukh, status=ApplicationStatus.PARTICIPATED)
    OutcomeReport.objects.create(
        application=shown,
        quote="Мы смогли продемонстрировать наши решения.",
        quote_author="Александр Бондарь",
        submitted_at=clock.now(),
    )
    hidden, _ = make_company(short_name="Не прошедшие отбор")
    make_application(event=event, enterprise=hidden, status=ApplicationStatus.REJECTED)
    return event


def test_showcase_lists_participants_and_products_in_russian(client):
    event = _showcase_event()
    response = client.get(reverse("export:showcase", args=[event.pk]))
    text = _text(response)
    assert '<html lang="ru">' in text
    assert "CIIF 2025: коллективный стенд Москвы" in text
    assert "Корпорация «Воздух»" in text and "Газоочистная установка" in text
    assert "8421392000" in text
    assert "Мы смогли продемонстрировать наши решения." in text
    assert "Не прошедшие отбор" not in text
    assert "中文" not in text  # Chinese only when the event asks for it


def test_showcase_in_english_uses_the_english_texts(client):
    event = _showcase_event()
    text = _text(client.get(reverse("export:showcase", args=[event.pk]), {"lang": "en"}))
    assert '<html lang="en">' in text
    assert "CIIF 2025: Moscow joint stand" in text and "Seven Moscow companies." in text
    assert "CIIF 2025: коллективный стенд Москвы" not in text
    assert "Газоочистная установка" in text  # products as the registry has them
    assert 'aria-current="page">English' in text


def test_showcase_in_chinese_only_when_the_event_allows(client):
    event = _showcase_event()
    url = reverse("export:showcase", args=[event.pk])
    text = _text(client.get(url, {"lang": "zh"}))
    assert '<html lang="ru">' in text and "莫斯科联合展台" not in text
    event.show_chinese = True
    event.save(update_fields=["show_chinese"])
    text = _text(client.get(url, {"lang": "zh"}))
    assert '<html lang="zh-hans">' in text and "莫斯科联合展台" in text
    assert "中文" in text


def test_showcase_has_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    event = _past(places=20)
    for n in range(12):
        enterprise, _ = make_company(short_name=f"Экспортёр {n:02d}")
        make_product(enterprise, name=f"Изделие {n}")
        make_application(event=event, enterprise=enterprise, status=ApplicationStatus.CONFIRMED)
    with django_assert_max_num_queries(7):
        response = client.get(reverse("export:showcase", args=[event.pk]))
    assert _text(response).count("showcase-card") == 12


def test_showcase_of_a_draft_is_not_found(client):
    event = make_export_event(is_published=False)
    assert client.get(reverse("export:showcase", args=[event.pk])).status_code == 404


# --- The fair vote ------------------------------------------------------------------------


def test_vote_page_lists_candidates_then_ranked_results(client):
    vote_round = make_vote_round()
    candidates = [
        FairCandidate.objects.create(round=vote_round, title=title, country="Китай", city=city)
        for title, city in (("CIIF", "Шанхай"), ("Canton Fair", "Гуанчжоу"), ("CIIE", "Шанхай"))
    ]
    for n in range(3):
        enterprise, _ = make_company()
        FairVote.objects.create(candidate=candidates[1], enterprise=enterprise)
        if n < 1:
            FairVote.objects.create(candidate=candidates[0], enterprise=enterprise)
    url = reverse("export:vote_detail", args=[vote_round.pk])
    text = _text(client.get(url))
    assert "Выставки-кандидаты" in text and "Canton Fair" in text
    assert "Голосов</th>" not in text  # no counts before the results are out
    vote_round.results_published = True
    vote_round.save(update_fields=["results_published"])
    text = _text(client.get(url))
    order = [text.index(title) for title in ("Canton Fair", "CIIF<", "CIIE")]
    assert order == sorted(order)
    assert re.search(r'>1</td>\s*<th scope="row">Canton Fair</th>.*?>3</td>', text)
    assert re.search(r'>3</td>\s*<th scope="row">CIIE</th>.*?>0</td>', text)


def test_vote_list_shows_rounds_with_their_state(client):
    make_vote_round(year=2031)
    make_vote_round(
        year=2030,
        opens_at=clock.now() - dt.timedelta(days=30),
        closes_at=clock.now() - dt.timedelta(days=20),
        results_published=True,
    )
    text = _text(client.get(reverse("export:vote_list")))
    assert "Выставки 2031 года" in text and "Голосование идёт до" in text
    assert "Выставки 2030 года" in text and "Итоги опубликованы" in text


def test_empty_vote_list_says_so(client):
    assert "Голосований пока не было" in _text(client.get(reverse("export:vote_list")))
