"""Forms of the host cabinet and the organiser back office. They validate input; the services
in tourism.catalogue, tourism.booking, tourism.checkin and tourism.personal_data write."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mosprom.core import clock
from mosprom.registry.models import Enterprise
from mosprom.tourism.catalogue import EXPERIENCE_FIELDS
from mosprom.tourism.models import AllocationMode, Experience, ExperienceKind, Season, Session
from mosprom.tourism.selectors_host import Period

MAX_PHOTO_BYTES = 5 * 1024 * 1024


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _time_input() -> forms.TimeInput:
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _aware(day: dt.date, time: dt.time) -> dt.datetime:
    """Wall-clock time in Moscow (the display zone) as an aware datetime."""
    return timezone.make_aware(dt.datetime.combine(day, time))


def apply_service_errors(
    form: forms.BaseForm, error: ValidationError, fields: dict[str, str] | None = None
) -> None:
    """Show a service's ValidationError on ``form``: keys renamed by ``fields``, unknown keys
    as errors of the whole form."""
    fields = fields or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for key, messages in error.message_dict.items():
        name = fields.get(key, key)
        form.add_error(name if name in form.fields else None, messages)


# --- Filters --------------------------------------------------------------------------------


class SessionFilterForm(forms.Form):
    period = forms.ChoiceField(
        label=_("Какие сеансы"),
        required=False,
        choices=[
            (Period.UPCOMING, _("Предстоящие")),
            (Period.PAST, _("Прошедшие")),
            (Period.CANCELLED, _("Отменённые")),
            (Period.ALL, _("Все")),
        ],
    )
    q = forms.CharField(
        label=_("Программа или предприятие"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )

    def values(self) -> tuple[str, str]:
        if not self.is_valid():
            return Period.UPCOMING, ""
        return self.cleaned_data["period"] or Period.UPCOMING, self.cleaned_data["q"].strip()


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Название или предприятие"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )

    def value(self) -> str:
        return self.cleaned_data["q"].strip() if self.is_valid() else ""


# --- Experiences ----------------------------------------------------------------------------


def _bounded(label, low: int, high: int, **kwargs) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=low,
        max_value=high,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        **kwargs,
    )


class ExperienceForm(forms.ModelForm):
    """What a visitor reads about an experience and what it requires of them."""

    duration_minutes = _bounded(_("Продолжительность, минут"), 15, 720, initial=90)
    min_age = _bounded(
        _("Минимальный возраст, лет"),
        0,
        21,
        initial=0,
        help_text=_("0 — без ограничения. Возраст проверяется на день сеанса."),
    )
    group_size = _bounded(
        _("Размер группы"),
        1,
        500,
        initial=20,
        help_text=_("Обычная вместимость сеанса; у каждого сеанса её можно изменить."),
    )
    max_places_per_booking = _bounded(
        _("Мест в одной заявке"),
        1,
        10,
        initial=2,
        help_text=_("Сам посетитель и сопровождающие."),
    )

    class Meta:
        model = Experience
        fields = EXPERIENCE_FIELDS
        labels = {
            "site": _("Площадка"),
            "kind": _("Формат"),
            "title": _("Название"),
            "description": _("Описание"),
            "step_free": _("Доступно для посетителей на коляске (без ступеней)"),
            "accessibility": _("Доступная среда: подробности"),
            "what_to_bring": _("Что взять с собой"),
            "meeting_point": _("Место сбора"),
            "id_requirement": _("Данные участников для пропуска"),
            "is_published": _("Опубликовать на сайте"),
        }
        help_texts = {
            "meeting_point": _("Например: «Проходная №2, вход со двора»."),
            "id_requirement": _(
                "Паспортные данные — только для режимных объектов: они хранятся зашифрованными "
                "и удаляются после сеанса."
            ),
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "accessibility": forms.Textarea(attrs={"rows": 3}),
            "what_to_bring": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, enterprise: Enterprise, sites, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.enterprise = enterprise
        self.fields["site"].queryset = sites
        self.fields["site"].required = False
        self.fields["site"].empty_label = _("— без площадки (онлайн) —")
        self.fields["kind"].choices = ExperienceKind.choices

    def clean(self):
        cleaned = super().clean()
        kind, site = cleaned.get("kind"), cleaned.get("site")
        if kind and kind != ExperienceKind.ONLINE_TOUR and site is None:
            self.add_error("site", _("Выберите площадку, где проходит программа."))
        return cleaned


class PhotoForm(forms.Form):
    image = forms.ImageField(
        label=_("Фото"),
        help_text=_("JPEG, PNG или WebP до 5 МБ."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        error_messages={
            "required": _("Выберите файл с фотографией."),
            "invalid_image": _("Это не изображение или файл повреждён."),
        },
    )
    alt_text = forms.CharField(
        label=_("Что на фото"),
        max_length=255,
        help_text=_("Коротко, для незрячих посетителей: «Сборка плюшевого медведя в цехе»."),
        error_messages={"required": _("Опишите, что на фото.")},
    )

    def clean_image(self):
        image = self.cleaned_data["image"]
        if image.size > MAX_PHOTO_BYTES:
            raise ValidationError(_("Файл больше 5 МБ — уменьшите фото."))
        return image


# --- Seasons --------------------------------------------------------------------------------


class SeasonForm(forms.Form):
    name = forms.CharField(label=_("Название"), max_length=200)
    starts_on = forms.DateField(label=_("Первый день"), widget=_date_input())
    ends_on = forms.DateField(label=_("Последний день"), widget=_date_input())
    opens_on = forms.DateField(label=_("Регистрация открывается: день"), widget=_date_input())
    opens_time = forms.TimeField(
        label=_("Регистрация открывается: время (Москва)"),
        initial=dt.time(12, 0),
        widget=_time_input(),
    )
    close_days_before = forms.IntegerField(
        label=_("Регистрация на сеанс закрывается за, дней"),
        min_value=0,
        max_value=30,
        initial=3,
        help_text=_(
            "Запись закрывается в полночь за столько дней до дня сеанса; "
            "0 — в полночь перед днём сеанса."
        ),
    )
    places_per_person = forms.IntegerField(
        label=_("Мест на человека за сезон"), min_value=1, max_value=50, initial=3
    )
    no_show_limit = forms.IntegerField(
        label=_("Неявок до ограничения"),
        min_value=0,
        max_value=20,
        initial=2,
        help_text=_(
            "После стольких неявок за сезон запись в этом сезоне закрывается. 0 — без ограничения."
        ),
    )
    offer_hours = forms.IntegerField(
        label=_("Часов на ответ по листу ожидания"), min_value=1, max_value=168, initial=12
    )
    mode = forms.ChoiceField(
        label=_("Распределение мест"),
        choices=AllocationMode.choices,
        initial=AllocationMode.FIRST_COME,
        help_text=_("Отдельные сеансы могут распределяться иначе."),
    )

    @classmethod
    def initial_for(cls, season: Season) -> dict:
        opens = clock.localtime(season.registration_opens_at)
        return {
            "name": season.name,
            "starts_on": season.starts_on,
            "ends_on": season.ends_on,
            "opens_on": opens.date(),
            "opens_time": opens.time().replace(second=0, microsecond=0),
            "close_days_before": season.close_days_before,
            "places_per_person": season.places_per_person,
            "no_show_limit": season.no_show_limit,
            "offer_hours": season.offer_hours,
            "mode": season.mode,
        }

    def data_for_service(self) -> dict:
        data = dict(self.cleaned_data)
        data["registration_opens_at"] = _aware(data.pop("opens_on"), data.pop("opens_time"))
        return data

    #: service argument → form field, for errors
    SERVICE_FIELDS = {"registration_opens_at": "opens_on"}


# --- Sessions -------------------------------------------------------------------------------


class SessionForm(forms.Form):
    season = forms.ModelChoiceField(
        label=_("Сезон"),
        queryset=Season.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Выберите сезон из списка.")},
    )
    day = forms.DateField(label=_("День"), widget=_date_input())
    start_time = forms.TimeField(label=_("Начало (Москва)"), widget=_time_input())
    end_time = forms.TimeField(
        label=_("Окончание"),
        required=False,
        widget=_time_input(),
        help_text=_("Если не указать — по продолжительности программы."),
    )
    capacity = forms.IntegerField(label=_("Мест"), min_value=1, max_value=1000)
    mode = forms.ChoiceField(
        label=_("Распределение мест"),
        choices=[("", _("Как в сезоне")), *AllocationMode.choices],
        required=False,
        help_text=_("Розыгрыш: заявки до закрытия приёма, затем жеребьёвка."),
    )

    #: service argument → form field, for errors
    SERVICE_FIELDS = {"starts_at": "start_time", "ends_at": "end_time"}

    def __init__(self, *args, experience: Experience, seasons: list[Season], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.experience = experience
        self.fields["season"].queryset = Season.objects.filter(pk__in=[s.pk for s in seasons])
        self.fields["season"].choices = [
            (s.pk, f"{s.name} ({s.starts_on:%d.%m} – {s.ends_on:%d.%m.%Y})") for s in seasons
        ]

    @classmethod
    def initial_for(cls, session: Session) -> dict:
        starts, ends = clock.localtime(session.starts_at), clock.localtime(session.ends_at)
        return {
            "season": session.season_id,
            "day": starts.date(),
            "start_time": starts.time().replace(second=0, microsecond=0),
            "end_time": ends.time().replace(second=0, microsecond=0),
            "capacity": session.capacity,
            "mode": session.mode,
        }

    def clean(self):
        cleaned = super().clean()
        day, start = cleaned.get("day"), cleaned.get("start_time")
        if day is None or start is None:
            return cleaned
        starts_at = _aware(day, start)
        end = cleaned.get("end_time")
        if end is None:
            ends_at = starts_at + dt.timedelta(minutes=self.experience.duration_minutes)
        else:
            ends_at = _aware(day, end)
            if ends_at <= starts_at:
                self.add_error("end_time", _("Окончание должно быть позже начала."))
        cleaned["starts_at"], cleaned["ends_at"] = starts_at, ends_at
        return cleaned


# --- Host actions ---------------------------------------------------------------------------


class CheckinForm(forms.Form):
    code = forms.CharField(
        label=_("Код билета"),
        max_length=2000,
        help_text=_("8 знаков с билета, например K7M2Q9XD, или содержимое QR-кода."),
        error_messages={"required": _("Введите код билета.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "enterkeyhint": "go",
            }
        ),
    )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split())


class SessionCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Причина отмены"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Её прочтут участники в письме об отмене."),
        error_messages={"required": _("Напишите причину — её получат участники.")},
    )
    confirm = forms.BooleanField(
        label=_("Да, отменить сеанс и написать всем участникам"),
        error_messages={"required": _("Подтвердите отмену: отметьте флажок.")},
    )


class NoShowForm(forms.Form):
    no_show = forms.TypedMultipleChoiceField(
        label=_("Не пришли"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, bookings, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["no_show"].choices = [(b.pk, b.code) for b in bookings]
