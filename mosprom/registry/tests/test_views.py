"""The public catalogue pages: list with search and filters, htmx fragment, enterprise page."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from mosprom.accounts.tests.factories import make_user
from mosprom.registry.tests.factories import (
    make_enterprise,
    make_product,
    make_sez_membership,
    make_site,
)

pytestmark = pytest.mark.django_db

LIST = reverse("registry:enterprise_list")


def card_names(html: str) -> list[str]:
    return re.findall(r'<h2><a href="/enterprises/\d+/">([^<]+)</a></h2>', html)


def test_list_shows_cards_with_tags_and_count(client):
    mikron = make_enterprise(short_name="Микрон", okrug="ZELAO", hosts_tours=True, is_demo=True)
    make_sez_membership(mikron, status="resident")
    make_enterprise(short_name="Трансмаш", industry_code="30", okrug="SVAO")

    response = client.get(LIST)

    assert response.status_code == 200
    html = response.content.decode()
    assert card_names(html) == ["Микрон", "Трансмаш"]
    assert "Предприятий в реестре: 2" in html
    assert "Резидент ОЭЗ" in html
    assert "Принимает экскурсии" in html
    assert "Демо-данные" in html
    assert "Зеленоградский (ЗелАО)" in html
    assert html.count("<h1>") == 1
    assert 'aria-live="polite"' in html
    # Every filter has a label.
    for field in ("id_q", "id_industry", "id_okrug", "id_sez", "id_hosts_tours"):
        assert f'for="{field}"' in html


def test_filters_narrow_the_list_and_are_kept_in_the_form(client):
    make_enterprise(short_name="Микрон", okrug="ZELAO", hosts_tours=True)
    make_enterprise(short_name="Ангстрем", okrug="ZELAO", hosts_tours=False)
    make_enterprise(short_name="Трансмаш", industry_code="30", okrug="SVAO", hosts_tours=True)

    response = client.get(LIST, {"okrug": "ZELAO", "hosts_tours": "on", "industry": "26"})

    html = response.content.decode()
    assert card_names(html) == ["Микрон"]
    assert "Найдено предприятий: 1" in html
    assert '<option value="ZELAO" selected>' in html
    assert 'name="hosts_tours" id="id_hosts_tours" checked' in html


def test_invalid_filter_values_are_reported_and_ignored(client):
    make_enterprise(short_name="Микрон")

    response = client.get(LIST, {"okrug": "MARS"})

    assert response.status_code == 200
    html = response.content.decode()
    assert card_names(html) == ["Микрон"]
    assert 'class="errorlist"' in html


def test_text_search_on_the_page(client):
    make_enterprise(short_name="Московский комбинат игрушек", okrug="VAO")
    make_enterprise(short_name="Микрон")

    html = client.get(LIST, {"q": "игрушки"}).content.decode()

    assert card_names(html) == ["Московский комбинат игрушек"]
    assert 'value="игрушки"' in html


def test_empty_registry_says_so(client):
    response = client.get(LIST)

    html = response.content.decode()
    assert "Реестр пока пуст" in html
    assert "Ничего не найдено" not in html


def test_nothing_found_offers_names_and_wider_searches(client):
    make_enterprise(short_name="Микрон", okrug="ZELAO")

    response = client.get(LIST, {"q": "Микрно", "okrug": "VAO"})

    html = response.content.decode()
    assert "Ничего не найдено" in html
    assert "Реестр пока пуст" not in html
    # The closest name, a link without each filter, and an industry to browse.
    assert re.search(r'<a href="/enterprises/\d+/">Микрон</a>', html)
    assert 'href="?q=%D0%9C%D0%B8%D0%BA%D1%80%D0%BD%D0%BE"' in html  # okrug dropped
    assert 'href="?okrug=VAO"' in html  # query dropped
    assert 'href="?industry=26"' in html


def test_htmx_request_gets_only_the_results_fragment(client):
    make_enterprise(short_name="Микрон")

    response = client.get(LIST, {"q": "Микрон"}, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert "<html" not in html
    assert "<h1>" not in html
    assert card_names(html) == ["Микрон"]
    # The count lives outside #results; it is updated out of band, keeping its live region.
    assert 'id="result-count" hx-swap-oob="innerHTML"' in html
    assert "Найдено предприятий: 1" in html
    assert "HX-Request" in response["Vary"]


def test_htmx_history_restore_gets_the_whole_page(client):
    make_enterprise(short_name="Микрон")

    response = client.get(
        LIST, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )

    assert "<html" in response.content.decode()


def test_the_form_works_with_and_without_htmx(client):
    html = client.get(LIST).content.decode()
    form = re.search(r"<form method=\"get\" action=\"/enterprises/\"[^>]*>", html).group(0)
    assert 'hx-get="/enterprises/"' in form
    assert 'hx-target="#results"' in form
    assert 'hx-push-url="true"' in form
    assert 'id="results"' in html


def test_pagination_keeps_the_filters(client):
    for n in range(25):
        make_enterprise(short_name=f"Завод {n:02d}", okrug="SAO", hosts_tours=True)
    make_enterprise(short_name="Другой округ", okrug="VAO", hosts_tours=True)

    first = client.get(LIST, {"okrug": "SAO", "hosts_tours": "on"}).content.decode()

    assert len(card_names(first)) == 20
    assert "Найдено предприятий: 25" in first
    assert 'aria-label="Страницы результатов"' in first
    next_link = re.search(r'<a href="(\?[^"]+)"[^>]*rel="next"', first).group(1)
    assert "okrug=SAO" in next_link
    assert "hosts_tours=on" in next_link
    assert "page=2" in next_link

    second = client.get(LIST + next_link.replace("&amp;", "&")).content.decode()
    assert card_names(second) == [f"Завод {n:02d}" for n in range(20, 25)]
    assert "Страница 2 из 2" in second


def _populate(n: int) -> None:
    for i in range(n):
        enterprise = make_enterprise(
            short_name=f"Предприятие {i:03d}",
            industry_code=("26", "28", "30")[i % 3],
            hosts_tours=i % 2 == 0,
            description="Завод полного цикла.",
        )
        make_site(enterprise)
        make_site(enterprise, name="Вторая площадка")
        make_product(enterprise, name="Станок")
        if i % 4 == 0:
            make_sez_membership(enterprise, status="resident" if i % 8 == 0 else "located")


def test_list_query_count_does_not_grow_with_the_registry(client, django_assert_max_num_queries):
    _populate(65)

    with django_assert_max_num_queries(4):
        response = client.get(LIST)
    assert len(card_names(response.content.decode())) == 20

    with django_assert_max_num_queries(4):
        response = client.get(LIST, {"q": "завод", "hosts_tours": "on", "page": "2"})
    assert len(card_names(response.content.decode())) == 13

    with django_assert_max_num_queries(3):
        client.get(LIST, {"q": "завод"}, headers={"HX-Request": "true"})


def test_enterprise_page_shows_everything(client, django_assert_max_num_queries):
    enterprise = make_enterprise(
        short_name="Микрон",
        legal_name="ПАО «Микрон»",
        okrug="ZELAO",
        website="https://mikron.example",
        description="Микросхемы и RFID-метки.",
        is_demo=True,
    )
    make_sez_membership(enterprise, agreement_number="77-123", agreement_date=dt.date(2021, 4, 2))
    make_site(
        enterprise,
        name="Фабрика в Зеленограде",
        address="Зеленоград, 1-й Западный проезд, 12",
        latitude=Decimal("55.984"),
        longitude=Decimal("37.171"),
        accessibility_notes="Пандус у входа",
    )
    make_product(enterprise, name="Микросхема «Миландр»", hs_code="854231")

    with django_assert_max_num_queries(4):
        response = client.get(enterprise.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1>") == 1
    assert "<h1>Микрон</h1>" in html
    for text in (
        "ПАО «Микрон»",
        enterprise.inn,
        enterprise.ogrn,
        "Производство компьютеров, электронных и оптических изделий",
        "Зеленоградский (ЗелАО)",
        "Резидент",
        "№ 77-123 от 2 апреля 2021",
        "Фабрика в Зеленограде",
        "Зеленоград, 1-й Западный проезд, 12",
        "Пандус у входа",
        "Микросхема «Миландр»",
        "854231",
        "демо-данные",
    ):
        assert text in html, text
    assert 'href="https://mikron.example" rel="noopener noreferrer"' in html
    assert "https://www.openstreetmap.org/?mlat=55.984000&amp;mlon=37.171000" in html


def test_enterprise_page_without_sites_products_or_sez(client):
    enterprise = make_enterprise(short_name="Трансмаш")

    html = client.get(enterprise.get_absolute_url()).content.decode()

    assert "Площадки пока не указаны." in html
    assert "Продукция пока не указана." in html
    assert "Не работает в особой экономической зоне." in html
    assert "демо-данные" not in html


def test_unknown_enterprise_is_404(client):
    assert client.get(reverse("registry:enterprise_detail", args=[999999])).status_code == 404


def test_logged_in_user_sees_the_same_catalogue(client):
    make_enterprise(short_name="Микрон")
    client.force_login(make_user())

    html = client.get(LIST).content.decode()

    assert card_names(html) == ["Микрон"]
