"""The period pickers of the figures pages and the upload form of the historical import.

Pages link to themselves and to their files with ``?period=<code>`` (``Period.code``); the
organisers' picker shows such a link's period in its selects (a year and a part of it) or, for
a range of days, in the text field, which wins over the selects when filled.
"""

from __future__ import annotations

from pathlib import PurePath

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mosprom.analytics.dashboard import check_period
from mosprom.core import clock
from mosprom.core.periods import MONTHS, Period, PeriodError, parse_period

YEARS_BACK = 15
MAX_IMPORT_BYTES = 1024 * 1024
IMPORT_SUFFIXES = (".csv", ".xlsx")


def year_choices() -> list[tuple[int, str]]:
    this_year = clock.today().year
    return [(year, str(year)) for year in range(this_year, this_year - YEARS_BACK, -1)]


def _parts() -> list[tuple[str, str]]:
    parts = [
        ("", gettext_lazy("весь год")),
        ("H1", gettext_lazy("1-е полугодие")),
        ("H2", gettext_lazy("2-е полугодие")),
    ]
    parts += [(f"Q{q}", gettext_lazy("%(n)d-й квартал") % {"n": q}) for q in range(1, 5)]
    parts += [(f"{m:02d}", gettext_lazy(MONTHS[m - 1])) for m in range(1, 13)]
    return parts


class PeriodForm(forms.Form):
    """A year and a part of it, or any period written as text."""

    year = forms.TypedChoiceField(
        label=gettext_lazy("Год"),
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": gettext_lazy("Выберите год из списка.")},
    )
    part = forms.ChoiceField(
        label=gettext_lazy("Часть года"),
        required=False,
        choices=_parts,
        error_messages={"invalid_choice": gettext_lazy("Выберите часть года из списка.")},
    )
    period = forms.CharField(
        label=gettext_lazy("Или другой период"),
        required=False,
        max_length=40,
        help_text=gettext_lazy(
            "Например: 2023-H1, 2023-Q2, 2023-05 или 2023-01-01..2023-03-31; "
            "заполненное поле важнее года и части года."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices()
        self.fields["period"].widget.attrs.update({"placeholder": "2023-Q2", "autocomplete": "off"})

    @classmethod
    def from_query(cls, query) -> PeriodForm:
        """The form for the page's query string; unbound (the current year) without one.

        A link's ``?period=2023-Q2`` is shown in the selects when they can hold it."""
        wanted = {name: query.get(name, "") for name in ("year", "part", "period")}
        if not any(wanted.values()):
            return cls(initial={"year": clock.today().year, "part": ""})
        text = wanted["period"].strip()
        if text and not (wanted["year"] or wanted["part"]):
            try:
                period = parse_period(text)
            except PeriodError:
                pass
            else:
                selects = _as_selects(period)
                if selects is not None:
                    wanted = {**selects, "period": ""}
        return cls(wanted)

    def clean(self):
        data = super().clean()
        text = (data.get("period") or "").strip()
        try:
            if text:
                period = parse_period(text)
            elif "year" in self.errors or "part" in self.errors:
                return data
            else:
                year = data.get("year") or clock.today().year
                part = data.get("part") or ""
                period = parse_period(f"{year}-{part}" if part else str(year))
            check_period(period)
        except PeriodError as exc:
            self.add_error("period" if text else "year", str(exc))
            return data
        data["chosen"] = period
        return data

    @property
    def chosen(self) -> Period:
        """The period to show: the valid choice, or the current year."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data["chosen"]
        return Period.year(clock.today().year)


def _as_selects(period: Period) -> dict | None:
    code = period.code
    year = str(period.start.year)
    if code == year:
        return {"year": year, "part": ""}
    if code.startswith(f"{year}-") and len(code) == 7:
        return {"year": year, "part": code[5:]}
    return None


class YearForm(forms.Form):
    """The public page's year picker."""

    year = forms.TypedChoiceField(
        label=gettext_lazy("Год"),
        coerce=int,
        error_messages={"invalid_choice": gettext_lazy("Выберите год из списка.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices()

    @classmethod
    def from_query(cls, query) -> YearForm:
        if not query.get("year"):
            return cls(initial={"year": clock.today().year})
        return cls({"year": query["year"]})

    @property
    def chosen(self) -> Period:
        if self.is_bound and self.is_valid():
            return Period.year(self.cleaned_data["year"])
        return Period.year(clock.today().year)


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Файл с показателями"),
        help_text=gettext_lazy(
            "CSV или XLSX до 1 МБ со столбцами kpi, period, value (заголовки в первой строке)."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if PurePath(upload.name).suffix.lower() not in IMPORT_SUFFIXES:
            raise ValidationError(
                _("Нужен файл .csv или .xlsx, а «%(name)s» — файл другого типа."),
                code="file_type",
                params={"name": upload.name[:100]},
            )
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError(
                _("Файл весит %(size)s, а можно не больше 1 МБ."),
                code="file_size",
                params={"size": filesizeformat(upload.size)},
            )
        return upload
