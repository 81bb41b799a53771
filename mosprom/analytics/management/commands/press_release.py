"""``manage.py press_release --period 2023 [--context tourism|…|all] [--html]``.

Prints the press release that ``analytics.press.release`` writes for the period: plain text,
or with ``--html`` paragraphs whose figures link to their KPI pages. A period the platform
cannot read is a ``CommandError`` with the Russian message; a period without any figure the
data support prints nothing on stdout and says so on stderr.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from mosprom.analytics import press
from mosprom.core.periods import PeriodError, parse_period


class Command(BaseCommand):
    help = (
        "Print a press release in Russian generated from the KPIs for a period (2023, "
        "2023-H1, 2023-Q2, 2023-05 or 2023-01-01..2023-03-31)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="e.g. 2023, 2025-H1, 2023-05")
        parser.add_argument(
            "--context",
            default=press.ALL,
            choices=[press.ALL, *press.CONTEXTS],
            help="which part of the programme to write about (default: all)",
        )
        parser.add_argument(
            "--html", action="store_true", help="HTML paragraphs with every figure linked"
        )

    def handle(self, *args, **options):
        try:
            period = parse_period(options["period"])
        except PeriodError as exc:
            raise CommandError(str(exc)) from exc
        result = press.release(period=period, context=options["context"])
        if result.empty:
            self.stderr.write(
                _("За период «%(period)s» в данных нет цифр, из которых можно составить текст.")
                % {"period": period.label}
            )
            return
        self.stdout.write(str(result.html()) if options["html"] else result.text())
