"""``manage.py registry_import FILE``: load enterprises from CSV or XLSX (upsert by INN)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from mosprom.registry.importing import registry_import_apply, registry_import_validate


class Command(BaseCommand):
    help = (
        "Import enterprises from a CSV or XLSX file (columns: see "
        "mosprom/registry/importing/columns.py). Nothing is written while any row is bad, "
        "unless --skip-invalid."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="a .csv or .xlsx file; the header is line 1")
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="write the good rows and skip (but still list) the bad ones",
        )
        parser.add_argument("--dry-run", action="store_true", help="check and count, write nothing")

    def handle(self, *args, file: str, skip_invalid: bool, dry_run: bool, **options) -> None:
        path = Path(file)
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("Не удалось прочитать файл %(path)s: %(error)s.")
                % {"path": path, "error": exc.strerror}
            ) from exc
        report = registry_import_validate(content=content, filename=path.name)

        for warning in report.warnings:
            self.stderr.write(_("предупреждение: %(text)s") % {"text": warning})
        for problem in report.file_problems:
            self.stderr.write(_("файл: %(text)s") % {"text": problem.message})
        for problem in report.problems:
            self.stderr.write(
                _("строка %(line)d: %(text)s") % {"line": problem.line, "text": problem.message}
            )
        refusal = report.refusal(skip_invalid=skip_invalid)
        if refusal == "file":
            raise CommandError(_("Файл не принят, ничего не записано."))
        bad = len(report.invalid_lines)
        if refusal == "invalid_rows":
            raise CommandError(
                _(
                    "Строк с ошибками: %(bad)d из %(total)d. Ничего не записано; исправьте файл "
                    "или запустите с --skip-invalid."
                )
                % {"bad": bad, "total": report.total_rows}
            )
        skipped = _(", пропущено строк с ошибками: %(bad)d") % {"bad": bad} if bad else ""
        if dry_run:
            self.stdout.write(
                _(
                    "Проверка без записи: будет создано %(create)d, обновлено %(update)d, "
                    "без изменений %(same)d%(skipped)s."
                )
                % {
                    "create": report.to_create,
                    "update": report.to_update,
                    "same": report.unchanged,
                    "skipped": skipped,
                }
            )
            return
        if refusal == "no_rows":
            raise CommandError(_("Нет ни одной верной строки, ничего не записано."))
        result = registry_import_apply(
            rows=report.rows, actor=None, filename=path.name, source="command"
        )
        self.stdout.write(
            self.style.SUCCESS(
                _("Создано: %(created)d, обновлено: %(updated)d, без изменений: %(unchanged)d")
                % result.as_dict()
                + skipped
                + "."
            )
        )
