"""The media demo: the release's 20 online tours of 2023, an audience of almost 15 million and
eight awards; deterministic and idempotent."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from mosprom.accounts.demo import accounts_demo_load
from mosprom.core.periods import ALL_TIME, Period
from mosprom.media import selectors
from mosprom.media.audience import audience
from mosprom.media.counts import views_total
from mosprom.media.demo import AWARDS, TOURS, media_demo_load
from mosprom.media.embeds import parse_video_url
from mosprom.media.models import Award, OnlineTour, PlatformViews, Publication, Reach, SitePlay
from mosprom.registry.demo import demo_inn, registry_demo_load

pytestmark = pytest.mark.django_db

MODELS = (OnlineTour, Publication, PlatformViews, SitePlay, Reach, Award)


@pytest.fixture
def loaded():
    registry_demo_load()
    accounts_demo_load()
    return media_demo_load()


def counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in MODELS)


def test_twenty_tours_published_in_2023(loaded):
    public = selectors.tours_public()

    assert loaded.tours == loaded.tours_created == 20
    assert public.filter(published_on__year=2023).count() == 20
    assert OnlineTour.objects.count() == 20


def test_the_three_tours_the_release_names(loaded):
    for number, words in ((7, "RFID"), (8, "полный цикл"), (9, "насосы")):
        tours = OnlineTour.objects.filter(experience__enterprise__inn=demo_inn(number))
        assert any(words in tour.experience.title for tour in tours), number


def test_every_tour_is_on_rutube_and_vk_with_recognised_ids(loaded):
    publications = Publication.objects.all()

    assert publications.count() == 40
    for publication in publications:
        video = parse_video_url(publication.url, platform=publication.platform)
        assert video.key == publication.video_key
    assert set(publications.values_list("platform", flat=True)) == {"rutube", "vk"}
    assert publications.values("platform", "video_key").distinct().count() == 40


def test_views_are_counted_per_quarter_of_2023(loaded):
    quarters = {Period.quarter(2023, q) for q in range(1, 5)}

    assert {row.period for row in PlatformViews.objects.all()} == quarters
    in_2023 = views_total(period=Period.year(2023))
    assert in_2023.site == SitePlay.objects.count() > 0
    assert 1_000_000 < in_2023.external < 2_000_000


def test_the_all_time_audience_is_almost_15_million(loaded):
    result = audience(period=ALL_TIME)

    assert 14_500_000 <= result.total <= 15_000_000
    assert loaded.audience == result.total
    parts = {part.key: part.value for part in result.parts}
    assert all(parts[key] > 0 for key in ("site_visitors", "social", "media", "online_views"))


def test_the_api_reports_the_same_audience(client, loaded):
    body = client.get("/api/v1/media/audience").json()

    assert 14_500_000 <= body["total"] <= 15_000_000
    assert body["total"] == loaded.audience


def test_eight_awards_four_of_them_the_releases(loaded):
    assert Award.objects.count() == len(AWARDS) == 8
    assert Award.objects.filter(name__endswith="(демо)").count() == 4
    route = Award.objects.get(name__contains="Маршрут построен")
    assert (route.year, route.category, route.place) == (2023, "Промышленный маршрут", "Победа")
    bema = Award.objects.get(name="bema!")
    assert (bema.year, bema.category, bema.place) == (
        2023,
        "Лучшая промышленная экскурсия",
        "3 место",
    )
    assert Award.objects.filter(category="Образование и наука").exists()
    assert Award.objects.filter(category="Регион-наставник по промышленному туризму").exists()


def test_loads_twice_without_duplicates(loaded):
    before = counts()

    again = media_demo_load()

    assert counts() == before
    assert again.tours == 20
    assert (
        again.tours_created,
        again.publications_created,
        again.counts_created,
        again.plays_created,
        again.reach_created,
        again.awards_created,
    ) == (0, 0, 0, 0, 0, 0)
    assert again.audience == loaded.audience


def test_the_numbers_do_not_depend_on_the_run(loaded):
    figures = sorted(PlatformViews.objects.values_list("tour__experience__title", "views"))
    plays = SitePlay.objects.count()
    for model in MODELS:
        model.objects.all().delete()

    media_demo_load()

    assert sorted(PlatformViews.objects.values_list("tour__experience__title", "views")) == (
        figures
    )
    assert SitePlay.objects.count() == plays


def test_an_organisers_change_is_kept_on_reload(loaded):
    row = PlatformViews.objects.order_by("pk").first()
    PlatformViews.objects.filter(pk=row.pk).update(views=7)
    award = Award.objects.get(name="bema!")
    Award.objects.filter(pk=award.pk).update(place="Бронза")

    media_demo_load()

    assert PlatformViews.objects.get(pk=row.pk).views == 7
    assert Award.objects.get(pk=award.pk).place == "Бронза"


def test_the_registry_demo_is_loaded_when_missing():
    result = media_demo_load()

    assert result.tours == 20 and result.missing == ()


def test_every_tour_of_the_plan_is_distinct():
    assert len({(tour.enterprise, tour.title) for tour in TOURS}) == len(TOURS) == 20
    assert all(tour.published_on.year == 2023 for tour in TOURS)


def test_demo_data_command_loads_the_media():
    out = StringIO()
    call_command("demo_data", stdout=out)

    assert "Media: 20 online tours (20 new)" in out.getvalue()
    assert "all-time audience 14." in out.getvalue()

    out = StringIO()
    call_command("demo_data", stdout=out)

    assert "Media: 20 online tours (0 new); added 0 platform counts" in out.getvalue()
    assert OnlineTour.objects.count() == 20
