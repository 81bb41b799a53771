"""The public online-tour pages: the gallery with its filters and pager, a tour page whose
player is built only from recognised ids (never from typed HTML), the play counter (once per
visitor and day, a signed cookie for anonymous visitors), the programme page, and the tourism
page of an online tour sending visitors here."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from mosprom.accounts.models import Role
from mosprom.accounts.tests.factories import make_user
from mosprom.core import clock
from mosprom.core.periods import Period
from mosprom.media.embeds import PLAYER_ORIGINS, embed_url
from mosprom.media.models import Publication, SitePlay
from mosprom.media.tests.factories import (
    make_award,
    make_online_tour,
    make_platform_views,
    make_publication,
    make_reach,
)
from mosprom.media.views_public import VIEWER_COOKIE
from mosprom.registry.models import Industry
from mosprom.registry.tests.factories import make_enterprise
from mosprom.tourism.tests.factories import make_experience

pytestmark = pytest.mark.django_db

RT = "0123456789abcdef0123456789abcdef"
NOW = dt.datetime(2024, 3, 10, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def industries():
    """Electronics and clothes (ОКВЭД 26 and 14, loaded by the registry's migrations)."""
    return [Industry.objects.get(code="26"), Industry.objects.get(code="14")]


@pytest.fixture
def organiser():
    return make_user(role=Role.ORGANISER)


def _iframe(html: str) -> str:
    """The player iframe kept in the page's inert <template>."""
    match = re.search(r"<template data-player-template>(<iframe[^>]*>)</iframe></template>", html)
    assert match, "the tour page has a player template"
    return match[1]


def _attr(tag: str, name: str) -> str | None:
    match = re.search(rf'\s{name}="([^"]*)"', tag)
    return unescape(match[1]) if match else None


# --- Gallery ---------------------------------------------------------------------------------


def test_gallery_shows_public_tours_newest_first_only(client):
    make_online_tour(title="Старая экскурсия", published_on=dt.date(2022, 1, 5))
    make_online_tour(title="Новая экскурсия", published_on=dt.date(2023, 6, 1))
    make_online_tour(title="Черновик экскурсии", is_published=False)
    make_online_tour(title="Будущая экскурсия", published_on=clock.today() + dt.timedelta(days=3))
    html = client.get(reverse("media:gallery")).content.decode()
    assert html.index("Новая экскурсия") < html.index("Старая экскурсия")
    assert "Черновик экскурсии" not in html
    assert "Будущая экскурсия" not in html


def test_gallery_filters_by_industry_and_by_enterprise(client, industries):
    electronics, clothes = industries
    rfid = make_enterprise(short_name="Смарт Системз", industry_code=electronics.code)
    sewing = make_enterprise(short_name="Макс Экстрим", industry_code=clothes.code)
    make_online_tour(enterprise=rfid, title="Как делают RFID-метки")
    make_online_tour(enterprise=sewing, title="Швейная фабрика: полный цикл")

    html = client.get(reverse("media:gallery"), {"industry": electronics.code}).content.decode()
    assert "Как делают RFID-метки" in html
    assert "Швейная фабрика: полный цикл" not in html

    html = client.get(reverse("media:gallery"), {"enterprise": sewing.pk}).content.decode()
    assert "Швейная фабрика: полный цикл" in html
    assert "Как делают RFID-метки" not in html
    # The filter only offers what has tours, and keeps the choice selected.
    assert f'<option value="{sewing.pk}" selected>' in html


def test_gallery_empty_states(client, industries):
    html = client.get(reverse("media:gallery")).content.decode()
    assert "Онлайн-экскурсий пока нет" in html
    electronics, clothes = industries
    rfid = make_enterprise(industry_code=electronics.code)
    sewing = make_enterprise(industry_code=clothes.code)
    make_online_tour(enterprise=rfid)
    make_online_tour(enterprise=sewing)
    # Each filter alone is valid; together they match nothing.
    response = client.get(
        reverse("media:gallery"), {"industry": electronics.code, "enterprise": sewing.pk}
    )
    html = response.content.decode()
    assert "С такими условиями онлайн-экскурсий нет" in html
    assert "Сбросить фильтры" in html


def test_gallery_unknown_filter_values_are_ignored(client):
    make_online_tour(title="Экскурсия на завод")
    response = client.get(reverse("media:gallery"), {"industry": "99", "enterprise": "abc"})
    assert response.status_code == 200
    assert "Экскурсия на завод" in response.content.decode()


def test_gallery_pages_by_twelve_and_keeps_the_filter_in_pager_links(client, industries):
    electronics, _ = industries
    enterprise = make_enterprise(industry_code=electronics.code)
    for n in range(13):
        make_online_tour(
            enterprise=enterprise,
            title=f"Экскурсия №{n:02d}",
            published_on=dt.date(2023, 1, 1) + dt.timedelta(days=n),
        )
    response = client.get(reverse("media:gallery"), {"industry": electronics.code})
    html = response.content.decode()
    assert len(response.context["page"].object_list) == 12
    assert "Экскурсия №00" not in html  # the oldest is on page 2
    assert f'href="?industry={electronics.code}&amp;page=2"' in html
    page2 = client.get(reverse("media:gallery"), {"industry": electronics.code, "page": 2})
    assert [t.experience.title for t in page2.context["page"].object_list] == ["Экскурсия №00"]
    assert f'href="?industry={electronics.code}&amp;page=1"' in page2.content.decode()


def test_gallery_query_count_does_not_grow_with_tours(
    client, industries, django_assert_max_num_queries
):
    electronics, clothes = industries
    for n in range(12):
        tour = make_online_tour(
            enterprise=make_enterprise(industry_code=(electronics if n % 2 else clothes).code)
        )
        make_publication(tour)
        make_publication(tour, f"https://vkvideo.ru/video-1_{n + 1}")
    # filter choices (2), count, page, publications: the same for 12 tours as for one
    with django_assert_max_num_queries(5):
        response = client.get(reverse("media:gallery"))
    assert len(response.context["page"].object_list) == 12


# --- A tour page -----------------------------------------------------------------------------


def test_tour_page_facade_holds_an_iframe_built_from_the_parsed_id(client):
    tour = make_online_tour(
        title="Насосы ЛГМ: 60 лет", cover="online-tours/covers/lgm.jpg", cover_alt="Цех сборки"
    )
    make_publication(tour, f"https://rutube.ru/video/{RT}/")
    make_publication(tour, "https://vkvideo.ru/video-22_33")
    response = client.get(tour.get_absolute_url())
    html = response.content.decode()
    frame = _iframe(html)
    assert _attr(frame, "src") == embed_url("rutube", RT)  # RUTUBE goes first
    assert _attr(frame, "title") == "Видеоплеер RUTUBE: Насосы ЛГМ: 60 лет"
    assert _attr(frame, "allow") == "fullscreen; picture-in-picture"
    assert _attr(frame, "loading") == "lazy"
    assert _attr(frame, "referrerpolicy") == "strict-origin-when-cross-origin"
    # Without JavaScript: the cover with its text alternative and a link to every platform.
    assert 'alt="Цех сборки"' in html
    assert f'href="https://rutube.ru/video/{RT}/"' in html
    assert 'href="https://vkvideo.ru/video-22_33"' in html
    assert re.search(r"<button[^>]*data-player-start hidden>Смотреть здесь</button>", html)
    # Only the recognised players may be framed.
    assert response["Content-Security-Policy"] == "frame-src " + " ".join(PLAYER_ORIGINS)


def test_tour_page_with_an_uploaded_file_plays_it_in_a_video_element(client):
    tour = make_online_tour(
        video="online-tours/video/tour.webm",
        cover="online-tours/covers/tour.png",
        cover_alt="Линия розлива",
    )
    make_publication(tour)
    html = client.get(tour.get_absolute_url()).content.decode()
    video = re.search(r"<video[^>]*>", html)[0]
    assert _attr(video, "src") == tour.video.url
    assert _attr(video, "poster") == tour.cover.url
    assert 'preload="none"' in video and " controls" in video
    assert "<template data-player-template>" not in html  # no third-party player needed
    assert "RUTUBE — открыть видео" in html  # the platform stays linked


def test_typed_html_in_a_stored_url_or_description_never_appears_raw(client, organiser):
    tour = make_online_tour(description='<img src=x onerror="alert(1)">Описание')
    Publication.objects.create(
        tour=tour,
        platform="rutube",
        url=f'https://rutube.ru/video/{RT}/"><script>alert("x")</script>',
        video_key=RT,
    )
    for who in (None, organiser):
        if who is not None:
            client.force_login(who)
        for url in (tour.get_absolute_url(), reverse("media:tour_edit", args=[tour.pk])):
            if who is None and "manage" in url:
                continue
            html = client.get(url).content.decode()
            assert "<script>alert" not in html
            assert "<img src=x" not in html
            assert 'onerror="alert' not in html
    public = client.get(tour.get_absolute_url()).content.decode()
    assert _attr(_iframe(public), "src") == embed_url("rutube", RT)
    assert "&lt;img src=x" in public  # shown as text


def test_tour_without_any_video_shows_cover_and_says_so(client):
    tour = make_online_tour(title="Скоро")
    html = client.get(tour.get_absolute_url()).content.decode()
    assert "Видео скоро появится." in html
    assert "<iframe" not in html and "<video" not in html


def test_draft_page_is_hidden_from_visitors_but_previewed_by_organisers(client, organiser):
    draft = make_online_tour(title="Черновик", is_published=False)
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(make_user(role=Role.HOST))
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(organiser)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "Черновик: посетители эту страницу не видят." in response.content.decode()


def test_tour_page_shows_all_time_views(client):
    tour = make_online_tour()
    make_platform_views(tour, Period.year(2023), 12_500)
    SitePlay.objects.create(tour=tour, day=dt.date(2023, 6, 1), visitor="a" * 64)
    html = client.get(tour.get_absolute_url()).content.decode()
    assert "12\xa0501" in html


# --- Plays -----------------------------------------------------------------------------------


def test_anonymous_plays_count_once_a_day_with_a_signed_httponly_cookie(client):
    tour = make_online_tour()
    url = reverse("media:tour_play", args=[tour.pk])
    with clock.frozen(NOW):
        first = client.post(url)
        assert first.status_code == 204
        cookie = first.cookies[VIEWER_COOKIE]
        assert cookie["httponly"] is True
        assert cookie["samesite"] == "Lax"
        assert int(cookie["max-age"]) == 365 * 24 * 3600
        assert ":" in cookie.value  # signed, not a bare id
        second = client.post(url)  # a reload: the browser sends the cookie back
        assert second.status_code == 204
        assert VIEWER_COOKIE not in second.cookies
    assert SitePlay.objects.filter(tour=tour).count() == 1
    with clock.frozen(NOW + dt.timedelta(days=1)):
        client.post(url)
    assert SitePlay.objects.filter(tour=tour).count() == 2


def test_another_anonymous_visitor_counts_and_a_forged_cookie_does_not_pass(client):
    tour = make_online_tour()
    url = reverse("media:tour_play", args=[tour.pk])
    with clock.frozen(NOW):
        client.post(url)
        Client().post(url)
        forged = Client()
        forged.cookies[VIEWER_COOKIE] = "00000000000000000000000000000000"
        response = forged.post(url)
        assert VIEWER_COOKIE in response.cookies  # a new, signed id replaces it
    assert SitePlay.objects.filter(tour=tour).count() == 3


def test_logged_in_visitor_counts_once_a_day_whatever_the_cookie(client):
    tour = make_online_tour()
    url = reverse("media:tour_play", args=[tour.pk])
    user = make_user()
    client.force_login(user)
    with clock.frozen(NOW):
        client.post(url)
        client.cookies.pop(VIEWER_COOKIE, None)
        client.post(url)
        other_browser = Client()
        other_browser.force_login(user)
        other_browser.post(url)
    assert SitePlay.objects.filter(tour=tour).count() == 1


def test_play_is_post_only_and_csrf_protected():
    tour = make_online_tour()
    url = reverse("media:tour_play", args=[tour.pk])
    browser = Client(enforce_csrf_checks=True)
    assert browser.get(url).status_code == 405
    assert browser.post(url).status_code == 403
    page = browser.get(tour.get_absolute_url())
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]
    assert browser.post(url, headers={"X-CSRFToken": token}).status_code == 204
    assert SitePlay.objects.filter(tour=tour).count() == 1


def test_plays_of_drafts_are_not_counted(client, organiser):
    draft = make_online_tour(is_published=False)
    url = reverse("media:tour_play", args=[draft.pk])
    assert client.post(url).status_code == 404
    client.force_login(organiser)
    assert client.post(url).status_code == 204  # the organiser's preview
    assert not SitePlay.objects.exists()


# --- The programme page ----------------------------------------------------------------------


@pytest.fixture
def programme_data():
    rfid = make_online_tour(title="Смарт Системз: RFID", published_on=dt.date(2023, 3, 1))
    make_online_tour(title="Экскурсия 2022 года", published_on=dt.date(2022, 9, 1))
    make_platform_views(rfid, Period.year(2023), 100_000)
    make_platform_views(rfid, Period.quarter(2022, 4), 7)
    SitePlay.objects.create(tour=rfid, day=dt.date(2023, 4, 1), visitor="b" * 64)
    make_reach("social", period=Period.year(2023), value=5_000_000)
    make_reach("site_visitors", period=Period.year(2023), value=1_000_000)
    make_award(name="Маршрут построен", year=2023, place="победа")
    make_award(name="Лучшие социальные проекты России", year=2021, place="лауреат")
    return rfid


def test_programme_defaults_to_the_last_year_with_data(client, programme_data):
    response = client.get(reverse("media:programme"))
    assert response.context["year"] == 2023
    html = response.content.decode()
    assert "Итоги 2023 года" in html
    assert '<option value="2023" selected>' in html
    # Audience = 1 000 000 + 5 000 000 + 0 (media) + 100 001 (views) + 0 (participants).
    assert response.context["audience"].total == 6_100_001
    assert "6\xa0100\xa0001" in html


def test_programme_shows_the_parts_with_their_origin_and_the_formula(client, programme_data):
    html = client.get(reverse("media:programme"), {"year": 2023}).content.decode()
    assert html.count("внесено вручную") == 3
    assert html.count("считается автоматически</span>") == 2
    assert "Аудитория = посетители сайта + социальные сети + СМИ" in html
    for label in ("Посетители сайта", "Социальные сети", "СМИ", "Участники мероприятий"):
        assert label in html


def test_programme_year_picks_its_tours_and_views_and_lists_awards_newest_first(
    client, programme_data
):
    response = client.get(reverse("media:programme"), {"year": 2022})
    html = response.content.decode()
    assert "Экскурсия 2022 года" in html
    assert "Смарт Системз: RFID" not in html
    assert response.context["views"].total == 7
    assert html.index("Маршрут построен") < html.index("Лучшие социальные проекты России")


def test_programme_with_an_unknown_year_falls_back_to_the_default(client, programme_data):
    response = client.get(reverse("media:programme"), {"year": "1812"})
    assert response.status_code == 200
    assert response.context["year"] == 2023


def test_programme_empty(client):
    response = client.get(reverse("media:programme"))
    html = response.content.decode()
    assert response.context["year"] == clock.today().year
    assert "онлайн-экскурсий не публиковали" in html
    assert "Наград пока нет в списке." in html


def test_programme_query_count_is_bounded(client, programme_data, django_assert_max_num_queries):
    for n in range(15):
        tour = make_online_tour(published_on=dt.date(2023, 5, 1) + dt.timedelta(days=n))
        make_publication(tour)
        make_award(name=f"Премия {n}", year=2020 + n % 4)
    # years (4) + audience (7) + views (2) + tours (count, page, publications) + awards (2)
    with django_assert_max_num_queries(18):
        response = client.get(reverse("media:programme"), {"year": 2023})
    assert len(response.context["tours"].object_list) == 12


# --- The tourism page of an online tour --------------------------------------------------------


def test_tourism_page_of_an_online_tour_redirects_here(client):
    tour = make_online_tour()
    response = client.get(reverse("tourism:experience_detail", args=[tour.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("media:tour_detail", args=[tour.pk])


def test_tourism_page_of_an_excursion_stays(client):
    experience = make_experience()
    response = client.get(reverse("tourism:experience_detail", args=[experience.pk]))
    assert response.status_code == 200
