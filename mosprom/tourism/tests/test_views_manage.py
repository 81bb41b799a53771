"""Publishing in the back office (tourism.views_manage with tourism.catalogue): experiences and
their photos, sessions, seasons — who may, and every rule with its Russian message."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from mosprom.accounts.models import Role
from mosprom.accounts.tests.factories import make_user
from mosprom.core import clock
from mosprom.registry.tests.factories import make_enterprise, make_membership, make_site
from mosprom.tourism.models import (
    Experience,
    ExperienceKind,
    ExperiencePhoto,
    IdRequirement,
    Season,
    SeasonAllowance,
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
from mosprom.tourism.waitlist import waitlist_join

pytestmark = pytest.mark.django_db

LOGIN = "login"


def url(name: str, *args) -> str:
    return reverse(f"tourism:{name}", args=args)


@pytest.fixture
def users():
    return {
        "visitor": make_user(role=Role.VISITOR),
        "host": make_user(role=Role.HOST),
        "stranger_host": make_user(role=Role.HOST),
        "organiser": make_user(role=Role.ORGANISER),
        "admin": make_user(role=Role.ADMIN),
    }


@pytest.fixture
def own(users):
    enterprise = make_enterprise(short_name="Комбинат игрушек")
    make_membership(users["host"], enterprise)
    make_membership(users["stranger_host"], make_enterprise(short_name="Другой завод"))
    return enterprise


@pytest.fixture
def experience(own):
    return make_experience(enterprise=own, title="Мастер-класс по плюшевым мишкам")


@pytest.fixture
def session(experience):
    return make_session(experience=experience)


def _as(client, users, role):
    if role != "anonymous":
        client.force_login(users[role])
    return client


# --- Who may open what ----------------------------------------------------------------------

ROLES = ["anonymous", "visitor", "host", "stranger_host", "organiser", "admin"]
HOSTS_OF_IT = {
    "anonymous": LOGIN,
    "visitor": 403,
    "host": 200,
    "stranger_host": 403,
    "organiser": 200,
    "admin": 200,
}
ANY_HOST = HOSTS_OF_IT | {"stranger_host": 200}
ORGANISERS = HOSTS_OF_IT | {"host": 403}
PAGES = {
    "manage_experiences": (lambda e, s, season: [], ANY_HOST),
    "manage_experience_new": (lambda e, s, season: [], ANY_HOST),
    "manage_experience_edit": (lambda e, s, season: [e.pk], HOSTS_OF_IT),
    "manage_session_new": (lambda e, s, season: [e.pk], HOSTS_OF_IT),
    "manage_session_edit": (lambda e, s, season: [s.pk], HOSTS_OF_IT),
    "manage_seasons": (lambda e, s, season: [], ORGANISERS),
    "manage_season_new": (lambda e, s, season: [], ORGANISERS),
    "manage_season_edit": (lambda e, s, season: [season.pk], ORGANISERS),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(PAGES))
def test_manage_pages_matrix(client, users, experience, session, name, role):
    args_of, expected = PAGES[name]
    response = _as(client, users, role).get(
        url(name, *args_of(experience, session, session.season))
    )
    want = expected[role]
    if want == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == want, f"{name} as {role}"


# --- Experiences ----------------------------------------------------------------------------


def experience_data(site, **overrides) -> dict:
    data = {
        "site": site.pk if site else "",
        "kind": ExperienceKind.MASTER_CLASS,
        "title": "Сборка конструктора",
        "description": "Собираем игрушку своими руками.",
        "duration_minutes": 90,
        "min_age": 7,
        "group_size": 15,
        "max_places_per_booking": 2,
        "accessibility": "",
        "what_to_bring": "",
        "meeting_point": "Проходная №1",
        "id_requirement": IdRequirement.FULL_NAME,
        "is_published": "on",
    }
    return data | overrides


def test_experience_list_is_scoped_and_counted(
    client, users, own, experience, django_assert_max_num_queries
):
    make_experience(title="Экскурсия другого завода")
    for i in range(30):
        make_experience(enterprise=own, site=experience.site, title=f"Программа {i:02d}")
    make_session(experience=experience)
    client.force_login(users["host"])
    with django_assert_max_num_queries(6):
        response = client.get(url("manage_experiences"))
    page = response.context["page_obj"]
    assert page.paginator.count == 31
    assert all(e.enterprise_id == own.pk for e in page)
    counted = {e.pk: e.upcoming_sessions for e in page}
    assert counted[experience.pk] == 1
    client.force_login(users["organiser"])
    found = client.get(url("manage_experiences"), {"q": "другого"}).context["page_obj"]
    assert [e.title for e in found] == ["Экскурсия другого завода"]


def test_host_of_one_enterprise_creates_an_experience(client, users, own):
    site = make_site(own)
    client.force_login(users["host"])
    form_page = client.get(url("manage_experience_new"))
    assert form_page.context["enterprise"] == own  # the picking step is skipped
    response = client.post(
        url("manage_experience_new") + f"?enterprise={own.pk}", experience_data(site)
    )
    created = Experience.objects.get(title="Сборка конструктора")
    assert response.status_code == 302
    assert response["Location"] == url("manage_experience_edit", created.pk)
    assert (created.enterprise, created.site, created.min_age) == (own, site, 7)


def test_organiser_picks_the_enterprise_first(client, users, own):
    make_enterprise(short_name="Трансмаш")
    client.force_login(users["organiser"])
    response = client.get(url("manage_experience_new"), {"enterprise_q": "Трансм"})
    assert [e.short_name for e in response.context["choices"]] == ["Трансмаш"]
    response = client.get(url("manage_experience_new"), {"enterprise": own.pk})
    assert response.context["enterprise"] == own
    assert "Шаг 2 из 2" in response.content.decode()


def test_host_cannot_publish_for_another_enterprise(client, users, own):
    other = make_enterprise(short_name="Чужой завод")
    site = make_site(other)
    client.force_login(users["host"])
    response = client.post(
        url("manage_experience_new") + f"?enterprise={other.pk}", experience_data(site)
    )
    assert response.status_code == 403
    assert not Experience.objects.exists()


def test_experience_site_must_be_the_enterprises_own(client, users, own):
    make_site(own)
    foreign_site = make_site(make_enterprise())
    client.force_login(users["host"])
    response = client.post(
        url("manage_experience_new") + f"?enterprise={own.pk}", experience_data(foreign_site)
    )
    assert response.status_code == 200
    assert "site" in response.context["form"].errors
    assert not Experience.objects.exists()


def test_experience_form_keeps_input_and_explains_errors(client, users, own):
    site = make_site(own)
    client.force_login(users["host"])
    data = experience_data(site, title="Моя программа", min_age=30, max_places_per_booking=0)
    response = client.post(url("manage_experience_new") + f"?enterprise={own.pk}", data)
    form = response.context["form"]
    assert set(form.errors) == {"min_age", "max_places_per_booking"}
    body = response.content.decode()
    assert 'value="Моя программа"' in body
    assert "Проверьте форму" in body


def test_offline_experience_needs_a_site(client, users, own):
    client.force_login(users["host"])
    response = client.post(
        url("manage_experience_new") + f"?enterprise={own.pk}", experience_data(None)
    )
    assert "Выберите площадку" in str(response.context["form"].errors["site"])
    online = experience_data(None, kind=ExperienceKind.ONLINE_TOUR)
    response = client.post(url("manage_experience_new") + f"?enterprise={own.pk}", online)
    assert response.status_code == 302


def test_requirements_cannot_tighten_while_people_are_booked(client, users, experience, session):
    make_booking(session=session)
    client.force_login(users["host"])
    stricter = experience_data(experience.site, min_age=14, id_requirement=IdRequirement.PASSPORT)
    response = client.post(url("manage_experience_edit", experience.pk), stricter)
    errors = response.context["form"].errors
    assert "Нельзя поднять возрастное ограничение" in str(errors["min_age"])
    assert "Нельзя требовать больше данных участников" in str(errors["id_requirement"])
    experience.refresh_from_db()
    assert (experience.min_age, experience.id_requirement) == (0, IdRequirement.NONE)

    # Loosening or unrelated changes go through.
    response = client.post(
        url("manage_experience_edit", experience.pk),
        experience_data(experience.site, min_age=0, id_requirement=IdRequirement.NONE),
    )
    assert response.status_code == 302
    experience.refresh_from_db()
    assert experience.title == "Сборка конструктора"


def _png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="PNG")
    return SimpleUploadedFile("bear.png", buffer.getvalue(), content_type="image/png")


def test_photos_are_added_with_alt_text_and_removed(client, users, experience, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(users["host"])
    edit = url("manage_experience_edit", experience.pk)

    missing_alt = client.post(edit, {"action": "photo_add", "image": _png(), "alt_text": ""})
    assert "Опишите, что на фото" in missing_alt.content.decode()
    not_image = SimpleUploadedFile("x.png", b"not a picture", content_type="image/png")
    bad = client.post(edit, {"action": "photo_add", "image": not_image, "alt_text": "Цех"})
    assert "photo_form" in bad.context and bad.context["photo_form"].errors["image"]
    assert not ExperiencePhoto.objects.exists()

    client.post(edit, {"action": "photo_add", "image": _png(), "alt_text": "Цех сборки"})
    photo = ExperiencePhoto.objects.get()
    assert photo.alt_text == "Цех сборки"
    stored = tmp_path / photo.image.name
    assert stored.exists()
    page = client.get(edit).content.decode()
    assert 'alt="Цех сборки"' in page

    client.post(edit, {"action": "photo_delete", "photo": photo.pk})
    assert not ExperiencePhoto.objects.exists()


def test_a_stranger_host_cannot_delete_photos(client, users, experience, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    photo = ExperiencePhoto.objects.create(experience=experience, image=_png(), alt_text="Цех")
    client.force_login(users["stranger_host"])
    response = client.post(
        url("manage_experience_edit", experience.pk), {"action": "photo_delete", "photo": photo.pk}
    )
    assert response.status_code == 403
    assert ExperiencePhoto.objects.filter(pk=photo.pk).exists()


# --- Sessions -------------------------------------------------------------------------------


def session_data(season: Season, day: dt.date, **overrides) -> dict:
    data = {
        "season": season.pk,
        "day": day.isoformat(),
        "start_time": "11:00",
        "end_time": "",
        "capacity": 15,
    }
    return data | overrides


def test_host_adds_a_session_ending_after_the_experience_duration(client, users, experience):
    season = make_season()
    client.force_login(users["host"])
    day = season.starts_on + dt.timedelta(days=2)
    response = client.post(url("manage_session_new", experience.pk), session_data(season, day))
    assert response.status_code == 302
    session = Session.objects.get()
    starts = clock.localtime(session.starts_at)
    assert (starts.date(), starts.hour, starts.minute) == (day, 11, 0)
    assert session.ends_at - session.starts_at == dt.timedelta(minutes=90)
    assert (session.capacity, session.season, session.taken) == (15, season, 0)


def test_add_another_returns_to_the_empty_form(client, users, experience):
    season = make_season()
    client.force_login(users["host"])
    data = session_data(season, season.starts_on, add_another="1")
    response = client.post(url("manage_session_new", experience.pk), data)
    assert response["Location"] == url("manage_session_new", experience.pk)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"day_offset": -30}, "season", "выберите день в эти даты"),
        ({"end_time": "10:00"}, "end_time", "Окончание должно быть позже начала"),
        ({"capacity": 0}, "capacity", ""),
        ({"end_time": "23:59", "start_time": "08:00"}, "end_time", "дольше 12 часов"),
    ],
)
def test_session_rules(client, users, experience, change, field, message):
    season = make_season()
    client.force_login(users["host"])
    day = season.starts_on + dt.timedelta(days=change.pop("day_offset", 0))
    response = client.post(
        url("manage_session_new", experience.pk), session_data(season, day, **change)
    )
    errors = response.context["form"].errors
    assert field in errors
    assert message in str(errors[field])
    assert not Session.objects.exists()


def test_session_in_the_past_is_refused(client, users, experience):
    season = make_season(starts_on=clock.today() - dt.timedelta(days=3))
    client.force_login(users["host"])
    data = session_data(season, clock.today() - dt.timedelta(days=1))
    response = client.post(url("manage_session_new", experience.pk), data)
    assert "Начало сеанса должно быть в будущем" in response.content.decode()


def test_no_open_season_is_explained(client, users, experience):
    make_season(starts_on=clock.today() - dt.timedelta(days=30), ends_on=clock.today())
    Season.objects.update(ends_on=clock.today() - dt.timedelta(days=1))
    client.force_login(users["host"])
    body = client.get(url("manage_session_new", experience.pk)).content.decode()
    assert "нет открытых сезонов" in body


def test_capacity_never_below_places_taken(client, users, session):
    make_booking(session=session, places=2)
    make_booking(session=session, places=2)
    client.force_login(users["host"])
    data = session_data(session.season, clock.localtime(session.starts_at).date(), capacity=3)
    response = client.post(url("manage_session_edit", session.pk), data)
    assert "Уже занято мест: 4" in str(response.context["form"].errors["capacity"])
    session.refresh_from_db()
    assert session.capacity == 20


def test_time_of_a_booked_session_does_not_move(client, users, session):
    make_booking(session=session)
    client.force_login(users["host"])
    day = clock.localtime(session.starts_at).date()
    response = client.post(
        url("manage_session_edit", session.pk),
        session_data(session.season, day, start_time="15:00", capacity=25),
    )
    assert "время и сезон не меняются" in response.content.decode()
    session.refresh_from_db()
    assert (clock.localtime(session.starts_at).hour, session.capacity) == (11, 20)


def test_unbooked_session_moves_and_shrinks(client, users, session):
    client.force_login(users["host"])
    day = clock.localtime(session.starts_at).date() + dt.timedelta(days=1)
    response = client.post(
        url("manage_session_edit", session.pk),
        session_data(session.season, day, start_time="15:30", end_time="17:00", capacity=5),
    )
    assert response.status_code == 302
    session.refresh_from_db()
    starts = clock.localtime(session.starts_at)
    assert (starts.date(), starts.hour, starts.minute, session.capacity) == (day, 15, 30, 5)
    assert clock.localtime(session.ends_at).hour == 17


def test_more_places_go_to_the_waitlist(client, users, session, django_capture_on_commit_callbacks):
    session.capacity = 1
    session.save()
    make_booking(session=session)
    waiting = make_user()
    entry = waitlist_join(user=waiting, session=session, places=2)
    client.force_login(users["host"])
    data = session_data(session.season, clock.localtime(session.starts_at).date(), capacity=3)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("manage_session_edit", session.pk), data)
    assert response.status_code == 302
    entry.refresh_from_db()
    session.refresh_from_db()
    assert entry.status == WaitlistStatus.OFFERED
    assert session.taken == 3  # 1 booked + 2 held by the offer
    assert WaitlistEntry.objects.filter(status=WaitlistStatus.WAITING).count() == 0


def test_a_cancelled_session_cannot_be_edited(client, users, session):
    session.status = "cancelled"
    session.save()
    client.force_login(users["host"])
    data = session_data(session.season, clock.localtime(session.starts_at).date(), capacity=30)
    response = client.post(url("manage_session_edit", session.pk), data)
    assert "Сеанс отменён" in response.content.decode()
    session.refresh_from_db()
    assert session.capacity == 20


# --- Seasons --------------------------------------------------------------------------------


def season_data(**overrides) -> dict:
    today = clock.today()
    data = {
        "name": "Открой#Моспром — осень",
        "starts_on": (today + dt.timedelta(days=30)).isoformat(),
        "ends_on": (today + dt.timedelta(days=44)).isoformat(),
        "opens_on": (today + dt.timedelta(days=10)).isoformat(),
        "opens_time": "12:00",
        "close_days_before": 3,
        "places_per_person": 3,
        "no_show_limit": 2,
        "offer_hours": 12,
        "mode": "first_come",
    }
    return data | overrides


def test_organiser_creates_a_season(client, users):
    client.force_login(users["organiser"])
    response = client.post(url("manage_season_new"), season_data())
    assert response.status_code == 302
    season = Season.objects.get()
    opens = clock.localtime(season.registration_opens_at)
    assert (opens.date(), opens.hour) == (clock.today() + dt.timedelta(days=10), 12)
    assert season.places_per_person == 3
    assert season.mode == "first_come"


def test_organiser_sets_a_season_and_one_session_to_lottery(client, users, session):
    client.force_login(users["organiser"])
    client.post(url("manage_season_new"), season_data(mode="lottery"))
    assert Season.objects.get(name="Открой#Моспром — осень").mode == "lottery"
    assert not session.is_lottery
    form = client.get(url("manage_session_edit", session.pk)).context["form"]
    data = dict(form.initial)
    data["season"] = session.season_id
    data["mode"] = "lottery"
    response = client.post(url("manage_session_edit", session.pk), data)
    assert response.status_code == 302, response.context["form"].errors
    session.refresh_from_db()
    assert session.is_lottery


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"ends_on": 29}, "ends_on"),  # the day before the first day
        ({"opens_on": 44}, "opens_on"),  # registration opening on the last day
        ({"places_per_person": 0}, "places_per_person"),
        ({"offer_hours": 0}, "offer_hours"),
        ({"name": ""}, "name"),
    ],
)
def test_season_rules(client, users, overrides, field):
    for name in ("ends_on", "opens_on"):
        if name in overrides:
            overrides[name] = (clock.today() + dt.timedelta(days=overrides[name])).isoformat()
    client.force_login(users["organiser"])
    response = client.post(url("manage_season_new"), season_data(**overrides))
    assert field in response.context["form"].errors
    assert not Season.objects.exists()


def test_season_dates_keep_covering_its_sessions(client, users, session):
    season = session.season
    client.force_login(users["organiser"])
    response = client.post(
        url("manage_season_edit", season.pk),
        season_data(
            starts_on=(season.starts_on + dt.timedelta(days=3)).isoformat(),
            ends_on=season.ends_on.isoformat(),
        ),
    )
    assert "Сеансов этого сезона вне новых дат: 1" in response.content.decode()
    season.refresh_from_db()
    assert season.name != "Открой#Моспром — осень"


def test_new_quota_applies_to_people_already_booked(client, users, session):
    season = session.season
    light, heavy = make_user(), make_user()
    make_booking(session=session, user=light, places=1)
    make_booking(session=session, user=heavy, places=2)
    client.force_login(users["organiser"])
    data = season_data(
        starts_on=season.starts_on.isoformat(),
        ends_on=season.ends_on.isoformat(),
        opens_on=clock.today().isoformat(),
        opens_time="00:00",
        places_per_person=1,
    )
    assert client.post(url("manage_season_edit", season.pk), data).status_code == 302
    allowed = dict(SeasonAllowance.objects.filter(season=season).values_list("user_id", "allowed"))
    assert allowed == {light.pk: 1, heavy.pk: 2}  # never below what they already hold

    data["places_per_person"] = 5
    client.post(url("manage_season_edit", season.pk), data)
    assert set(SeasonAllowance.objects.values_list("allowed", flat=True)) == {5}


def test_season_list_query_count(client, users, django_assert_max_num_queries):
    for i in range(30):
        season = make_season(name=f"Сезон {i}")
        make_session(season=season)
    client.force_login(users["organiser"])
    with django_assert_max_num_queries(5):
        response = client.get(url("manage_seasons"))
    assert len(response.context["page_obj"].object_list) == 25
    assert response.context["page_obj"][0].session_count == 1
