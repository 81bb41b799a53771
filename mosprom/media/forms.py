"""Forms of the online-tour pages and the media back office.

They parse what a person typed (a date, a number, a period written as 2023-Q2) and nothing
more: every rule (a recognised video URL, periods that must not overlap, a year in range) is
the services' (``media.tours``, ``media.counts``, ``media.audience``, ``media.awards``), whose
Russian ``ValidationError`` the views put on the same form with ``show_service_errors``.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mosprom.core.periods import Period, PeriodError, parse_period
from mosprom.media.models import EXTERNAL_PLATFORMS, OnlineTour, ReachChannel
from mosprom.registry.models import Enterprise

PERIOD_HELP = _(
    "Год — 2023, полугодие — 2023-H1, квартал — 2023-Q2, месяц — 2023-05, "
    "любой отрезок — 2023-01-01..2023-03-31."
)
PLATFORM_CHOICES = [(p.value, p.label) for p in EXTERNAL_PLATFORMS]


def show_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's ``ValidationError`` on ``form``: a field's messages next to the field,
    the rest (and keys the form has no field for) at the top of the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for key, messages in error.message_dict.items():
        form.add_error(key if key in form.fields else None, messages)


class DateInput(forms.DateInput):
    """The browser's date picker; the value goes as YYYY-MM-DD."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class PeriodField(forms.CharField):
    """A reporting period typed as text (see ``core.periods``); cleans to a ``Period``."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", _("Период"))
        kwargs.setdefault("help_text", PERIOD_HELP)
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("error_messages", {"required": _("Укажите период, например 2023-Q2.")})
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"placeholder": "2023-Q2", "autocomplete": "off"})
        )
        super().__init__(**kwargs)

    def clean(self, value):
        text = super().clean(value)  # the text's own checks (required, length)
        if not text:
            return None
        try:
            return parse_period(text)
        except PeriodError as error:
            raise ValidationError(str(error), code="period") from None

    def prepare_value(self, value):
        return value.code if isinstance(value, Period) else value


def _count_input(placeholder: str = "") -> forms.TextInput:
    return forms.TextInput(attrs={"inputmode": "numeric", "placeholder": placeholder})


# --- Public ----------------------------------------------------------------------------------


class GalleryFilterForm(forms.Form):
    """The gallery's GET filters; an unknown value is ignored (the whole gallery is shown)."""

    industry = forms.ChoiceField(label=_("Отрасль"), required=False)
    enterprise = forms.TypedChoiceField(
        label=_("Предприятие"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, industries, enterprises, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["industry"].choices = [("", _("Все отрасли"))] + [
            (industry.code, gettext(industry.name)) for industry in industries
        ]
        self.fields["enterprise"].choices = [("", _("Все предприятия"))] + [
            (enterprise.pk, enterprise.short_name) for enterprise in enterprises
        ]

    def values(self) -> dict:
        """The valid filters that are set (an invalid field is dropped, the others kept)."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {key: cleaned[key] for key in ("industry", "enterprise") if cleaned.get(key)}


class YearForm(forms.Form):
    """The programme page's year picker."""

    year = forms.TypedChoiceField(label=_("Год"), coerce=int)

    def __init__(self, *args, years: list[int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, str(year)) for year in years]


# --- Tours -----------------------------------------------------------------------------------


class EnterpriseByInn(forms.ModelChoiceField):
    """An enterprise of the registry chosen by its INN (the registry holds thousands)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(
            queryset=Enterprise.objects.all(),
            to_field_name="inn",
            label=_("ИНН предприятия"),
            help_text=_("10 или 12 цифр; предприятие должно быть в реестре."),
            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            error_messages={
                "required": _("Укажите ИНН предприятия."),
                "invalid_choice": _("Предприятия с таким ИНН нет в реестре."),
            },
            **kwargs,
        )

    def to_python(self, value):
        return super().to_python(value.strip() if isinstance(value, str) else value)


class TourForm(forms.Form):
    """An online tour's fields (``media.tours.TOUR_FIELDS``) and its files."""

    enterprise = EnterpriseByInn()
    title = forms.CharField(label=_("Название"), max_length=255, required=False)
    description = forms.CharField(
        label=_("Описание"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Обычный текст: что покажут и расскажут. Разметка не поддерживается."),
    )
    duration_minutes = forms.IntegerField(
        label=_("Продолжительность, мин"),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 1, "max": 600}),
        error_messages={"invalid": _("Продолжительность — целое число минут.")},
    )
    published_on = forms.DateField(
        label=_("Дата публикации"),
        required=False,
        widget=DateInput(),
        help_text=_("Будущая дата — экскурсия появится в галерее в этот день."),
        error_messages={"invalid": _("Введите дату в виде ГГГГ-ММ-ДД.")},
    )
    host_name = forms.CharField(
        label=_("Ведущий"), max_length=255, required=False, help_text=_("Необязательно.")
    )
    cover = forms.ImageField(
        label=_("Обложка"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png,.webp"}),
        help_text=_("JPEG, PNG или WebP, лучше 16:9. Её видят до запуска видео и без JavaScript."),
    )
    cover_alt = forms.CharField(
        label=_("Описание обложки"),
        max_length=255,
        required=False,
        help_text=_("Что на картинке — для незрячих посетителей. Обязательно, если есть обложка."),
    )
    clear_cover = forms.BooleanField(label=_("Удалить обложку"), required=False)
    video = forms.FileField(
        label=_("Видеофайл"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".mp4,.webm,video/mp4,video/webm"}),
        help_text=_(
            "MP4 или WebM: играет на нашем сайте без сторонних плееров. Можно не загружать, "
            "если видео опубликовано на видеоплатформах."
        ),
    )
    clear_video = forms.BooleanField(label=_("Удалить видеофайл"), required=False)
    is_published = forms.BooleanField(
        label=_("Показывать на сайте"),
        required=False,
        initial=True,
        help_text=_("Снимите отметку, чтобы сохранить черновик."),
    )

    SERVICE_FIELDS = (
        "enterprise",
        "title",
        "description",
        "duration_minutes",
        "published_on",
        "host_name",
        "cover_alt",
        "is_published",
    )

    def __init__(self, *args, tour: OnlineTour | None = None, **kwargs) -> None:
        if tour is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_for(tour)
        super().__init__(*args, **kwargs)
        self.tour = tour
        if tour is None or not tour.cover:
            del self.fields["clear_cover"]
        if tour is None or not tour.video:
            del self.fields["clear_video"]

    @staticmethod
    def initial_for(tour: OnlineTour) -> dict:
        experience = tour.experience
        return {
            "enterprise": experience.enterprise,
            "title": experience.title,
            "description": experience.description,
            "duration_minutes": experience.duration_minutes,
            "published_on": tour.published_on,
            "host_name": tour.host_name,
            "cover_alt": tour.cover_alt,
            "is_published": experience.is_published,
        }

    def service_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.SERVICE_FIELDS}

    def files_data(self) -> dict:
        cleaned = self.cleaned_data
        # ClearableFileInput gives False when its own «clear» box is ticked; ours are explicit.
        files = {
            "cover": cleaned.get("cover") or None,
            "video": cleaned.get("video") or None,
        }
        if self.tour is not None:
            files["clear_cover"] = bool(cleaned.get("clear_cover"))
            files["clear_video"] = bool(cleaned.get("clear_video"))
        return files


class PublicationForm(forms.Form):
    """A tour's video on a platform: the page URL as the platform shows it."""

    platform = forms.ChoiceField(
        label=_("Платформа"),
        choices=PLATFORM_CHOICES,
        error_messages={"required": _("Выберите видеоплатформу.")},
    )
    url = forms.CharField(
        label=_("Ссылка на видео"),
        max_length=500,
        widget=forms.TextInput(attrs={"inputmode": "url", "autocomplete": "off"}),
        help_text=_(
            "Адрес страницы ролика, например https://rutube.ru/video/…/ или "
            "https://vkvideo.ru/video-123_456. Код для вставки плеера (iframe) не подходит: "
            "плеер мы собираем сами."
        ),
        error_messages={"required": _("Вставьте ссылку на видео.")},
    )


# --- View counts -----------------------------------------------------------------------------


class TourChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.experience.title} — {obj.experience.enterprise.short_name}"


class PlatformViewsForm(forms.Form):
    """A count reported by a platform for a tour and a period."""

    tour = TourChoice(
        label=_("Онлайн-экскурсия"),
        queryset=OnlineTour.objects.none(),
        error_messages={
            "required": _("Выберите онлайн-экскурсию."),
            "invalid_choice": _("Выберите онлайн-экскурсию из списка."),
        },
    )
    platform = forms.ChoiceField(
        label=_("Платформа"),
        choices=PLATFORM_CHOICES,
        error_messages={"required": _("Выберите видеоплатформу.")},
    )
    period = PeriodField()
    views = forms.CharField(
        label=_("Просмотры"),
        max_length=20,
        widget=_count_input("12 500"),
        help_text=_("Как показывает статистика платформы за этот период."),
        error_messages={"required": _("Укажите число просмотров.")},
    )

    def __init__(self, *args, tours, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tour"].queryset = tours


class ViewsFilterForm(forms.Form):
    """The counts list's GET filters (ids prefixed, the add form on the page has the same
    field names)."""

    tour = TourChoice(
        label=_("Онлайн-экскурсия"),
        queryset=OnlineTour.objects.none(),
        required=False,
        empty_label=_("Все"),
    )
    period = PeriodField(required=False, label=_("Только внутри периода"))

    def __init__(self, *args, tours, **kwargs) -> None:
        kwargs.setdefault("auto_id", "filter_%s")
        super().__init__(*args, **kwargs)
        self.fields["tour"].queryset = tours

    def values(self) -> dict:
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {key: cleaned[key] for key in ("tour", "period") if cleaned.get(key)}


class PeriodPickerForm(forms.Form):
    """The audience page's GET period picker."""

    period = PeriodField(required=False, label=_("Период"))


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Файл CSV"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        help_text=_(
            "UTF-8, столбцы через запятую или точку с запятой, первая строка — заголовок "
            "tour,platform,period,views."
        ),
    )
    skip_bad = forms.BooleanField(
        label=_("Пропустить строки с ошибками и загрузить остальные"),
        required=False,
        help_text=_("Без этой отметки файл с ошибками не загружается целиком."),
    )


# --- Reach and awards ------------------------------------------------------------------------


class ReachForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("Канал"),
        choices=ReachChannel.choices,
        error_messages={"required": _("Выберите канал.")},
    )
    period = PeriodField()
    value = forms.CharField(
        label=_("Охват, человек"),
        max_length=20,
        widget=_count_input("1 200 000"),
        error_messages={"required": _("Укажите охват.")},
    )
    note = forms.CharField(
        label=_("Источник или комментарий"),
        max_length=500,
        required=False,
        help_text=_("Например: «Яндекс Метрика, уникальные посетители»."),
    )

    def clean_value(self) -> str:
        return "".join(self.cleaned_data["value"].split()).replace("\u00a0", "")


class ReachEditForm(ReachForm):
    """Editing a record changes its number and note; its channel and period stay (to move a
    figure to another period, delete it and enter it again)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["channel"]
        del self.fields["period"]


class AwardForm(forms.Form):
    name = forms.CharField(label=_("Премия или конкурс"), max_length=255, required=False)
    category = forms.CharField(
        label=_("Номинация"), max_length=255, required=False, help_text=_("Необязательно.")
    )
    year = forms.IntegerField(
        label=_("Год"),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": _("Год — четыре цифры, например 2023.")},
    )
    awarding_body = forms.CharField(label=_("Кто вручает"), max_length=255, required=False)
    place = forms.CharField(
        label=_("Место"),
        max_length=100,
        required=False,
        help_text=_("Например: 1 место, Гран-при, лауреат."),
    )
    url = forms.CharField(
        label=_("Ссылка"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "url"}),
        help_text=_("Страница премии или новость о награде. Необязательно."),
    )

    FIELDS = ("name", "category", "year", "awarding_body", "place", "url")

    def service_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.FIELDS}
