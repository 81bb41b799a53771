"""``manage.py import_platform_views FILE.csv``: online tours' view counts reported by the video
platforms, from CSV (``tour,platform,period,views``).

The import is ``media.counts.platform_views_import``: every bad row is printed as
«строка N: …» (the header is line 1); all or nothing unless ``--skip-bad``; a count for a tour,
platform and period already entered replaces it; the audit log records who imported. It acts
for an organiser: ``--actor EMAIL``, or else the first administrator.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mosprom.core.import_command import FileImportCommand
from mosprom.media.counts import platform_views_import


class Command(FileImportCommand):
    help = (
        "Import online tours' view counts on video platforms from a CSV file with the columns "
        "tour, platform, period, views. Nothing is written while any row is bad, unless "
        "--skip-bad."
    )
    file_help = "a UTF-8 .csv file (',' or ';'); the header is line 1"
    refusal = gettext_lazy(
        "%(email)s — не организатор: загружать просмотры могут только организаторы."
    )

    def run_import(self, *, user, path: Path, skip_bad: bool, dry_run: bool):
        with path.open("rb") as stream:
            return platform_views_import(
                actor=user, file=stream, skip_bad=skip_bad, dry_run=dry_run
            )

    def check_result(self, result) -> None:
        if not result.rows:
            raise CommandError(_("Нет ни одной верной строки, ничего не записано."))
