"""Import of the enterprise registry from CSV or XLSX: read, validate, preview, apply.

The modules, in the order a file goes through them:

- ``columns``: the column layout (documented there) and the header spellings;
- ``reading``: CSV/XLSX bytes into numbered records, cells into text;
- ``validation``: the checks of each row and across rows → ``report`` (problems, valid rows);
- ``planning``: what the valid rows would change, for the preview and for applying;
- ``apply``: the transactional upsert;
- ``batches``: an uploaded file awaiting the organiser's confirmation (the import pages).

Rules:

- A row is an enterprise, identified by its INN: a new INN creates one, a known INN updates
  only the fields that differ. Each INN appears once per file.
- An empty cell never erases: it leaves the current value as it is (a new enterprise gets
  the model's default). Imports never delete sites or SEZ memberships.
- The site of a row is matched by (enterprise, «Площадка»); its okrug is the row's okrug.
- Nothing is written while any row has a problem, unless the caller skips the bad rows.
- Line numbers are those a person sees in the file: the header is line 1.
"""

from mosprom.registry.importing.apply import registry_import_apply
from mosprom.registry.importing.batches import (
    BatchOutcome,
    import_batch_apply,
    import_batch_can_apply,
    import_batch_discard,
    import_batch_get,
    import_batch_list,
    import_batch_upload,
)
from mosprom.registry.importing.columns import COLUMNS, Column
from mosprom.registry.importing.planning import SAMPLE_SIZE
from mosprom.registry.importing.reading import FILE_SUFFIXES, MAX_UPLOAD_BYTES, ImportFileError
from mosprom.registry.importing.report import ImportReport, ImportResult, ImportRow, Problem
from mosprom.registry.importing.validation import MAX_ROWS, registry_import_validate

__all__ = [
    "COLUMNS",
    "FILE_SUFFIXES",
    "MAX_ROWS",
    "MAX_UPLOAD_BYTES",
    "SAMPLE_SIZE",
    "BatchOutcome",
    "Column",
    "ImportFileError",
    "ImportReport",
    "ImportResult",
    "ImportRow",
    "Problem",
    "import_batch_apply",
    "import_batch_can_apply",
    "import_batch_discard",
    "import_batch_get",
    "import_batch_list",
    "import_batch_upload",
    "registry_import_apply",
    "registry_import_validate",
]
