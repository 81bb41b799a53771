"""The Russian phrasing of numbers: a table of expected forms, typography, and properties."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from mosprom.analytics.phrasing import (
    NBSP,
    agree,
    approx,
    compare_ratio,
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

D = Decimal


def _plain(text: str) -> str:
    return text.replace(NBSP, " ")


# (what is phrased, expected text with ordinary spaces for readability)
TABLE = [
    # agreement 0–25 and beyond
    (lambda: quantity(0, "экскурсия"), "0 экскурсий"),
    (lambda: quantity(1, "экскурсия"), "1 экскурсия"),
    (lambda: quantity(2, "экскурсия"), "2 экскурсии"),
    (lambda: quantity(3, "экскурсия"), "3 экскурсии"),
    (lambda: quantity(4, "экскурсия"), "4 экскурсии"),
    (lambda: quantity(5, "экскурсия"), "5 экскурсий"),
    (lambda: quantity(10, "экскурсия"), "10 экскурсий"),
    (lambda: quantity(11, "экскурсия"), "11 экскурсий"),
    (lambda: quantity(12, "экскурсия"), "12 экскурсий"),
    (lambda: quantity(14, "экскурсия"), "14 экскурсий"),
    (lambda: quantity(20, "экскурсия"), "20 экскурсий"),
    (lambda: quantity(21, "экскурсия"), "21 экскурсия"),
    (lambda: quantity(22, "экскурсия"), "22 экскурсии"),
    (lambda: quantity(24, "экскурсия"), "24 экскурсии"),
    (lambda: quantity(25, "экскурсия"), "25 экскурсий"),
    (lambda: quantity(101, "экскурсия"), "101 экскурсия"),
    (lambda: quantity(111, "экскурсия"), "111 экскурсий"),
    (lambda: quantity(112, "экскурсия"), "112 экскурсий"),
    (lambda: quantity(121, "экскурсия"), "121 экскурсия"),
    (lambda: quantity(12_345, "экскурсия"), "12 345 экскурсий"),
    (lambda: quantity(D("1.2"), "тысяча"), "1,2 тысячи"),
    (lambda: quantity(D("17.9"), "тысяча"), "17,9 тысячи"),
    (lambda: quantity(20, "видеоролик"), "20 видеороликов"),
    (lambda: quantity(124, "компания"), "124 компании"),
    (lambda: quantity(11, "бизнес-миссия"), "11 бизнес-миссий"),
    (lambda: quantity(3, "мастер-класс"), "3 мастер-класса"),
    (lambda: quantity(5, "онлайн-экскурсия", "loct"), "5 онлайн-экскурсиях"),
    # человек and год: the counted forms, not «людей»/«годов»
    (lambda: quantity(1, "человек"), "1 человек"),
    (lambda: quantity(2, "человек"), "2 человека"),
    (lambda: quantity(5, "человек"), "5 человек"),
    (lambda: quantity(21, "человек"), "21 человек"),
    (lambda: quantity(5, "год"), "5 лет"),
    (lambda: agree("год", 60, "gent"), "лет"),
    # multi-word nouns
    (lambda: quantity(1, "промышленное предприятие"), "1 промышленное предприятие"),
    (lambda: quantity(2, "промышленное предприятие"), "2 промышленных предприятия"),
    (lambda: quantity(5, "промышленное предприятие"), "5 промышленных предприятий"),
    (lambda: quantity(2, "производственная площадка"), "2 производственные площадки"),
    (lambda: quantity(21, "производственная площадка"), "21 производственная площадка"),
    (lambda: quantity(5, "новое рабочее место"), "5 новых рабочих мест"),
    (lambda: quantity(3, "площадка города"), "3 площадки города"),
    # oblique cases
    (lambda: quantity(17, "такое мероприятие", "loct"), "17 таких мероприятиях"),
    (lambda: quantity(120, "производственная площадка", "loct"), "120 производственных площадках"),
    (lambda: quantity(1, "производственная площадка", "loct"), "1 производственной площадке"),
    (lambda: quantity(21, "команда", "ablt"), "21 командой"),
    (lambda: quantity(5, "компания", "datv"), "5 компаниям"),
    (lambda: quantity(2, "экскурсия", "gent"), "2 экскурсий"),
    (lambda: quantity(1, "год", "loc2"), "1 году"),
    # approximations, words (the seeds' figures)
    (lambda: approx(1234, "экскурсия").text, "свыше 1,2 тысячи экскурсий"),
    (
        lambda: approx(124, "промышленная площадка", above="более").text,
        "более 120 промышленных площадок",
    ),
    (lambda: approx(2604, "команда").text, "около 2,6 тысячи команд"),
    (lambda: approx(17_912, "человек").text, "свыше 17,9 тысячи человек"),
    (lambda: approx(503, "такое мероприятие", above="более").text, "более 500 таких мероприятий"),
    (lambda: approx(234, "компания").text, "свыше 230 компаний"),
    (lambda: approx(14_960_000, "человек").text, "почти 15 миллионов человек"),
    (lambda: approx(1950, "экскурсия").text, "свыше 1,9 тысячи экскурсий"),
    (lambda: approx(2345, "экскурсия", above="более").text, "более 2,3 тысячи экскурсий"),
    (lambda: approx(127, "площадка").text, "почти 130 площадок"),
    (lambda: approx(125, "площадка").text, "свыше 120 площадок"),
    (lambda: approx(121, "площадка").text, "около 120 площадок"),
    (lambda: approx(119, "площадка").text, "около 120 площадок"),
    (lambda: approx(17, "мероприятие").text, "17 мероприятий"),
    (lambda: approx(2100, "экскурсия").text, "2,1 тысячи экскурсий"),
    (lambda: approx(2050, "экскурсия").text, "свыше 2 тысяч экскурсий"),
    (lambda: approx(21_340, "экскурсия", above="более").text, "более 21,3 тысячи экскурсий"),
    (lambda: approx(21_000_300, "человек").text, "около 21 миллиона человек"),
    (lambda: approx(1_980, "экскурсия").text, "почти 2 тысячи экскурсий"),
    (lambda: approx(123_456, "человек").text, "свыше 123 тысяч человек"),
    (lambda: approx(999_960, "человек").text, "около 1 миллиона человек"),
    (lambda: approx(5_000_000, "человек").text, "5 миллионов человек"),
    (lambda: approx(3_100_000_000).text, "3,1 миллиарда"),
    (lambda: approx(D("2.54")).text, "свыше 2,5"),
    # approximations, abbreviations
    (
        lambda: approx(4585, "промышленное предприятие", style="abbr").text,
        "почти 4,6 тыс. промышленных предприятий",
    ),
    (
        lambda: approx(5930, "новое рабочее место", style="abbr").text,
        "свыше 5,9 тыс. новых рабочих мест",
    ),
    (lambda: approx(14_960_000, "человек", style="abbr").text, "почти 15 млн человек"),
    (lambda: money(70_834_000_000).text, "свыше 70,8 млрд рублей"),
    (lambda: money(70_834_000_000).bare, "70,8 млрд рублей"),
    (lambda: money(1_500_000, style="words").text, "1,5 миллиона рублей"),
    (lambda: money(500).text, "500 рублей"),
    (lambda: money(21).text, "21 рубль"),
    # hedged phrases in oblique cases and with prepositions
    (
        lambda: approx(124, "производственная площадка", case="loct", preposition="на").text,
        "более чем на 120 производственных площадках",
    ),
    (
        lambda: approx(1234, "экскурсия", case="accs", preposition="на").text,
        "более чем на 1,2 тысячи экскурсий",
    ),
    (lambda: approx(1180, "площадка", case="datv").text, "почти 1,2 тысячи площадок"),
    (
        lambda: approx(15_000, "экскурсия", case="loct", preposition="в").text,
        "в 15 тысячах экскурсий",
    ),
    (lambda: approx(121, "площадка", case="datv").text, "примерно 120 площадкам"),
    # ratios
    (lambda: times(1800, 1200), "в 1,5 раза"),
    (lambda: times(2, 1), "в 2 раза"),
    (lambda: times(314, 100), "в 3,1 раза"),
    (lambda: times(5, 1), "в 5 раз"),
    (lambda: times(123, 10), "в 12 раз"),
    (lambda: times(21, 1), "в 21 раз"),
    (lambda: compare_ratio(1800, 1200), "в 1,5 раза больше"),
    (lambda: compare_ratio(50, 100), "в 2 раза меньше"),
    (lambda: compare_ratio(100, 100), "столько же"),
    (lambda: compare_ratio(101, 100), "примерно столько же"),
    (lambda: compare_ratio(300, 100, more="выше", less="ниже"), "в 3 раза выше"),
    # percentages
    (lambda: percent_change(157, 100), "на 57% больше"),
    (lambda: percent_change(151, 100), "на 51% больше"),
    (lambda: percent_change(88, 100), "на 12% меньше"),
    (lambda: percent_change(1004, 1000), "на 0,4% больше"),
    (lambda: percent_change(250, 100), "на 150% больше"),
    (lambda: percent_change(100, 100), "столько же"),
    (lambda: percent_change(1_000_001, 1_000_000), "практически столько же"),
    (lambda: percent(37, 100), "37%"),
    (lambda: percent(1, 3), "33%"),
    (lambda: percent(4, 1000), "0,4%"),
    # fractions
    (lambda: fraction_word(1, 2), "половина"),
    (lambda: fraction_word(500, 1500), "треть"),
    (lambda: fraction_word(510, 1500, case="accs"), "треть"),
    (lambda: fraction_word(1, 2, case="accs"), "половину"),
    (lambda: fraction_word(1, 4), "четверть"),
    (lambda: fraction_word(2, 3), "две трети"),
    (lambda: fraction_word(2, 3, case="gent"), "двух третей"),
    (lambda: fraction_word(3, 4), "три четверти"),
    (lambda: fraction_word(1, 5, case="accs"), "пятую часть"),
    (lambda: fraction_word(1, 10), "десятая часть"),
    (lambda: fraction_word(1, 10, case="gent"), "десятой части"),
    (lambda: fraction_word(37, 100), None),
    # years
    (lambda: year_form(2022), "2022-го"),
    (lambda: year_form(2022, "loct"), "2022-м"),
    (lambda: year_form(2022, "nomn"), "2022-й"),
    (lambda: year_form(2023, "datv"), "2023-му"),
    (lambda: year_form(2019, "ablt"), "2019-м"),
    (lambda: year_phrase(2023), "2023 году"),
    (lambda: year_phrase(2019, "gent"), "2019 года"),
    (lambda: year_phrase(2024, "nomn"), "2024 год"),
    # numbers
    (lambda: format_number(1234), "1234"),
    (lambda: format_number(12_345), "12 345"),
    (lambda: format_number(1.5), "1,5"),
    (lambda: format_number(D("15.0")), "15"),
    (lambda: format_number(D("14.96"), 1), "15"),
    (lambda: format_number(1_234_567.891), "1 234 567,891"),
    (lambda: format_number(-3), "−3"),
]


@pytest.mark.parametrize(
    ("phrase", "expected"), TABLE, ids=[f"row{index:03d}" for index in range(len(TABLE))]
)
def test_table(phrase, expected):
    result = phrase()
    assert (None if result is None else _plain(result)) == expected


def test_table_is_large_enough():
    assert len(TABLE) >= 60


def test_no_break_space_binds_number_to_its_word_only():
    assert approx(1234, "экскурсия").text == f"свыше 1,2{NBSP}тысячи экскурсий"
    assert approx(4585, "предприятие", style="abbr").text == f"почти 4,6{NBSP}тыс. предприятий"
    assert quantity(12_345, "экскурсия") == f"12{NBSP}345{NBSP}экскурсий"
    assert times(3, 2) == f"в 1,5{NBSP}раза"
    assert year_phrase(2023) == f"2023{NBSP}году"
    assert percent_change(157, 100) == "на 57% больше"


@pytest.mark.parametrize(
    "text",
    [
        approx(1234, "экскурсия").text,
        approx(17, None).text,
        quantity(5, "человек"),
        times(3, 2),
        percent(1, 3),
        year_form(2022),
    ],
)
def test_no_stray_spaces(text):
    assert text == text.strip()
    assert "  " not in text


def test_approx_fields():
    result = approx(70_834_000_000, "рубль", style="abbr")
    assert result.hedge == "свыше"
    assert result.shown == D("70800000000")
    assert result.figure == D("70.8")
    assert result.scale == "млрд"
    assert result.exact == D("70834000000")
    assert result.step == D("100000000")
    assert str(result) == result.text


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: times(5, 0), "positive"),
        (lambda: times(5, -1), "positive"),
        (lambda: times(None, 5), "both"),
        (lambda: times(0, 5), "0 раз"),
        (lambda: compare_ratio(5, None), "both"),
        (lambda: percent_change(5, 0), "positive"),
        (lambda: percent(1, 0), "positive"),
        (lambda: fraction_word(1, 0), "positive"),
        (lambda: approx(-1), "non-negative"),
        (lambda: approx(1, style="short"), "style"),
        (lambda: approx(1, above="больше"), "above"),
        (lambda: agree("экскурсия", 5, case="voct"), "case"),
        (lambda: approx(1234, precision=0), "precision"),
        (lambda: format_number(None), "number"),
    ],
)
def test_invalid_input_raises_value_error(call, error):
    with pytest.raises(ValueError, match=error):
        call()


def test_precision_overrides_significant_digits():
    assert _plain(approx(1234, "экскурсия", precision=1).text) == "свыше 1 тысячи экскурсий"
    assert _plain(approx(87, precision=1).text) == "почти 90"
    # never more than one decimal of the scale, whatever is asked
    assert approx(1234, precision=4).figure == D("1.2")


# --- properties ----------------------------------------------------------------------------

ABOVE = ("свыше", "более")


def _check_hedge(result, exact):
    hedge = result.hedge
    if hedge.startswith(ABOVE):
        assert exact > result.shown
    elif hedge == "почти":
        assert exact < result.shown
    elif hedge in ("около", "примерно"):
        assert exact != result.shown
        assert abs(exact - result.shown) * 10 <= result.step
    else:
        assert hedge == ""
        assert exact == result.shown
    assert abs(exact - result.shown) * 2 <= result.step  # within half a rounding step
    assert result.text.startswith(hedge)


@hypothesis_settings(max_examples=400, deadline=None)
@given(st.integers(min_value=0, max_value=10**10), st.sampled_from(ABOVE))
def test_hedge_is_never_wrong(value, above):
    result = approx(value, above=above)
    _check_hedge(result, D(value))
    if value < 100:
        assert result.hedge == ""
        assert result.text == str(value)


@hypothesis_settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**10))
def test_hedge_is_never_wrong_before_a_preposition(value):
    result = approx(value, "площадка", case="loct", preposition="на")
    _check_hedge(result, D(value))
    assert " на " in f" {result.text}"


@hypothesis_settings(max_examples=200, deadline=None)
@given(st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False))
def test_hedge_is_never_wrong_for_decimals(value):
    _check_hedge(approx(value), value)


@hypothesis_settings(max_examples=300, deadline=None)
@given(st.decimals(min_value=-(10**12), max_value=10**12, places=3, allow_nan=False))
def test_format_number_reads_back(value):
    text = format_number(value)
    assert D(text.replace(NBSP, "").replace(",", ".").replace("−", "-")) == value
    if abs(value) < 10_000:
        assert NBSP not in text


@hypothesis_settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**6))
def test_agreement_depends_on_the_last_two_digits(value):
    expected = {1: "экскурсия", 2: "экскурсии", 3: "экскурсии", 4: "экскурсии"}
    last = value % 10 if not 11 <= value % 100 <= 14 else 0
    assert agree("экскурсия", value) == expected.get(last, "экскурсий")
