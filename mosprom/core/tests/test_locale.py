"""The English interface: the catalogue in locale/en/ is complete, compiled, and switched on.

Russian is the source language (docs/adr/0001-russian-msgids.md): the msgids are the Russian
text and English is a catalogue. These tests fail when someone runs ``makemessages`` and
leaves new strings untranslated or fuzzy, forgets ``compilemessages``, or breaks a
placeholder in a translation.
"""

from __future__ import annotations

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

CATALOGUE_DIR = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
PO_PATH = CATALOGUE_DIR / "django.po"
MO_PATH = CATALOGUE_DIR / "django.mo"

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


def test_compiled_catalogue_matches_the_po_file(po_entries):
    """The .mo holds exactly the .po's translations, so nobody forgot compilemessages."""
    assert MO_PATH.exists(), "run manage.py compilemessages (docs/adr/0001-russian-msgids.md)"
    with MO_PATH.open("rb") as fp:
        compiled = dict(gettext.GNUTranslations(fp)._catalog)
    compiled.pop("", None)  # the header
    expected: dict[str | tuple[str, int], str] = {}
    for e in messages(po_entries):
        if "fuzzy" in e.flags:
            continue  # msgfmt leaves fuzzy entries out
        if e.msgid_plural is None:
            expected[e.key] = e.msgstr[0]
        else:
            for index, text in e.msgstr.items():
                expected[(e.key, index)] = text
    stale = sorted(str(k) for k in expected if compiled.get(k) != expected[k])
    extra = sorted(str(k) for k in compiled if k not in expected)
    assert not stale, "the .mo is older than the .po; run compilemessages. Differs:\n" + (
        "\n".join(stale[:20])
    )
    assert not extra, "the .mo holds strings the .po no longer has:\n" + "\n".join(extra[:20])


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
