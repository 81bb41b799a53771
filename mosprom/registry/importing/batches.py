"""Import batches: an uploaded file waits with its report until an organiser applies or
discards it (upload → preview → confirm).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from mosprom.accounts.models import User
from mosprom.core import clock
from mosprom.registry.importing.apply import registry_import_apply
from mosprom.registry.importing.report import ImportReport, ImportResult
from mosprom.registry.importing.validation import registry_import_validate
from mosprom.registry.models import ImportBatch, ImportStatus


def _require_organiser(user: User) -> None:
    if not user.is_organiser:
        raise PermissionDenied


# --- Selectors --------------------------------------------------------------------------------


def import_batch_list(*, user: User) -> QuerySet[ImportBatch]:
    """Recent imports, newest first, for organisers only (without the file contents)."""
    _require_organiser(user)
    return ImportBatch.objects.select_related("uploaded_by").defer("content")


def import_batch_get(*, user: User, pk: int) -> ImportBatch:
    """One import for an organiser; raises ImportBatch.DoesNotExist or PermissionDenied."""
    _require_organiser(user)
    return ImportBatch.objects.select_related("uploaded_by").get(pk=pk)


def import_batch_can_apply(*, batch: ImportBatch) -> bool:
    """Whether the batch still awaits confirmation and its report has a row to apply."""
    return batch.status == ImportStatus.PREVIEW and (batch.report or {}).get("valid_rows", 0) > 0


# --- Services ---------------------------------------------------------------------------------


def import_batch_upload(
    *, filename: str, content: bytes, actor: User
) -> tuple[ImportReport, ImportBatch | None]:
    """Check an uploaded file; a readable one is stored with its report, awaiting confirmation.

    The batch is None when the file as a whole was refused (``report.file_problems``).
    """
    _require_organiser(actor)
    report = registry_import_validate(content=content, filename=filename)
    if report.file_problems:
        return report, None
    batch = ImportBatch.objects.create(
        filename=filename[:255],
        content=content,
        uploaded_by=actor,
        report=report.as_dict(),
    )
    return report, batch


@dataclass(frozen=True)
class BatchOutcome:
    applied: bool
    reason: str = ""  # "done" (already applied or discarded), "invalid", "conflict"
    result: ImportResult | None = None


class _Blocked(Exception):
    def __init__(self, report: ImportReport) -> None:
        self.report = report


def import_batch_apply(
    *,
    batch_id: int,
    actor: User,
    skip_invalid: bool,
    request: HttpRequest | None = None,
) -> BatchOutcome:
    """Re-check the stored file against today's registry and apply it, at most once."""
    _require_organiser(actor)
    try:
        with transaction.atomic():
            claimed = ImportBatch.objects.filter(pk=batch_id, status=ImportStatus.PREVIEW).update(
                status=ImportStatus.APPLIED, applied_at=clock.now()
            )
            if not claimed:
                return BatchOutcome(applied=False, reason="done")
            batch = ImportBatch.objects.get(pk=batch_id)
            report = registry_import_validate(content=bytes(batch.content), filename=batch.filename)
            if report.refusal(skip_invalid=skip_invalid):
                raise _Blocked(report)
            result = registry_import_apply(
                rows=report.rows,
                actor=actor,
                filename=batch.filename,
                source="upload",
                request=request,
                target=batch,
            )
            batch.report = {
                **report.as_dict(),
                "result": result.as_dict(),
                "skipped_lines": report.invalid_lines,
            }
            batch.save(update_fields=["report"])
    except _Blocked as blocked:
        ImportBatch.objects.filter(pk=batch_id).update(report=blocked.report.as_dict())
        return BatchOutcome(applied=False, reason="invalid")
    except IntegrityError:
        # Another import or an edit took the same INN/OGRN meanwhile; nothing was written.
        return BatchOutcome(applied=False, reason="conflict")
    return BatchOutcome(applied=True, result=result)


def import_batch_discard(*, batch_id: int, actor: User) -> bool:
    """Mark a batch awaiting confirmation as discarded; False if it was already decided."""
    _require_organiser(actor)
    return bool(
        ImportBatch.objects.filter(pk=batch_id, status=ImportStatus.PREVIEW).update(
            status=ImportStatus.DISCARDED
        )
    )
