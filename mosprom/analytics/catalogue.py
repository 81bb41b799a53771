"""The KPI catalogue: every figure the programme publishes, defined once in code.

A ``Kpi`` has a machine name (used in URLs, CSV files and the API), a Russian name and
definition in words, a unit, the context whose records it reads, the noun the press release
counts it with, and three functions:

- ``compute(period)``: the value for any period from the records (through the contexts' own
  figure functions — analytics never reads another context's models directly);
- ``series(periods)`` (optional): the same for many periods in a bounded number of queries;
- ``since()``: the first day the records cover (``None`` when there are none). Periods
  starting before it are not fully covered by records, so an imported historical value is
  used there if one exists (``analytics.values``).

``additive`` says whether the figure of a long period is the sum of its parts (tours held,
contract value) or not (distinct sites or companies, states); sums over several years (shares
of a total) refuse non-additive KPIs. ``state`` marks a figure read on one day — the period's
last (enterprises in the registry, SEZ residents): records cover it once they exist by then.

The definitions live in ``analytics.definitions`` and register themselves here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
from collections.abc import Callable, Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from mosprom.core.periods import Period

Number = int | Decimal


class Unit:
    COUNT = "count"
    PEOPLE = "people"
    RUB = "rub"
    VIEWS = "views"

    LABELS = {
        COUNT: _("шт."),
        PEOPLE: _("чел."),
        RUB: _("руб."),
        VIEWS: _("просмотров"),
    }


class Context:
    TOURISM = "tourism"
    GAMES = "games"
    MEDIA = "media"
    EXPORT = "export"
    SEZ = "sez"
    REGISTRY = "registry"

    LABELS = {
        TOURISM: _("Промышленный туризм"),
        GAMES: _("Интеллектуальные игры"),
        MEDIA: _("Онлайн-экскурсии и аудитория"),
        EXPORT: _("Поддержка экспорта"),
        SEZ: _("Особая экономическая зона"),
        REGISTRY: _("Реестр предприятий"),
    }
    ORDER = (TOURISM, GAMES, MEDIA, EXPORT, SEZ, REGISTRY)


@dataclass(frozen=True)
class Kpi:
    name: str
    title: str
    definition: str
    unit: str
    context: str
    compute: Callable[[Period], Number] = field(repr=False)
    since: Callable[[], dt.date | None] = field(repr=False)
    noun: str = ""
    additive: bool = True
    state: bool = False
    public: bool = True
    batch: Callable[[Sequence[Period]], list[Number]] | None = field(default=None, repr=False)

    def series(self, periods: Sequence[Period]) -> list[Number]:
        """The computed values of ``periods``, in order."""
        if self.batch is not None:
            return list(self.batch(periods))
        return [self.compute(period) for period in periods]

    @property
    def unit_label(self) -> str:
        return str(Unit.LABELS[self.unit])

    @property
    def context_label(self) -> str:
        return str(Context.LABELS[self.context])


_CATALOGUE: dict[str, Kpi] = {}
_SCOPE: ContextVar[dict | None] = ContextVar("kpi_scope", default=None)


@contextlib.contextmanager
def computing() -> Iterator[None]:
    """Within this block a context's figures for a period are read once however many KPIs
    share them (a dashboard, a press release); outside it every call reads afresh."""
    token = _SCOPE.set({})
    try:
        yield
    finally:
        _SCOPE.reset(token)


def memo(function: Callable) -> Callable:
    """Remember ``function``'s result per arguments inside ``computing()``."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        cache = _SCOPE.get()
        if cache is None:
            return function(*args, **kwargs)
        key = (function.__qualname__, args, tuple(sorted(kwargs.items())))
        if key not in cache:
            cache[key] = function(*args, **kwargs)
        return cache[key]

    return wrapper


def register(kpi: Kpi) -> Kpi:
    """Add ``kpi`` to the catalogue (names are unique)."""
    if kpi.name in _CATALOGUE:
        raise ValueError(f"KPI {kpi.name!r} is registered twice")
    if kpi.unit not in Unit.LABELS or kpi.context not in Context.LABELS:
        raise ValueError(f"KPI {kpi.name!r}: unknown unit or context")
    _CATALOGUE[kpi.name] = kpi
    return kpi


def _load() -> dict[str, Kpi]:
    if not _CATALOGUE:
        from mosprom.analytics import definitions  # noqa: F401 (registers on import)
    return _CATALOGUE


def all_kpis(*, public_only: bool = False) -> list[Kpi]:
    """Every KPI in catalogue order (by context, then as defined)."""
    kpis = list(_load().values())
    if public_only:
        kpis = [kpi for kpi in kpis if kpi.public]
    return sorted(kpis, key=lambda kpi: Context.ORDER.index(kpi.context))


def get_kpi(name: str) -> Kpi | None:
    """The KPI called ``name``, or None."""
    return _load().get(name)
