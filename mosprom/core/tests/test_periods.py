"""Reporting periods: parsing every text form, labels, neighbours and Moscow-time bounds."""

import datetime as dt

import pytest

from mosprom.core.periods import Period, PeriodError, parse_period

D = dt.date


@pytest.mark.parametrize(
    ("text", "start", "end", "code", "label"),
    [
        ("2023", D(2023, 1, 1), D(2023, 12, 31), "2023", "2023 год"),
        ("2023-H1", D(2023, 1, 1), D(2023, 6, 30), "2023-H1", "1-е полугодие 2023 г."),
        ("2023-h2", D(2023, 7, 1), D(2023, 12, 31), "2023-H2", "2-е полугодие 2023 г."),
        ("2023-Q2", D(2023, 4, 1), D(2023, 6, 30), "2023-Q2", "2 кв. 2023 г."),
        ("2024-02", D(2024, 2, 1), D(2024, 2, 29), "2024-02", "февраль 2024 г."),
        (" 2023-05 ", D(2023, 5, 1), D(2023, 5, 31), "2023-05", "май 2023 г."),
        (
            "2023-01-05..2023-02-10",
            D(2023, 1, 5),
            D(2023, 2, 10),
            "2023-01-05..2023-02-10",
            "05.01.2023–10.02.2023",
        ),
        # A range that happens to be a whole quarter reads back as the quarter.
        ("2023-07-01..2023-09-30", D(2023, 7, 1), D(2023, 9, 30), "2023-Q3", "3 кв. 2023 г."),
    ],
)
def test_parse_code_and_label(text, start, end, code, label):
    period = parse_period(text)
    assert (period.start, period.end, period.code, period.label) == (start, end, code, label)
    assert parse_period(period.code) == period


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "Не удалось прочитать период"),
        ("23", "Не удалось прочитать период"),
        ("2023-13", "Месяц должен быть от 01 до 12"),
        ("2023-Q5", "Не удалось прочитать период"),
        ("1899", "Год должен быть от"),
        ("2023-02-30..2023-03-01", "Такой даты нет"),
        ("2023-03-01..2023-02-01", "Конец периода раньше"),
        ("<script>", "Не удалось прочитать период"),
    ],
)
def test_bad_periods_are_refused_in_russian(text, fragment):
    with pytest.raises(PeriodError, match=fragment):
        parse_period(text)


@pytest.mark.parametrize(
    ("code", "previous", "year_before"),
    [
        ("2023", "2022", "2022"),
        ("2023-H1", "2022-H2", "2022-H1"),
        ("2023-Q1", "2022-Q4", "2022-Q1"),
        ("2024-03", "2024-02", "2023-03"),
        ("2024-02", "2024-01", "2023-02"),
        ("2023-01-10..2023-01-19", "2022-12-31..2023-01-09", "2022-01-10..2022-01-19"),
    ],
)
def test_previous_and_year_before(code, previous, year_before):
    period = parse_period(code)
    assert period.previous().code == previous
    assert period.year_before().code == year_before


def test_bounds_are_moscow_midnights_half_open():
    start, end = Period.year(2023).bounds()
    assert start.isoformat() == "2023-01-01T00:00:00+03:00"
    assert end.isoformat() == "2024-01-01T00:00:00+03:00"


def test_containment_and_overlap():
    year, may, june = Period.year(2023), Period.month(2023, 5), Period.month(2023, 6)
    assert year.contains(may) and not may.contains(year)
    assert may.overlaps(year) and not may.overlaps(june)
    assert D(2023, 5, 31) in may and D(2023, 6, 1) not in may
    assert may.days == 31
