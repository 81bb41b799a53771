"""ОКВЭД 2 codes: their shape, and the divisions (two-digit codes) the registry knows.

The industrial programme deals mostly with section C (manufacturing); a few neighbouring
divisions appear among SEZ companies and suppliers.
"""

import re

from django.utils.translation import gettext_noop

# The shape of an ОКВЭД 2 code: a division and up to two more levels («26», «26.11»,
# «26.11.1»). ASCII digits only. The API schema embeds this text in its own anchored pattern.
OKVED_PATTERN = r"[0-9]{2}(\.[0-9]{1,2}){0,2}"
OKVED_RE = re.compile(OKVED_PATTERN)

# The names are stored in Industry rows (migration 0002) and so stay Russian here; gettext_noop
# only puts them in the catalogue, and the pages translate ``industry.name`` when they show it.
DIVISIONS: dict[str, tuple[str, str]] = {
    "10": ("C", gettext_noop("Производство пищевых продуктов")),
    "11": ("C", gettext_noop("Производство напитков")),
    "12": ("C", gettext_noop("Производство табачных изделий")),
    "13": ("C", gettext_noop("Производство текстильных изделий")),
    "14": ("C", gettext_noop("Производство одежды")),
    "15": ("C", gettext_noop("Производство кожи и изделий из кожи")),
    "16": ("C", gettext_noop("Обработка древесины и производство изделий из дерева")),
    "17": ("C", gettext_noop("Производство бумаги и бумажных изделий")),
    "18": ("C", gettext_noop("Деятельность полиграфическая и копирование носителей информации")),
    "19": ("C", gettext_noop("Производство кокса и нефтепродуктов")),
    "20": ("C", gettext_noop("Производство химических веществ и химических продуктов")),
    "21": ("C", gettext_noop("Производство лекарственных средств и материалов")),
    "22": ("C", gettext_noop("Производство резиновых и пластмассовых изделий")),
    "23": ("C", gettext_noop("Производство прочей неметаллической минеральной продукции")),
    "24": ("C", gettext_noop("Производство металлургическое")),
    "25": ("C", gettext_noop("Производство готовых металлических изделий")),
    "26": ("C", gettext_noop("Производство компьютеров, электронных и оптических изделий")),
    "27": ("C", gettext_noop("Производство электрического оборудования")),
    "28": ("C", gettext_noop("Производство машин и оборудования")),
    "29": ("C", gettext_noop("Производство автотранспортных средств")),
    "30": ("C", gettext_noop("Производство прочих транспортных средств и оборудования")),
    "31": ("C", gettext_noop("Производство мебели")),
    "32": ("C", gettext_noop("Производство прочих готовых изделий")),
    "33": ("C", gettext_noop("Ремонт и монтаж машин и оборудования")),
    "35": ("D", gettext_noop("Обеспечение электрической энергией, газом и паром")),
    "36": ("E", gettext_noop("Забор, очистка и распределение воды")),
    "38": ("E", gettext_noop("Сбор, обработка и утилизация отходов")),
    "46": ("G", gettext_noop("Торговля оптовая")),
    "62": ("J", gettext_noop("Разработка компьютерного программного обеспечения")),
    "71": (
        "M",
        gettext_noop("Деятельность в области архитектуры и инженерно-технического проектирования"),
    ),
    "72": ("M", gettext_noop("Научные исследования и разработки")),
}


def okved_is_valid(code: str) -> bool:
    """Whether ``code`` is shaped like an ОКВЭД 2 code; its division may still be unknown."""
    return OKVED_RE.fullmatch(code) is not None


def division_of(okved: str) -> str | None:
    """The two-digit division of an ОКВЭД code such as «26.11» or «10.13.1», if known."""
    code = (okved or "").strip()
    head = code.split(".")[0]
    return head if len(head) == 2 and head in DIVISIONS else None
