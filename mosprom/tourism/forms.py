"""Forms of the public tourism pages: calendar filters, participants, waitlist, feedback.

They check what can be checked without the database (a name given, a birth date in the past,
a passport number of the right shape); every booking rule is the services' (tourism.booking,
tourism.waitlist), whose refusals the views show on the same form.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy

from mosprom.core import clock
from mosprom.registry.okrugs import Okrug
from mosprom.tourism.models import Experience, ExperienceKind, IdRequirement
from mosprom.tourism.selectors import CalendarFilters


class DateInput(forms.DateInput):
    """The browser's date picker (a phone shows its own); the value goes as YYYY-MM-DD."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class CalendarFilterForm(forms.Form):
    """The calendar's GET form; invalid values are reported and then ignored."""

    date_from = forms.DateField(label=_("С даты"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("По дату"), required=False, widget=DateInput())
    kind = forms.ChoiceField(
        label=_("Формат"),
        required=False,
        choices=[("", _("Любой формат")), *ExperienceKind.choices],
    )
    industry = forms.ChoiceField(label=_("Отрасль"), required=False)
    okrug = forms.ChoiceField(
        label=_("Округ"), required=False, choices=[("", _("Все округа")), *Okrug.choices]
    )
    age = forms.IntegerField(
        label=_("Возраст участника"),
        required=False,
        min_value=0,
        max_value=120,
        help_text=_("Покажем то, куда пускают с этого возраста."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    step_free = forms.BooleanField(label=_("Доступно для маломобильных"), required=False)
    places_left = forms.BooleanField(label=_("Только со свободными местами"), required=False)

    def __init__(self, *args, industries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["industry"].choices = [
            ("", _("Все отрасли")),
            *((industry.code, _(industry.name)) for industry in industries),
        ]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("Конечная дата раньше начальной."))
            data.pop("date_to", None)
        return data

    def filters(self) -> CalendarFilters:
        """The valid filters, each «any» when absent or invalid."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return CalendarFilters(
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            kind=data.get("kind") or None,
            industry=data.get("industry") or None,
            okrug=data.get("okrug") or None,
            age=data.get("age"),
            step_free=bool(data.get("step_free")),
            places_left=bool(data.get("places_left")),
        )


# --- Participants ---------------------------------------------------------------------------


def _passport_normalise(text: str) -> str:
    from mosprom.tourism.personal_data import passport_normalise

    return passport_normalise(text)


class ParticipantForm(forms.Form):
    """One person on a booking: name always, birth date where there is an age limit, passport
    where the plant is a secure site."""

    full_name = forms.CharField(
        label=_("Фамилия, имя и отчество"),
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    birth_date = forms.DateField(label=_("Дата рождения"), widget=DateInput(), required=False)
    passport = forms.CharField(
        label=_("Серия и номер паспорта"),
        required=False,
        max_length=32,
        help_text=_("10 цифр, например 45 06 123456. Нужны для пропуска на предприятие."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def __init__(self, *args, experience: Experience, **kwargs):
        super().__init__(*args, **kwargs)
        self.experience = experience
        if experience.min_age > 0:
            self.fields["birth_date"].required = True
            self.fields["birth_date"].help_text = ngettext(
                "Участие с %(age)s года: возраст проверяется на день сеанса.",
                "Участие с %(age)s лет: возраст проверяется на день сеанса.",
                experience.min_age,
            ) % {"age": experience.min_age}
        else:
            del self.fields["birth_date"]
        if experience.id_requirement == IdRequirement.PASSPORT:
            self.fields["passport"].required = True
        else:
            del self.fields["passport"]
        self.fields["full_name"].error_messages["required"] = _("Укажите фамилию, имя и отчество.")

    def clean_full_name(self) -> str:
        name = " ".join(self.cleaned_data["full_name"].split())
        if len(name) < 2:
            raise forms.ValidationError(_("Укажите фамилию, имя и отчество."))
        return name

    def clean_birth_date(self) -> dt.date | None:
        born = self.cleaned_data.get("birth_date")
        if born is None:
            return None
        today = clock.today()
        if born > today:
            raise forms.ValidationError(_("Дата рождения не может быть в будущем."))
        if born.year < today.year - 120:
            raise forms.ValidationError(_("Проверьте год рождения."))
        return born

    def clean_passport(self) -> str:
        text = self.cleaned_data.get("passport", "")
        try:
            _passport_normalise(text)
        except ValueError:
            raise forms.ValidationError(
                _("Серия и номер паспорта — 10 цифр, например 45 06 123456.")
            ) from None
        # The service normalises and encrypts it; what was typed goes on unchanged.
        return text


class BaseParticipantFormSet(forms.BaseFormSet):
    default_error_messages = {
        "too_many_forms": ngettext_lazy(
            "В одной заявке можно записать не больше %(num)d человека.",
            "В одной заявке можно записать не больше %(num)d человек.",
            "num",
        ),
        "too_few_forms": _("Укажите хотя бы одного участника."),
    }

    def participants(self) -> list[dict]:
        """The filled-in participants in order (empty optional forms are skipped)."""
        return [form.cleaned_data for form in self.forms if form.cleaned_data]


def participant_formset(*, places: int, required: int = 1):
    """A formset class for up to ``places`` people, the first ``required`` of them mandatory."""
    places = max(places, 1)
    required = min(max(required, 1), places)
    return forms.formset_factory(
        ParticipantForm,
        formset=BaseParticipantFormSet,
        extra=places - required,
        min_num=required,
        max_num=places,
        absolute_max=places,
        validate_min=True,
        validate_max=True,
    )


class IdempotencyForm(forms.Form):
    """The key that makes a double-tapped «Записаться» book once."""

    idempotency_key = forms.CharField(
        widget=forms.HiddenInput, max_length=64, required=False, initial=""
    )

    def key(self) -> str:
        self.is_valid()
        key = getattr(self, "cleaned_data", {}).get("idempotency_key") or ""
        return key.strip()[:64] or uuid.uuid4().hex

    @staticmethod
    def new_key() -> str:
        return uuid.uuid4().hex


# --- Waitlist and feedback -----------------------------------------------------------------


class WaitlistJoinForm(forms.Form):
    places = forms.TypedChoiceField(label=_("Сколько мест нужно"), coerce=int)

    def __init__(self, *args, max_places: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["places"].choices = [(n, str(n)) for n in range(1, max(max_places, 1) + 1)]
        self.fields["places"].initial = 1


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Оценка"),
        coerce=int,
        choices=[
            (5, _("5 — отлично")),
            (4, _("4 — хорошо")),
            (3, _("3 — нормально")),
            (2, _("2 — плохо")),
            (1, _("1 — очень плохо")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Выберите оценку от 1 до 5."),
            "invalid_choice": _("Выберите оценку от 1 до 5."),
        },
    )
    comment = forms.CharField(
        label=_("Отзыв"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Необязательно. Отзыв увидят другие посетители, без вашего имени."),
    )
