"""Online tours in Chromium against a live server: the gallery narrowed by industry, a tour
page whose «Смотреть здесь» swaps the cover for the player of the recognised platform (every
third-party request is answered locally by ``page.route``, so nothing leaves the machine) and
records one play however often it is started, the same page without JavaScript, and a tour
with an uploaded WebM (made in the browser with MediaRecorder) that plays on our site.

The database is transactional (the live server's thread must see the test's data); the
serialized rollback brings back what the migrations load (industries) before each test.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from mosprom.accounts.models import Role
from mosprom.accounts.tests.factories import make_user
from mosprom.core.periods import Period
from mosprom.media.embeds import embed_url
from mosprom.media.models import SitePlay
from mosprom.media.tests.factories import (
    make_award,
    make_online_tour,
    make_platform_views,
    make_publication,
    make_reach,
)
from mosprom.registry.tests.factories import make_enterprise

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("django_db_serialized_rollback")]

RT = "0123456789abcdef0123456789abcdef"
SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 9">'
    b'<rect width="16" height="9"/></svg>'
)

# A WebM recorded from a canvas: a second of frames, no audio, made by Chromium itself.
RECORD_WEBM = """async () => {
  const canvas = document.createElement("canvas");
  canvas.width = 64; canvas.height = 36;
  const ctx = canvas.getContext("2d");
  const recorder = new MediaRecorder(canvas.captureStream(15), {mimeType: "video/webm"});
  const chunks = [];
  recorder.ondataavailable = (event) => chunks.push(event.data);
  recorder.start(100);
  for (let i = 0; i < 15; i++) {
    ctx.fillStyle = i % 2 ? "#b3001b" : "#0b4f9c";
    ctx.fillRect(0, 0, 64, 36);
    await new Promise((resolve) => setTimeout(resolve, 70));
  }
  const stopped = new Promise((resolve) => (recorder.onstop = resolve));
  recorder.stop();
  await stopped;
  const bytes = new Uint8Array(await new Blob(chunks, {type: "video/webm"}).arrayBuffer());
  let text = "";
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text);
}"""


def _keep_local(page, base: str) -> list[str]:
    """Answer every request to another origin with a stub page; return the list of them."""
    outside: list[str] = []

    def handle(route):
        url = route.request.url
        if url.startswith(base):
            route.continue_()
        else:
            outside.append(url)
            route.fulfill(
                status=200,
                content_type="text/html; charset=utf-8",
                body="<!doctype html><title>Плеер</title><p>Заглушка плеера</p>",
            )

    page.route("**/*", handle)
    return outside


def test_gallery_filter_by_industry_narrows_the_cards(page, live_server, transactional_db):
    electronics = make_enterprise(short_name="Смарт Системз", industry_code="26")
    clothes = make_enterprise(short_name="Макс Экстрим", industry_code="14")
    make_online_tour(enterprise=electronics, title="Как делают RFID-метки")
    make_online_tour(enterprise=clothes, title="Швейная фабрика: полный цикл")
    make_online_tour(enterprise=clothes, title="Как кроят горнолыжные костюмы")
    _keep_local(page, live_server.url)

    page.goto(f"{live_server.url}/online-tours/")
    cards = page.locator(".tour-card")
    expect(cards).to_have_count(3)
    page.get_by_label("Отрасль").select_option(label=electronics.industry.name)
    page.get_by_role("button", name="Показать").click()

    expect(cards).to_have_count(1)
    expect(cards.get_by_role("link", name="Как делают RFID-метки")).to_be_visible()
    assert f"industry={electronics.industry.code}" in page.url
    page.get_by_role("link", name="Сбросить фильтры").click()
    expect(cards).to_have_count(3)


def test_watch_here_swaps_in_the_player_and_counts_one_play(
    page, live_server, transactional_db, assert_accessible
):
    tour = make_online_tour(
        title="Насосы ЛГМ: 60 лет",
        cover="online-tours/covers/lgm.jpg",
        cover_alt="Сборка насоса в цехе",
    )
    make_publication(tour, f"https://rutube.ru/video/{RT}/")
    make_publication(tour, "https://vkvideo.ru/video-22_33")
    outside = _keep_local(page, live_server.url)
    url = f"{live_server.url}{tour.get_absolute_url()}"

    page.goto(url)
    player = page.locator("[data-player]")
    expect(player.get_by_role("img", name="Сборка насоса в цехе")).to_be_attached()
    expect(player.locator("iframe")).to_have_count(0)
    assert outside == []  # nothing third-party before the click
    assert_accessible(page)

    with page.expect_response(lambda r: r.url.endswith("/play")) as played:
        page.get_by_role("button", name="Смотреть здесь").click()
    assert played.value.status == 204
    frame = player.locator("iframe")
    expect(frame).to_have_attribute("src", embed_url("rutube", RT))
    expect(frame).to_have_attribute("title", "Видеоплеер RUTUBE: Насосы ЛГМ: 60 лет")
    expect(frame).to_have_attribute("loading", "lazy")
    expect(frame).to_have_attribute("referrerpolicy", "strict-origin-when-cross-origin")
    expect(frame).to_be_focused()
    expect(
        page.frame_locator("[data-player] iframe").get_by_text("Заглушка плеера")
    ).to_be_visible()
    assert [u for u in outside if u.startswith("https://rutube.ru/play/embed/")] == [
        embed_url("rutube", RT)
    ]
    assert SitePlay.objects.filter(tour=tour).count() == 1

    # A reload and a second start the same day: still one play.
    page.reload()
    with page.expect_response(lambda r: r.url.endswith("/play")) as played_again:
        page.get_by_role("button", name="Смотреть здесь").click()
    assert played_again.value.status == 204
    assert SitePlay.objects.filter(tour=tour).count() == 1
    cookie = next(c for c in page.context.cookies() if c["name"] == "mosprom_viewer")
    assert cookie["httpOnly"] is True and cookie["sameSite"] == "Lax"
    # Links to every platform stay on the page.
    expect(page.get_by_role("link", name="VK Видео — открыть видео")).to_have_attribute(
        "href", "https://vkvideo.ru/video-22_33"
    )


def test_without_javascript_the_page_shows_cover_and_links(chromium, live_server, transactional_db):
    tour = make_online_tour(cover="online-tours/covers/x.jpg", cover_alt="Цех фабрики")
    make_publication(tour, f"https://rutube.ru/video/{RT}/")
    context = chromium.new_context(
        locale="ru-RU", viewport={"width": 412, "height": 900}, java_script_enabled=False
    )
    try:
        page = context.new_page()
        outside = _keep_local(page, live_server.url)
        page.goto(f"{live_server.url}{tour.get_absolute_url()}")
        expect(page.get_by_role("img", name="Цех фабрики")).to_be_visible()
        expect(page.get_by_role("button", name="Смотреть здесь")).to_be_hidden()
        expect(page.get_by_role("link", name="RUTUBE — открыть видео")).to_be_visible()
        expect(page.locator("iframe")).to_have_count(0)
        assert outside == []
    finally:
        context.close()


def test_uploaded_video_plays_on_our_site_and_counts(
    page, live_server, transactional_db, assert_accessible, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    page.goto(f"{live_server.url}/online-tours/")
    webm = base64.b64decode(page.evaluate(RECORD_WEBM))
    assert webm[:4] == b"\x1aE\xdf\xa3"  # an EBML (WebM) header

    tour = make_online_tour(
        title="Как делают микросхемы",
        published_on=dt.date(2023, 9, 1),
        cover_alt="Пластина с микросхемами",
    )
    tour.video.save("tour.webm", ContentFile(webm), save=False)
    tour.cover.save("cover.svg", ContentFile(SVG), save=False)
    tour.save()
    outside = _keep_local(page, live_server.url)
    # The development server's media view reads the folder bound when the URLconf was
    # imported; the files of this test live in its own folder, so the browser gets them here.
    files = {tour.video.url: ("video/webm", webm), tour.cover.url: ("image/svg+xml", SVG)}
    page.route(
        re.compile(r".*/media/online-tours/.*"),
        lambda route: route.fulfill(
            status=200,
            content_type=files[urlsplit(route.request.url).path][0],
            body=files[urlsplit(route.request.url).path][1],
        ),
    )

    page.goto(f"{live_server.url}{tour.get_absolute_url()}")
    video = page.locator("video")
    expect(video).to_have_attribute("poster", tour.cover.url)
    expect(video).to_have_attribute("src", tour.video.url)
    expect(page.get_by_role("button", name="Смотреть здесь")).to_have_count(0)
    assert_accessible(page)
    with page.expect_response(lambda r: r.url.endswith("/play")) as played:
        video.click()
        video.evaluate("v => v.play()")
    assert played.value.status == 204
    page.wait_for_function("() => document.querySelector('video').currentTime > 0")
    assert SitePlay.objects.filter(tour=tour).count() == 1
    assert outside == []


def test_gallery_card_opens_the_tour(page, live_server, transactional_db):
    tour = make_online_tour(title="Как делают RFID-метки")
    _keep_local(page, live_server.url)
    page.goto(f"{live_server.url}/online-tours/")
    page.get_by_role("link", name="Как делают RFID-метки").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Как делают RFID-метки")
    assert re.search(rf"/online-tours/{tour.pk}/$", page.url)


def test_back_office_pages_are_accessible(page, live_server, transactional_db, assert_accessible):
    organiser = make_user(role=Role.ORGANISER)
    tour = make_online_tour(title="Насосы ЛГМ")
    make_publication(tour, f"https://rutube.ru/video/{RT}/")
    make_platform_views(tour, Period.year(2023), 12_000)
    make_reach("social", period=Period.year(2023), value=4_000_000)
    make_award()
    client = Client()
    client.force_login(organiser)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    _keep_local(page, live_server.url)
    for path in (
        reverse("media:manage"),
        reverse("media:tours"),
        reverse("media:tour_new"),
        reverse("media:tour_edit", args=[tour.pk]),
        reverse("media:views"),
        reverse("media:reach"),
        reverse("media:awards"),
        reverse("media:audience") + "?period=2023",
    ):
        page.goto(live_server.url + path)
        assert page.locator("h1").count() == 1, path
        assert_accessible(page)

    # The import's checked preview, with a bad row listed by its line.
    page.goto(live_server.url + reverse("media:views_import"))
    page.get_by_label("Файл CSV").set_input_files(
        files=[
            {
                "name": "views.csv",
                "mimeType": "text/csv",
                "buffer": (
                    f"tour,platform,period,views\n{tour.pk},vk,2023-Q1,10\n{tour.pk},vk,2023-13,5\n"
                ).encode(),
            }
        ]
    )
    page.get_by_role("button", name="Проверить файл").click()
    expect(page.locator(".import-problems tbody tr")).to_have_count(1)
    expect(page.locator(".import-problems tbody tr td").first).to_have_text("3")
    assert_accessible(page)
    page.get_by_label("Пропустить строки с ошибками и загрузить остальные").first.check()
    page.get_by_role("button", name="Загрузить проверенный файл").click()
    expect(page.get_by_text("Импорт завершён: добавлено 1, обновлено 0.")).to_be_visible()
