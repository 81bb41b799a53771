"""Reporting periods: a year, a half-year, a quarter, a month or any range of whole days.

A ``Period`` is two dates, both included. Text forms (API query parameters, CSV columns, the
period picker) are parsed by ``parse_period``:

    2023                     the year
    2023-H1, 2023-H2         a half-year
    2023-Q1 … 2023-Q4        a quarter
    2023-05                  a month
    2023-05-01..2023-06-15   any range of days (both ends included)

Database filters on datetimes use ``bounds()``: midnight in Moscow at the start, midnight after
the last day at the end (half-open), so a session at 23:30 Moscow time on 31 December belongs
to that year.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from mosprom.core import clock

_YEAR = re.compile(r"^(\d{4})$")
_HALF = re.compile(r"^(\d{4})-[HhНн]([12])$")
_QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\s*(?:\.\.|–|—)\s*(\d{4}-\d{2}-\d{2})$")
MIN_YEAR, MAX_YEAR = 1990, 2100


class PeriodError(ValueError):
    """Raised with a Russian message the caller can show next to the field."""


@dataclass(frozen=True, order=True)
class Period:
    start: dt.date
    end: dt.date  # included

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise PeriodError(_("Конец периода раньше его начала."))

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))

    @classmethod
    def half(cls, year: int, half: int) -> Period:
        return cls.months(year, 6 * (half - 1) + 1, 6)

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        return cls.months(year, 3 * (quarter - 1) + 1, 3)

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls.months(year, month, 1)

    @classmethod
    def months(cls, year: int, first: int, count: int) -> Period:
        last = first + count - 1
        return cls(dt.date(year, first, 1), dt.date(year, last, calendar.monthrange(year, last)[1]))

    @property
    def code(self) -> str:
        """The shortest text form that ``parse_period`` reads back into this period."""
        start, end = self.start, self.end
        whole_months = start.day == 1 and end == _month_end(end)
        if whole_months and start.year == end.year:
            span = end.month - start.month + 1
            if span == 12:
                return f"{start.year}"
            if span == 6 and start.month in (1, 7):
                return f"{start.year}-H{start.month // 6 + 1}"
            if span == 3 and start.month % 3 == 1:
                return f"{start.year}-Q{start.month // 3 + 1}"
            if span == 1:
                return f"{start.year}-{start.month:02d}"
        return f"{start.isoformat()}..{end.isoformat()}"

    @property
    def label(self) -> str:
        """How a person writes it: «2023 год», «1-е полугодие 2023 г.», «май 2023 г.»."""
        code = self.code
        if _YEAR.match(code):
            return _("%(year)s год") % {"year": code}
        if match := _HALF.match(code):
            return _("%(n)s-е полугодие %(year)s г.") % {"n": match[2], "year": match[1]}
        if match := _QUARTER.match(code):
            return _("%(n)s кв. %(year)s г.") % {"n": match[2], "year": match[1]}
        if _MONTH.match(code):
            return _("%(month)s %(year)s г.") % {
                "month": _(MONTHS[self.start.month - 1]),
                "year": self.start.year,
            }
        return f"{self.start:%d.%m.%Y}–{self.end:%d.%m.%Y}"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def contains(self, other: Period) -> bool:
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other: Period) -> bool:
        return self.start <= other.end and other.start <= self.end

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """Aware datetimes [start, end) in Moscow time for filtering timestamps."""
        return clock.start_of_day(self.start), clock.start_of_day(self.end + dt.timedelta(days=1))

    def previous(self) -> Period:
        """The period of the same shape just before this one (for a range: as many days)."""
        code = self.code
        if _YEAR.match(code):
            return Period.year(self.start.year - 1)
        if _HALF.match(code) or _QUARTER.match(code) or _MONTH.match(code):
            span = self.end.month - self.start.month + 1
            first = _shift_months(self.start, -span)
            return Period.months(first.year, first.month, span)
        return Period(self.start - dt.timedelta(days=self.days), self.start - dt.timedelta(days=1))

    def year_before(self) -> Period:
        """The same days a year earlier (29 February becomes the 28th)."""
        return Period(_year_back(self.start), _year_back(self.end, end=True))


MONTHS = (
    gettext_noop("январь"),
    gettext_noop("февраль"),
    gettext_noop("март"),
    gettext_noop("апрель"),
    gettext_noop("май"),
    gettext_noop("июнь"),
    gettext_noop("июль"),
    gettext_noop("август"),
    gettext_noop("сентябрь"),
    gettext_noop("октябрь"),
    gettext_noop("ноябрь"),
    gettext_noop("декабрь"),
)


def _month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _shift_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _year_back(day: dt.date, *, end: bool = False) -> dt.date:
    if day.month == 2 and day.day == 29:
        return dt.date(day.year - 1, 2, 28)
    moved = day.replace(year=day.year - 1)
    if end and day == _month_end(day):
        return _month_end(moved)
    return moved


def _year(text: str) -> int:
    year = int(text)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodError(
            _("Год должен быть от %(min)s до %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR}
        )
    return year


def parse_period(text: str) -> Period:
    """Read a period written as in the module docstring; ``PeriodError`` says what is wrong."""
    value = (text or "").strip()
    if match := _YEAR.match(value):
        return Period.year(_year(match[1]))
    if match := _HALF.match(value):
        return Period.half(_year(match[1]), int(match[2]))
    if match := _QUARTER.match(value):
        return Period.quarter(_year(match[1]), int(match[2]))
    if match := _MONTH.match(value):
        month = int(match[2])
        if not 1 <= month <= 12:
            raise PeriodError(_("Месяц должен быть от 01 до 12."))
        return Period.month(_year(match[1]), month)
    if match := _RANGE.match(value):
        try:
            start, end = dt.date.fromisoformat(match[1]), dt.date.fromisoformat(match[2])
        except ValueError:
            raise PeriodError(_("Такой даты нет в календаре.")) from None
        _year(str(start.year))
        _year(str(end.year))
        return Period(start, end)
    raise PeriodError(
        _(
            "Не удалось прочитать период «%(value)s». Пример: 2023, 2023-H1, 2023-Q2, 2023-05 "
            "или 2023-01-01..2023-03-31."
        )
        % {"value": value[:40]}
    )


# Everything the platform can hold: the widest period ``parse_period`` accepts.
ALL_TIME = Period(dt.date(MIN_YEAR, 1, 1), dt.date(MAX_YEAR, 12, 31))
