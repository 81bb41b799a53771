"""Seed check: from records and imported history matching seed 000_7be4aa42ee82aba1.txt, the
generated 2023 release states every figure of that seed with the same meaning."""

from __future__ import annotations

import time

import pytest

from mosprom.analytics import press
from mosprom.analytics.phrasing import NBSP
from mosprom.analytics.tests import seed_000
from mosprom.analytics.values import Source
from mosprom.core import clock
from mosprom.core.periods import Period

pytestmark = pytest.mark.django_db

# The seed's figures as the release writes them (the seed's own words where they are figures).
PHRASES = [
    "организовали свыше 1,2 тысячи экскурсий",
    "что в 1,5 раза превышает показатели 2022-го",
    "более чем на 120 производственных площадках",
    "Интеллектуальные игры проекта проводятся с 2019 года.",
    "в 17 таких мероприятиях приняли участие около 2,6 тысячи команд численностью свыше 17,9 "
    "тысячи человек",
    "организовали более 500 мастер-классов, что составляет треть от общего количества за пять лет",
    "вышло 20 видеороликов",
    "аудитория проекта выросла почти до 15 миллионов человек",
    "8 наград",
]


@pytest.fixture
def release():
    started = time.monotonic()
    seed_000.build()
    assert time.monotonic() - started < 20, "the seed dataset must stay quick to build"
    with clock.frozen(seed_000.NOW):
        return press.release(period=Period.year(2023))


def test_every_figure_of_the_seed_is_stated(release):
    text = release.text().replace(NBSP, " ")
    missing = [phrase for phrase in PHRASES if phrase not in text]
    assert missing == [], text


def test_the_exact_values_behind_the_figures(release):
    facts = {fact.text.replace(NBSP, " "): fact for fact in release.facts}
    tours = facts["свыше 1,2 тысячи экскурсий"]
    assert (tours.kpi, tours.value, tours.source) == ("tours_held", 1234, Source.COMPUTED)
    ratio = facts["в 1,5 раза превышает показатели 2022-го"]
    assert ratio.source == press.MIXED  # 2023 from the records, 2022 imported
    assert facts["более чем на 120 производственных площадках"].value == 124
    assert facts["в 17 таких мероприятиях"].value == 17
    assert facts["около 2,6 тысячи команд"].value == 2604
    assert facts["свыше 17,9 тысячи человек"].value == 17912
    assert facts["более 500 мастер-классов"].value == 503
    assert facts["20 видеороликов"].value == 20
    audience = facts["выросла почти до 15 миллионов человек"]
    assert (audience.value, audience.period.start.year) == (14_960_000, 2019)
    awards = facts["8 наград"]
    assert (awards.kpi, awards.value, awards.source) == ("awards", 8, Source.COMPUTED)


def test_every_figure_links_to_its_kpi(release):
    html = str(release.html())
    assert html.count('class="press-figure"') == len(release.facts)
    for fact in release.facts:
        if fact.kpi:
            assert f"kpi={fact.kpi}" in fact.href or f"/{fact.kpi}/" in fact.href
            assert f"period={fact.period.code}" in fact.href


def test_the_release_reads_in_bounded_queries(release, django_assert_max_num_queries):
    with clock.frozen(seed_000.NOW), django_assert_max_num_queries(120):
        again = press.release(period=Period.year(2023))
    assert again.text() == release.text()
