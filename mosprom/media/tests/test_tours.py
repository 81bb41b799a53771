"""Writing online tours and publications (``media.tours``), and the rule shared by every media
write service: visitors and hosts are refused, each write leaves one audit event."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from mosprom.accounts.models import AuditAction, AuditEvent, Role
from mosprom.accounts.tests.factories import make_user
from mosprom.core.periods import Period
from mosprom.media import audience, awards, counts, tours
from mosprom.media.models import OnlineTour, PlatformViews, Publication, SitePlay
from mosprom.media.plays import play_record
from mosprom.media.tests.factories import (
    make_award,
    make_online_tour,
    make_platform_views,
    make_publication,
    make_reach,
)
from mosprom.registry.tests.factories import make_enterprise, make_membership
from mosprom.tourism.models import Experience, ExperienceKind

pytestmark = pytest.mark.django_db

RT = "0123456789abcdef0123456789abcdef"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def organiser():
    return make_user(role=Role.ORGANISER)


def png(name="cover.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), "navy").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def mp4(name="tour.mp4", size=64) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"\x00" * size, content_type="video/mp4")


def tour_data(**overrides) -> dict:
    data = {
        "enterprise": make_enterprise(short_name="Смарт Системз"),
        "title": "Как делают RFID-метки",
        "description": "От антенны до готовой метки.",
        "duration_minutes": 18,
        "published_on": dt.date(2023, 4, 12),
        "host_name": "Мария Иванова",
        "cover_alt": "Линия сборки RFID-меток",
        "is_published": True,
    }
    return data | overrides


def figure_events():
    return AuditEvent.objects.filter(action=AuditAction.FIGURES_CHANGED)


# --- Create, update, delete -----------------------------------------------------------------


def test_create_makes_an_online_tour_experience_without_a_site(organiser):
    data = tour_data()

    tour = tours.online_tour_create(actor=organiser, data=data, cover=png(), video=mp4())

    tour.refresh_from_db()
    experience = tour.experience
    assert experience.kind == ExperienceKind.ONLINE_TOUR
    assert experience.site is None
    assert (experience.enterprise, experience.title, experience.duration_minutes) == (
        data["enterprise"],
        "Как делают RFID-метки",
        18,
    )
    assert (tour.published_on, tour.host_name) == (dt.date(2023, 4, 12), "Мария Иванова")
    assert tour.cover.name.startswith("online-tours/covers/")
    assert tour.video.name.endswith(".mp4")
    assert Path(tour.video.path).exists()
    event = figure_events().get()
    assert (event.actor, event.target_id, event.details["op"]) == (
        organiser,
        str(tour.pk),
        "create",
    )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "  "}, "title"),
        ({"title": "Ц" * 256}, "title"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"duration_minutes": 601}, "duration_minutes"),
        ({"duration_minutes": "пятнадцать"}, "duration_minutes"),
        ({"published_on": None}, "published_on"),
        ({"published_on": "12.04.2023"}, "published_on"),
        ({"enterprise": None}, "enterprise"),
    ],
)
def test_bad_fields_are_refused_with_russian_messages(organiser, overrides, field):
    with pytest.raises(ValidationError) as refused:
        tours.online_tour_create(actor=organiser, data=tour_data(**overrides))

    assert field in refused.value.message_dict
    assert OnlineTour.objects.count() == 0
    assert Experience.objects.count() == 0
    assert not figure_events().exists()


def test_the_bounds_of_duration_and_a_future_date_are_accepted(organiser):
    short = tours.online_tour_create(actor=organiser, data=tour_data(duration_minutes=1))
    scheduled = tours.online_tour_create(
        actor=organiser,
        data=tour_data(duration_minutes=600, published_on=dt.date(2099, 1, 1)),
    )

    assert short.experience.duration_minutes == 1
    assert scheduled.published_on == dt.date(2099, 1, 1)


def test_a_cover_needs_its_description(organiser):
    with pytest.raises(ValidationError) as refused:
        tours.online_tour_create(actor=organiser, data=tour_data(cover_alt=""), cover=png())

    assert "cover_alt" in refused.value.message_dict
    # Without a cover the description may be empty.
    assert tours.online_tour_create(actor=organiser, data=tour_data(cover_alt=""))


@pytest.mark.parametrize(
    ("video", "message"),
    [
        (mp4("tour.avi"), "MP4 или WebM"),
        (mp4("tour.mp4.exe"), "MP4 или WebM"),
        (mp4("tour.webm", size=1025), "больше"),
    ],
)
def test_video_files_are_checked_for_type_and_size(organiser, settings, video, message):
    settings.MEDIA_VIDEO_MAX_BYTES = 1024

    with pytest.raises(ValidationError) as refused:
        tours.online_tour_create(actor=organiser, data=tour_data(), video=video)

    assert message in refused.value.message_dict["video"][0]


def test_a_video_within_the_limit_is_accepted(organiser, settings):
    settings.MEDIA_VIDEO_MAX_BYTES = 1024

    tour = tours.online_tour_create(actor=organiser, data=tour_data(), video=mp4("a.webm", 1024))

    assert tour.video.name.endswith(".webm")


def test_update_changes_the_given_fields_and_keeps_the_rest(organiser):
    tour = tours.online_tour_create(actor=organiser, data=tour_data())

    tours.online_tour_update(
        actor=organiser, tour=tour, data={"title": "RFID: полный цикл", "is_published": False}
    )

    tour = OnlineTour.objects.select_related("experience").get(pk=tour.pk)
    assert tour.experience.title == "RFID: полный цикл"
    assert tour.experience.is_published is False
    assert tour.experience.duration_minutes == 18
    assert tour.host_name == "Мария Иванова"
    event = figure_events().filter(details__op="update").get()
    assert event.details["fields"] == ["is_published", "title"]


def test_update_validates_like_create(organiser):
    tour = tours.online_tour_create(actor=organiser, data=tour_data())

    with pytest.raises(ValidationError) as refused:
        tours.online_tour_update(actor=organiser, tour=tour, data={"duration_minutes": 700})

    assert "duration_minutes" in refused.value.message_dict
    tour.experience.refresh_from_db()
    assert tour.experience.duration_minutes == 18


def test_replacing_and_clearing_files_removes_the_old_ones_after_commit(
    organiser, django_capture_on_commit_callbacks
):
    tour = tours.online_tour_create(actor=organiser, data=tour_data(), cover=png(), video=mp4())
    old_cover, old_video = Path(tour.cover.path), Path(tour.video.path)

    with django_capture_on_commit_callbacks(execute=True):
        tour = tours.online_tour_update(
            actor=organiser, tour=tour, data={}, cover=png("new.png"), clear_video=True
        )

    tour.refresh_from_db()
    assert not old_cover.exists()
    assert not old_video.exists()
    assert Path(tour.cover.path).exists()
    assert not tour.video


def test_clearing_the_cover_lifts_the_need_for_its_description(organiser):
    tour = tours.online_tour_create(actor=organiser, data=tour_data(), cover=png())

    with pytest.raises(ValidationError):
        tours.online_tour_update(actor=organiser, tour=tour, data={"cover_alt": ""})
    tours.online_tour_update(actor=organiser, tour=tour, data={"cover_alt": ""}, clear_cover=True)

    tour.refresh_from_db()
    assert not tour.cover


def test_delete_removes_the_tour_its_experience_and_what_hangs_on_it(organiser):
    tour = make_online_tour()
    make_publication(tour)
    make_platform_views(tour, Period.year(2023), 100)
    play_record(tour=tour, identity="user:1")
    experience_id = tour.pk

    tours.online_tour_delete(actor=organiser, tour=tour)

    assert not Experience.objects.filter(pk=experience_id).exists()
    assert not OnlineTour.objects.exists()
    assert not Publication.objects.exists()
    assert not PlatformViews.objects.exists()
    assert not SitePlay.objects.exists()
    assert figure_events().filter(details__op="delete", target_id=str(experience_id)).exists()


# --- Publications ---------------------------------------------------------------------------


def test_a_publication_is_set_once_per_platform_and_replaced(organiser):
    tour = make_online_tour()

    first = tours.publication_set(
        actor=organiser, tour=tour, platform="rutube", url=f"https://rutube.ru/video/{RT}/"
    )
    other = "f" * 32
    second = tours.publication_set(
        actor=organiser, tour=tour, platform="rutube", url=f"  https://rutube.ru/video/{other}/ "
    )

    assert first.pk == second.pk
    second.refresh_from_db()
    assert (second.video_key, second.url) == (other, f"https://rutube.ru/video/{other}/")
    assert Publication.objects.count() == 1
    assert list(figure_events().values_list("details__op", flat=True).order_by("id")) == [
        "create",
        "update",
    ]


@pytest.mark.parametrize(
    ("platform", "url", "field"),
    [
        ("rutube", f'<iframe src="https://rutube.ru/play/embed/{RT}"></iframe>', "url"),
        ("rutube", f"https://rutube.ru.evil.com/video/{RT}/", "url"),
        ("vk", f"https://rutube.ru/video/{RT}/", "url"),
        ("site", f"https://rutube.ru/video/{RT}/", "platform"),
        ("dailymotion", f"https://rutube.ru/video/{RT}/", "platform"),
    ],
)
def test_only_a_recognised_url_of_the_chosen_platform_is_accepted(organiser, platform, url, field):
    tour = make_online_tour()

    with pytest.raises(ValidationError) as refused:
        tours.publication_set(actor=organiser, tour=tour, platform=platform, url=url)

    assert field in refused.value.message_dict
    assert not Publication.objects.exists()


def test_one_video_cannot_belong_to_two_tours(organiser):
    first, second = make_online_tour(title="Насосы ЛГМ"), make_online_tour()
    url = f"https://rutube.ru/video/{RT}/"
    tours.publication_set(actor=organiser, tour=first, platform="rutube", url=url)

    with pytest.raises(ValidationError) as refused:
        tours.publication_set(actor=organiser, tour=second, platform="rutube", url=url)

    assert "Насосы ЛГМ" in refused.value.message_dict["url"][0]


def test_a_publication_is_removed(organiser):
    publication = make_publication(make_online_tour())

    tours.publication_remove(actor=organiser, publication=publication)

    assert not Publication.objects.exists()
    assert figure_events().filter(details__op="delete", details__object="publication").exists()


# --- Every write service: permissions and audit ----------------------------------------------


def _world():
    tour = make_online_tour()
    return {
        "tour": tour,
        "publication": make_publication(tour),
        "views": make_platform_views(tour, Period.year(2022), 10),
        "reach": make_reach(period=Period.year(2022), value=10),
        "award": make_award(),
    }


WRITES = {
    "online_tour_create": lambda a, w: tours.online_tour_create(actor=a, data=tour_data()),
    "online_tour_update": lambda a, w: tours.online_tour_update(
        actor=a, tour=w["tour"], data={"title": "Новое название"}
    ),
    "online_tour_delete": lambda a, w: tours.online_tour_delete(actor=a, tour=w["tour"]),
    "publication_set": lambda a, w: tours.publication_set(
        actor=a, tour=w["tour"], platform="youtube", url="https://youtu.be/dQw4w9WgXcQ"
    ),
    "publication_remove": lambda a, w: tours.publication_remove(
        actor=a, publication=w["publication"]
    ),
    "platform_views_set": lambda a, w: counts.platform_views_set(
        actor=a, tour=w["tour"], platform="vk", period=Period.year(2023), views=5
    ),
    "platform_views_delete": lambda a, w: counts.platform_views_delete(actor=a, row=w["views"]),
    "platform_views_import": lambda a, w: counts.platform_views_import(
        actor=a, file=io.BytesIO(f"tour,platform,period,views\n{w['tour'].pk},vk,2023,5\n".encode())
    ),
    "reach_set": lambda a, w: audience.reach_set(
        actor=a, channel="media", period=Period.year(2023), value=5
    ),
    "reach_delete": lambda a, w: audience.reach_delete(actor=a, reach=w["reach"]),
    "award_create": lambda a, w: awards.award_create(
        actor=a,
        data={"name": "Премия", "year": 2023, "awarding_body": "АСИ", "place": "1 место"},
    ),
    "award_update": lambda a, w: awards.award_update(
        actor=a, award=w["award"], data={"place": "Гран-при"}
    ),
    "award_delete": lambda a, w: awards.award_delete(actor=a, award=w["award"]),
}


def _visitor():
    return make_user(role=Role.VISITOR)


def _host():
    host = make_user(role=Role.HOST)
    make_membership(host, make_enterprise())
    return host


def _anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def _inactive_organiser():
    return make_user(role=Role.ORGANISER, is_active=False)


@pytest.mark.parametrize("write", sorted(WRITES))
@pytest.mark.parametrize("who", [_visitor, _host, _anonymous, _inactive_organiser, lambda: None])
def test_every_write_service_refuses_everyone_but_organisers(write, who):
    world = _world()
    actor = who()
    before = AuditEvent.objects.count()

    with pytest.raises(PermissionDenied):
        WRITES[write](actor, world)

    assert AuditEvent.objects.count() == before
    assert OnlineTour.objects.filter(pk=world["tour"].pk).exists()


@pytest.mark.parametrize("role", [Role.ORGANISER, Role.ADMIN])
@pytest.mark.parametrize("write", sorted(WRITES))
def test_every_write_by_an_organiser_or_admin_leaves_one_audit_event(write, role):
    world = _world()
    actor = make_user(role=role)

    WRITES[write](actor, world)

    event = figure_events().get()
    assert event.actor == actor
    assert event.details["op"] in {"create", "update", "delete", "import"}
