"""Trim locale/ru/LC_MESSAGES/django.po to the plural entries, the only ones Russian needs.

The msgids are Russian (docs/adr/0001-russian-msgids.md), so a Russian page needs no
catalogue except for counted phrases: without one, ``ngettext`` and
``{% blocktranslate count %}`` choose between the msgid and msgid_plural by English rules
(«21 мест»). This catalogue gives those entries Russian's three forms.

Usage (from the repository root), after changing user-facing strings:

    .venv/bin/python manage.py makemessages -l ru --no-obsolete --ignore=.venv --ignore=var \
        --ignore=node_modules
    .venv/bin/python scripts/ru_plurals.py
    # fill every msgstr[1] the script lists, delete the entry's "fuzzy" flag and "#|" lines
    .venv/bin/python manage.py compilemessages -l ru --ignore=.venv --ignore=var

``makemessages`` merges every string of the interface into the file; this script keeps the
header and the plural entries and drops the rest. By our convention the msgid is the form
for 1 (and 21, 31…) and msgid_plural the form for 5 (and 11, 25…), so msgstr[0] and
msgstr[2] are copied from them; msgstr[1], the form for 2–4 (and 22–24…), is the one
written by hand, and an entry keeps it across runs. An entry whose msgstr[1] is empty, or
that ``makemessages`` matched only approximately, is marked fuzzy: compilemessages leaves it
out, the page falls back to the msgid forms, and mosprom/core/tests/test_locale.py fails
until someone fills it in.
"""

from __future__ import annotations

import argparse
import ast
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_PO = Path(__file__).resolve().parent.parent / "locale/ru/LC_MESSAGES/django.po"

PLURAL_FORMS = (
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : "
    "n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
)

HEADER_COMMENT = (
    "# Russian plural forms of the Mosprom Platform interface. Only counted phrases are here:\n"
    "# the msgids are already Russian (docs/adr/0001-russian-msgids.md). Regenerate with\n"
    "# scripts/ru_plurals.py after makemessages -l ru; fill msgstr[1], the form for 2-4.\n"
    "# This file is distributed under the same licence as the Mosprom Platform"
    " (AGPL-3.0-or-later).\n"
    "#\n"
)

HEADER_FIELDS = {
    "Project-Id-Version": "Mosprom Platform",
    "Last-Translator": "Mosprom Platform developers",
    "Language-Team": "Russian",
    "Language": "ru",
    "Content-Type": "text/plain; charset=UTF-8",
    "Plural-Forms": PLURAL_FORMS,
}


@dataclass
class Block:
    """One entry of a .po file, as its lines plus what this script needs to know."""

    lines: list[str]
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None


def parse(text: str) -> list[Block]:
    """The live entries of ``text`` (obsolete ``#~`` ones are dropped)."""
    blocks: list[Block] = []
    for chunk in text.split("\n\n"):
        lines = [line for line in chunk.splitlines() if line.strip()]
        if not lines or all(line.startswith("#~") for line in lines):
            continue
        block = Block(lines=lines)
        target: tuple[str, int | None] | None = None
        for line in lines:
            if line.startswith("#,"):
                block.flags = [flag.strip() for flag in line[2:].split(",") if flag.strip()]
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                name, index = target
                value = ast.literal_eval(line)
                if name == "msgstr":
                    block.msgstr[index] += value
                else:
                    setattr(block, name, (getattr(block, name) or "") + value)
            else:
                keyword, _, rest = line.partition(" ")
                value = ast.literal_eval(rest)
                if keyword.startswith("msgstr"):
                    index = int(keyword[7:-1]) if keyword.startswith("msgstr[") else 0
                    block.msgstr[index] = value
                    target = ("msgstr", index)
                else:
                    setattr(block, keyword, value)
                    target = (keyword, None)
        blocks.append(block)
    return blocks


def quote(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
    return '"' + escaped.replace("\n", "\\n") + '"'


def render_header(block: Block) -> str:
    fields: dict[str, str] = {}
    for line in block.msgstr.get(0, "").splitlines():
        key, _, value = line.partition(":")
        if key.strip():
            fields[key.strip()] = value.strip()
    fields.update(HEADER_FIELDS)
    if fields.get("PO-Revision-Date", "YEAR").startswith("YEAR"):  # makemessages' placeholder
        fields["PO-Revision-Date"] = fields.get("POT-Creation-Date", "")
    body = "".join(f'"{key}: {value}\\n"\n' for key, value in fields.items())
    return HEADER_COMMENT + 'msgid ""\nmsgstr ""\n' + body


def render_plural(block: Block) -> tuple[str, bool]:
    """The entry with Russian forms, and whether it still needs a hand (it is then fuzzy)."""
    two_to_four = block.msgstr.get(1, "")
    needs_work = not two_to_four.strip() or "fuzzy" in block.flags
    flags = [flag for flag in block.flags if flag != "fuzzy"]
    if needs_work:
        flags.insert(0, "fuzzy")
    comments: list[str] = []
    body: list[str] = []
    in_msgstr = False
    for line in block.lines:
        if line.startswith("#"):
            # "#|" is makemessages' previous msgid: worth keeping only while under review.
            if not line.startswith("#,") and (needs_work or not line.startswith("#|")):
                comments.append(line)
            continue
        if not line.startswith('"'):
            in_msgstr = line.startswith("msgstr")
        if not in_msgstr:
            body.append(line)
    if flags:
        # The flags line goes before any "#|" previous-msgid lines, as msgcat expects.
        at = next((i for i, c in enumerate(comments) if c.startswith("#|")), len(comments))
        comments.insert(at, "#, " + ", ".join(flags))
    forms = {0: block.msgid, 1: two_to_four, 2: block.msgid_plural or ""}
    msgstr = [f"msgstr[{index}] {quote(text)}" for index, text in forms.items()]
    return "\n".join([*comments, *body, *msgstr]) + "\n", needs_work


def rewrite(text: str) -> tuple[str, list[str], int]:
    """The trimmed catalogue, the msgids that need a 2–4 form, and how many entries it has."""
    blocks = parse(text)
    header = next((b for b in blocks if b.is_header), Block(lines=[]))
    parts = [render_header(header)]
    todo: list[str] = []
    count = 0
    for block in blocks:
        if block.is_header or block.msgid_plural is None:
            continue
        rendered, needs_work = render_plural(block)
        parts.append(rendered)
        count += 1
        if needs_work:
            todo.append(block.msgid)
    return "\n".join(parts), todo, count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("po", nargs="?", type=Path, default=DEFAULT_PO)
    args = parser.parse_args(argv)
    text, todo, count = rewrite(args.po.read_text(encoding="utf-8"))
    args.po.write_text(text, encoding="utf-8")
    msgcat = shutil.which("msgcat")
    if msgcat:  # wrap long lines the way makemessages does
        subprocess.run([msgcat, "-o", str(args.po), str(args.po)], check=True)  # noqa: S603
    out = [f"{args.po}: {count} plural entries.\n"]
    if todo:
        out.append("Write msgstr[1] (the form for 2-4), then delete the 'fuzzy' flag, for:\n")
        out.extend(f"  {msgid}\n" for msgid in todo)
    sys.stdout.write("".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
