"""Russian phrasing of numbers for press releases generated from live figures.

Everything here returns plain ``str`` (or an ``Approx`` whose ``text`` is one) with no leading or
trailing spaces. Agreement of nouns and adjectives with numbers comes from pymorphy3
(``make_agree_with_number``/``inflect``); this module only decides which grammemes a position
needs (the rules of Розенталь's «Справочник по правописанию и стилистике», §§ on numerals).

Typography (decided once, tested):

* decimal comma («1,5»); thousands grouped with a no-break space (U+00A0) from 10 000 up
  («1234», «12 345»); a trailing «,0» is never shown; the minus sign is U+2212;
* a no-break space joins a number to the word right after it (its scale word, abbreviation or
  noun: «1,2 тысячи», «4,6 тыс.», «17 мероприятий»), so a line never starts with the unit;
  every other gap is an ordinary space;
* «%» follows the number without a space («57%»), as in the programme's press releases.

Approximations (``approx``/``money``): the shown number is the exact one rounded to a step:

* below 100: the number itself (a non-integer is shown with one decimal);
* 100–999: two significant digits (step 10: 127 → 130, 124 → 120, 503 → 500);
* from 1 000: тысяча / миллион / миллиард with one decimal, but never more than three
  significant digits (step 100 for 1 234 → «1,2 тысячи», step 1 000 for 123 456 →
  «123 тысячи»); the scale follows the rounded number (999 600 → «около 1 миллиона», never
  «1000 тысяч»).

Rounding is to the nearest step; an exact half goes down (125 → «более 120»), the phrasing
press releases prefer. The hedge then tells the reader where the truth lies:

* none — the shown number is exact;
* «около» — ``0 < |exact − shown| ≤ step / 10``: the figure is off by at most a tenth of its
  last shown digit (2 604 → «около 2,6 тысячи», 121 → «около 120»);
* ``above`` («свыше» by default, «более», or «более чем», which does not take the genitive)
  — the exact value is larger than the shown one;
* «почти» — the exact value is smaller than the shown one.

So «свыше/более» never overstates and «почти» never understates.

Cases. «свыше», «более» and «около» are preposition-like words that take the genitive, so in a
nominative or accusative position the number phrase after them is genitive («более 2 тысяч
экскурсий», «более 21 экскурсии», «около 2,6 тысячи команд»); after «почти» it keeps the
position's case («почти 2 тысячи экскурсий»). In an oblique case (``case`` other than
nomn/accs) or before a preposition (``preposition="на"``) the hedges become adverbs that do not
govern: «более чем», «примерно», «почти» («более чем на 120 производственных площадках»,
«благодаря примерно 120 площадкам»).

Limits: numbers are written in digits, so only the noun (and its adjectives) is inflected;
the accusative of animate nouns after 2–4 keeps the written-in-digits convention «2 человека»;
``case="loct"`` is the plain prepositional («о 1 годе»); pass ``"loc2"`` for the locative after
«в/на» where a noun has one («в 1 году»; ``year_phrase`` does this by itself). Noun phrases are
adjectives followed by the noun, then optional words left as they are («производственная
площадка города» → «производственных площадок города»); in a hyphenated noun pymorphy3 does
not know as a whole, only the last part declines («бизнес-миссия» → «бизнес-миссий»).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import ROUND_HALF_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction

import pymorphy3

NBSP = "\u00a0"
MINUS = "\u2212"

CASES = frozenset({"nomn", "gent", "datv", "accs", "ablt", "loct", "loc2"})
DIRECT_CASES = frozenset({"nomn", "accs"})
ABOVE_HEDGES = frozenset({"свыше", "более", "более чем"})
# Hedges that are followed by the genitive (they behave like prepositions).
GOVERNING_HEDGES = frozenset({"свыше", "более", "около"})

# (threshold, scale word, abbreviation)
SCALES = (
    (Decimal(10) ** 9, "миллиард", "млрд"),
    (Decimal(10) ** 6, "миллион", "млн"),
    (Decimal(10) ** 3, "тысяча", "тыс."),
)

# pymorphy3 offers two genitive plurals for these suppletive lexemes and picks the wrong one
# after numerals (pymorphy2 issues #172 «5 людей», #147 «5 годов»). The form is still taken
# from pymorphy3's own lexeme; this only says which of its forms is the counted one.
_COUNTED_GENITIVE_PLURAL = {"человек": "человек", "год": "лет"}

Number = int | Decimal | float


@functools.cache
def _morph() -> pymorphy3.MorphAnalyzer:
    # Loading the dictionaries takes a while and a few dozen MB: once per process, on first use.
    return pymorphy3.MorphAnalyzer()


# --- numbers -------------------------------------------------------------------------------


def _decimal(value: Number | None) -> Decimal:
    if value is None or isinstance(value, bool):
        raise ValueError("a number is required")
    if isinstance(value, float):
        value = Decimal(repr(value))
    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError) as error:
        raise ValueError(f"not a number: {value!r}") from error
    if not number.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return number


def _is_integral(number: Decimal) -> bool:
    return number == number.to_integral_value()


def _round(number: Decimal, step: Decimal, rounding: str = ROUND_HALF_UP) -> Decimal:
    return (number / step).quantize(Decimal(1), rounding=rounding) * step


def _significant(number: Decimal, digits: int) -> Decimal:
    """``number`` (positive) rounded half up to ``digits`` significant digits."""
    step = Decimal(1).scaleb(number.adjusted() - digits + 1)
    rounded = _round(number, step)
    # Rounding may add a digit (9,96 → 10,0): round again at the new magnitude.
    return _round(number, Decimal(1).scaleb(rounded.adjusted() - digits + 1))


def format_number(value: Number, decimals: int | None = None) -> str:
    """The number with a decimal comma, grouped by a no-break space from 10 000 up.

    ``decimals`` rounds half up to that many places; trailing zeros of the fraction are never
    shown («15» for 15,0; «1,5» for 1,50).
    """
    number = _decimal(value)
    if decimals is not None:
        number = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    sign = MINUS if number < 0 else ""
    text = f"{abs(number):f}"
    whole, _, fraction = text.partition(".")
    fraction = fraction.rstrip("0")
    if sign and whole.strip("0") == "" and not fraction:
        sign = ""  # −0 reads as nonsense
    if len(whole) >= 5:
        head = len(whole) % 3 or 3
        groups = [whole[:head]] + [whole[i : i + 3] for i in range(head, len(whole), 3)]
        whole = NBSP.join(groups)
    return sign + whole + ("," + fraction if fraction else "")


# --- agreement -----------------------------------------------------------------------------


def _category(number: Decimal) -> int:
    """0: like 1 (21, 101); 1: like 2–4 (22, 104); 2: like 5 (11–14, 0); 3: a fraction."""
    if not _is_integral(number):
        return 3
    n = abs(int(number))
    if n % 10 == 1 and n % 100 != 11:
        return 0
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return 1
    return 2


@dataclass(frozen=True)
class _Phrase:
    words: tuple[str, ...]
    adjectives: tuple[pymorphy3.analyzer.Parse, ...]
    head: pymorphy3.analyzer.Parse
    rest: tuple[str, ...]
    prefix: str = ""  # the invariable part of «бизнес-миссия», «онлайн-тур»


def _nominative(word: str, parts_of_speech: set[str]) -> pymorphy3.analyzer.Parse | None:
    for parse in _morph().parse(word):
        if parse.tag.POS in parts_of_speech and "nomn" in parse.tag:
            return parse
    return None


@functools.lru_cache(maxsize=1024)
def _phrase(noun: str) -> _Phrase:
    """Split «производственная площадка города» into adjectives, the head noun, the rest."""
    words = tuple(noun.split())
    if not words:
        raise ValueError("an empty noun")
    adjectives = []
    for index, word in enumerate(words):
        following = words[index + 1] if index + 1 < len(words) else None
        adjective = _nominative(word, {"ADJF", "PRTF"})
        # An adjective only before another word that can continue the phrase: «рабочий
        # завода» is a noun with a complement, «рабочее место» an adjective and a noun.
        if (
            adjective is not None
            and following is not None
            and _nominative(following, {"ADJF", "PRTF", "NOUN"}) is not None
        ):
            adjectives.append(adjective)
            continue
        prefix = ""
        if "-" in word and not _morph().word_is_known(word):
            # pymorphy3 guesses an unknown compound by declining both halves («бизнесов-
            # миссий»); in the compounds of this domain the first half does not decline.
            prefix, _, word = word.rpartition("-")
            prefix += "-"
        head = _nominative(word, {"NOUN"})
        if head is None:
            raise ValueError(f"no noun in the nominative in {noun!r}")
        return _Phrase(words, tuple(adjectives), head, words[index + 1 :], prefix)
    raise ValueError(f"no noun in {noun!r}")  # pragma: no cover - the loop always returns


def _inflect(parse: pymorphy3.analyzer.Parse, grammemes: set[str]) -> pymorphy3.analyzer.Parse:
    for wanted in (grammemes, grammemes - {"anim", "inan"}):
        if "loc2" in wanted:
            form = parse.inflect(set(wanted))
            if form is not None and "loc2" in form.tag:
                return form
            wanted = (wanted - {"loc2"}) | {"loct"}
        form = parse.inflect(set(wanted))
        if form is not None:
            return form
    raise ValueError(f"pymorphy3 has no form {sorted(grammemes)} of {parse.word!r}")


def _counted(form: pymorphy3.analyzer.Parse) -> str:
    preferred = _COUNTED_GENITIVE_PLURAL.get(form.normal_form)
    if preferred and {"plur", "gent"} <= form.tag.grammemes:
        for alternative in form.lexeme:
            if alternative.word == preferred and {"plur", "gent"} <= alternative.tag.grammemes:
                return alternative.word
    return form.word


def _check_case(case: str) -> None:
    if case not in CASES:
        raise ValueError(f"unknown case {case!r}; one of {sorted(CASES)}")


def agree(noun: str, number: Number, case: str = "nomn") -> str:
    """``noun`` (dictionary form, adjectives first) in the form that goes after ``number``.

    Integers follow the last two digits (1, 21, 101 → singular; 2–4, 22 → genitive singular;
    0, 5–20, 25, 111 → genitive plural) in the nominative and accusative; in the other cases
    the noun takes that case, singular after 1/21/… and plural otherwise («в 17 мероприятиях»).
    A fraction takes the genitive singular in every case («1,2 тысячи», «1,5 раза»).
    """
    _check_case(case)
    category = _category(_decimal(number))
    phrase = _phrase(noun)
    head = phrase.head
    direct = case in DIRECT_CASES
    singular = _inflect(head, {"sing", case})

    if category == 3:
        noun_form = _inflect(head, {"sing", "gent"})
        adjective_grammemes = {"sing", "gent"}
    elif direct:
        noun_form = singular.make_agree_with_number(int(_decimal(number)))
        if noun_form is None:
            raise ValueError(f"pymorphy3 cannot agree {head.word!r} with {number}")
        if category == 0:
            adjective_grammemes = {"sing", case, head.tag.animacy or "inan"}
        elif category == 1 and head.tag.gender == "femn":
            adjective_grammemes = {"plur", "nomn"}  # «2 производственные площадки»
        else:
            adjective_grammemes = {"plur", "gent"}  # «2 промышленных предприятия»
    else:
        number_grammeme = "sing" if category == 0 else "plur"
        noun_form = _inflect(head, {number_grammeme, case})
        adjective_grammemes = {number_grammeme, case}
        if case == "loc2":
            adjective_grammemes = {number_grammeme, "loct"}

    adjectives = []
    for adjective in phrase.adjectives:
        grammemes = set(adjective_grammemes)
        if "sing" in grammemes and head.tag.gender:
            grammemes.add(head.tag.gender)
        adjectives.append(_inflect(adjective, grammemes).word)
    return " ".join([*adjectives, phrase.prefix + _counted(noun_form), *phrase.rest])


def quantity(number: Number, noun: str, case: str = "nomn") -> str:
    """The number followed by ``noun`` agreeing with it: «5 экскурсий», «1,2 тысячи»."""
    return f"{format_number(number)}{NBSP}{agree(noun, number, case)}"


# --- approximations ------------------------------------------------------------------------


@dataclass(frozen=True)
class Approx:
    """A rounded figure with its hedge; ``text`` is the whole phrase.

    ``shown`` is the rounded value in units («1,2 тысячи» → 1200), ``figure`` the number
    written («1,2»), ``scale`` the scale word or abbreviation as written («тысячи», «млрд»,
    ``""`` below 1 000), ``exact`` the value it stands for, ``step`` the rounding step.
    """

    text: str
    hedge: str
    shown: Decimal
    figure: Decimal
    scale: str
    exact: Decimal
    step: Decimal
    preposition: str = ""

    @property
    def bare(self) -> str:
        """The phrase without its hedge (for «превысил 70,8 млрд рублей»)."""
        if self.hedge:
            return self.text.removeprefix(self.hedge).lstrip()
        return self.text

    def __str__(self) -> str:
        return self.text


def _scale_of(number: Decimal) -> tuple[Decimal, str, str] | None:
    for threshold, word, abbreviation in SCALES:
        if number >= threshold:
            return threshold, word, abbreviation
    return None


def _step(number: Decimal, precision: int | None) -> Decimal:
    scale = _scale_of(number)
    digits = number.adjusted() + 1 if number >= 1 else 0
    if scale is not None:
        floor = scale[0] / 10
    else:
        floor = Decimal(1) if _is_integral(number) else Decimal("0.1")
    if precision is not None:
        if precision < 1:
            raise ValueError("precision is a number of significant digits, at least 1")
        return max(Decimal(1).scaleb(digits - precision), floor)
    if number < 100:
        return floor
    if number < 1000:
        return Decimal(10)
    return max(floor, Decimal(1).scaleb(digits - 3))


def _rounded(number: Decimal, precision: int | None) -> tuple[Decimal, Decimal]:
    step = _step(number, precision)
    shown = _round(number, step, ROUND_HALF_DOWN)
    for _ in range(3):  # the rounded value may reach the next bracket (999 → 1 000)
        new_step = _step(shown, precision)
        if new_step <= step:
            break
        step = new_step
        shown = _round(number, step, ROUND_HALF_DOWN)
    return shown, step


def _hedge(exact: Decimal, shown: Decimal, step: Decimal, *, above: str, adverbial: bool) -> str:
    if exact == shown:
        return ""
    if abs(exact - shown) * 10 <= step:
        return "примерно" if adverbial else "около"
    if exact > shown:
        return "более чем" if adverbial else above
    return "почти"


def approx(
    value: Number,
    noun: str | None = None,
    *,
    style: str = "words",
    above: str = "свыше",
    case: str = "nomn",
    precision: int | None = None,
    preposition: str | None = None,
) -> Approx:
    """``value`` rounded to a sensible precision with a hedge that is never wrong.

    ``style`` is ``"words"`` («1,2 тысячи») or ``"abbr"`` («1,2 тыс.»); ``above`` is the
    hedge for a true value above the shown one («свыше» or «более»); ``case`` is the case of
    the position; ``precision`` overrides the number of significant digits (still at most one
    decimal of the scale); ``preposition`` («на», «в») is put between the hedge and the number
    («более чем на 120 площадках»). See the module docstring for the rules.
    """
    exact = _decimal(value)
    if exact < 0:
        raise ValueError("approx() phrases non-negative figures only")
    if style not in {"words", "abbr"}:
        raise ValueError(f"style is 'words' or 'abbr', not {style!r}")
    if above not in ABOVE_HEDGES:
        raise ValueError(f"above is one of {sorted(ABOVE_HEDGES)}, not {above!r}")
    _check_case(case)

    shown, step = _rounded(exact, precision)
    adverbial = bool(preposition) or case not in DIRECT_CASES
    hedge = _hedge(exact, shown, step, above=above, adverbial=adverbial)
    phrase_case = "gent" if hedge in GOVERNING_HEDGES else case

    scale = _scale_of(shown)
    if scale is None:
        figure, scale_text = shown, ""
        words = [format_number(figure)]
        if noun:
            words[0] += NBSP + agree(noun, figure, phrase_case)
    else:
        threshold, word, abbreviation = scale
        figure = shown / threshold
        scale_text = abbreviation if style == "abbr" else agree(word, figure, phrase_case)
        words = [f"{format_number(figure)}{NBSP}{scale_text}"]
        if noun:
            words.append(agree(noun, 5, "gent"))  # «тысяч экскурсий», «тысячи человек»
    if preposition:
        words.insert(0, preposition)
    if hedge:
        words.insert(0, hedge)
    return Approx(
        text=" ".join(words),
        hedge=hedge,
        shown=shown,
        figure=figure.normalize() if not _is_integral(figure) else Decimal(int(figure)),
        scale=scale_text,
        exact=exact,
        step=step,
        preposition=preposition or "",
    )


def money(
    value_rub: Number,
    style: str = "abbr",
    *,
    above: str = "свыше",
    case: str = "nomn",
    preposition: str | None = None,
) -> Approx:
    """An amount of roubles: «свыше 70,8 млрд рублей»."""
    return approx(value_rub, "рубль", style=style, above=above, case=case, preposition=preposition)


# --- comparisons ---------------------------------------------------------------------------


def _positive_pair(new: Number | None, old: Number | None) -> tuple[Decimal, Decimal]:
    if new is None or old is None:
        raise ValueError("both values are needed for a comparison")
    new_value, old_value = _decimal(new), _decimal(old)
    if old_value <= 0:
        raise ValueError("the base of a comparison must be positive")
    if new_value < 0:
        raise ValueError("a compared value cannot be negative")
    return new_value, old_value


def _ratio(new: Number | None, old: Number | None) -> Decimal:
    new_value, old_value = _positive_pair(new, old)
    if new_value == 0:
        raise ValueError("«в 0 раз» says nothing: compare with percent_change()")
    return _significant(new_value / old_value, 2)


def times(new: Number | None, old: Number | None) -> str:
    """How many times ``new`` is ``old``, two significant digits: «в 1,5 раза», «в 5 раз»."""
    ratio = _ratio(new, old)
    return f"в {format_number(ratio)}{NBSP}{agree('раз', ratio, 'accs')}"


def compare_ratio(
    new: Number | None, old: Number | None, more: str = "больше", less: str = "меньше"
) -> str:
    """«в 1,5 раза больше» / «в 2 раза меньше»; «(примерно) столько же» when it rounds to 1."""
    new_value, old_value = _positive_pair(new, old)
    if new_value == old_value:
        return "столько же"
    if new_value > old_value:
        ratio, word, phrase = _ratio(new_value, old_value), more, times(new_value, old_value)
    else:
        ratio, word, phrase = _ratio(old_value, new_value), less, times(old_value, new_value)
    if ratio == 1:
        return "примерно столько же"
    return f"{phrase} {word}"


def _percent_figure(share: Decimal) -> Decimal:
    """Whole percent; one decimal below 1 % so that 0,4 % is not shown as 0 %."""
    if abs(share) < 1:
        return share.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return share.quantize(Decimal(1), rounding=ROUND_HALF_UP)


def percent_change(new: Number | None, old: Number | None) -> str:
    """«на 57% больше» / «на 12% меньше»; «столько же» when equal.

    Rounded to whole percent (one decimal below 1 %: «на 0,4% больше»); a change that rounds to
    0,0 % is «практически столько же».
    """
    new_value, old_value = _positive_pair(new, old)
    if new_value == old_value:
        return "столько же"
    change = _percent_figure((new_value - old_value) * 100 / old_value)
    if change == 0:
        return "практически столько же"
    word = "больше" if change > 0 else "меньше"
    return f"на {format_number(abs(change))}% {word}"


def percent(part: Number | None, whole: Number | None) -> str:
    """``part`` as a share of ``whole``: «37%» (one decimal below 1 %: «0,4%»)."""
    part_value, whole_value = _positive_pair(part, whole)
    return f"{format_number(_percent_figure(part_value * 100 / whole_value))}%"


# Common fractions with their phrase: the numerator is agreed with the noun by pymorphy3.
_FRACTIONS = (
    (Fraction(1, 2), 1, "половина"),
    (Fraction(1, 3), 1, "треть"),
    (Fraction(2, 3), 2, "треть"),
    (Fraction(1, 4), 1, "четверть"),
    (Fraction(3, 4), 3, "четверть"),
    (Fraction(1, 5), 1, "пятая часть"),
    (Fraction(1, 10), 1, "десятая часть"),
)


def _numeral(numerator: int, gender: str | None, case: str) -> str:
    lemma = {2: "два", 3: "три"}[numerator]
    parse = _nominative(lemma, {"NUMR"})
    if parse is None:  # pragma: no cover - both are in every pymorphy3 dictionary
        raise ValueError(f"pymorphy3 does not know {lemma!r}")
    grammemes = {"loct" if case == "loc2" else case}
    if case in DIRECT_CASES:
        grammemes.add("inan")
        if numerator == 2 and gender == "femn":
            grammemes.add("femn")  # «две трети»; oblique forms have no gender («двух»)
    return _inflect(parse, grammemes).word


def fraction_word(
    part: Number | None, whole: Number | None, tolerance: float = 0.02, case: str = "nomn"
) -> str | None:
    """«половина», «треть», «две трети», «четверть», «пятая часть»… in ``case``, or None.

    The nearest common fraction whose value is within ``tolerance`` (absolute, on the share)
    of ``part / whole``; None when there is none (use ``percent`` then).
    """
    _check_case(case)
    part_value, whole_value = _positive_pair(part, whole)
    share = part_value / whole_value
    limit = _decimal(tolerance)
    best = min(_FRACTIONS, key=lambda item: abs(share - _as_decimal(item[0])))
    fraction, numerator, noun = best
    if abs(share - _as_decimal(fraction)) > limit:
        return None
    if numerator == 1:
        phrase = _phrase(noun)
        return " ".join(
            [
                *(_inflect(a, {"sing", _adjective_case(case)}).word for a in phrase.adjectives),
                phrase.prefix + _inflect(phrase.head, {"sing", case}).word,
            ]
        )
    gender = _phrase(noun).head.tag.gender
    return f"{_numeral(numerator, gender, case)} {agree(noun, numerator, case)}"


def _adjective_case(case: str) -> str:
    return "loct" if case == "loc2" else case


def _as_decimal(fraction: Fraction) -> Decimal:
    return Decimal(fraction.numerator) / Decimal(fraction.denominator)


# --- years ---------------------------------------------------------------------------------


@functools.cache
def _ordinal_ending(case: str) -> str:
    """The written ending of a masculine ordinal in ``case``: «-й», «-го», «-му», «-м».

    Every masculine ordinal (первый, второй, третий, …) has the same written ending in a given
    case, so it is read off pymorphy3's form of «первый» by the rule for numerals in digits:
    one letter when the last letter follows a vowel (перв-ый → «-й», перв-ым → «-м»), two when
    it follows a consonant (перв-ого → «-го», перв-ому → «-му»).
    """
    parse = _nominative("первый", {"ADJF"})
    if parse is None:  # pragma: no cover - in every pymorphy3 dictionary
        raise ValueError("pymorphy3 does not know «первый»")
    grammemes = {"masc", "sing", _adjective_case(case)}
    if case == "accs":
        grammemes.add("inan")
    word = _inflect(parse, grammemes).word
    return word[-1:] if word[-2] in "аеёиоуыэюя" else word[-2:]


def year_form(year: int, case: str = "gent") -> str:
    """A year as an ordinal in digits: «2022-го» (gent), «2022-м» (loct), «2022-й» (nomn)."""
    _check_case(case)
    return f"{int(year)}-{_ordinal_ending(case)}"


def year_phrase(year: int, case: str = "loct") -> str:
    """«2023 году» (for «в 2023 году»), «2023 года», «2023 год».

    ``loct`` here is the locative after «в» (pymorphy3's ``loc2``: «году», not «годе»).
    """
    _check_case(case)
    noun = _phrase("год").head
    form = _inflect(noun, {"sing", "loc2" if case == "loct" else case})
    return f"{int(year)}{NBSP}{form.word}"
