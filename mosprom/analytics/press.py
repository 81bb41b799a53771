"""Press releases in the style of the programme's own (the seeds), generated from the KPIs.

``release(period=…, context=…)`` returns a ``Release``: paragraphs of sentences, each sentence
a sequence of plain text and ``Fact``s. A fact is a figure as written («свыше 1,2 тысячи
экскурсий») with where it came from: the KPI, the period, the exact value, its source (the
platform's records, imported history, or both for a sum or a comparison) and the link to the
KPI's page. ``Release.text()`` is the plain text to paste; ``Release.html()`` the same with
every figure linked.

What may be written:

- a sentence only when every figure in it is known (``values.resolve`` gave a value) and is
  not zero («0 экскурсий» says nothing) — so the text never states what the data do not
  support; a comparison only when both values are known and the base is positive;
- flows over the whole history («с 2019 года … в 17 таких мероприятиях», the audience, the
  awards) sum the yearly values from the first year with a value up to the period's end, each
  year resolved on its own (records win over imports); a gap — a year without a value —
  drops the sentence rather than understate;
- states (enterprises, SEZ companies) are read on the period's last day («сейчас» while the
  period is running);
- a computed value marked ``partial`` (the records begin inside the period and nothing was
  imported for it) is still the platform's own count and is used; its KPI page says so.

The generated sentences are Russian by construction — numbers are agreed with nouns by
pymorphy3 through ``analytics.phrasing`` — so they are not gettext messages; the page around
them is. Every computation runs inside one ``catalogue.computing()`` block: a context's
figures for a period are read once, and the number of queries does not grow with the records.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Min
from django.urls import reverse
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from mosprom.analytics.catalogue import Context, Kpi, Number, computing, get_kpi
from mosprom.analytics.models import ImportedValue
from mosprom.analytics.phrasing import (
    GOVERNING_HEDGES,
    NBSP,
    Approx,
    approx,
    format_number,
    fraction_word,
    money,
    percent,
    percent_change,
    quantity,
    times,
    year_form,
    year_phrase,
)
from mosprom.analytics.values import Comparison, KpiValue, Source, compare, resolve, share_of_years
from mosprom.core import clock
from mosprom.core.periods import Period

ALL = "all"
CONTEXTS = Context.ORDER
SHARE_YEARS = 5  # «треть от общего количества за пять лет»
MAX_HISTORY_YEARS = 30  # sums over the history look at most this far back
MAX_EVENTS = 5  # exhibitions named one by one

MIXED = "mixed"
SOURCE_LABELS = {
    Source.COMPUTED: _("по записям платформы"),
    Source.IMPORTED: _("из импортированной истории"),
    MIXED: _("по записям платформы и импортированной истории"),
}


# --- What a release is made of ---------------------------------------------------------------


@dataclass(frozen=True)
class Fact:
    """A figure as written in the text and the value it stands for."""

    text: str
    kpi: str  # the catalogue name; "" for an event's own figure
    title: str  # what the figure is: the KPI's title, or the event
    period: Period
    value: Number
    source: str  # Source.COMPUTED, Source.IMPORTED or MIXED
    href: str  # the page the figure can be checked on
    detail: str = ""  # how it was obtained, when it is more than one stored value

    @property
    def source_label(self) -> str:
        return str(SOURCE_LABELS[self.source])

    @property
    def value_text(self) -> str:
        return format_number(self.value)

    def __str__(self) -> str:
        return self.text


Sentence = tuple[str | Fact, ...]
Paragraph = tuple[Sentence, ...]


@dataclass(frozen=True)
class Release:
    period: Period
    context: str
    paragraphs: tuple[Paragraph, ...]

    @property
    def facts(self) -> list[Fact]:
        return [
            part
            for paragraph in self.paragraphs
            for sentence in paragraph
            for part in sentence
            if isinstance(part, Fact)
        ]

    @property
    def empty(self) -> bool:
        return not self.paragraphs

    def text(self) -> str:
        """Plain text: sentences joined by a space, paragraphs by an empty line."""
        return "\n\n".join(
            " ".join("".join(str(part) for part in sentence) for sentence in paragraph)
            for paragraph in self.paragraphs
        )

    def html(self) -> SafeString:
        """The text in ``<p>`` paragraphs, each figure a link to the page it came from."""
        return format_html_join(
            "\n",
            "<p>{}</p>",
            (
                (format_html_join(" ", "{}", ((_sentence_html(s),) for s in paragraph)),)
                for paragraph in self.paragraphs
            ),
        )


def _sentence_html(sentence: Sentence) -> SafeString:
    return format_html_join("", "{}", ((_part_html(part),) for part in sentence))


def _part_html(part: str | Fact) -> SafeString:
    if not isinstance(part, Fact):
        return conditional_escape(part)
    return format_html(
        '<a class="press-figure" href="{}" data-kpi="{}" title="{}">{}</a>',
        part.href,
        part.kpi,
        f"{part.title} · {part.period.label} · {part.source_label}",
        part.text,
    )


def kpi_url(name: str, period: Period) -> str:
    """The KPI's row, for ``period``, on the organisers' catalogue page (value, source,
    comparisons)."""
    query = f"period={period.code}&kpi={name}"
    return f"{reverse('analytics:kpis')}?{query}#kpi-{name}"


# --- Periods in words ------------------------------------------------------------------------

# fmt: off
_MONTHS_LOCT = ("январе", "феврале", "марте", "апреле", "мае", "июне", "июле", "августе",
                "сентябре", "октябре", "ноябре", "декабре")
_MONTHS_GENT = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
                "сентября", "октября", "ноября", "декабря")
# fmt: on
_SHAPE = re.compile(r"^(\d{4})(?:-([HQ])(\d)|-(\d{2}))?$")


def _shape(period: Period) -> tuple[str, int, int]:
    """("year" | "half" | "quarter" | "month" | "range", year, number of the part)."""
    match = _SHAPE.match(period.code)
    if match is None:
        return "range", period.end.year, 0
    year = int(match[1])
    if match[2]:
        return ("half" if match[2] == "H" else "quarter"), year, int(match[3])
    if match[4]:
        return "month", year, int(match[4])
    return "year", year, 0


def _year_gent(year: int) -> str:
    return f"{year}{NBSP}года"


def _date_gent(day: dt.date) -> str:
    return f"{day.day}{NBSP}{_MONTHS_GENT[day.month - 1]} {_year_gent(day.year)}"


def in_period(period: Period) -> str:
    """«в 2023 году», «в 1-м полугодии 2025 года», «во 2-м квартале…», «в мае 2023 года»."""
    kind, year, n = _shape(period)
    if kind == "year":
        return f"в {year_phrase(year)}"
    if kind == "half":
        return f"в {n}-м полугодии {_year_gent(year)}"
    if kind == "quarter":
        return f"{'во' if n == 2 else 'в'} {n}-м квартале {_year_gent(year)}"
    if kind == "month":
        return f"в {_MONTHS_LOCT[n - 1]} {_year_gent(year)}"
    return f"с {_date_gent(period.start)} по {_date_gent(period.end)}"


def _of_period(period: Period, *, short: bool = False) -> str:
    """The period in the genitive: «2023 года» («2022-го» when ``short``), «1-го полугодия
    2025 года», «мая 2023 года», «периода с … по …»."""
    kind, year, n = _shape(period)
    if kind == "year":
        return year_form(year) if short else _year_gent(year)
    if kind == "half":
        return f"{n}-го полугодия {_year_gent(year)}"
    if kind == "quarter":
        return f"{n}-го квартала {_year_gent(year)}"
    if kind == "month":
        return f"{_MONTHS_GENT[n - 1]} {_year_gent(year)}"
    return f"периода с {_date_gent(period.start)} по {_date_gent(period.end)}"


def _in_short(period: Period) -> str:
    """«в 2022-м» for a year (after it was named once), else as ``in_period``."""
    kind, year, _n = _shape(period)
    return f"в {year_form(year, 'loct')}" if kind == "year" else in_period(period)


def _by_end(period: Period, preposition: str = "к") -> str:
    """«к концу 2023 года» / «на конец 2023 года»; for a range «к 15 июня 2023 года»."""
    if _shape(period)[0] == "range":
        return f"{preposition} {_date_gent(period.end)}"
    end = "концу" if preposition == "к" else "конец"
    return f"{preposition} {end} {_of_period(period)}"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


# --- Agreement of verbs with a number subject ----------------------------------------------


def _ends_in_one(figure: Decimal) -> bool:
    if figure != figure.to_integral_value():
        return False
    n = int(figure)
    return n % 10 == 1 and n % 100 != 11


def _singular(figure: Approx) -> bool:
    """Whether a verb agrees with the number phrase in the singular: «21 команда приняла»,
    «1 тысяча … вышла», but «22 команды приняли», «свыше 21 команды приняли»."""
    return figure.hedge not in GOVERNING_HEDGES and _ends_in_one(figure.figure)


def _verb(figure: Approx, gender: str, singular: dict[str, str], plural: str) -> str:
    """The verb for a number subject (see ``_singular``) in the gender of the counted noun,
    or of the scale word when there is one."""
    if not _singular(figure):
        return plural
    if figure.scale:
        gender = "femn" if figure.scale.startswith("тыс") else "masc"
    return singular[gender]


# --- The writer --------------------------------------------------------------------------------


def _positive(value: KpiValue | None) -> bool:
    return value is not None and value.known and value.value > 0


def _combined(sources: Sequence[str]) -> str:
    kinds = set(sources)
    return kinds.pop() if len(kinds) == 1 else MIXED


def _value_list(values: Sequence[KpiValue]) -> str:
    return "; ".join(
        f"{value.period.label} — {format_number(value.value)} ({SOURCE_LABELS[value.source]})"
        for value in values
    )


@dataclass(frozen=True)
class _Total:
    """A flow summed over the years from the first with a value up to the period's end."""

    kpi: Kpi
    period: Period
    value: Number
    values: list[KpiValue]

    @property
    def first_year(self) -> int:
        return self.period.start.year


class _Writer:
    def __init__(self, period: Period) -> None:
        self.period = period
        self.running = period.end >= clock.today()
        self._first_imported: dict[str, dt.date] | None = None

    # Reading values.

    def value(self, name: str) -> KpiValue | None:
        kpi = get_kpi(name)
        return resolve(kpi, [self.period])[0] if kpi is not None else None

    def comparison(self, name: str) -> Comparison | None:
        kpi = get_kpi(name)
        return compare(kpi, self.period) if kpi is not None else None

    def _first_imported_day(self, name: str) -> dt.date | None:
        if self._first_imported is None:
            rows = (
                ImportedValue.objects.values_list("kpi")
                .annotate(first=Min("period_start"))
                .order_by()
            )
            self._first_imported = dict(rows)
        return self._first_imported.get(name)

    def history(self, name: str) -> _Total | None:
        """The sum of an additive KPI's yearly values up to the period's end, or None."""
        kpi = get_kpi(name)
        if kpi is None or not kpi.additive:
            return None
        end = self.period.end
        starts = [day for day in (kpi.since(), self._first_imported_day(name)) if day]
        if not starts:
            return None
        first = max(min(starts).year, end.year - MAX_HISTORY_YEARS + 1)
        if first > end.year:
            return None
        periods = [Period.year(year) for year in range(first, end.year)]
        periods.append(Period(dt.date(end.year, 1, 1), end))
        values = resolve(kpi, periods)
        while values and not _positive(values[0]):
            values.pop(0)
        if not values or any(not value.known for value in values):
            return None
        total = sum(value.value for value in values)
        return _Total(kpi, Period(values[0].period.start, end), total, values)

    # Facts.

    def fact(self, text: str, value: KpiValue) -> Fact:
        return Fact(
            text=text,
            kpi=value.kpi.name,
            title=str(value.kpi.title),
            period=value.period,
            value=value.value,
            source=value.source,
            href=kpi_url(value.kpi.name, value.period),
        )

    def total_fact(self, text: str, total: _Total) -> Fact:
        return Fact(
            text=text,
            kpi=total.kpi.name,
            title=str(total.kpi.title),
            period=total.period,
            value=total.value,
            source=_combined([value.source for value in total.values]),
            href=kpi_url(total.kpi.name, total.period),
            detail=_value_list(total.values),
        )

    def change_fact(self, text: str, current: KpiValue, base: KpiValue, value: Number) -> Fact:
        return Fact(
            text=text,
            kpi=current.kpi.name,
            title=str(current.kpi.title),
            period=current.period,
            value=value,
            source=_combined([current.source, base.source]),
            href=kpi_url(current.kpi.name, current.period),
            detail=_value_list([current, base]),
        )

    # The contexts.

    def tourism(self) -> list[Paragraph]:
        period, first, second = self.period, [], []
        tours = self.comparison("tours_held")
        if tours is not None and _positive(tours.current):
            current = tours.current
            figure = approx(current.value, "экскурсия", case="accs")
            sentence: list = [
                f"{_cap(in_period(period))} в рамках проекта «Открой#Моспром» организовали ",
                self.fact(figure.text, current),
            ]
            base = tours.year_before.base
            if _positive(base):
                clause = _ratio_clause(current, base)
                sentence += [
                    ", что ",
                    self.change_fact(clause, current, base, _ratio(current, base)),
                ]
            first.append((*sentence, "."))
        sites = self.value("sites_hosted")
        if _positive(sites):
            figure = approx(sites.value, "производственная площадка", case="loct", preposition="на")
            first.append(("Мероприятия проекта прошли ", self.fact(figure.text, sites), " города."))
        participants = self.value("participants")
        if _positive(participants):
            figure = approx(participants.value, "участник", case="accs")
            first.append(
                ("Мероприятия на производствах собрали ", self.fact(figure.text, participants), ".")
            )
        classes = self.value("master_classes")
        if _positive(classes):
            figure = approx(classes.value, "мастер-класс", above="более", case="accs")
            sentence = [
                f"Кроме того, {in_period(period)} организовали ",
                self.fact(figure.text, classes),
            ]
            share = self._share(classes)
            if share is not None:
                sentence += [", что составляет ", share]
            second.append((*sentence, "."))
        lectures = self.value("lectures")
        if _positive(lectures):
            figure = approx(lectures.value, "лекция", case="accs")
            second.append(("Для гостей также провели ", self.fact(figure.text, lectures), "."))
        return [tuple(paragraph) for paragraph in (first, second) if paragraph]

    def _share(self, classes: KpiValue) -> Fact | None:
        kind, year, _n = _shape(self.period)
        if kind != "year":
            return None
        share = share_of_years(classes.kpi, year, years=SHARE_YEARS)
        if share.total is None or share.share is None or share.total <= classes.value:
            return None
        words = fraction_word(classes.value, share.total, case="accs")
        text = f"{words or percent(classes.value, share.total)} от общего количества за пять лет"
        years = Period(share.years[0].period.start, classes.period.end)
        return Fact(
            text=text,
            kpi=classes.kpi.name,
            title=str(classes.kpi.title),
            period=years,
            value=share.share,
            source=_combined([value.source for value in share.years]),
            href=kpi_url(classes.kpi.name, years),
            detail=f"{format_number(classes.value)} / {format_number(share.total)}: "
            + _value_list(share.years),
        )

    def games(self) -> list[Paragraph]:
        games = self.history("games_held")
        if games is None:
            return []
        since = games.first_year
        sentences: list[Sentence] = [
            (f"Интеллектуальные игры проекта проводятся с {_year_gent(since)}.",)
        ]
        span = "За это время" if self.running else _cap(_by_end(self.period))
        where = approx(games.value, "такое мероприятие", case="loct", preposition="в")
        teams = self.history("teams")
        if teams is None or teams.first_year != since:
            figure = approx(games.value, "такое мероприятие", case="accs")
            sentences.append((f"{span} провели ", self.total_fact(figure.text, games), "."))
            return [tuple(sentences)]
        team_figure = approx(teams.value, "команда")
        verb = _verb(team_figure, "femn", {"femn": "приняла", "masc": "принял"}, "приняли")
        sentence: list = [
            f"{span} ",
            self.total_fact(where.text, games),
            f" {verb} участие ",
            self.total_fact(team_figure.text, teams),
        ]
        players = self.history("players")
        if players is not None and players.first_year == since:
            sentence += [
                " численностью ",
                self.total_fact(approx(players.value, "человек").text, players),
            ]
        sentences.append((*sentence, "."))
        return [tuple(sentences)]

    def media(self) -> list[Paragraph]:
        period, sentences = self.period, []
        tours = self.value("online_tours")
        if _positive(tours):
            figure = approx(tours.value, "видеоролик")
            verb = _verb(figure, "masc", {"masc": "вышел", "femn": "вышла"}, "вышло")
            sentences.append(
                (
                    f"{_cap(in_period(period))} в соцсетях и на сайте проекта {verb} ",
                    self.fact(figure.text, tours),
                    " с онлайн-экскурсиями по производствам.",
                )
            )
        views = self.value("views")
        if _positive(views):
            figure = approx(views.value, "раз")
            sentences.append(
                (
                    f"Онлайн-экскурсии проекта {in_period(period)} посмотрели ",
                    self.fact(figure.text, views),
                    ".",
                )
            )
        audience = self.history("audience")
        if audience is not None:
            figure = approx(audience.value, "человек", case="gent", preposition="до")
            if figure.hedge == "более чем":
                growth = f"превысила {approx(audience.value, 'человек', case='accs').bare}"
            else:
                growth = f"выросла {figure.text}"
            lead = (
                "За время работы проекта его аудитория "
                if self.running
                else f"{_cap(_by_end(period))} аудитория проекта "
            )
            sentences.append((lead, self.total_fact(growth, audience), "."))
        awards = self.history("awards")
        if awards is not None:
            text = quantity(awards.value, "награда")
            if self.running:
                sentences.append(
                    ("Сегодня в копилке проекта уже ", self.total_fact(text, awards), ".")
                )
            else:
                # Right after the audience «к концу 2023 года» the date is not repeated.
                lead = (
                    "В копилке проекта к этому времени — "
                    if audience is not None
                    else f"{_cap(_by_end(period))} в копилке проекта — "
                )
                sentences.append((lead, self.total_fact(text, awards), "."))
        return [tuple(sentences)] if sentences else []

    def export(self) -> list[Paragraph]:
        period, sentences = self.period, []
        missions, exhibitions = self.value("export_missions"), self.value("export_exhibitions")
        helped: list = []
        if _positive(missions):
            figure = approx(missions.value, "бизнес-миссия", case="accs")
            helped += ["организовать ", self.fact(figure.text, missions), " за рубежом"]
        if _positive(exhibitions):
            figure = approx(
                exhibitions.value, "международная выставка", case="loct", preposition="в"
            )
            if helped:
                helped.append(" и ")
            helped += [
                "обеспечить участие московских компаний ",
                self.fact(figure.text, exhibitions),
            ]
        if helped:
            sentences.append((f"{_cap(in_period(period))} центр «Моспром» помог ", *helped, "."))
        sessions = self.value("export_b2b")
        if _positive(sessions):
            figure = approx(sessions.value, "сессия B2B-встреч", case="accs")
            lead = (
                "Кроме того, центр провёл "
                if helped
                else f"{_cap(in_period(period))} центр «Моспром» провёл "
            )
            sentences.append((lead, self.fact(figure.text, sessions), "."))
        companies = self.value("export_companies")
        if _positive(companies) and sentences:
            figure = approx(companies.value, "компания")
            verb = _verb(figure, "femn", {"femn": "получила", "masc": "получил"}, "получили")
            sentences.append((f"Поддержку центра {verb} ", self.fact(figure.text, companies), "."))
        outcomes = self._outcomes()
        if outcomes and sentences:
            sentences.append(outcomes)
        sentences += self._exhibitions()
        return [tuple(sentences)] if sentences else []

    def _outcomes(self) -> Sentence | None:
        meetings, contracts = self.value("export_meetings"), self.value("export_contracts")
        value = self.value("export_contract_value")
        parts: list = []
        if _positive(meetings):
            figure = approx(meetings.value, "деловая встреча", case="accs")
            parts += ["провели ", self.fact(figure.text, meetings)]
        if _positive(contracts):
            figure = approx(contracts.value, "экспортный контракт", case="accs")
            if parts:
                parts.append(" и ")
            parts += ["заключили ", self.fact(figure.text, contracts)]
            if _positive(value):
                parts += [" на сумму ", self.fact(money(value.value).text, value)]
        return ("Участники мероприятий ", *parts, ".") if parts else None

    def _exhibitions(self) -> list[Sentence]:
        # Imported here: export is read only for this per-event figure.
        from mosprom.export.figures import event_figures, events_held
        from mosprom.export.models import EventKind

        events = events_held(start=self.period.start, end=self.period.end).filter(
            kind=EventKind.EXHIBITION
        )
        sentences = []
        for event in events.order_by("ends_on", "id")[:MAX_EVENTS]:
            companies = event_figures(event).companies
            if not companies:
                continue
            figure = approx(companies, "московская компания")
            verb = _verb(
                figure, "femn", {"femn": "представила", "masc": "представил"}, "представили"
            )
            title = event.title if "«" in event.title else f"«{event.title}»"
            fact = Fact(
                text=figure.text,
                kpi="",
                title=event.title,
                period=Period(event.starts_on, event.ends_on),
                value=companies,
                source=Source.COMPUTED,
                href=reverse("export:manage_applications", args=[event.pk]),
            )
            sentences.append(
                (
                    f"На выставке {title} ({event.city}, {event.country}) свою продукцию {verb} ",
                    fact,
                    ".",
                )
            )
        return sentences

    def sez(self) -> list[Paragraph]:
        period, sentences = self.period, []
        named = False  # whether a sentence has said which period it is
        kind = _shape(period)[0]
        investment = self.comparison("sez_investment")
        if investment is not None and _positive(investment.current):
            current, base = investment.current, investment.year_before.base
            share = (
                percent(abs(current.value - base.value), base.value) if _positive(base) else "0%"
            )
            if share != "0%":  # «на 0%» says nothing
                more = current.value > base.value
                verb = "увеличили" if more else "сократили"
                tail = "" if kind == "year" else " по сравнению с тем же периодом прошлого года"
                sentences.append(
                    (
                        f"{_cap(in_period(period))} компании ОЭЗ Москвы {verb} вложения в "
                        "экономику города ",
                        self.change_fact(
                            f"на {share}", current, base, investment.year_before.percent
                        ),
                        f"{tail}.",
                    )
                )
                named = True
            figure = money(current.value)
            phrase = (
                f"превысил {figure.bare}" if figure.hedge == "свыше" else f"составил {figure.text}"
            )
            lead = "Общий объём инвестиций предприятий ОЭЗ Москвы "
            if not named:
                lead = f"{_cap(in_period(period))} общий объём инвестиций предприятий ОЭЗ Москвы "
                named = True
            sentences.append((lead, self.fact(phrase, current), "."))
        jobs = self.comparison("sez_jobs")
        if jobs is not None and _positive(jobs.current):
            current, base = jobs.current, jobs.year_before.base
            figure = approx(current.value, "новое рабочее место", style="abbr", case="accs")
            lead = "Для обеспечения кадрами развивающихся производств компании создали "
            if not named:
                lead = f"{_cap(in_period(period))} компании ОЭЗ Москвы создали "
            sentences.append((lead, self.fact(figure.text, current), "."))
            if _positive(base):
                text = _than(percent_change(current.value, base.value), in_period(base.period))
                sentences.append(
                    ("Это ", self.change_fact(text, current, base, jobs.year_before.percent), ".")
                )
        sentences += self._sez_companies()
        return [tuple(sentences)] if sentences else []

    def _sez_companies(self) -> list[Sentence]:
        located, residents = self.value("sez_located"), self.value("sez_residents")
        when = "Сейчас" if self.running else _cap(_by_end(self.period, "на"))
        if _positive(located):
            figure = approx(located.value, "компания")
            verb = _verb(
                figure, "femn", {"femn": "локализована", "masc": "локализован"}, "локализовано"
            )
            if not self.running:
                verb = {"локализована": "была локализована", "локализован": "был локализован"}.get(
                    verb, "было локализовано"
                )
            sentence: list = [f"{when} в ОЭЗ Москвы {verb} ", self.fact(figure.text, located)]
            if _positive(residents) and residents.value <= located.value:
                number = approx(residents.value, precision=3)
                have = "имеет" if _singular(number) else "имеют"
                sentence += [", из которых ", self.fact(f"{number.text} {have}", residents)]
                sentence.append(" статус резидента")
            return [(*sentence, ".")]
        if _positive(residents):
            figure = approx(residents.value, "компания", precision=3)
            have = "имеет" if _singular(figure) else "имеют"
            return [
                (
                    f"{when} статус резидента ОЭЗ Москвы {have} ",
                    self.fact(figure.text, residents),
                    ".",
                )
            ]
        return []

    def registry(self) -> list[Paragraph]:
        enterprises = self.value("enterprises")
        if not _positive(enterprises):
            return []
        figure = approx(enterprises.value, "промышленное предприятие", style="abbr")
        if self.running:
            lead = "Всего в Москве сейчас работает "
        else:
            lead = f"{_cap(_by_end(self.period, 'на'))} в Москве работало "
        return [((lead, self.fact(figure.text, enterprises), "."),)]


def _ratio(current: KpiValue, base: KpiValue) -> Decimal:
    """current / base, two decimals: the exact value behind «в 1,5 раза»."""
    ratio = Decimal(current.value) / Decimal(base.value)
    return ratio.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _ratio_clause(current: KpiValue, base: KpiValue) -> str:
    """«в 1,5 раза превышает показатели 2022-го» from one and a half times up, «в 2 раза
    меньше, чем в 2022-м» from half down, otherwise «на 12% больше, чем в 2022-м»."""
    new, old = Decimal(current.value), Decimal(base.value)
    tenth = Decimal("0.1")
    if (new / old).quantize(tenth, rounding=ROUND_HALF_UP) >= Decimal("1.5"):
        return f"{times(new, old)} превышает показатели {_of_period(base.period, short=True)}"
    if new and (old / new).quantize(tenth, rounding=ROUND_HALF_UP) >= 2:
        return f"{times(old, new)} меньше, чем {_in_short(base.period)}"
    return _than(percent_change(new, old), _in_short(base.period))


def _than(change: str, where: str) -> str:
    """«на 51% больше, чем в 2023 году»; «столько же, сколько в 2023 году»."""
    return f"{change}, {'чем' if change.startswith('на ') else 'сколько'} {where}"


# --- Entry point -------------------------------------------------------------------------------


def release(*, period: Period, context: str = ALL) -> Release:
    """The press release for ``period`` about ``context`` (one of ``CONTEXTS`` or "all"):
    only sentences whose every figure the data support, in a bounded number of queries."""
    if context != ALL and context not in CONTEXTS:
        raise ValueError(f"unknown context {context!r}")
    wanted = CONTEXTS if context == ALL else (context,)
    with computing():
        writer = _Writer(period)
        paragraphs = [paragraph for name in wanted for paragraph in getattr(writer, name)()]
    return Release(period=period, context=context, paragraphs=tuple(paragraphs))
