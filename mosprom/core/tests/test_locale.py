"""The English interface: the catalogue in locale/en/ is complete, compiled, and switched on.

Russian is the source language (docs/adr/0001-russian-msgids.md): the msgids are the Russian
text and English is a catalogue. These tests fail when someone runs ``makemessages`` and
leaves new strings untranslated or fuzzy, forgets ``compilemessages``, or breaks a
placeholder in a translation.

Russian has a small catalogue of its own, locale/ru/, holding only the counted phrases with
their three plural forms (scripts/ru_plurals.py); it is checked the same way.
"""

from __future__ import annotations

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

CATALOGUE_DIR = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
PO_PATH = CATALOGUE_DIR / "django.po"
MO_PATH = CATALOGUE_DIR / "django.mo"
RU_PO_PATH = Path(settings.LOCALE_PATHS[0]) / "ru" / "LC_MESSAGES" / "django.po"
RU_MO_PATH = RU_PO_PATH.with_suffix(".mo")
RU_PLURAL_FORMS = (
    "Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : "
    "n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\n"
)

PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%%")
HTML_TAG = re.compile(r"</?(?:a|b|br|code|em|i|span|strong)\b[^>]*>")


@dataclass
class Entry:
    line: int
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def key(self) -> str:
        """The key GNUTranslations uses (a plural form adds its index: ``(key, n)``)."""
        return f"{self.msgctxt}\x04{self.msgid}" if self.msgctxt is not None else self.msgid


def parse_po(text: str) -> list[Entry]:
    """Every live entry of a .po file (obsolete ``#~`` entries are skipped), header included."""
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int | None] | None = None
    seen_msgstr = False
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#~"):
            continue
        starts = line.startswith(("#", "msgctxt ", "msgid "))
        if starts and (entry is None or seen_msgstr):
            entry = Entry(line=number)
            entries.append(entry)
            target, seen_msgstr = None, False
        if line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            name, index = target
            if name == "msgstr":
                entry.msgstr[index] += value
            else:
                setattr(entry, name, getattr(entry, name) + value)
        else:
            keyword, _, rest = line.partition(" ")
            value = ast.literal_eval(rest)
            if keyword.startswith("msgstr"):
                index = int(keyword[7:-1]) if keyword.startswith("msgstr[") else 0
                entry.msgstr[index] = value
                target, seen_msgstr = ("msgstr", index), True
            else:
                setattr(entry, keyword, value)
                target = (keyword, None)
    return entries


@pytest.fixture(scope="module")
def po_entries() -> list[Entry]:
    return parse_po(PO_PATH.read_text(encoding="utf-8"))


def messages(entries: list[Entry]) -> list[Entry]:
    return [e for e in entries if e.msgid or e.msgctxt is not None]


def test_parser_reads_wrapped_plural_and_fuzzy_entries():
    sample = (
        'msgid ""\nmsgstr ""\n"Language: en\\n"\n'
        '#: a.py:1\nmsgid ""\n"Длинная "\n"строка"\nmsgstr ""\n"Long "\n"line"\n\n'
        '#, fuzzy, python-format\nmsgid "%(n)s предприятие"\nmsgid_plural "%(n)s предприятий"\n'
        'msgstr[0] "%(n)s enterprise"\nmsgstr[1] ""\n\n'
        '#~ msgid "Старое"\n#~ msgstr "Old"\n'
    )
    header, wrapped, plural = parse_po(sample)
    assert header.msgid == "" and header.msgstr[0] == "Language: en\n"
    assert (wrapped.msgid, wrapped.msgstr[0]) == ("Длинная строка", "Long line")
    assert plural.msgid_plural == "%(n)s предприятий"
    assert plural.msgstr == {0: "%(n)s enterprise", 1: ""}
    assert plural.flags == {"fuzzy", "python-format"}


def test_english_catalogue_has_sensible_header(po_entries):
    header = po_entries[0]
    assert header.msgid == ""
    assert "fuzzy" not in header.flags
    assert "Language: en\n" in header.msgstr[0]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);\n" in header.msgstr[0]
    assert "charset=UTF-8" in header.msgstr[0]


def test_every_message_is_translated_and_none_is_fuzzy(po_entries):
    entries = messages(po_entries)
    assert len(entries) > 300, "the catalogue should hold the whole interface"
    fuzzy = [f"line {e.line}: {e.msgid!r}" for e in entries if "fuzzy" in e.flags]
    untranslated = [
        f"line {e.line}: {e.msgid!r}"
        for e in entries
        if not e.msgstr or any(not text.strip() for text in e.msgstr.values())
    ]
    plural_counts = {len(e.msgstr) for e in entries if e.msgid_plural is not None}
    assert not fuzzy, "fuzzy entries in locale/en (check and remove the flag):\n" + "\n".join(fuzzy)
    assert not untranslated, "untranslated entries in locale/en:\n" + "\n".join(untranslated)
    assert plural_counts <= {2}, "English has two plural forms: msgstr[0] and msgstr[1]"


def test_translations_keep_placeholders_and_markup(po_entries):
    broken = []
    for e in messages(po_entries):
        sources = [e.msgid] if e.msgid_plural is None else [e.msgid, e.msgid_plural]
        want_placeholders = sorted(set().union(*(PLACEHOLDER.findall(s) for s in sources)))
        want_tags = sorted(HTML_TAG.findall(e.msgid))
        for index, text in e.msgstr.items():
            if sorted(set(PLACEHOLDER.findall(text))) != want_placeholders:
                broken.append(f"line {e.line} [{index}]: placeholders of {e.msgid!r}")
            if sorted(HTML_TAG.findall(text)) != want_tags:
                broken.append(f"line {e.line} [{index}]: HTML tags of {e.msgid!r}")
    assert not broken, "\n".join(broken)


def compiled_differences(entries: list[Entry], mo_path: Path) -> tuple[list[str], list[str]]:
    """The keys whose compiled text differs from the .po, and the keys only the .mo has."""
    with mo_path.open("rb") as fp:
        compiled = dict(gettext.GNUTranslations(fp)._catalog)
    compiled.pop("", None)  # the header
    expected: dict[str | tuple[str, int], str] = {}
    for e in messages(entries):
        if "fuzzy" in e.flags:
            continue  # msgfmt leaves fuzzy entries out
        if e.msgid_plural is None:
            expected[e.key] = e.msgstr[0]
        else:
            for index, text in e.msgstr.items():
                expected[(e.key, index)] = text
    stale = sorted(str(k) for k in expected if compiled.get(k) != expected[k])
    extra = sorted(str(k) for k in compiled if k not in expected)
    return stale, extra


def test_compiled_catalogue_matches_the_po_file(po_entries):
    """The .mo holds exactly the .po's translations, so nobody forgot compilemessages."""
    assert MO_PATH.exists(), "run manage.py compilemessages (docs/adr/0001-russian-msgids.md)"
    stale, extra = compiled_differences(po_entries, MO_PATH)
    assert not stale, "the .mo is older than the .po; run compilemessages. Differs:\n" + (
        "\n".join(stale[:20])
    )
    assert not extra, "the .mo holds strings the .po no longer has:\n" + "\n".join(extra[:20])


# --- Russian plural forms -------------------------------------------------------------------


@pytest.fixture(scope="module")
def ru_entries() -> list[Entry]:
    return parse_po(RU_PO_PATH.read_text(encoding="utf-8"))


def test_russian_catalogue_has_the_three_form_rule(ru_entries):
    header = ru_entries[0]
    assert header.msgid == "" and "fuzzy" not in header.flags
    assert "Language: ru\n" in header.msgstr[0]
    assert RU_PLURAL_FORMS in header.msgstr[0]
    assert "charset=UTF-8" in header.msgstr[0]


def test_russian_catalogue_holds_only_complete_plural_entries(ru_entries):
    """Three filled forms each; by convention msgid is the form for 1, msgid_plural for 5."""
    entries = messages(ru_entries)
    assert entries, "run scripts/ru_plurals.py (docs/adr/0001-russian-msgids.md)"
    problems = []
    for e in entries:
        where = f"line {e.line}: {e.msgid!r}"
        if e.msgid_plural is None:
            problems.append(f"{where} is not a plural entry (scripts/ru_plurals.py drops them)")
        elif "fuzzy" in e.flags or not e.msgstr.get(1, "").strip():
            problems.append(f"{where} needs msgstr[1], the form for 2–4, without 'fuzzy'")
        elif sorted(e.msgstr) != [0, 1, 2]:
            problems.append(f"{where} needs exactly msgstr[0], msgstr[1] and msgstr[2]")
        elif (e.msgstr[0], e.msgstr[2]) != (e.msgid, e.msgid_plural):
            problems.append(f"{where}: msgstr[0] is the msgid, msgstr[2] the msgid_plural")
        elif sorted(set(PLACEHOLDER.findall(e.msgstr[1]))) != sorted(
            set(PLACEHOLDER.findall(e.msgid_plural))
        ) or sorted(HTML_TAG.findall(e.msgstr[1])) != sorted(HTML_TAG.findall(e.msgid)):
            problems.append(f"{where}: msgstr[1] lost a placeholder or a tag")
    assert not problems, "\n".join(problems)


def test_every_counted_phrase_has_russian_forms(po_entries, ru_entries):
    """The English catalogue lists every phrase of the interface; each counted one is in ru."""
    english = {e.key for e in messages(po_entries) if e.msgid_plural is not None}
    russian = {e.key for e in messages(ru_entries) if e.msgid_plural is not None}
    assert sorted(english - russian) == [], "run makemessages -l ru and scripts/ru_plurals.py"
    assert sorted(russian - english) == [], "locale/ru holds phrases the interface no longer has"


def test_compiled_russian_catalogue_matches_the_po_file(ru_entries):
    assert RU_MO_PATH.exists(), "run manage.py compilemessages -l ru"
    stale, extra = compiled_differences(ru_entries, RU_MO_PATH)
    assert not stale, "run compilemessages -l ru. Differs:\n" + "\n".join(stale[:20])
    assert not extra, "the ru .mo holds strings the .po no longer has:\n" + "\n".join(extra)


COUNTS = (1, 2, 5, 11, 21, 22, 25)

PLACES_TEMPLATE = Template(
    "{% load i18n %}{% blocktranslate count places=n %}{{ places }} место"
    "{% plural %}{{ places }} мест{% endblocktranslate %}"
)
HOSTING_TEMPLATE = Template(
    '{% load i18n %}{% blocktranslate count n=n context "number of enterprises" %}'
    "принимает экскурсии{% plural %}принимают экскурсии{% endblocktranslate %}"
)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ru", ["1 место", "2 места", "5 мест", "11 мест", "21 место", "22 места", "25 мест"]),
        ("en", ["1 place", "2 places", "5 places", "11 places", "21 places", "22 places",
                "25 places"]),
    ],
)  # fmt: skip
def test_template_phrase_takes_the_plural_form_of_its_language(language, expected):
    with translation.override(language):
        assert [PLACES_TEMPLATE.render(Context({"n": n})) for n in COUNTS] == expected


@pytest.mark.parametrize(
    ("language", "singular", "plural"),
    [("ru", "принимает экскурсии", "принимают экскурсии"), ("en", "offers tours", "offer tours")],
)
def test_template_phrase_with_a_context_is_counted_too(language, singular, plural):
    with translation.override(language):
        rendered = [HOSTING_TEMPLATE.render(Context({"n": n})) for n in COUNTS]
    # Russian: one form for 1 and 21, another for the rest here; English: one for 1 only.
    ones = {1, 21} if language == "ru" else {1}
    assert rendered == [singular if n in ones else plural for n in COUNTS]


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("ru", ["1 день", "2 дня", "5 дней", "11 дней", "21 день", "22 дня", "25 дней"]),
        ("en", ["1 day ", "2 days", "5 days", "11 days", "21 days", "22 days", "25 days"]),
    ],
)
def test_a_counted_refusal_is_built_with_ngettext_from_its_params(language, words):
    from mosprom.tourism import errors

    with translation.override(language):
        refusals = [errors.DeadlinePassed(days=n) for n in COUNTS]
    for refusal, n, word in zip(refusals, COUNTS, words, strict=True):
        assert refusal.code == "deadline_passed"
        assert refusal.params == {"days": n}
        assert word.strip() in refusal.text and refusal.text == str(refusal)
        assert "%(" not in refusal.text


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ru", ["1 неявка", "2 неявки", "5 неявок", "11 неявок", "21 неявка", "22 неявки",
                "25 неявок"]),
        ("en", ["1 session", "2 sessions", "5 sessions", "11 sessions", "21 sessions",
                "22 sessions", "25 sessions"]),
    ],
)  # fmt: skip
def test_ngettext_message_takes_the_plural_form_of_its_language(language, expected):
    from mosprom.tourism import errors

    with translation.override(language):
        texts = [errors.NoShowLimited(count=n).text for n in COUNTS]
    for text, fragment in zip(texts, expected, strict=True):
        assert f" {fragment} " in text or f" {fragment};" in text, text


def test_a_phrase_missing_from_the_russian_catalogue_falls_back_to_its_msgid_forms():
    """What the ADR promises: no entry means the msgid for 1 and msgid_plural otherwise."""
    singular, plural = "%(n)s тест", "%(n)s тестов"  # variables: makemessages must not see it
    with translation.override("ru"):
        forms = [translation.ngettext(singular, plural, n) % {"n": n} for n in (1, 2, 21)]
    assert forms == ["1 тест", "2 тестов", "21 тестов"]


def test_ru_plurals_script_keeps_plural_entries_and_their_hand_written_forms(monkeypatch):
    import importlib.util
    import sys

    path = Path(settings.BASE_DIR) / "scripts" / "ru_plurals.py"
    spec = importlib.util.spec_from_file_location("ru_plurals", path)
    script = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "ru_plurals", script)  # its dataclasses look it up
    spec.loader.exec_module(script)
    sample = (
        '#, fuzzy\nmsgid ""\nmsgstr ""\n"Language: \\n"\n'
        '"Plural-Forms: nplurals=4; plural=(n==1 ? 0 : n==2 ? 1 : n==3 ? 2 : 3);\\n"\n\n'
        '#: a.py:1\nmsgid "Сеансы"\nmsgstr ""\n\n'
        '#: a.py:2\n#, python-format\nmsgid "%(n)s место"\nmsgid_plural "%(n)s мест"\n'
        'msgstr[0] "x"\nmsgstr[1] "%(n)s места"\nmsgstr[2] ""\nmsgstr[3] ""\n\n'
        '#: a.py:3\n#, python-format\nmsgid "%(n)s день"\nmsgid_plural "%(n)s дней"\n'
        'msgstr[0] ""\nmsgstr[1] ""\n\n'
        '#~ msgid "Старое"\n#~ msgstr ""\n'
    )
    text, todo, count = script.rewrite(sample)
    header, kept, new = parse_po(text)
    assert count == 2 and todo == ["%(n)s день"]
    assert "fuzzy" not in header.flags and "Language: ru\n" in header.msgstr[0]
    assert RU_PLURAL_FORMS in header.msgstr[0]
    assert kept.msgstr == {0: "%(n)s место", 1: "%(n)s места", 2: "%(n)s мест"}
    assert kept.flags == {"python-format"}
    assert new.msgstr == {0: "%(n)s день", 1: "", 2: "%(n)s дней"}
    assert new.flags == {"fuzzy", "python-format"}  # left out of the .mo until filled in
    assert script.rewrite(text)[0] == text


# --- Labels wrapped for translation ---------------------------------------------------------


def test_okrug_labels_and_the_import_spellings_stay_in_step():
    from mosprom.registry.okrugs import RUSSIAN_NAMES, Okrug, parse_okrug

    assert set(RUSSIAN_NAMES) == set(Okrug.values)
    with translation.override("ru"):
        for okrug in Okrug:
            full, abbreviation = RUSSIAN_NAMES[okrug.value]
            assert str(okrug.label) == f"{full} ({abbreviation})"
    with translation.override("en"):
        assert str(Okrug.CAO.label) == "Central (CAO)"
        assert parse_okrug("Центральный") == parse_okrug("ЦАО") == "CAO"  # files stay Russian


def test_choice_labels_and_industry_names_follow_the_language():
    from mosprom.accounts.models import Role
    from mosprom.registry.okved import DIVISIONS
    from mosprom.tourism.models import ExperienceKind

    name = DIVISIONS["26"][1]
    assert name == "Производство компьютеров, электронных и оптических изделий"  # stored as is
    with translation.override("ru"):
        assert (str(Role.HOST.label), str(ExperienceKind.EXCURSION.label)) == (
            "Представитель предприятия",
            "Экскурсия",
        )
        assert translation.gettext(name) == name
    with translation.override("en"):
        assert (str(Role.HOST.label), str(ExperienceKind.EXCURSION.label)) == (
            "Enterprise representative",
            "Tour",
        )
        assert (
            translation.gettext(name) == "Manufacture of computers, electronic and optical products"
        )


# --- The switch, as a visitor sees it -------------------------------------------------------

NAV_EN = ">Enterprises</a>"
NAV_RU = ">Предприятия</a>"


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["web:home", "registry:enterprise_list"])
def test_russian_is_the_default(client, url_name):
    response = client.get(reverse(url_name))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="ru">' in html
    assert NAV_RU in html
    assert NAV_EN not in html


@pytest.mark.django_db
def test_a_browser_asking_for_another_language_gets_russian(client):
    html = client.get(reverse("web:home"), HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9").content
    assert NAV_RU in html.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["web:home", "registry:enterprise_list"])
def test_accept_language_english_shows_the_english_interface(client, url_name):
    response = client.get(reverse(url_name), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9,ru;q=0.5")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in html
    assert NAV_EN in html
    assert NAV_RU not in html
    assert "Vary" in response and "Accept-Language" in response["Vary"]


@pytest.mark.django_db
def test_language_form_switches_to_english_and_back(client):
    enterprises = reverse("registry:enterprise_list")
    response = client.post(
        reverse("set_language"), {"language": "en", "next": enterprises}, follow=True
    )
    html = response.content.decode()
    assert response.redirect_chain == [(enterprises, 302)]
    assert NAV_EN in html and NAV_RU not in html
    assert "<h1>Moscow enterprises</h1>" in html  # the page itself too, not only the layout

    home = client.get(reverse("web:home")).content.decode()
    assert NAV_EN in home, "the choice is remembered for the next page"

    client.post(reverse("set_language"), {"language": "ru", "next": "/"})
    assert NAV_RU in client.get(enterprises).content.decode()
