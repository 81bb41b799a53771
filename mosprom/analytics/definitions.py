"""The KPIs of the programme, each read through its context's own figure functions.

Registered into ``analytics.catalogue`` on import. Each context's figures for a period are
computed once per ``catalogue.computing()`` block (``memo``), so a dashboard asking for every
export KPI reads the export records once per period.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Min
from django.utils.translation import gettext_lazy as _

from mosprom.analytics.catalogue import Context, Kpi, Unit, memo, register
from mosprom.core.periods import Period

# --- The contexts' figures, remembered per period ------------------------------------------


@memo
def _tourism(period: Period):
    from mosprom.tourism.figures import tourism_figures

    return tourism_figures(period=period)


@memo
def _tourism_since() -> dt.date | None:
    from mosprom.tourism.figures import records_since

    return records_since()


@memo
def _games(period: Period):
    from mosprom.games.standings import games_figures

    return games_figures(period=period)


@memo
def _games_since() -> dt.date | None:
    from mosprom.games.standings import records_since

    return records_since()


@memo
def _media_tours(period: Period) -> int:
    from mosprom.media.selectors import tours_published_count

    return tours_published_count(period=period)


@memo
def _media_since() -> dt.date | None:
    from mosprom.media.selectors import records_since

    return records_since()


@memo
def _awards(period: Period) -> int:
    from mosprom.media.selectors import awards_count

    return awards_count(period=period)


@memo
def _awards_since() -> dt.date | None:
    from mosprom.media.selectors import awards_since

    return awards_since()


@memo
def _views(period: Period):
    from mosprom.media.counts import views_total

    return views_total(period=period)


@memo
def _audience(period: Period):
    from mosprom.media.audience import audience

    # The parts the other KPIs already read for this period are passed, not read again.
    return audience(
        period=period,
        views=_views(period),
        visitors=_tourism(period).participants,
        players=_games(period).players,
    )


@memo
def _export(period: Period):
    from mosprom.export.figures import export_figures

    return export_figures(start=period.start, end=period.end)


@memo
def _export_since() -> dt.date | None:
    from mosprom.export.models import ExportEvent

    return ExportEvent.objects.filter(is_published=True).aggregate(first=Min("ends_on"))["first"]


@memo
def _sez(period: Period):
    from mosprom.sez.kpi import period_totals

    return period_totals(period=period)


@memo
def _sez_since() -> dt.date | None:
    from mosprom.sez.kpi import reports_since

    return reports_since()


@memo
def _sez_counts(day: dt.date) -> dict[str, int]:
    from mosprom.sez.kpi import counts_at

    return counts_at(day=day)


@memo
def _sez_counts_since() -> dt.date | None:
    from mosprom.sez.models import Residency

    return Residency.objects.aggregate(first=Min("located_from"))["first"]


@memo
def _enterprises(day: dt.date) -> int:
    from mosprom.registry.selectors import enterprises_on

    return enterprises_on(day=day)


@memo
def _registry_since() -> dt.date | None:
    from mosprom.registry.selectors import registry_since

    return registry_since()


def _state_day(period: Period) -> dt.date:
    """A state is read on the period's last day, or today while the period is running."""
    from mosprom.core import clock

    return min(period.end, clock.today())


def _kpi(name, title, definition, unit, context, compute, since, noun, **options) -> None:
    register(
        Kpi(
            name=name,
            title=title,
            definition=definition,
            unit=unit,
            context=context,
            compute=compute,
            since=since,
            noun=noun,
            **options,
        )
    )


# --- Industrial tourism --------------------------------------------------------------------

_kpi(
    "tours_held",
    _("Экскурсии"),
    _(
        "Сеансы экскурсий, которые состоялись в периоде: не отменены, начались в периоде и "
        "к моменту расчёта."
    ),
    Unit.COUNT,
    Context.TOURISM,
    lambda p: _tourism(p).excursions,
    _tourism_since,
    "экскурсия",
)
_kpi(
    "master_classes",
    _("Мастер-классы"),
    _("Сеансы мастер-классов, которые состоялись в периоде (правило то же, что для экскурсий)."),
    Unit.COUNT,
    Context.TOURISM,
    lambda p: _tourism(p).master_classes,
    _tourism_since,
    "мастер-класс",
)
_kpi(
    "lectures",
    _("Лекции"),
    _("Сеансы лекций, которые состоялись в периоде."),
    Unit.COUNT,
    Context.TOURISM,
    lambda p: _tourism(p).lectures,
    _tourism_since,
    "лекция",
)
_kpi(
    "events_held",
    _("Все мероприятия на производствах"),
    _(
        "Состоявшиеся сеансы всех очных форматов: экскурсии, мастер-классы, лекции, "
        "дегустации и специальные события."
    ),
    Unit.COUNT,
    Context.TOURISM,
    lambda p: _tourism(p).sessions,
    _tourism_since,
    "мероприятие",
)
_kpi(
    "sites_hosted",
    _("Площадки, принявшие гостей"),
    _("Производственные площадки, на которых в периоде состоялся хотя бы один сеанс."),
    Unit.COUNT,
    Context.TOURISM,
    lambda p: _tourism(p).sites,
    _tourism_since,
    "производственная площадка",
    additive=False,
)
_kpi(
    "participants",
    _("Участники очных мероприятий"),
    _(
        "Места в подтверждённых записях на состоявшиеся сеансы периода за вычетом тех, кто "
        "не пришёл (отмечены неявкой)."
    ),
    Unit.PEOPLE,
    Context.TOURISM,
    lambda p: _tourism(p).participants,
    _tourism_since,
    "участник",
)

# --- Intellectual games --------------------------------------------------------------------

_kpi(
    "games_held",
    _("Интеллектуальные игры"),
    _(
        "Игры, которые состоялись в периоде: итоги опубликованы, или игра началась и в ней "
        "были зарегистрированные команды."
    ),
    Unit.COUNT,
    Context.GAMES,
    lambda p: _games(p).games,
    _games_since,
    "игра",
)
_kpi(
    "teams",
    _("Команды"),
    _("Зарегистрированные команды состоявшихся игр периода (команда в двух играх — дважды)."),
    Unit.COUNT,
    Context.GAMES,
    lambda p: _games(p).teams,
    _games_since,
    "команда",
)
_kpi(
    "players",
    _("Игроки"),
    _("Участники в составах зарегистрированных команд состоявшихся игр периода."),
    Unit.PEOPLE,
    Context.GAMES,
    lambda p: _games(p).players,
    _games_since,
    "человек",
)

# --- Online tours and the audience ---------------------------------------------------------

_kpi(
    "online_tours",
    _("Онлайн-экскурсии"),
    _("Опубликованные онлайн-экскурсии с датой публикации в периоде."),
    Unit.COUNT,
    Context.MEDIA,
    _media_tours,
    _media_since,
    "видеоролик",
)
_kpi(
    "views",
    _("Просмотры онлайн-экскурсий"),
    _(
        "Просмотры на сайте (один зритель — один раз в сутки) и на видеоплатформах за "
        "периоды, целиком лежащие внутри выбранного."
    ),
    Unit.VIEWS,
    Context.MEDIA,
    lambda p: _views(p).total,
    _media_since,
    "просмотр",
)
_kpi(
    "audience",
    _("Аудитория программы"),
    _(
        "Посетители сайта + охват в социальных сетях + охват в СМИ (вносят организаторы) + "
        "просмотры онлайн-экскурсий + участники очных мероприятий и игр (считаются по "
        "записям платформы)."
    ),
    Unit.PEOPLE,
    Context.MEDIA,
    lambda p: _audience(p).total,
    _media_since,
    "человек",
)

_kpi(
    "awards",
    _("Награды программы"),
    _("Награды с годом вручения внутри периода (у награды есть только год)."),
    Unit.COUNT,
    Context.MEDIA,
    _awards,
    _awards_since,
    "награда",
)

# --- Export support ------------------------------------------------------------------------

_EXPORT_RULE = _("Учитываются опубликованные мероприятия, завершившиеся в периоде.")

_kpi(
    "export_missions",
    _("Бизнес-миссии"),
    _EXPORT_RULE,
    Unit.COUNT,
    Context.EXPORT,
    lambda p: _export(p).missions,
    _export_since,
    "бизнес-миссия",
)
_kpi(
    "export_exhibitions",
    _("Международные выставки с коллективным стендом"),
    _EXPORT_RULE,
    Unit.COUNT,
    Context.EXPORT,
    lambda p: _export(p).exhibitions,
    _export_since,
    "международная выставка",
)
_kpi(
    "export_b2b",
    _("Сессии B2B-встреч"),
    _EXPORT_RULE,
    Unit.COUNT,
    Context.EXPORT,
    lambda p: _export(p).b2b_sessions,
    _export_since,
    "сессия",
)
_kpi(
    "export_companies",
    _("Компании, получившие поддержку"),
    _("Разные предприятия — участники экспортных мероприятий, завершившихся в периоде."),
    Unit.COUNT,
    Context.EXPORT,
    lambda p: _export(p).companies_supported,
    _export_since,
    "компания",
    additive=False,
)
_kpi(
    "export_meetings",
    _("B2B-встречи"),
    _("Встречи из отчётов участников мероприятий, завершившихся в периоде."),
    Unit.COUNT,
    Context.EXPORT,
    lambda p: _export(p).meetings,
    _export_since,
    "встреча",
)
_kpi(
    "export_contracts",
    _("Экспортные контракты"),
    _("Контракты из отчётов участников мероприятий, завершившихся в периоде."),
    Unit.COUNT,
    Context.EXPORT,
    lambda p: _export(p).contracts,
    _export_since,
    "контракт",
)
_kpi(
    "export_contract_value",
    _("Сумма экспортных контрактов"),
    _(
        "Сумма контрактов из отчётов участников, в рублях по курсу мероприятия (контракты "
        "без курса не учитываются)."
    ),
    Unit.RUB,
    Context.EXPORT,
    lambda p: _export(p).contract_value_rub,
    _export_since,
    "рубль",
)

# --- Special economic zone -----------------------------------------------------------------

_kpi(
    "sez_residents",
    _("Резиденты ОЭЗ"),
    _(
        "Компании со статусом резидента и действующим соглашением на последний день периода "
        "(или сегодня, если период не закончился)."
    ),
    Unit.COUNT,
    Context.SEZ,
    lambda p: _sez_counts(_state_day(p))["residents"],
    _sez_counts_since,
    "резидент",
    additive=False,
    state=True,
)
_kpi(
    "sez_located",
    _("Компании, размещённые в ОЭЗ"),
    _("Все компании на площадках зоны (резиденты и нет) на последний день периода."),
    Unit.COUNT,
    Context.SEZ,
    lambda p: _sez_counts(_state_day(p))["located"],
    _sez_counts_since,
    "компания",
    additive=False,
    state=True,
)
_kpi(
    "sez_investment",
    _("Инвестиции резидентов ОЭЗ"),
    _(
        "Инвестиции по последним одобренным версиям отчётов за отчётные периоды внутри "
        "выбранного (годовые отчёты за целые годы, квартальные — за остальные кварталы)."
    ),
    Unit.RUB,
    Context.SEZ,
    lambda p: _sez(p).investment,
    _sez_since,
    "рубль",
)
_kpi(
    "sez_jobs",
    _("Новые рабочие места в ОЭЗ"),
    _("Созданные рабочие места по последним одобренным версиям отчётов (правило то же)."),
    Unit.COUNT,
    Context.SEZ,
    lambda p: _sez(p).jobs_created,
    _sez_since,
    "рабочее место",
)
_kpi(
    "sez_revenue",
    _("Выручка резидентов ОЭЗ"),
    _("Выручка по последним одобренным версиям отчётов (правило то же)."),
    Unit.RUB,
    Context.SEZ,
    lambda p: _sez(p).revenue,
    _sez_since,
    "рубль",
    public=False,
)

# --- Registry ------------------------------------------------------------------------------

_kpi(
    "enterprises",
    _("Промышленные предприятия в реестре"),
    _("Предприятия в реестре на последний день периода (или сегодня)."),
    Unit.COUNT,
    Context.REGISTRY,
    lambda p: _enterprises(_state_day(p)),
    _registry_since,
    "промышленное предприятие",
    additive=False,
    state=True,
)
