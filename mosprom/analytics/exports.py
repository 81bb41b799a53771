"""A chart's table as a file: CSV (for Russian Excel: UTF-8 with BOM, «;», decimal comma) and
XLSX (numbers as numbers). Both hold exactly the chart's table view: a row per label, for each
series its value and where the value comes from, and the period code of each value."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from django.utils.translation import gettext as _

from mosprom.analytics.catalogue import Number
from mosprom.analytics.dashboard import Chart
from mosprom.core.periods import Period


def header(chart: Chart) -> list[str]:
    names = [_("Период")]
    for series in chart.series:
        names += [
            f"{series.name}, {series.unit}",
            _("%(name)s: источник") % {"name": series.name},
            _("%(name)s: период") % {"name": series.name},
        ]
    return names


def _records(chart: Chart):
    for row in chart.rows:
        yield row.label, [(cell.value, cell.source_label, cell.period) for cell in row.cells]


def _csv_number(value: Number | None) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal) and value != value.to_integral_value():
        return f"{value:.2f}".replace(".", ",")
    return str(int(value))


def _csv_text(text: str) -> str:
    """A cell a spreadsheet will not run as a formula (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def filename(chart: Chart, period: Period, suffix: str) -> str:
    code = period.code.replace("..", "_")
    return f"figures-{chart.key}-{code}.{suffix}"


def chart_csv(chart: Chart) -> bytes:
    """The chart's table as CSV bytes."""
    out = io.StringIO()
    out.write("\ufeff")  # Excel reads UTF-8 only with a BOM
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([_csv_text(name) for name in header(chart)])
    for label, cells in _records(chart):
        line = [_csv_text(label)]
        for value, source, period in cells:
            line += [_csv_number(value), source, period.code]
        writer.writerow(line)
    return out.getvalue().encode("utf-8")


def chart_xlsx(chart: Chart, *, period: Period) -> bytes:
    """The chart's table as an XLSX workbook: a title line, the header, a row per label."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = chart.key
    sheet.append([f"{chart.title} — {period.label}"])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(header(chart))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for label, cells in _records(chart):
        line: list = [label]
        for value, source, cell_period in cells:
            line += [value, source, cell_period.code]
        sheet.append(line)
    for row in sheet.iter_rows(min_row=3):
        for cell in row[1::3]:
            if isinstance(cell.value, Decimal) and cell.value != cell.value.to_integral_value():
                cell.number_format = "#,##0.00"
            elif cell.value is not None:
                cell.number_format = "#,##0"
    sheet.freeze_panes = "B3"
    sheet.column_dimensions["A"].width = 18
    for index in range(2, len(header(chart)) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 22
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
