"""The shape every file-import command shares (``kpi_import``, ``import_platform_views``):
the file argument, ``--skip-bad``, ``--dry-run``, ``--actor EMAIL`` (an organiser; the first
administrator by default), every bad row printed as «строка N: …», a non-zero exit when rows
are bad and not skipped, and the counts at the end.

A command subclasses ``FileImportCommand`` and implements ``run_import`` (calling its context's
import service, which checks the rows and the actor again and audits the import).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from mosprom.accounts.models import Role, User


def organiser_for(email: str | None, *, refusal: str) -> User:
    """The active organiser with ``email`` (or the first administrator when None);
    ``CommandError`` with ``refusal`` (``%(email)s`` filled in) for anybody else."""
    if email is None:
        admin = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()
        if admin is None:
            raise CommandError(
                _("Нет ни одного администратора: укажите организатора через --actor EMAIL.")
            )
        return admin
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        raise CommandError(_("Пользователя с адресом %(email)s нет.") % {"email": email})
    if not (user.is_active and user.is_organiser):
        raise CommandError(refusal % {"email": user.email})
    return user


class FileImportCommand(BaseCommand):
    file_help = "the file to import; the header is line 1"
    refusal = ""  # «%(email)s — не организатор: …»
    file_errors: tuple[type[Exception], ...] = ()  # the service's "cannot read this file"

    def add_arguments(self, parser):
        parser.add_argument("file", help=self.file_help)
        parser.add_argument(
            "--skip-bad",
            action="store_true",
            help="write the good rows and skip (but still list) the bad ones",
        )
        parser.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
        parser.add_argument(
            "--actor",
            metavar="EMAIL",
            help="the organiser the import is recorded for (default: the first administrator)",
        )

    def run_import(self, *, user: User, path: Path, skip_bad: bool, dry_run: bool) -> Any:
        """Call the import service; the result has ``errors``, ``created``, ``updated``."""
        raise NotImplementedError

    def check_result(self, result: Any) -> None:
        """Refuse a result the command should not report as a success (hook)."""

    def handle(
        self, *args, file: str, skip_bad: bool, dry_run: bool, actor: str | None, **options
    ) -> None:
        user = organiser_for(actor, refusal=str(self.refusal))
        path = Path(file)
        try:
            result = self.run_import(user=user, path=path, skip_bad=skip_bad, dry_run=dry_run)
        except OSError as exc:
            raise CommandError(
                _("Не удалось прочитать файл %(path)s: %(error)s.")
                % {"path": path, "error": exc.strerror or exc}
            ) from exc
        except self.file_errors as exc:
            raise CommandError(
                _("Файл не принят, ничего не записано: %(error)s") % {"error": exc}
            ) from exc
        except PermissionDenied as exc:  # checked above; the service has the last word
            raise CommandError(str(exc) or _("Недостаточно прав.")) from exc

        for error in result.errors:
            self.stderr.write(
                _("строка %(line)d: %(message)s") % {"line": error.line, "message": error.message}
            )
        bad = len(result.errors)
        if bad and not skip_bad:
            raise CommandError(
                _(
                    "Строк с ошибками: %(bad)d. Ничего не записано; исправьте файл или "
                    "запустите с --skip-bad."
                )
                % {"bad": bad}
            )
        self.check_result(result)
        counts = {"created": result.created, "updated": result.updated, "skipped": bad}
        if dry_run:
            self.stdout.write(
                _(
                    "Проверка без записи: будет создано %(created)d, обновлено %(updated)d, "
                    "пропущено строк с ошибками: %(skipped)d."
                )
                % counts
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Создано: %(created)d, обновлено: %(updated)d, пропущено строк с "
                    "ошибками: %(skipped)d (от имени %(actor)s)."
                )
                % (counts | {"actor": user.email})
            )
        )
