"""Seed check: from records matching seed 004_ce042c33fd9ad8ea.txt, the generated releases
state every figure of that seed with the same meaning — the registry and export for the first
half of 2025 (the seed's «первое полугодие текущего года»), the zone's investment and jobs for
2024 («в 2024 году … на 57%», «на 51% больше, чем в 2023 году»)."""

from __future__ import annotations

import time

import pytest

from mosprom.analytics import press
from mosprom.analytics.phrasing import NBSP
from mosprom.analytics.tests import seed_004
from mosprom.analytics.values import Source
from mosprom.core import clock
from mosprom.core.periods import Period, parse_period

pytestmark = pytest.mark.django_db

H1_2025 = parse_period("2025-H1")

PHRASES_H1 = [
    # «Всего в Москве сейчас работает почти 4,6 тыс. промышленных предприятий.»
    "в Москве работало почти 4,6 тыс. промышленных предприятий",
    # «…помог организовать 11 бизнес-миссий за рубежом и обеспечить участие московских
    # компаний в двух крупнейших международных выставках.»
    "центр «Моспром» помог организовать 11 бизнес-миссий за рубежом и обеспечить участие "
    "московских компаний в 2 международных выставках",
    # «В Шанхае 7 из них представили свою продукцию.»
    "На выставке «China International Industry Fair» (Шанхай, Китай) свою продукцию "
    "представили 7 московских компаний",
    # «Там локализовано свыше 230 компаний, из которых 124 имеют статус резидента.»
    "локализовано свыше 230 компаний, из которых 124 имеют статус резидента",
]
PHRASES_2024 = [
    "В 2024 году компании ОЭЗ Москвы увеличили вложения в экономику города на 57%.",
    "Общий объём инвестиций предприятий ОЭЗ Москвы превысил 70,8 млрд рублей.",
    "компании создали около 5,9 тыс. новых рабочих мест. Это на 51% больше, чем в 2023 году.",
    "локализовано свыше 230 компаний, из которых 124 имеют статус резидента",
]


@pytest.fixture
def built():
    started = time.monotonic()
    seed_004.build()
    assert time.monotonic() - started < 20, "the seed dataset must stay quick to build"


def _release(period: Period, context: str = press.ALL) -> press.Release:
    with clock.frozen(seed_004.NOW):
        return press.release(period=period, context=context)


def _plain(release: press.Release) -> str:
    return release.text().replace(NBSP, " ")


def _facts(release: press.Release) -> dict:
    return {fact.text.replace(NBSP, " "): fact for fact in release.facts}


def test_first_half_of_2025_states_the_registry_export_and_zone(built):
    release = _release(H1_2025)
    text = _plain(release)
    missing = [phrase for phrase in PHRASES_H1 if phrase not in text]
    assert missing == [], text
    facts = _facts(release)
    assert facts["почти 4,6 тыс. промышленных предприятий"].value == 4585
    assert facts["11 бизнес-миссий"].value == 11
    assert facts["в 2 международных выставках"].value == 2
    ciif = facts["7 московских компаний"]
    assert (ciif.kpi, ciif.value, ciif.source) == ("", 7, Source.COMPUTED)
    assert ciif.title == "China International Industry Fair"
    assert facts["45 компаний"].kpi == "export_companies"


def test_2024_states_the_zone_investment_and_jobs(built):
    release = _release(Period.year(2024), "sez")
    text = _plain(release)
    missing = [phrase for phrase in PHRASES_2024 if phrase not in text]
    assert missing == [], text
    facts = _facts(release)
    growth = facts["на 57%"]
    assert (growth.kpi, growth.value) == ("sez_investment", 57)
    assert facts["превысил 70,8 млрд рублей"].value == 70_834_000_000
    jobs = facts["около 5,9 тыс. новых рабочих мест"]
    assert (jobs.kpi, jobs.value, jobs.period) == ("sez_jobs", 5905, Period.year(2024))
    more = facts["на 51% больше, чем в 2023 году"]
    assert more.detail == (
        "2024 год — 5905 (по записям платформы); 2023 год — 3910 (по записям платформы)"
    )
    assert facts["124 имеют"].value == 124
    assert facts["свыше 230 компаний"].value == 234


def test_no_figure_is_stated_for_a_period_without_records(built):
    assert _release(parse_period("2019-H1"), "export").empty
    sez_2022 = _plain(_release(Period.year(2022), "sez"))
    assert "инвестиций" not in sez_2022  # no approved reports for 2022
    assert "124 имеют статус резидента" in sez_2022  # the companies were there already


def test_the_release_reads_in_bounded_queries(built, django_assert_max_num_queries):
    with django_assert_max_num_queries(120):
        release = _release(H1_2025)
    assert len(release.facts) >= 8
