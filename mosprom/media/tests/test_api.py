"""The media API under /api/v1/media/: the tours gallery and a tour with its player, plays
counted once a day, views per period, organisers' platform counts, the audience, the awards.

Lists keep a fixed number of queries; a schemathesis run against real rows finds no server
error and nothing undocumented.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
import schemathesis
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from mosprom.accounts.models import AuditAction, AuditEvent, Role
from mosprom.accounts.tests.factories import make_user
from mosprom.accounts.tokens import api_token_create
from mosprom.core import clock
from mosprom.core.periods import Period
from mosprom.media.models import CountSource, OnlineTour, PlatformViews, Publication, SitePlay
from mosprom.media.plays import visitor_hash
from mosprom.media.tests.factories import (
    make_award,
    make_online_tour,
    make_platform_views,
    make_publication,
    make_reach,
)
from mosprom.registry.tests.factories import make_enterprise

pytestmark = pytest.mark.django_db

API = "/api/v1/media"
MSK = dt.timezone(dt.timedelta(hours=3))
RT = "0123456789abcdef0123456789abcdef"
RT_URL = f"https://rutube.ru/video/{RT}/"
YT_URL = "https://youtu.be/dQw4w9WgXcQ"
VK_URL = "https://vkvideo.ru/video_ext.php?oid=-220754053&id=456239017&hash=8f0e5a1b2c"


def bearer(user) -> dict[str, str]:
    _, key = api_token_create(user=user, name="test")
    return {"Authorization": f"Bearer {key}"}


def send(client, method: str, path: str, body: dict | None = None, **headers):
    return client.generic(
        method,
        path,
        data=None if body is None else json.dumps(body),
        content_type="application/json",
        headers=headers,
    )


@pytest.fixture
def organiser():
    return make_user(role=Role.ORGANISER)


@pytest.fixture
def visitor():
    return make_user(role=Role.VISITOR)


# --- The gallery ------------------------------------------------------------------------------


@pytest.fixture
def gallery():
    """Three public tours of two industries, a draft and one scheduled for a later day."""
    sewing = make_enterprise(short_name="Макс Экстрим", industry_code="14")
    pumps = make_enterprise(short_name="ЛГМ", industry_code="28")
    tours = {
        "sewing": make_online_tour(
            enterprise=sewing, title="Швейная фабрика", published_on=dt.date(2023, 3, 1)
        ),
        "pumps": make_online_tour(
            enterprise=pumps, title="Насосы ЛГМ", published_on=dt.date(2023, 9, 1)
        ),
        "pumps_old": make_online_tour(
            enterprise=pumps, title="Испытательный стенд", published_on=dt.date(2022, 11, 1)
        ),
    }
    make_publication(tours["pumps"], RT_URL)
    make_online_tour(enterprise=pumps, title="Черновик", is_published=False)
    make_online_tour(
        enterprise=pumps,
        title="Скоро",
        published_on=clock.today() + dt.timedelta(days=3),
    )
    return tours


def titles(response) -> list[str]:
    return [item["title"] for item in response.json()["items"]]


def test_the_gallery_lists_public_tours_newest_first(client, gallery):
    response = client.get(f"{API}/tours")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert titles(response) == ["Насосы ЛГМ", "Швейная фабрика", "Испытательный стенд"]
    pumps = body["items"][0]
    assert pumps["enterprise_name"] == "ЛГМ" and pumps["industry"] == "28"
    assert pumps["page_url"] == f"/online-tours/{gallery['pumps'].pk}/"
    assert pumps["publications"] == [
        {
            "platform": "rutube",
            "platform_name": "RUTUBE",
            "embed_url": f"https://rutube.ru/play/embed/{RT}",
            "watch_url": f"https://rutube.ru/video/{RT}/",
        }
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("industry=14", ["Швейная фабрика"]),
        ("industry=26", []),
        ("published_from=2023-01-01", ["Насосы ЛГМ", "Швейная фабрика"]),
        ("published_to=2023-03-01", ["Швейная фабрика", "Испытательный стенд"]),
        ("published_from=2023-03-02&published_to=2023-09-01", ["Насосы ЛГМ"]),
    ],
)
def test_the_gallery_filters(client, gallery, query, expected):
    assert titles(client.get(f"{API}/tours?{query}")) == expected


def test_the_gallery_filters_by_enterprise(client, gallery):
    enterprise = gallery["pumps"].experience.enterprise_id

    response = client.get(f"{API}/tours?enterprise={enterprise}")

    assert titles(response) == ["Насосы ЛГМ", "Испытательный стенд"]


def test_the_gallery_is_paginated(client, gallery):
    first = client.get(f"{API}/tours?limit=2").json()
    second = client.get(f"{API}/tours?limit=2&offset=2").json()

    assert (first["count"], second["count"]) == (3, 3)
    assert [i["title"] for i in first["items"] + second["items"]] == [
        "Насосы ЛГМ",
        "Швейная фабрика",
        "Испытательный стенд",
    ]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("published_from=2023-05-01&published_to=2023-04-30", "published_to"),
        ("published_from=2023-02-30", "published_from"),
        ("industry=2", "industry"),
        ("enterprise=0", "enterprise"),
        ("indusrty=14", "indusrty"),  # misspelt: refused, not ignored
        ("limit=101", "limit"),
    ],
)
def test_the_gallery_refuses_bad_filters(client, gallery, query, field):
    response = client.get(f"{API}/tours?{query}")

    assert response.status_code == 422
    assert [error["loc"][-1] for error in response.json()["detail"]] == [field]


def test_the_gallery_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for n in range(12):
        tour = make_online_tour(title=f"Тур {n}")
        make_publication(tour)
        make_publication(tour, f"https://ok.ru/video/{1000 + n}")

    with django_assert_max_num_queries(3):  # count, page with relations, publications
        response = client.get(f"{API}/tours?limit=12")

    assert len(response.json()["items"]) == 12


# --- A tour -----------------------------------------------------------------------------------


@pytest.fixture
def tour():
    tour = make_online_tour(title="Производство RFID-меток", host_name="Анна Петрова")
    make_publication(tour, YT_URL)
    make_publication(tour, RT_URL)
    make_publication(tour, VK_URL)
    return tour


def test_a_tour_has_its_player_publications_and_all_time_views(client, tour):
    make_platform_views(tour, Period.year(2022), 500)
    make_platform_views(tour, Period.quarter(2023, 1), 700, platform="vk")
    SitePlay.objects.create(tour=tour, day=dt.date(2023, 2, 1), visitor=visitor_hash("user:1"))

    response = client.get(f"{API}/tours/{tour.pk}")

    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "Производство RFID-меток" and body["host_name"] == "Анна Петрова"
    assert body["is_public"] is True
    assert [p["platform"] for p in body["publications"]] == ["rutube", "vk", "youtube"]
    assert body["publications"][1]["embed_url"] == (
        "https://vkvideo.ru/video_ext.php?oid=-220754053&id=456239017&hash=8f0e5a1b2c"
    )
    assert body["publications"][2] == {
        "platform": "youtube",
        "platform_name": "YouTube",
        "embed_url": "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        "watch_url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    }
    assert body["player"] == {
        "kind": "embed",
        "src": f"https://rutube.ru/play/embed/{RT}",
        "platform": "rutube",
        "watch_url": f"https://rutube.ru/video/{RT}/",
        "label": "RUTUBE",
    }
    assert body["views"] == {"site": 1, "platforms": {"rutube": 500, "vk": 700}, "total": 1201}


def test_player_and_page_urls_come_only_from_recognised_ids(client):
    """Rows written around the services: the stored URL is never echoed, and an id that does
    not read back as a video of its platform is left out (no player built from it)."""
    tour = make_online_tour()
    Publication.objects.create(
        tour=tour, platform="rutube", url="javascript:alert(1)", video_key="<script>x</script>"
    )
    Publication.objects.create(
        tour=tour, platform="youtube", url="https://evil.example/watch", video_key="dQw4w9WgXcQ"
    )

    body = client.get(f"{API}/tours/{tour.pk}").json()

    assert [p["platform"] for p in body["publications"]] == ["youtube"]
    assert body["player"]["src"] == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    text = json.dumps(body)
    assert "evil.example" not in text and "<script" not in text and "javascript:" not in text


def test_an_uploaded_file_is_played_before_the_platforms(client, tour, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    tour.video.save("tour.mp4", SimpleUploadedFile("tour.mp4", b"\x00\x00"), save=True)

    body = client.get(f"{API}/tours/{tour.pk}").json()

    assert body["player"]["kind"] == "file"
    assert body["player"]["src"] == body["video_url"]
    assert body["video_url"].endswith(".mp4")
    assert len(body["publications"]) == 3  # the links stay


def test_a_tour_without_video_has_no_player(client):
    tour = make_online_tour()

    body = client.get(f"{API}/tours/{tour.pk}").json()

    assert body["player"] is None and body["publications"] == []
    assert body["views"] == {"site": 0, "platforms": {}, "total": 0}


def test_drafts_and_scheduled_tours_are_404_except_to_organisers(client, organiser, visitor):
    draft = make_online_tour(is_published=False)
    scheduled = make_online_tour(published_on=clock.today() + dt.timedelta(days=1))

    for tour in (draft, scheduled):
        assert client.get(f"{API}/tours/{tour.pk}").status_code == 404
        assert client.get(f"{API}/tours/{tour.pk}", headers=bearer(visitor)).status_code == 404
        response = client.get(f"{API}/tours/{tour.pk}", headers=bearer(organiser))
        assert response.status_code == 200
        assert response.json()["is_public"] is False
    assert client.get(f"{API}/tours/{2**62}").status_code == 404


def test_a_bad_token_is_refused_even_on_a_public_read(client, tour):
    response = client.get(f"{API}/tours/{tour.pk}", headers={"Authorization": "Bearer mp_nope"})

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"


def test_a_tour_reads_in_a_fixed_number_of_queries(client, tour, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):  # tour with relations, publications, two totals
        assert client.get(f"{API}/tours/{tour.pk}").status_code == 200


# --- Plays ------------------------------------------------------------------------------------


def test_a_play_counts_once_a_day_per_user(client, tour, visitor):
    first = send(client, "POST", f"{API}/tours/{tour.pk}/plays", **bearer(visitor))
    again = send(client, "POST", f"{API}/tours/{tour.pk}/plays", **bearer(visitor))
    other = send(client, "POST", f"{API}/tours/{tour.pk}/plays", **bearer(make_user()))

    assert (first.status_code, again.status_code, other.status_code) == (200, 200, 200)
    assert first.json() == {"counted": True}
    assert again.json() == {"counted": False}
    assert other.json() == {"counted": True}
    assert SitePlay.objects.filter(tour=tour).count() == 2
    assert SitePlay.objects.filter(visitor=visitor_hash(f"user:{visitor.pk}")).count() == 1
    today = clock.today().isoformat()
    views = client.get(f"{API}/tours/{tour.pk}/views?period={today}..{today}").json()
    assert views["site"] == 2


def test_the_next_day_counts_again(client, tour, visitor):
    with clock.frozen(dt.datetime(2024, 3, 1, 23, 50, tzinfo=MSK)):
        send(client, "POST", f"{API}/tours/{tour.pk}/plays", **bearer(visitor))
    with clock.frozen(dt.datetime(2024, 3, 2, 0, 10, tzinfo=MSK)):
        response = send(client, "POST", f"{API}/tours/{tour.pk}/plays", **bearer(visitor))

    assert response.json() == {"counted": True}
    assert sorted(SitePlay.objects.values_list("day", flat=True)) == [
        dt.date(2024, 3, 1),
        dt.date(2024, 3, 2),
    ]


def test_plays_need_a_token_and_a_public_tour(client, organiser, visitor):
    draft = make_online_tour(is_published=False)

    assert send(client, "POST", f"{API}/tours/{draft.pk}/plays").status_code == 401
    assert send(client, "POST", f"{API}/tours/{draft.pk}/plays", **bearer(visitor)).status_code == (
        404
    )
    refused = send(client, "POST", f"{API}/tours/{draft.pk}/plays", **bearer(organiser))
    assert refused.status_code == 422
    assert "не опубликована" in refused.json()["detail"][0]["msg"]
    assert not SitePlay.objects.exists()


# --- Views of a tour --------------------------------------------------------------------------


@pytest.fixture
def counted(tour):
    """Site plays on three days and platform counts for a year, a month and another year."""
    for n, day in enumerate([dt.date(2023, 5, 3), dt.date(2023, 11, 30), dt.date(2024, 1, 2)]):
        SitePlay.objects.create(tour=tour, day=day, visitor=visitor_hash(f"user:{n}"))
    make_platform_views(tour, Period.year(2023), 10_000, platform="rutube")
    make_platform_views(tour, Period.month(2023, 5), 300, platform="vk")
    make_platform_views(tour, Period.year(2024), 40, platform="rutube")
    return tour


@pytest.mark.parametrize(
    ("period", "site", "platforms"),
    [
        ("2023", 2, {"rutube": 10_000, "vk": 300}),
        ("2023-05", 1, {"vk": 300}),  # the year's count is not split into months
        ("2023-Q2", 1, {"vk": 300}),
        ("2024", 1, {"rutube": 40}),
        ("2022", 0, {}),
        (None, 3, {"rutube": 10_040, "vk": 300}),
    ],
)
def test_views_of_a_tour_per_period(client, counted, period, site, platforms):
    query = f"?period={period}" if period else ""

    response = client.get(f"{API}/tours/{counted.pk}/views{query}")

    assert response.status_code == 200
    body = response.json()
    assert (body["site"], body["platforms"]) == (site, platforms)
    assert body["total"] == site + sum(platforms.values())
    assert body["tour_id"] == counted.pk
    if period:
        assert body["period"]["code"] == period
    else:
        assert body["period"] is None


def test_the_period_is_described(client, counted):
    body = client.get(f"{API}/tours/{counted.pk}/views?period=2023-Q2").json()

    assert body["period"] == {
        "code": "2023-Q2",
        "label": "2 кв. 2023 г.",
        "start": "2023-04-01",
        "end": "2023-06-30",
    }


@pytest.mark.parametrize("period", ["2023-13", "двадцать третий", "", "2023-02-30..2023-03-01"])
def test_a_bad_period_is_a_field_error_naming_period(client, counted, period):
    response = client.get(f"{API}/tours/{counted.pk}/views?period={period}")

    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["query", "period"]
    assert error["msg"]  # Russian, from parse_period
    assert error["type"] == "period"


def test_views_refuse_unknown_parameters(client, counted):
    response = client.get(f"{API}/tours/{counted.pk}/views?year=2023")

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "year"]


# --- Platform counts (organisers) -------------------------------------------------------------


def count_body(tour, fields: dict | None = None, **more) -> dict:
    body = {"tour": tour.pk, "platform": "rutube", "period": "2023-Q1", "views": 1500}
    return body | (fields or {}) | more


def test_an_organiser_enters_a_count_then_the_same_period_again(client, tour, organiser):
    created = send(client, "POST", f"{API}/views", count_body(tour), **bearer(organiser))
    updated = send(
        client, "POST", f"{API}/views", count_body(tour, views=1800), **bearer(organiser)
    )

    assert created.status_code == 201
    assert updated.status_code == 200
    assert created.json()["id"] == updated.json()["id"]
    body = updated.json()
    assert body["views"] == 1800 and body["source"] == CountSource.MANUAL
    assert body["period"]["code"] == "2023-Q1" and body["platform_name"] == "RUTUBE"
    assert body["entered_by"] == organiser.email
    row = PlatformViews.objects.get()
    assert (row.views, row.period_start, row.period_end) == (
        1800,
        dt.date(2023, 1, 1),
        dt.date(2023, 3, 31),
    )
    ops = AuditEvent.objects.filter(action=AuditAction.FIGURES_CHANGED).order_by("id")
    assert [event.details["op"] for event in ops] == ["create", "update"]


def test_an_overlapping_period_is_refused(client, tour, organiser):
    send(client, "POST", f"{API}/views", count_body(tour, period="2023"), **bearer(organiser))

    response = send(
        client, "POST", f"{API}/views", count_body(tour, period="2023-05"), **bearer(organiser)
    )

    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "period"]
    assert "пересекаются" in error["msg"] and "2023 год" in error["msg"]
    assert PlatformViews.objects.count() == 1
    # Another platform's count for the same period does not overlap.
    other = send(
        client,
        "POST",
        f"{API}/views",
        count_body(tour, period="2023-05", platform="vk"),
        **bearer(organiser),
    )
    assert other.status_code == 201


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"period": "2023-Q5"}, "period"),
        ({"period": ""}, "period"),
        ({"platform": "site"}, "platform"),  # counted by the site itself
        ({"platform": "tiktok"}, "platform"),
        ({"views": -1}, "views"),
        ({"views": "1500"}, "views"),
        ({"views": 1.5}, "views"),
        ({"tour": 2**62}, "tour"),
        ({"tour": None}, "tour"),
    ],
)
def test_bad_counts_are_field_errors(client, tour, organiser, fields, field):
    response = send(client, "POST", f"{API}/views", count_body(tour, fields), **bearer(organiser))

    assert response.status_code == 422
    assert [error["loc"] for error in response.json()["detail"]] == [["body", field]]
    assert not PlatformViews.objects.exists()


def test_counts_are_the_organisers(client, tour, visitor):
    host = make_user(role=Role.HOST)

    assert send(client, "POST", f"{API}/views", count_body(tour)).status_code == 401
    for user in (visitor, host):
        response = send(client, "POST", f"{API}/views", count_body(tour), **bearer(user))
        assert response.status_code == 403
        assert client.get(f"{API}/views", headers=bearer(user)).status_code == 403
    assert not PlatformViews.objects.exists()


def test_organisers_list_counts_with_filters(client, counted, organiser):
    other = make_online_tour()
    make_platform_views(other, Period.quarter(2023, 2), 5, platform="ok")
    headers = bearer(organiser)

    every = client.get(f"{API}/views", headers=headers).json()
    in_2023 = client.get(f"{API}/views?period=2023", headers=headers).json()
    of_tour = client.get(f"{API}/views?tour={other.pk}", headers=headers).json()
    in_may = client.get(f"{API}/views?period=2023-05&tour={counted.pk}", headers=headers).json()

    assert every["count"] == 4
    assert [i["period"]["code"] for i in every["items"]] == ["2024", "2023-05", "2023-Q2", "2023"]
    assert {(i["platform"], i["views"]) for i in in_2023["items"]} == {
        ("rutube", 10_000),
        ("vk", 300),
        ("ok", 5),
    }
    assert [(i["tour_id"], i["views"]) for i in of_tour["items"]] == [(other.pk, 5)]
    assert [i["views"] for i in in_may["items"]] == [300]


def test_the_count_list_refuses_a_bad_period_naming_it(client, organiser):
    response = client.get(f"{API}/views?period=2023-H3", headers=bearer(organiser))

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "period"]


def test_the_count_list_runs_a_fixed_number_of_queries(
    client, organiser, django_assert_max_num_queries
):
    headers = bearer(organiser)
    for n in range(10):
        make_platform_views(make_online_tour(), Period.year(2023), n)

    with django_assert_max_num_queries(4):  # token, count, page with tour and author
        response = client.get(f"{API}/views?limit=10", headers=headers)

    assert len(response.json()["items"]) == 10


def test_an_organiser_deletes_a_count(client, counted, organiser):
    row = PlatformViews.objects.get(platform="vk")

    response = send(client, "DELETE", f"{API}/views/{row.pk}", **bearer(organiser))

    assert response.status_code == 204
    assert not PlatformViews.objects.filter(pk=row.pk).exists()
    assert client.get(f"{API}/tours/{counted.pk}/views?period=2023").json()["platforms"] == {
        "rutube": 10_000
    }
    again = send(client, "DELETE", f"{API}/views/{row.pk}", **bearer(organiser))
    assert again.status_code == 404


# --- The audience -----------------------------------------------------------------------------


@pytest.fixture
def audience_set(tour):
    make_reach("site_visitors", period=Period.year(2023), value=1_000_000)
    make_reach("social", period=Period.half(2023, 2), value=250_000)
    make_reach("media", period=Period.year(2022), value=40_000)
    make_platform_views(tour, Period.year(2023), 12_000)
    SitePlay.objects.create(tour=tour, day=dt.date(2023, 6, 1), visitor=visitor_hash("user:1"))
    return tour


def test_the_audience_has_its_parts_and_total(client, audience_set, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = client.get(f"{API}/audience?period=2023")

    assert response.status_code == 200
    body = response.json()
    parts = {part["key"]: part for part in body["parts"]}
    assert list(parts) == ["site_visitors", "social", "media", "online_views", "participants"]
    assert {key: part["value"] for key, part in parts.items()} == {
        "site_visitors": 1_000_000,
        "social": 250_000,
        "media": 0,  # the 2022 record is not in 2023
        "online_views": 12_001,
        "participants": 0,
    }
    assert parts["online_views"]["details"] == {"site": 1, "platforms": 12_000}
    assert parts["participants"]["details"] == {"tourism": 0, "games": 0}
    assert {key: part["counted"] for key, part in parts.items()} == {
        "site_visitors": False,
        "social": False,
        "media": False,
        "online_views": True,
        "participants": True,
    }
    assert parts["media"]["label"] == "СМИ" and parts["media"]["source"]
    assert body["total"] == 1_262_001
    assert body["period"]["label"] == "2023 год"
    assert "посетители сайта" in body["formula"]


def test_the_audience_of_all_time(client, audience_set):
    body = client.get(f"{API}/audience").json()

    assert body["period"] is None
    assert body["total"] == 1_000_000 + 250_000 + 40_000 + 12_001


def test_the_audience_refuses_a_bad_period_naming_it(client):
    response = client.get(f"{API}/audience?period=2023-00")

    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["query", "period"]
    assert error["msg"] == "Месяц должен быть от 01 до 12."


# --- Awards -----------------------------------------------------------------------------------


def test_awards_are_listed_newest_first(client, django_assert_max_num_queries):
    make_award(name="Маршрут построен", year=2023, place="Победа")
    make_award(name="Лучшие социальные проекты России", year=2021, category="Образование и наука")
    make_award(name="bema!", year=2023, place="3 место")

    with django_assert_max_num_queries(2):
        response = client.get(f"{API}/awards")

    body = response.json()
    assert body["count"] == 3
    assert [(a["year"], a["name"]) for a in body["items"]] == [
        (2023, "bema!"),
        (2023, "Маршрут построен"),
        (2021, "Лучшие социальные проекты России"),
    ]
    assert body["items"][2]["category"] == "Образование и наука"
    assert set(body["items"][0]) == {
        "id",
        "name",
        "category",
        "year",
        "awarding_body",
        "place",
        "url",
    }
    assert client.get(f"{API}/awards?limit=1&offset=2").json()["items"][0]["year"] == 2021


# --- Nothing makes it fail ------------------------------------------------------------------

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application).include(
    path_regex="^/api/v1/media"
)
# The test sends its own token: a generated case "without Authorization" would still reach the
# API authenticated, and be reported as a wrongly accepted request.
schema.config.generation.update(with_security_parameters=False)


@pytest.fixture
def real_ids(db, keep_the_test_connection):
    """Rows the generated requests are pointed at, and an organiser's token for the writes."""
    tour = make_online_tour()
    make_publication(tour, RT_URL)
    make_publication(tour, VK_URL)
    draft = make_online_tour(is_published=False)
    make_platform_views(tour, Period.year(2023), 1000)
    row = make_platform_views(tour, Period.quarter(2024, 1), 10, platform="vk")
    make_reach(period=Period.year(2023), value=5000)
    make_award()
    return {
        "tours": [tour.pk, draft.pk],
        "views": [row.pk],
        "headers": bearer(make_user(role=Role.ORGANISER)),
    }


def _point_at_real_rows(case, ids) -> None:
    """Most generated ids would be 404; map valid ones onto rows that exist."""
    value = (case.path_parameters or {}).get("id")
    if type(value) is not int or not 1 <= value < 2**63:  # bool is an int, but negative data
        return
    kind = case.path.split("/")[4]  # "", "api", "v1", "media", "tours", "{id}", …
    pool = ids[kind]
    case.path_parameters["id"] = pool[value % len(pool)]


@schema.parametrize()
@hypothesis_settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_media_api_answers_as_documented_on_real_rows(case, real_ids):
    _point_at_real_rows(case, real_ids)
    case.call_and_validate(
        headers=real_ids["headers"],
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
            negative_data_rejection,
        ],
    )


def test_a_tour_deleted_between_reads_is_404(client, tour):
    OnlineTour.objects.filter(pk=tour.pk).delete()

    assert client.get(f"{API}/tours/{tour.pk}").status_code == 404
    assert client.get(f"{API}/tours/{tour.pk}/views").status_code == 404
