"""The catalogue search (``selectors.enterprise_search``): PostgreSQL and the SQLite fallback."""

from __future__ import annotations

import pytest
from django.db import connection

from mosprom.registry import selectors
from mosprom.registry.tests.factories import (
    make_enterprise,
    make_product,
    make_sez_membership,
)

pytestmark = pytest.mark.django_db


def names(qs) -> list[str]:
    return [e.short_name for e in qs]


@pytest.fixture
def catalogue():
    """A few enterprises that differ in name, description, products, industry, okrug, SEZ."""
    toys = make_enterprise(
        short_name="Московский комбинат игрушек",
        legal_name="АО «Московский комбинат игрушек»",
        industry_code="32",
        okrug="VAO",
        hosts_tours=True,
        description="Мягкие игрушки и настольные игры.",
    )
    mikron = make_enterprise(
        short_name="Микрон",
        legal_name="ПАО «Микрон»",
        industry_code="26",
        okrug="ZELAO",
        hosts_tours=True,
        description="Микросхемы и RFID-метки.",
    )
    make_sez_membership(mikron, status="resident")
    transmash = make_enterprise(
        short_name="Трансмаш",
        legal_name="ООО «Трансмаш»",
        industry_code="30",
        okrug="SVAO",
        description="Вагоноремонтный завод полного цикла.",
    )
    pumps = make_enterprise(
        short_name="ЛГМ",
        legal_name="ООО «ЛГМ»",
        industry_code="28",
        okrug="ZAO",
        hosts_tours=False,
        description="Насосное оборудование.",
    )
    make_product(pumps, name="Насосы для заводов и котельных")
    located = make_enterprise(
        short_name="Технопарк-Сервис",
        industry_code="26",
        okrug="ZELAO",
        hosts_tours=True,
    )
    make_sez_membership(located, status="located")
    return {"toys": toys, "mikron": mikron, "transmash": transmash, "pumps": pumps}


# --- PostgreSQL: full text in Russian and trigram similarity ---------------------------------


@pytest.mark.postgres
def test_plural_finds_singular_in_description_and_products(catalogue):
    found = names(selectors.enterprise_search(q="заводы"))
    assert "Трансмаш" in found  # «завод» in the description
    assert "ЛГМ" in found  # «заводов» in a product name
    assert "Микрон" not in found


@pytest.mark.postgres
def test_a_word_form_finds_the_name(catalogue):
    assert names(selectors.enterprise_search(q="игрушки")) == ["Московский комбинат игрушек"]


@pytest.mark.postgres
@pytest.mark.parametrize(("typed", "expected"), [("Микрн", "Микрон"), ("Трансмащ", "Трансмаш")])
def test_a_misspelt_name_still_finds_the_enterprise(catalogue, typed, expected):
    assert names(selectors.enterprise_search(q=typed))[:1] == [expected]


@pytest.mark.postgres
def test_name_matches_rank_above_description_matches(catalogue):
    make_enterprise(short_name="Завод «Кристалл»", description="Стекло.")
    found = names(selectors.enterprise_search(q="завод"))
    assert found[0] == "Завод «Кристалл»"
    assert {"Трансмаш", "ЛГМ"} <= set(found)


@pytest.mark.postgres
def test_suggestions_offer_the_closest_names(catalogue):
    suggestions = selectors.search_suggestions(q="Микроны завод")
    assert [e.short_name for e in suggestions.names][:1] == ["Микрон"]
    assert suggestions.industries


@pytest.mark.postgres
def test_search_uses_the_indexes_of_migration_0004(catalogue):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = selectors.enterprise_search(q="заводы").explain()
    assert "registry_enterprise_search_ru" in plan
    assert "registry_product_name_search_ru" in plan
    assert "registry_enterprise_short_name_trgm" in plan


# --- Both engines --------------------------------------------------------------------------


def test_word_forms_and_case_on_whichever_database_runs(catalogue):
    """PostgreSQL's engine or SQLite's fallback: the everyday searches give the same answers."""
    assert names(selectors.enterprise_search(q="игрушки")) == ["Московский комбинат игрушек"]
    assert names(selectors.enterprise_search(q="насосы")) == ["ЛГМ"]
    assert "Трансмаш" in names(selectors.enterprise_search(q="заводы"))
    assert names(selectors.enterprise_search(q="МИКРОН")) == ["Микрон"]


def test_fallback_matches_cyrillic_in_any_case(catalogue):
    """The fallback itself, called directly so it is tested on PostgreSQL as well."""
    qs = selectors.Enterprise.objects.all()
    assert names(selectors._fallback_search(qs, "микрон")) == ["Микрон"]
    assert names(selectors._fallback_search(qs, "игрушки")) == ["Московский комбинат игрушек"]
    assert "Трансмаш" in names(selectors._fallback_search(qs, "ЗАВОДЫ"))
    assert names(selectors._fallback_search(qs, "!!!")) == []


def test_filters_combine(catalogue):
    both = selectors.enterprise_search(industry="26", okrug="ZELAO")
    assert sorted(names(both)) == ["Микрон", "Технопарк-Сервис"]
    assert names(
        selectors.enterprise_search(industry="26", okrug="ZELAO", hosts_tours=True, sez="resident")
    ) == ["Микрон"]
    assert names(selectors.enterprise_search(okrug="ZELAO", sez="located")) == ["Технопарк-Сервис"]
    assert sorted(names(selectors.enterprise_search(sez="member"))) == [
        "Микрон",
        "Технопарк-Сервис",
    ]
    assert names(selectors.enterprise_search(industry="26", okrug="VAO")) == []
    # Text and filters together.
    assert names(selectors.enterprise_search(q="игрушки", okrug="VAO", hosts_tours=True)) == [
        "Московский комбинат игрушек"
    ]
    assert names(selectors.enterprise_search(q="игрушки", okrug="ZAO")) == []


def test_no_query_lists_everything_by_name(catalogue):
    found = names(selectors.enterprise_search())
    assert found == sorted(found)
    assert len(found) == 5


def test_query_text_is_cleaned():
    assert selectors.clean_query("  завод\x00  игрушек ") == "завод игрушек"
    assert len(selectors.clean_query("я" * 1000)) == selectors.MAX_QUERY_LENGTH


def test_nul_characters_do_not_break_the_search(catalogue):
    # PostgreSQL refuses NUL in text; the search drops it instead of failing.
    assert names(selectors.enterprise_search(q="\x00")) == names(selectors.enterprise_search())
    assert names(selectors.enterprise_search(q="игрушки\x00")) == ["Московский комбинат игрушек"]


@pytest.mark.parametrize(
    ("word", "stem"),
    [("заводы", "завод"), ("игрушки", "игрушк"), ("насосами", "насос"), ("Микрон", "микрон")],
)
def test_crude_stem(word, stem):
    assert selectors.crude_stem(word) == stem


def test_suggestions_on_any_database(catalogue):
    suggestions = selectors.search_suggestions(q="Микрно")
    assert "Микрон" in [e.short_name for e in suggestions.names]
    # Industries with the most enterprises come first: 26 has two.
    assert suggestions.industries[0].code == "26"
