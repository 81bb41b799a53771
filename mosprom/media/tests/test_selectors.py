"""Reads for the gallery, the tour page and the back office (``media.selectors``)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.http import Http404

from mosprom.accounts.models import Role
from mosprom.accounts.tests.factories import make_user
from mosprom.core import clock
from mosprom.core.periods import Period
from mosprom.media import selectors
from mosprom.media.embeds import PLAYER_ORIGINS
from mosprom.media.selectors import GalleryFilters
from mosprom.media.tests.factories import (
    make_award,
    make_online_tour,
    make_platform_views,
    make_publication,
    make_reach,
)
from mosprom.registry.tests.factories import make_enterprise, make_membership

pytestmark = pytest.mark.django_db

MSK = dt.timezone(dt.timedelta(hours=3))
TODAY = dt.datetime(2023, 6, 1, 12, 0, tzinfo=MSK)
RT = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def gallery():
    """Public tours in two industries, a draft, a scheduled tour."""
    sewing = make_enterprise(short_name="Макс Экстрим", industry_code="14")
    pumps = make_enterprise(short_name="ЛГМ", industry_code="28")
    hidden = make_enterprise(short_name="Только черновики", industry_code="10")
    return {
        "old": make_online_tour(enterprise=sewing, published_on=dt.date(2023, 1, 10)),
        "new": make_online_tour(enterprise=pumps, published_on=dt.date(2023, 5, 20)),
        "today": make_online_tour(enterprise=sewing, published_on=dt.date(2023, 6, 1)),
        "draft": make_online_tour(enterprise=hidden, is_published=False),
        "scheduled": make_online_tour(enterprise=hidden, published_on=dt.date(2023, 6, 2)),
        "sewing": sewing,
        "pumps": pumps,
    }


def users():
    host = make_user(role=Role.HOST)
    make_membership(host, make_enterprise())
    return {
        "anonymous": AnonymousUser(),
        "visitor": make_user(),
        "host": host,
        "organiser": make_user(role=Role.ORGANISER),
        "admin": make_user(role=Role.ADMIN),
    }


def test_public_tours_are_published_and_dated_today_or_earlier_newest_first(gallery):
    with clock.frozen(TODAY):
        tours = list(selectors.tours_public())

    assert tours == [gallery["today"], gallery["new"], gallery["old"]]


def test_the_gallery_filters_by_industry_and_enterprise(gallery):
    with clock.frozen(TODAY):
        by_industry = list(selectors.tours_public(filters=GalleryFilters(industry="28")))
        by_enterprise = list(
            selectors.tours_public(filters=GalleryFilters(enterprise=gallery["sewing"].pk))
        )
        both = list(
            selectors.tours_public(
                filters=GalleryFilters(industry="28", enterprise=gallery["sewing"].pk)
            )
        )

    assert by_industry == [gallery["new"]]
    assert by_enterprise == [gallery["today"], gallery["old"]]
    assert both == []


def test_the_filters_offer_only_industries_and_enterprises_with_public_tours(gallery):
    with clock.frozen(TODAY):
        industries = [industry.code for industry in selectors.gallery_industries()]
        enterprises = list(selectors.gallery_enterprises())

    assert sorted(industries) == ["14", "28"]
    assert enterprises == [gallery["pumps"], gallery["sewing"]]  # by short name


def test_tours_published_in_a_period_count_only_public_ones(gallery, django_assert_num_queries):
    with clock.frozen(TODAY):
        with django_assert_num_queries(1):
            in_2023 = selectors.tours_published_count(period=Period.year(2023))
        in_may = selectors.tours_published_count(period=Period.month(2023, 5))
        in_june = selectors.tours_published_count(period=Period.month(2023, 6))
        all_time = selectors.tours_published_count()

    # old (Jan), new (May), today (1 Jun); the draft and the tour scheduled for 2 June are not.
    assert (in_2023, in_may, in_june, all_time) == (3, 1, 1, 3)


def test_a_gallery_page_takes_two_queries(gallery, django_assert_max_num_queries):
    for tour in (gallery["old"], gallery["new"], gallery["today"]):
        make_publication(tour)

    with clock.frozen(TODAY), django_assert_max_num_queries(2):
        tours = list(selectors.tours_public()[:12])
        shown = [
            (t.experience.enterprise.industry.name, [p.platform for p in t.publications.all()])
            for t in tours
        ]

    assert [platforms for _name, platforms in shown] == [["rutube"]] * 3


@pytest.mark.parametrize("who", ["anonymous", "visitor", "host"])
def test_drafts_and_scheduled_tours_are_404_to_the_public(gallery, who):
    user = users()[who]

    with clock.frozen(TODAY):
        assert selectors.tour_for_visitor(user=user, pk=gallery["old"].pk) == gallery["old"]
        for hidden in ("draft", "scheduled"):
            with pytest.raises(Http404):
                selectors.tour_for_visitor(user=user, pk=gallery[hidden].pk)
        with pytest.raises(Http404):
            selectors.tour_for_visitor(user=user, pk=999_999)
        with pytest.raises(Http404):
            selectors.tour_for_visitor(user=user, pk="abc")


@pytest.mark.parametrize("who", ["organiser", "admin"])
def test_organisers_see_drafts_and_scheduled_tours(gallery, who):
    user = users()[who]

    with clock.frozen(TODAY):
        assert selectors.tour_for_visitor(user=user, pk=gallery["draft"].pk) == gallery["draft"]
        assert selectors.tour_for_visitor(user=user, pk=gallery["scheduled"].pk)


STAFF_READS = {
    "tours_for_staff": lambda u, w: list(selectors.tours_for_staff(user=u)),
    "tour_for_staff": lambda u, w: selectors.tour_for_staff(user=u, pk=w["tour"].pk),
    "platform_views_for_staff": lambda u, w: list(selectors.platform_views_for_staff(user=u)),
    "platform_views_row_for_staff": lambda u, w: selectors.platform_views_row_for_staff(
        user=u, pk=w["views"].pk
    ),
    "reach_for_staff": lambda u, w: list(selectors.reach_for_staff(user=u)),
    "reach_row_for_staff": lambda u, w: selectors.reach_row_for_staff(user=u, pk=w["reach"].pk),
    "award_for_staff": lambda u, w: selectors.award_for_staff(user=u, pk=w["award"].pk),
}


def staff_world():
    tour = make_online_tour()
    return {
        "tour": tour,
        "views": make_platform_views(tour, Period.year(2023), 5),
        "reach": make_reach(period=Period.year(2023), value=5),
        "award": make_award(),
    }


@pytest.mark.parametrize("read", sorted(STAFF_READS))
def test_back_office_reads_are_for_organisers_only(read):
    world, people = staff_world(), users()

    for who in ("anonymous", "visitor", "host"):
        with pytest.raises(PermissionDenied):
            STAFF_READS[read](people[who], world)
    for who in ("organiser", "admin"):
        assert STAFF_READS[read](people[who], world)


@pytest.mark.parametrize(
    "read",
    [
        lambda u: selectors.tour_for_staff(user=u, pk=999_999),
        lambda u: selectors.platform_views_row_for_staff(user=u, pk=999_999),
        lambda u: selectors.reach_row_for_staff(user=u, pk="x"),
        lambda u: selectors.award_for_staff(user=u, pk=999_999),
    ],
)
def test_unknown_back_office_rows_are_404(read):
    with pytest.raises(Http404):
        read(make_user(role=Role.ORGANISER))


def test_staff_tours_include_drafts_and_views_filter_by_tour_and_period(gallery):
    organiser = make_user(role=Role.ORGANISER)
    year = make_platform_views(gallery["old"], Period.year(2023), 1)
    may = make_platform_views(gallery["old"], Period.month(2023, 5), 2, platform="vk")
    other = make_platform_views(gallery["new"], Period.month(2023, 5), 3)

    assert set(selectors.tours_for_staff(user=organiser)) >= {
        gallery["draft"],
        gallery["scheduled"],
    }
    assert set(selectors.platform_views_for_staff(user=organiser, tour=gallery["old"])) == {
        year,
        may,
    }
    assert set(
        selectors.platform_views_for_staff(user=organiser, period=Period.month(2023, 5))
    ) == {may, other}


def test_public_awards_newest_year_first():
    older = make_award(year=2021, name="Б")
    newer = make_award(year=2023, name="А")

    assert list(selectors.awards_public()) == [newer, older]


# --- The player -----------------------------------------------------------------------------


def test_the_player_prefers_an_uploaded_file(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    tour = make_online_tour()
    make_publication(tour)
    tour.video.save("tour.mp4", ContentFile(b"\x00"), save=True)

    player = selectors.player(tour)

    assert player.kind == "file"
    assert player.src == tour.video.url


def test_the_player_picks_rutube_then_vk_then_youtube_then_ok():
    tour = make_online_tour()
    make_publication(tour, "https://ok.ru/video/123")
    make_publication(tour, "https://youtu.be/dQw4w9WgXcQ")
    assert selectors.player(tour).platform == "youtube"
    make_publication(tour, "https://vkvideo.ru/video-1_2")
    tour = selectors.tour_for_visitor(user=AnonymousUser(), pk=tour.pk)
    assert selectors.player(tour).platform == "vk"
    make_publication(tour, f"https://rutube.ru/video/{RT}/")
    tour = selectors.tour_for_visitor(user=AnonymousUser(), pk=tour.pk)

    player = selectors.player(tour)

    assert (player.kind, player.platform, player.label) == ("embed", "rutube", "RUTUBE")
    assert player.src == f"https://rutube.ru/play/embed/{RT}"
    assert player.watch == f"https://rutube.ru/video/{RT}/"
    assert any(player.src.startswith(origin + "/") for origin in PLAYER_ORIGINS)
    assert selectors.links(tour) == [
        ("RUTUBE", f"https://rutube.ru/video/{RT}/"),
        ("VK Видео", "https://vkvideo.ru/video-1_2"),
        ("YouTube", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
        ("Одноклассники", "https://ok.ru/video/123"),
    ]


def test_a_tour_without_video_has_no_player_and_no_links():
    tour = make_online_tour()

    assert selectors.player(tour) is None
    assert selectors.links(tour) == []
