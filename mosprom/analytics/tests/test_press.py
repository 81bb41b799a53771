"""The press-release generator on hand-set KPI values: which sentences are written, how each
figure is phrased and where it links, and the ``press_release`` command.

Every KPI the generator reads is replaced by a fake with a value per period and a first day of
records (``since``), so these tests do not depend on the contexts' figure functions; the seed
checks (test_seed_000/004) run the same generator on real records.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from mosprom.analytics import catalogue, press
from mosprom.analytics.models import ImportedValue
from mosprom.analytics.phrasing import NBSP
from mosprom.analytics.values import Source
from mosprom.core import clock
from mosprom.core.periods import Period, parse_period
from mosprom.export.models import ApplicationStatus, EventKind
from mosprom.export.tests.factories import make_application, make_export_event

pytestmark = pytest.mark.django_db

Y2023 = Period.year(2023)
AFTER_2023 = dt.datetime(2024, 1, 20, 12, tzinfo=dt.UTC)


def plain(text: str) -> str:
    return text.replace(NBSP, " ")


class Figures:
    """Fake values of the catalogue's KPIs: ``set(name, {"2023": 1234}, since=…)``."""

    def __init__(self, monkeypatch):
        self.monkeypatch = monkeypatch
        self.tables: dict[str, dict[Period, object]] = {}
        self.since: dict[str, dt.date | None] = {}
        for name in [kpi.name for kpi in catalogue.all_kpis()]:
            self._install(name)

    def _install(self, name: str) -> None:
        real = catalogue.get_kpi(name)
        table = self.tables.setdefault(name, {})
        fake = dataclasses.replace(
            real,
            compute=lambda period, table=table: table.get(period, 0),
            since=lambda name=name: self.since.get(name),
            batch=None,
        )
        self.monkeypatch.setitem(catalogue._load(), name, fake)

    def set(self, name: str, values: dict[str, object], *, since: dt.date | None = None):
        self.tables[name].update({parse_period(code): value for code, value in values.items()})
        self.since[name] = since or dt.date(2023, 1, 1)


def imported(name: str, values: dict[str, object]) -> None:
    for code, value in values.items():
        period = parse_period(code)
        ImportedValue.objects.create(
            kpi=name, period_start=period.start, period_end=period.end, value=Decimal(value)
        )


@pytest.fixture
def figures(monkeypatch):
    return Figures(monkeypatch)


@pytest.fixture
def after_2023():
    with clock.frozen(AFTER_2023):
        yield


def text_of(period="2023", context="all") -> str:
    return plain(press.release(period=parse_period(period), context=context).text())


# --- Tourism -------------------------------------------------------------------------------


def test_tours_with_ratio_to_the_imported_year_before(figures, after_2023):
    figures.set("tours_held", {"2023": 1234})
    imported("tours_held", {"2022": 823})
    result = press.release(period=Y2023, context="tourism")
    assert plain(result.text()) == (
        "В 2023 году в рамках проекта «Открой#Моспром» организовали свыше 1,2 тысячи "
        "экскурсий, что в 1,5 раза превышает показатели 2022-го."
    )
    tours, ratio = result.facts
    assert (tours.kpi, tours.period, tours.value, tours.source) == (
        "tours_held",
        Y2023,
        1234,
        Source.COMPUTED,
    )
    assert plain(ratio.text) == "в 1,5 раза превышает показатели 2022-го"
    assert (ratio.value, ratio.source) == (Decimal("1.50"), press.MIXED)
    assert "2022 год — 823 (из импортированной истории)" in ratio.detail


@pytest.mark.parametrize(
    ("now", "before", "clause"),
    [
        (1100, 1000, "что на 10% больше, чем в 2022-м"),
        (900, 1000, "что на 10% меньше, чем в 2022-м"),
        (400, 1000, "что в 2,5 раза меньше, чем в 2022-м"),
        (1000, 1000, "что столько же, сколько в 2022-м"),
        (3000, 1000, "что в 3 раза превышает показатели 2022-го"),
    ],
)
def test_tours_comparison_wording(figures, after_2023, now, before, clause):
    figures.set("tours_held", {"2023": now, "2022": before}, since=dt.date(2020, 1, 1))
    assert clause in text_of(context="tourism")


def test_no_comparison_without_the_year_before(figures, after_2023):
    figures.set("tours_held", {"2023": 1234})
    text = text_of(context="tourism")
    assert text.endswith("организовали свыше 1,2 тысячи экскурсий.")
    assert "2022" not in text


def test_zero_or_unknown_figures_write_nothing(figures, after_2023):
    figures.set("tours_held", {"2023": 0})
    result = press.release(period=Y2023)
    assert result.empty
    assert result.text() == ""
    assert result.facts == []
    assert str(result.html()) == ""


def test_sites_participants_lectures(figures, after_2023):
    figures.set("sites_hosted", {"2023": 124})
    figures.set("participants", {"2023": 21})
    figures.set("lectures", {"2023": 2})
    text = text_of(context="tourism")
    assert "Мероприятия проекта прошли более чем на 120 производственных площадках города." in text
    assert "Мероприятия на производствах собрали 21 участника." in text
    assert "Для гостей также провели 2 лекции." in text


def test_master_classes_as_a_third_of_five_years(figures, after_2023):
    figures.set("master_classes", {"2023": 503})
    imported("master_classes", {"2019": 150, "2020": 210, "2021": 280, "2022": 366})
    result = press.release(period=Y2023, context="tourism")
    assert plain(result.text()) == (
        "Кроме того, в 2023 году организовали более 500 мастер-классов, что составляет "
        "треть от общего количества за пять лет."
    )
    share = result.facts[-1]
    assert share.period == Period(dt.date(2019, 1, 1), dt.date(2023, 12, 31))
    assert share.value == Decimal("0.3333")
    assert share.detail.startswith("503 / 1509: ")


def test_master_classes_share_in_percent_when_no_common_fraction(figures, after_2023):
    figures.set("master_classes", {"2023": 300})
    imported("master_classes", {"2019": 100, "2020": 200, "2021": 200, "2022": 200})
    assert "что составляет 30% от общего количества за пять лет." in text_of(context="tourism")


def test_master_classes_share_left_out_when_a_year_is_unknown(figures, after_2023):
    figures.set("master_classes", {"2023": 503})
    imported("master_classes", {"2019": 150, "2021": 280, "2022": 366})
    text = text_of(context="tourism")
    assert text.endswith("организовали более 500 мастер-классов.")
    assert "треть" not in text


# --- Games ---------------------------------------------------------------------------------


def _games_history(figures):
    figures.set("games_held", {"2023": 3})
    figures.set("teams", {"2023": 344})
    figures.set("players", {"2023": 2312})
    imported("games_held", {"2019": 3, "2020": 3, "2021": 4, "2022": 4})
    imported("teams", {"2019": 450, "2020": 520, "2021": 610, "2022": 680})
    imported("players", {"2019": 3100, "2020": 3600, "2021": 4200, "2022": 4700})


def test_games_since_the_first_year_with_data(figures, after_2023):
    _games_history(figures)
    result = press.release(period=Y2023, context="games")
    assert plain(result.text()) == (
        "Интеллектуальные игры проекта проводятся с 2019 года. К концу 2023 года "
        "в 17 таких мероприятиях приняли участие около 2,6 тысячи команд численностью свыше "
        "17,9 тысячи человек."
    )
    games, teams, players = result.facts
    assert (games.value, teams.value, players.value) == (17, 2604, 17912)
    assert games.source == press.MIXED
    assert games.period == Period(dt.date(2019, 1, 1), dt.date(2023, 12, 31))


def test_games_while_the_period_runs_say_za_eto_vremya(figures):
    _games_history(figures)
    with clock.frozen(dt.datetime(2023, 12, 20, 12, tzinfo=dt.UTC)):
        text = text_of(context="games")
    assert "проводятся с 2019 года. За это время в 17 таких мероприятиях" in text


def test_games_with_a_gap_in_history_are_left_out(figures, after_2023):
    _games_history(figures)
    ImportedValue.objects.filter(kpi="games_held", period_start=dt.date(2021, 1, 1)).delete()
    assert text_of(context="games") == ""


def test_games_without_teams_of_the_same_years_count_games_only(figures, after_2023):
    _games_history(figures)
    ImportedValue.objects.filter(kpi="teams", period_start=dt.date(2019, 1, 1)).delete()
    text = text_of(context="games")
    assert text.endswith("К концу 2023 года провели 17 таких мероприятий.")
    assert "команд" not in text


def test_a_single_team_agrees_in_the_singular(figures, after_2023):
    figures.set("games_held", {"2023": 1})
    figures.set("teams", {"2023": 21})
    assert "в 1 таком мероприятии приняла участие 21 команда." in text_of(context="games")


# --- Media ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "phrase"),
    [
        (20, "вышло 20 видеороликов"),
        (21, "вышел 21 видеоролик"),
        (3, "вышло 3 видеоролика"),
    ],
)
def test_online_tours(figures, after_2023, count, phrase):
    figures.set("online_tours", {"2023": count})
    assert f"В 2023 году в соцсетях и на сайте проекта {phrase} с онлайн-экскурсиями" in (
        text_of(context="media")
    )


@pytest.mark.parametrize(
    ("total", "phrase"),
    [
        (14_960_000, "аудитория проекта выросла почти до 15 миллионов человек."),
        (15_430_000, "аудитория проекта превысила 15,4 миллиона человек."),
        (15_000_000, "аудитория проекта выросла до 15 миллионов человек."),
    ],
)
def test_audience_over_the_whole_history(figures, after_2023, total, phrase):
    figures.set("audience", {"2023": total - 11_960_000})
    imported("audience", {"2020": 2_000_000, "2021": 4_000_000, "2022": 5_960_000})
    text = text_of(context="media")
    assert f"К концу 2023 года {phrase}" in text


def test_awards_add_up_over_the_years(figures, after_2023):
    figures.set("awards", {"2019": 1, "2021": 2, "2022": 2, "2023": 3}, since=dt.date(2019, 1, 1))
    assert "К концу 2023 года в копилке проекта — 8 наград." in text_of(context="media")
    figures.set("audience", {"2023": 1_000_000})
    assert text_of(context="media") == (
        "К концу 2023 года аудитория проекта выросла до 1 миллиона человек. "
        "В копилке проекта к этому времени — 8 наград."
    )
    with clock.frozen(dt.datetime(2023, 6, 1, 12, tzinfo=dt.UTC)):
        assert "Сегодня в копилке проекта уже 8 наград." in text_of(context="media")


# --- Export ------------------------------------------------------------------------------


def test_export_by_kind_and_an_exhibition_by_name(figures):
    with clock.frozen(dt.datetime(2025, 3, 1, 12, tzinfo=dt.UTC)):
        event = make_export_event(
            kind=EventKind.EXHIBITION,
            title="China International Industry Fair",
            starts_on=dt.date(2025, 4, 10),
            ends_on=dt.date(2025, 4, 14),
            with_call=False,
        )
        for _ in range(7):
            make_application(event=event, status=ApplicationStatus.PARTICIPATED)
        make_application(event=event, status=ApplicationStatus.REJECTED)
    figures.set("export_missions", {"2025-H1": 11})
    figures.set("export_exhibitions", {"2025-H1": 2})
    figures.set("export_companies", {"2025-H1": 45})
    figures.set("export_meetings", {"2025-H1": 120})
    figures.set("export_contracts", {"2025-H1": 5})
    figures.set("export_contract_value", {"2025-H1": Decimal("1234000000")})
    with clock.frozen(dt.datetime(2025, 7, 20, 12, tzinfo=dt.UTC)):
        result = press.release(period=parse_period("2025-H1"), context="export")
    assert plain(result.text()) == (
        "В 1-м полугодии 2025 года центр «Моспром» помог организовать 11 бизнес-миссий за "
        "рубежом и обеспечить участие московских компаний в 2 международных выставках. "
        "Поддержку центра получили 45 компаний. Участники мероприятий провели 120 деловых "
        "встреч и заключили 5 экспортных контрактов на сумму свыше 1,2 млрд рублей. На "
        "выставке «China International Industry Fair» (Шанхай, Китай) свою продукцию "
        "представили 7 московских компаний."
    )
    event_fact = result.facts[-1]
    assert (event_fact.kpi, event_fact.value) == ("", 7)
    assert event_fact.href == f"/export/manage/{event.pk}/"


# --- SEZ and the registry ------------------------------------------------------------------


def _sez(figures, investment_2023=45_117_000_000, jobs_2023=3910):
    figures.set(
        "sez_investment",
        {"2024": 70_834_000_000, "2023": investment_2023},
        since=dt.date(2023, 1, 1),
    )
    figures.set("sez_jobs", {"2024": 5905, "2023": jobs_2023}, since=dt.date(2023, 1, 1))


def test_sez_investment_growth_and_jobs(figures, after_2023):
    _sez(figures)
    with clock.frozen(dt.datetime(2025, 3, 1, 12, tzinfo=dt.UTC)):
        result = press.release(period=Period.year(2024), context="sez")
    assert plain(result.text()) == (
        "В 2024 году компании ОЭЗ Москвы увеличили вложения в экономику города на 57%. "
        "Общий объём инвестиций предприятий ОЭЗ Москвы превысил 70,8 млрд рублей. "
        "Для обеспечения кадрами развивающихся производств компании создали около 5,9 тыс. "
        "новых рабочих мест. Это на 51% больше, чем в 2023 году."
    )
    growth = result.facts[0]
    assert (growth.kpi, growth.value, growth.source) == (
        "sez_investment",
        Decimal("57.0"),
        "computed",
    )


def test_sez_investment_fall(figures):
    _sez(figures, investment_2023=80_500_000_000, jobs_2023=0)
    with clock.frozen(dt.datetime(2025, 3, 1, 12, tzinfo=dt.UTC)):
        text = text_of("2024", "sez")
    assert "сократили вложения в экономику города на 12%." in text
    assert "Это" not in text  # no comparison with a zero base


def test_sez_companies_at_the_period_end(figures):
    figures.set("sez_located", {"2024": 234})
    figures.set("sez_residents", {"2024": 124})
    with clock.frozen(dt.datetime(2025, 3, 1, 12, tzinfo=dt.UTC)):
        assert text_of("2024", "sez") == (
            "На конец 2024 года в ОЭЗ Москвы было локализовано свыше 230 компаний, из которых "
            "124 имеют статус резидента."
        )
    with clock.frozen(dt.datetime(2024, 6, 1, 12, tzinfo=dt.UTC)):
        assert text_of("2024", "sez").startswith("Сейчас в ОЭЗ Москвы локализовано свыше 230")


def test_sez_residents_alone_agree_with_their_number(figures):
    figures.set("sez_residents", {"2024": 121})
    with clock.frozen(dt.datetime(2025, 3, 1, 12, tzinfo=dt.UTC)):
        assert text_of("2024", "sez") == (
            "На конец 2024 года статус резидента ОЭЗ Москвы имеет 121 компания."
        )


def test_registry_now_and_at_a_past_date(figures):
    figures.set("enterprises", {"2025-H1": 4585})
    with clock.frozen(dt.datetime(2025, 5, 1, 12, tzinfo=dt.UTC)):
        assert text_of("2025-H1", "registry") == (
            "Всего в Москве сейчас работает почти 4,6 тыс. промышленных предприятий."
        )
    with clock.frozen(dt.datetime(2025, 7, 20, 12, tzinfo=dt.UTC)):
        assert text_of("2025-H1", "registry") == (
            "На конец 1-го полугодия 2025 года в Москве работало почти 4,6 тыс. промышленных "
            "предприятий."
        )


# --- Periods, links, the whole text ---------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("2023", "в 2023 году"),
        ("2025-H1", "в 1-м полугодии 2025 года"),
        ("2023-Q2", "во 2-м квартале 2023 года"),
        ("2023-Q3", "в 3-м квартале 2023 года"),
        ("2023-05", "в мае 2023 года"),
        ("2023-03-01..2023-06-15", "с 1 марта 2023 года по 15 июня 2023 года"),
    ],
)
def test_period_words(code, words):
    assert plain(press.in_period(parse_period(code))) == words


def test_every_figure_links_to_its_kpi_and_period(figures, after_2023):
    figures.set("tours_held", {"2023": 1234})
    figures.set("sites_hosted", {"2023": 124})
    html = plain(press.release(period=Y2023).html())
    assert html.startswith("<p>В 2023 году")
    assert (
        '<a class="press-figure" href="/manage/figures/kpi/?period=2023&amp;kpi=tours_held'
        '#kpi-tours_held" data-kpi="tours_held"'
    ) in html
    assert ">свыше 1,2 тысячи экскурсий</a>" in html
    assert "kpi=sites_hosted#kpi-sites_hosted" in html


def test_html_escapes_what_came_from_records(figures):
    with clock.frozen(dt.datetime(2025, 3, 1, 12, tzinfo=dt.UTC)):
        event = make_export_event(
            title="<b>Fair</b>",
            starts_on=dt.date(2025, 4, 10),
            ends_on=dt.date(2025, 4, 14),
            with_call=False,
        )
        make_application(event=event, status=ApplicationStatus.PARTICIPATED)
    figures.set("export_exhibitions", {"2025-H1": 1})
    with clock.frozen(dt.datetime(2025, 7, 20, 12, tzinfo=dt.UTC)):
        release = press.release(period=parse_period("2025-H1"), context="export")
    html = str(release.html())
    assert "<b>" not in html
    assert "«&lt;b&gt;Fair&lt;/b&gt;»" in html
    assert "«<b>Fair</b>»" in release.text()


def test_no_digit_in_the_text_outside_a_figure_except_years(figures, after_2023):
    figures.set("tours_held", {"2023": 1234})
    imported("tours_held", {"2022": 823})
    figures.set("sites_hosted", {"2023": 124})
    figures.set("master_classes", {"2023": 503})
    imported("master_classes", {"2019": 150, "2020": 210, "2021": 280, "2022": 366})
    _games_history(figures)
    figures.set("online_tours", {"2023": 20})
    figures.set("enterprises", {"2023": 4585})
    result = press.release(period=Y2023)
    assert len(result.facts) >= 9
    rest = "".join(
        part
        for paragraph in result.paragraphs
        for sentence in paragraph
        for part in sentence
        if isinstance(part, str)
    )
    assert re.findall(r"\d+", rest) == [
        number for number in re.findall(r"\d+", rest) if re.fullmatch(r"(19|20)\d\d", number)
    ]
    assert len(result.text().split("\n\n")) == len(result.paragraphs) == 5


def test_unknown_context_is_refused():
    with pytest.raises(ValueError, match="unknown context"):
        press.release(period=Y2023, context="weather")


# --- The command -----------------------------------------------------------------------------


def test_command_prints_the_text(figures, after_2023):
    figures.set("tours_held", {"2023": 1234})
    out = StringIO()
    call_command("press_release", "--period", "2023", "--context", "tourism", stdout=out)
    assert plain(out.getvalue()) == (
        "В 2023 году в рамках проекта «Открой#Моспром» организовали свыше 1,2 тысячи экскурсий.\n"
    )


def test_command_html(figures, after_2023):
    figures.set("tours_held", {"2023": 1234})
    out = StringIO()
    call_command("press_release", "--period", "2023", "--html", stdout=out)
    assert plain(out.getvalue()).startswith(
        '<p>В 2023 году в рамках проекта «Открой#Моспром» организовали <a class="press-figure"'
    )


def test_command_says_when_there_is_nothing_to_write(figures, after_2023):
    out, err = StringIO(), StringIO()
    call_command("press_release", "--period", "2023-Q2", stdout=out, stderr=err)
    assert out.getvalue() == ""
    assert "2 кв. 2023 г." in err.getvalue()


@pytest.mark.parametrize("period", ["2023-13", "вчера", "2023-H3"])
def test_command_bad_period_is_a_russian_error(period):
    with pytest.raises(CommandError, match=r"Месяц|Не удалось прочитать период|полугоди"):
        call_command("press_release", "--period", period)


def test_command_bad_context():
    with pytest.raises(CommandError):
        call_command("press_release", "--period", "2023", "--context", "weather")


def test_sez_unchanged_investment_names_the_period_in_the_total(figures):
    figures.set("sez_investment", {"2024": 5_000_000, "2023": 5_000_000})
    with clock.frozen(dt.datetime(2025, 3, 1, 12, tzinfo=dt.UTC)):
        assert text_of("2024", "sez") == (
            "В 2024 году общий объём инвестиций предприятий ОЭЗ Москвы составил 5 млн рублей."
        )
