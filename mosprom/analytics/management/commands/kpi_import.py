"""``manage.py kpi_import FILE``: historical KPI values from CSV or XLSX (``kpi,period,value``).

The import is ``analytics.importing.kpi_import``: all or nothing unless ``--skip-bad``, a row
for a KPI and period already imported replaces it, the audit log records who imported what.
It acts for an organiser: ``--actor EMAIL``, or else the first administrator.
"""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from mosprom.analytics.importing import kpi_import
from mosprom.core.import_command import FileImportCommand
from mosprom.registry.importing.reading import ImportFileError


class Command(FileImportCommand):
    help = (
        "Import historical KPI values from a CSV or XLSX file with the columns kpi, period, "
        "value. Nothing is written while any row is bad, unless --skip-bad."
    )
    file_help = "a .csv or .xlsx file; the header is line 1"
    refusal = _("%(email)s — не организатор: импортировать показатели могут только организаторы.")
    file_errors = (ImportFileError,)

    def run_import(self, *, user, path: Path, skip_bad: bool, dry_run: bool):
        return kpi_import(
            actor=user,
            content=path.read_bytes(),
            filename=path.name,
            skip_bad=skip_bad,
            dry_run=dry_run,
        )
