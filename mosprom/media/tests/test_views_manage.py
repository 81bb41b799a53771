"""The media back office: organisers only; tours with their files and publications, platform
counts typed or imported from CSV (a checked preview listing every bad row, skip-bad), reach,
awards and the audience page. Forms come back with what was typed and the services' Russian
messages; deleting asks first; every list pages and keeps its number of queries."""

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
from mosprom.core.periods import Period
from mosprom.media.models import (
    Award,
    CountSource,
    OnlineTour,
    PlatformViews,
    Publication,
    Reach,
)
from mosprom.media.tests.factories import (
    make_award,
    make_online_tour,
    make_platform_views,
    make_publication,
    make_reach,
)
from mosprom.registry.tests.factories import make_enterprise
from mosprom.tourism.models import Experience, ExperienceKind

pytestmark = pytest.mark.django_db

RT = "0123456789abcdef0123456789abcdef"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def organiser():
    return make_user(role=Role.ORGANISER)


@pytest.fixture
def staff(client, organiser):
    client.force_login(organiser)
    return client


def png(name="cover.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 9), "navy").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def csv_file(text: str, name="views.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def tour_post(enterprise, **overrides) -> dict:
    data = {
        "action": "save",
        "enterprise": enterprise.inn,
        "title": "Как делают RFID-метки",
        "description": "От антенны до готовой метки.",
        "duration_minutes": "18",
        "published_on": "2023-04-12",
        "host_name": "Анна Петрова",
        "cover_alt": "",
        "is_published": "on",
    }
    data.update(overrides)
    return data


# --- Access ----------------------------------------------------------------------------------


def test_back_office_is_for_organisers_only(client):
    tour = make_online_tour()
    urls = [
        reverse("media:manage"),
        reverse("media:tours"),
        reverse("media:tour_edit", args=[tour.pk]),
        reverse("media:views"),
        reverse("media:views_import"),
        reverse("media:reach"),
        reverse("media:awards"),
        reverse("media:audience"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    for role in (Role.VISITOR, Role.HOST):
        client.force_login(make_user(role=role))
        for url in urls:
            assert client.get(url).status_code == 403
    client.force_login(make_user(role=Role.HOST))
    response = client.post(reverse("media:tour_delete", args=[tour.pk]))
    assert response.status_code == 403
    assert OnlineTour.objects.filter(pk=tour.pk).exists()


def test_hub_links_every_section(staff):
    html = staff.get(reverse("media:manage")).content.decode()
    for name in ("tours", "views", "views_import", "reach", "audience", "awards", "programme"):
        assert f'href="{reverse("media:" + name)}"' in html


# --- Tours -----------------------------------------------------------------------------------


def test_create_tour_with_cover_and_video(staff):
    enterprise = make_enterprise(short_name="Смарт Системз")
    data = tour_post(enterprise, cover_alt="Антенны RFID-меток крупным планом")
    data["cover"] = png()
    data["video"] = SimpleUploadedFile("tour.webm", b"\x1aE\xdf\xa3" + b"\0" * 60)
    response = staff.post(reverse("media:tour_new"), data)
    tour = OnlineTour.objects.select_related("experience").get()
    assert response.status_code == 302
    assert response["Location"] == reverse("media:tour_edit", args=[tour.pk])
    assert tour.experience.kind == ExperienceKind.ONLINE_TOUR
    assert tour.experience.enterprise == enterprise
    assert tour.experience.duration_minutes == 18
    assert tour.published_on == dt.date(2023, 4, 12)
    assert tour.cover and tour.video
    assert tour.cover_alt == "Антенны RFID-меток крупным планом"


def test_create_tour_form_comes_back_with_what_was_typed_and_russian_errors(staff):
    enterprise = make_enterprise()
    data = tour_post(enterprise, title="", duration_minutes="900", host_name="Ведущий Иван")
    data["cover"] = png()
    response = staff.post(reverse("media:tour_new"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Укажите название онлайн-экскурсии." in html
    assert "Продолжительность — целое число минут от 1 до 600." in html
    assert "Опишите, что изображено на обложке" in html
    assert 'value="Ведущий Иван"' in html
    assert 'value="900"' in html
    assert f'value="{enterprise.inn}"' in html
    assert not OnlineTour.objects.exists()


def test_create_tour_with_an_unknown_inn(staff):
    response = staff.post(
        reverse("media:tour_new"), tour_post(make_enterprise()) | {"enterprise": "7700000000"}
    )
    html = response.content.decode()
    assert "Предприятия с таким ИНН нет в реестре." in html
    assert 'value="7700000000"' in html
    assert not Experience.objects.filter(kind=ExperienceKind.ONLINE_TOUR).exists()


def test_create_tour_refuses_a_video_that_is_not_mp4_or_webm(staff):
    data = tour_post(make_enterprise())
    data["video"] = SimpleUploadedFile("tour.avi", b"RIFF")
    html = staff.post(reverse("media:tour_new"), data).content.decode()
    assert "Видеофайл — MP4 или WebM." in html
    assert not OnlineTour.objects.exists()


def test_edit_tour_changes_fields_and_clears_the_cover(staff):
    tour = make_online_tour(title="Старое название")
    staff.post(
        reverse("media:tour_edit", args=[tour.pk]),
        tour_post(tour.experience.enterprise, cover_alt="Цех") | {"cover": png()},
    )
    tour.refresh_from_db()
    assert tour.cover
    response = staff.post(
        reverse("media:tour_edit", args=[tour.pk]),
        tour_post(tour.experience.enterprise, title="Новое название", clear_cover="on")
        | {"is_published": ""},
    )
    assert response.status_code == 302
    tour.refresh_from_db()
    tour.experience.refresh_from_db()
    assert tour.experience.title == "Новое название"
    assert not tour.cover
    assert tour.experience.is_published is False


def test_edit_page_shows_the_current_values(staff):
    tour = make_online_tour(title="Швейная фабрика: полный цикл", host_name="Ольга")
    html = staff.get(reverse("media:tour_edit", args=[tour.pk])).content.decode()
    assert 'value="Швейная фабрика: полный цикл"' in html
    assert f'value="{tour.experience.enterprise.inn}"' in html
    assert 'value="2023-05-17"' in html
    assert "Публикаций нет." in html
    assert "<iframe" not in html  # help texts are not escaped by Django: no markup in them


def test_add_replace_and_refuse_publications(staff):
    tour = make_online_tour()
    url = reverse("media:tour_edit", args=[tour.pk])
    response = staff.post(
        url,
        {"action": "publication", "platform": "rutube", "url": f"https://rutube.ru/video/{RT}/"},
    )
    assert response.status_code == 302
    assert Publication.objects.get(tour=tour).video_key == RT
    other = "f" * 32
    staff.post(
        url,
        {"action": "publication", "platform": "rutube", "url": f"https://rutube.ru/video/{other}/"},
    )
    assert Publication.objects.get(tour=tour).video_key == other
    snippet = '<iframe src="https://evil.example/x"></iframe>'
    response = staff.post(url, {"action": "publication", "platform": "vk", "url": snippet})
    html = response.content.decode()
    assert "Не удалось распознать ссылку на видео" in html
    assert "&lt;iframe src=&quot;https://evil.example/x&quot;&gt;" in html  # kept, escaped
    assert '<iframe src="https://evil.example' not in html
    assert Publication.objects.filter(tour=tour).count() == 1


def test_remove_publication_asks_first(staff):
    tour = make_online_tour()
    publication = make_publication(tour)
    url = reverse("media:publication_remove", args=[tour.pk, "rutube"])
    response = staff.get(url)
    assert "Удалить публикацию?" in response.content.decode()
    assert Publication.objects.filter(pk=publication.pk).exists()
    assert staff.post(url).status_code == 302
    assert not Publication.objects.filter(pk=publication.pk).exists()
    assert staff.get(reverse("media:publication_remove", args=[tour.pk, "vk"])).status_code == 404


def test_delete_tour_asks_first_then_removes_it_with_its_experience(staff):
    tour = make_online_tour(title="Насосы ЛГМ")
    make_platform_views(tour, Period.year(2023), 4_000)
    url = reverse("media:tour_delete", args=[tour.pk])
    html = staff.get(url).content.decode()
    assert "Удалить онлайн-экскурсию?" in html and "«Насосы ЛГМ»" in html
    assert "4\xa0000" in html
    assert OnlineTour.objects.filter(pk=tour.pk).exists()
    response = staff.post(url)
    assert response["Location"] == reverse("media:tours")
    assert not OnlineTour.objects.filter(pk=tour.pk).exists()
    assert not Experience.objects.filter(pk=tour.pk).exists()
    assert not PlatformViews.objects.exists()


def test_tour_list_pages_with_states_and_bounded_queries(staff, django_assert_max_num_queries):
    make_online_tour(title="Черновик ролика", is_published=False, published_on=dt.date(2030, 1, 1))
    for n in range(26):
        tour = make_online_tour(published_on=dt.date(2023, 1, 1) + dt.timedelta(days=n))
        make_publication(tour)
        make_platform_views(tour, Period.year(2023), 10)
    # session, user, count, page, publications, site plays, platform counts
    with django_assert_max_num_queries(7):
        response = staff.get(reverse("media:tours"))
    html = response.content.decode()
    assert len(response.context["rows"]) == 25
    assert "черновик" in html
    assert 'href="?page=2"' in html


def test_tour_list_empty(staff):
    assert "Онлайн-экскурсий пока нет." in staff.get(reverse("media:tours")).content.decode()


# --- Platform counts -------------------------------------------------------------------------


def test_enter_update_and_refuse_overlapping_counts(staff):
    tour = make_online_tour()
    url = reverse("media:views")
    post = {"tour": tour.pk, "platform": "rutube", "period": "2023-Q2", "views": "12 500"}
    response = staff.post(url, post)
    assert response.status_code == 302
    row = PlatformViews.objects.get()
    assert (row.period, row.views) == (Period.quarter(2023, 2), 12_500)
    staff.post(url, post | {"views": "13000"})
    assert PlatformViews.objects.get().views == 13_000
    response = staff.post(url, post | {"period": "2023-05", "views": "777"})
    html = response.content.decode()
    assert "пересекаются с уже внесёнными за 2 кв. 2023 г." in html
    assert 'value="2023-05"' in html and 'value="777"' in html
    assert PlatformViews.objects.count() == 1


def test_count_form_reads_periods_and_explains_bad_ones(staff):
    tour = make_online_tour()
    html = staff.get(reverse("media:views")).content.decode()
    assert "квартал — 2023-Q2" in html  # the period's help text
    response = staff.post(
        reverse("media:views"),
        {"tour": tour.pk, "platform": "vk", "period": "второй квартал", "views": "-5"},
    )
    html = response.content.decode()
    assert "Не удалось прочитать период «второй квартал»" in html
    assert not PlatformViews.objects.exists()
    response = staff.post(
        reverse("media:views"),
        {"tour": tour.pk, "platform": "vk", "period": "2023", "views": "много"},
    )
    assert "Просмотры — целое неотрицательное число." in response.content.decode()


def test_counts_list_filters_pages_and_keeps_its_queries(staff, django_assert_max_num_queries):
    tours = [make_online_tour(title=f"Экскурсия {n}") for n in range(3)]
    for tour in tours:
        for month in range(1, 11):
            make_platform_views(tour, Period.month(2023, month), 100 * month)
    make_platform_views(tours[0], Period.year(2022), 5)
    # session, user, tour choices (2 selects), count, page, totals (2)
    with django_assert_max_num_queries(8):
        response = staff.get(reverse("media:views"))
    assert len(response.context["page"].object_list) == 25
    response = staff.get(reverse("media:views"), {"tour": tours[0].pk, "period": "2022"})
    rows = list(response.context["page"].object_list)
    assert [(r.tour_id, r.views) for r in rows] == [(tours[0].pk, 5)]
    html = staff.get(reverse("media:views"), {"period": "2023-Q1", "page": 1}).content.decode()
    assert 'href="?period=2023-Q1&amp;page=2"' not in html  # 9 rows: one page
    assert "Всего просмотров: 1\xa0800" in html  # (100 + 200 + 300) × 3


def test_counts_list_empty(staff):
    assert (
        "Просмотров с платформ пока не вносили."
        in staff.get(reverse("media:views")).content.decode()
    )


def test_delete_count_asks_first(staff):
    row = make_platform_views(make_online_tour(), Period.year(2023), 1_234)
    url = reverse("media:views_delete", args=[row.pk])
    assert "1\xa0234" in staff.get(url).content.decode()
    assert PlatformViews.objects.filter(pk=row.pk).exists()
    staff.post(url)
    assert not PlatformViews.objects.filter(pk=row.pk).exists()


# --- CSV import ------------------------------------------------------------------------------


def _import_file(tour):
    return (
        "tour,platform,period,views\n"
        f"{tour.pk},rutube,2023-Q1,1 000\n"
        f"{tour.pk},site,2023-Q2,5\n"
        "999999,vk,2023,10\n"
        f"{tour.pk},vk,2023-13,10\n"
        f"{tour.pk},youtube,2023,300\n"
    )


def test_import_check_lists_every_bad_row_and_writes_nothing(staff):
    tour = make_online_tour(title="Насосы ЛГМ")
    response = staff.post(
        reverse("media:views_import"),
        {"file": csv_file(_import_file(tour)), "action": "check"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Это проверка: ничего не записано." in html
    errors = response.context["result"].errors
    assert [error.line for error in errors] == [3, 4, 5]
    for line in (3, 4, 5):
        assert f'<tr class="row-error"><td>{line}</td>' in html
    assert "просмотры на нашем сайте считаются автоматически" in html
    assert "онлайн-экскурсии №999999 нет" in html
    assert "Месяц должен быть от 01 до 12." in html
    assert "Насосы ЛГМ" in html  # the good rows to be written
    assert not PlatformViews.objects.exists()


def test_import_of_the_checked_file_needs_skip_bad_when_rows_are_bad(staff):
    tour = make_online_tour()
    url = reverse("media:views_import")
    staff.post(url, {"file": csv_file(_import_file(tour)), "action": "check"})
    response = staff.post(url, {"use_pending": "1", "action": "import"})
    assert "Ничего не загружено: в файле есть ошибки." in response.content.decode()
    assert not PlatformViews.objects.exists()
    response = staff.post(url, {"use_pending": "1", "action": "import", "skip_bad": "on"})
    assert response.status_code == 302
    assert response["Location"] == reverse("media:views")
    rows = PlatformViews.objects.order_by("platform")
    assert [(r.platform, r.views, r.source) for r in rows] == [
        ("rutube", 1_000, CountSource.IMPORT),
        ("youtube", 300, CountSource.IMPORT),
    ]
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["Импорт завершён: добавлено 2, обновлено 0. Пропущено строк с ошибками: 3."]
    # The checked file is gone from the session once written.
    response = staff.post(url, {"use_pending": "1", "action": "import"})
    assert "Выберите файл CSV." in response.content.decode()


def test_import_a_good_file_directly_and_update_on_the_second_run(staff):
    tour = make_online_tour()
    make_publication(tour, f"https://rutube.ru/video/{RT}/")
    text = f"tour;platform;period;views\nhttps://rutube.ru/video/{RT}/;rutube;2023-05;42\n"
    url = reverse("media:views_import")
    assert staff.post(url, {"file": csv_file(text), "action": "import"}).status_code == 302
    assert PlatformViews.objects.get().views == 42
    response = staff.post(url, {"file": csv_file(text.replace(";42", ";43")), "action": "import"})
    assert response.status_code == 302
    assert PlatformViews.objects.get().views == 43


def test_import_without_a_file_or_with_a_bad_header(staff):
    url = reverse("media:views_import")
    html = staff.post(url, {"action": "check"}).content.decode()
    assert "Выберите файл CSV." in html
    response = staff.post(url, {"file": csv_file("a,b\n1,2\n"), "action": "check"})
    html = response.content.decode()
    assert '<tr class="row-error"><td>1</td>' in html
    assert "Первая строка должна быть заголовком" in html
    assert "Верных строк нет — загружать нечего." in html


def test_import_page_explains_the_format(staff):
    html = staff.get(reverse("media:views_import")).content.decode()
    assert "tour,platform,period,views" in html
    assert "Пропустить строки с ошибками и загрузить остальные" in html


# --- Reach -----------------------------------------------------------------------------------


def test_enter_edit_and_delete_reach(staff):
    url = reverse("media:reach")
    post = {"channel": "social", "period": "2023", "value": "5 000 000", "note": "VK и Telegram"}
    assert staff.post(url, post).status_code == 302
    reach = Reach.objects.get()
    assert (reach.value, reach.period, reach.note) == (
        5_000_000,
        Period.year(2023),
        "VK и Telegram",
    )
    response = staff.post(url, post | {"period": "2023-H1", "value": "10"})
    html = response.content.decode()
    assert "пересекается с уже внесённым за 2023 год" in html
    assert 'value="2023-H1"' in html

    edit = reverse("media:reach_edit", args=[reach.pk])
    html = staff.get(edit).content.decode()
    assert 'value="5000000"' in html
    assert staff.post(edit, {"value": "5 100 000", "note": "уточнено"}).status_code == 302
    reach.refresh_from_db()
    assert (reach.value, reach.note, reach.period) == (5_100_000, "уточнено", Period.year(2023))
    response = staff.post(edit, {"value": "много", "note": ""})
    assert "Охват — целое неотрицательное число человек." in response.content.decode()

    delete = reverse("media:reach_delete", args=[reach.pk])
    assert "Удалить охват?" in staff.get(delete).content.decode()
    assert Reach.objects.exists()
    staff.post(delete)
    assert not Reach.objects.exists()


def test_reach_list_pages_and_keeps_its_queries(staff, django_assert_max_num_queries):
    assert "Охват пока не вносили." in staff.get(reverse("media:reach")).content.decode()
    for year in range(2000, 2010):
        for channel in ("site_visitors", "social", "media"):
            make_reach(channel, period=Period.year(year), value=year)
    with django_assert_max_num_queries(4):  # session, user, count, page
        response = staff.get(reverse("media:reach"))
    assert len(response.context["page"].object_list) == 25
    assert 'href="?page=2' in response.content.decode()


# --- Awards ----------------------------------------------------------------------------------


def test_create_edit_and_delete_award(staff):
    post = {
        "name": "Маршрут построен",
        "category": "Промышленный маршрут",
        "year": "2023",
        "awarding_body": "Народная премия",
        "place": "победа",
        "url": "",
    }
    assert staff.post(reverse("media:award_new"), post).status_code == 302
    award = Award.objects.get()
    assert (award.name, award.year, award.place) == ("Маршрут построен", 2023, "победа")

    edit = reverse("media:award_edit", args=[award.pk])
    assert 'value="Маршрут построен"' in staff.get(edit).content.decode()
    staff.post(edit, post | {"place": "1 место"})
    award.refresh_from_db()
    assert award.place == "1 место"

    delete = reverse("media:award_delete", args=[award.pk])
    assert "Удалить награду?" in staff.get(delete).content.decode()
    staff.post(delete)
    assert not Award.objects.exists()


def test_award_form_comes_back_with_russian_errors(staff):
    post = {"name": "", "year": "1999", "awarding_body": "", "place": "", "url": "ftp://x"}
    response = staff.post(reverse("media:award_new"), post | {"category": "Номинация X"})
    html = response.content.decode()
    assert "Укажите название премии или конкурса." in html
    assert "Год — от 2000 до" in html
    assert "Укажите, кто вручает награду." in html
    assert "Ссылка должна начинаться с http:// или https://." in html
    assert 'value="Номинация X"' in html
    assert not Award.objects.exists()


def test_award_list_pages_and_keeps_its_queries(staff, django_assert_max_num_queries):
    assert "Наград пока нет." in staff.get(reverse("media:awards")).content.decode()
    for n in range(30):
        make_award(name=f"Премия {n:02d}", year=2000 + n % 20)
    with django_assert_max_num_queries(4):  # session, user, count, page
        response = staff.get(reverse("media:awards"))
    assert len(response.context["page"].object_list) == 25
    assert response.context["page"].object_list[0].year == 2019


# --- The audience ----------------------------------------------------------------------------


def test_audience_page_for_a_period_with_parts_and_origin(staff):
    tour = make_online_tour()
    make_platform_views(tour, Period.month(2023, 5), 700)
    make_reach("media", period=Period.quarter(2023, 2), value=3_000)
    make_reach("media", period=Period.year(2022), value=9)
    response = staff.get(reverse("media:audience"), {"period": "2023-H1"})
    html = response.content.decode()
    assert response.context["audience"].total == 3_700
    assert "1-е полугодие 2023 г." in html
    assert "внесено вручную" in html and "считается автоматически" in html
    assert 'value="2023-H1"' in html


def test_audience_page_defaults_to_this_year_and_explains_a_bad_period(staff):
    response = staff.get(reverse("media:audience"))
    assert response.context["period"] == Period.year(clock.today().year)
    response = staff.get(reverse("media:audience"), {"period": "вчера"})
    assert response.status_code == 200
    assert "Не удалось прочитать период «вчера»" in response.content.decode()
