"""Forms of the organisers' export pages: an event with its call, criteria and rates; the
fair vote's rounds and candidates; the ranking's filter and the scoring form.

``EventEditor`` bundles the event form, its call, criteria and rates and saves them in one
transaction. There is no service for editing an event: a ModelForm save with
``update_fields``, so ``ExportEvent.taken`` — moved only by export.applications' conditional
UPDATEs — is never written back stale.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from mosprom.export.forms import DateInput, DateTimeLocalInput
from mosprom.export.models import (
    ApplicationStatus,
    Call,
    Criterion,
    EventRate,
    ExportEvent,
    FairCandidate,
    VoteRound,
)
from mosprom.registry.models import Industry

CURRENCY = re.compile(r"^[A-Z]{3}$")

# --- Events ----------------------------------------------------------------------------------


class EventForm(forms.ModelForm):
    places = forms.IntegerField(
        label=_("Мест"),
        min_value=1,
        max_value=10_000,
        help_text=_("Места на коллективном стенде или в делегации."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    industries = forms.ModelMultipleChoiceField(
        label=_("Отрасли в фокусе"),
        queryset=Industry.objects.order_by("code"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ExportEvent
        fields = [
            "kind",
            "title",
            "title_en",
            "title_zh",
            "description",
            "description_en",
            "description_zh",
            "show_chinese",
            "country",
            "city",
            "starts_on",
            "ends_on",
            "industries",
            "places",
            "city_covers",
            "company_pays",
            "is_published",
        ]
        labels = {
            "kind": _("Вид"),
            "title": _("Название"),
            "title_en": _("Название на английском"),
            "title_zh": _("Название на китайском"),
            "description": _("Описание"),
            "description_en": _("Описание на английском"),
            "description_zh": _("Описание на китайском"),
            "show_chinese": _("Витрина экспортёров и на китайском"),
            "country": _("Страна"),
            "city": _("Город"),
            "starts_on": _("Начало"),
            "ends_on": _("Окончание"),
            "city_covers": _("Что оплачивает город"),
            "company_pays": _("Что оплачивает компания"),
            "is_published": _("Опубликовано"),
        }
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
            "description_zh": forms.Textarea(attrs={"rows": 3}),
            "city_covers": forms.Textarea(attrs={"rows": 3}),
            "company_pays": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_places(self):
        places = self.cleaned_data["places"]
        taken = self.instance.taken if self.instance.pk else 0
        if places < taken:
            raise forms.ValidationError(
                _("Одобренных заявок уже %(taken)s — мест не может быть меньше.") % {"taken": taken}
            )
        return places

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("Окончание не может быть раньше начала."))
        return cleaned


class CallForm(forms.Form):
    """The call's window and documents; both moments empty means «no call yet»."""

    opens_at = forms.DateTimeField(
        label=_("Приём заявок с"),
        required=False,
        widget=DateTimeLocalInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    closes_at = forms.DateTimeField(
        label=_("Приём заявок до"),
        required=False,
        widget=DateTimeLocalInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    required_documents = forms.CharField(
        label=_("Обязательные документы"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("По одному в строке, например «Презентация компании»."),
    )

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if "opens_at" in self.errors or "closes_at" in self.errors:
            return cleaned
        if bool(opens) != bool(closes):
            self.add_error(
                "closes_at" if opens else "opens_at",
                _("Укажите и начало, и конец приёма заявок — или оставьте оба поля пустыми."),
            )
        elif opens and closes and closes <= opens:
            self.add_error("closes_at", _("Приём заявок должен закончиться позже, чем начнётся."))
        return cleaned

    @property
    def has_call(self) -> bool:
        return bool(self.cleaned_data.get("opens_at"))

    @staticmethod
    def initial_for(call: Call | None) -> dict:
        if call is None:
            return {}
        return {
            "opens_at": call.opens_at,
            "closes_at": call.closes_at,
            "required_documents": call.required_documents,
        }


class CriterionForm(forms.ModelForm):
    weight = forms.IntegerField(
        label=_("Вес"),
        min_value=1,
        max_value=100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    max_score = forms.IntegerField(
        label=_("Наибольшая оценка"),
        min_value=1,
        max_value=100,
        initial=10,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    class Meta:
        model = Criterion
        fields = ["name", "weight", "max_score"]
        labels = {"name": _("Критерий")}


class RateForm(forms.ModelForm):
    rub_per_unit = forms.DecimalField(
        label=_("Рублей за единицу"),
        max_digits=12,
        decimal_places=4,
        min_value=Decimal("0.0001"),
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.0001"}),
    )

    class Meta:
        model = EventRate
        fields = ["currency", "rub_per_unit"]
        labels = {"currency": _("Валюта")}
        help_texts = {"currency": _("Код ISO 4217, например CNY.")}

    def clean_currency(self):
        currency = self.cleaned_data["currency"].strip().upper()
        if not CURRENCY.match(currency):
            raise forms.ValidationError(_("Три латинские буквы кода валюты, например CNY."))
        if currency == "RUB":
            raise forms.ValidationError(_("Рублям курс не нужен."))
        return currency


# The event's own columns the form writes (``taken`` never; industries are many-to-many).
EVENT_COLUMNS = [name for name in EventForm.Meta.fields if name != "industries"]

CriterionFormSet = forms.inlineformset_factory(
    Call, Criterion, form=CriterionForm, extra=2, can_delete=True, max_num=20
)
RateFormSet = forms.inlineformset_factory(
    ExportEvent, EventRate, form=RateForm, extra=2, can_delete=True, max_num=20
)


class EventEditor:
    """The event form with its call, criteria and rates: valid together, saved together."""

    def __init__(self, data=None, *, event: ExportEvent | None, call: Call | None) -> None:
        self.event = event
        self.call = call
        self.form = EventForm(data, instance=event, prefix="event")
        self.call_form = CallForm(data, initial=CallForm.initial_for(call), prefix="call")
        self.criteria = CriterionFormSet(data, instance=call or Call(), prefix="criteria")
        self.rates = RateFormSet(data, instance=event or ExportEvent(), prefix="rates")

    def is_valid(self) -> bool:
        valid = all(
            [
                self.form.is_valid(),
                self.call_form.is_valid(),
                self.criteria.is_valid(),
                self.rates.is_valid(),
            ]
        )
        if valid and not self.call_form.has_call and self._criteria_typed():
            self.call_form.add_error(
                "opens_at", _("Критерии относятся к приёму заявок: укажите его сроки.")
            )
            return False
        return valid

    def _criteria_typed(self) -> bool:
        return any(
            form.cleaned_data and not form.cleaned_data.get("DELETE")
            for form in self.criteria.forms
        )

    def save(self) -> ExportEvent:
        """Write everything in one transaction; IntegrityError when an application took the
        last place between the check and the write (``taken <= places``)."""
        with transaction.atomic():
            if self.form.instance.pk:
                event = self.form.save(commit=False)
                event.save(update_fields=[*EVENT_COLUMNS, "updated_at"])
                self.form.save_m2m()
            else:
                event = self.form.save()
            self.rates.instance = event
            self.rates.save()
            if self.call_form.has_call:
                data = self.call_form.cleaned_data
                call, _created = Call.objects.update_or_create(
                    event=event,
                    defaults={
                        "opens_at": data["opens_at"],
                        "closes_at": data["closes_at"],
                        "required_documents": data["required_documents"].strip(),
                    },
                )
                self.criteria.instance = call
                criteria = self.criteria.save(commit=False)
                for obj in self.criteria.deleted_objects:
                    obj.delete()
                position = max((c.position for c in call.criteria.all()), default=0)
                for criterion in criteria:
                    criterion.call = call
                    if criterion.pk is None:
                        position += 1
                        criterion.position = position
                    criterion.save()
        return event


class VoteRoundForm(forms.ModelForm):
    votes_per_enterprise = forms.IntegerField(
        label=_("Голосов у предприятия"),
        min_value=1,
        max_value=50,
        initial=3,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    year = forms.IntegerField(
        label=_("Год выставок"),
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        # The model's unique check reports through this field's messages.
        error_messages={"unique": _("Голосование по выставкам этого года уже есть.")},
    )

    class Meta:
        model = VoteRound
        fields = ["year", "votes_per_enterprise", "opens_at", "closes_at"]
        labels = {"opens_at": _("Голосование с"), "closes_at": _("Голосование до")}
        widgets = {"opens_at": DateTimeLocalInput(), "closes_at": DateTimeLocalInput()}

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("Голосование должно закончиться позже, чем начнётся."))
        return cleaned


class CandidateForm(forms.ModelForm):
    industries = forms.ModelMultipleChoiceField(
        label=_("Отрасли"),
        queryset=Industry.objects.order_by("code"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = FairCandidate
        fields = ["title", "country", "city", "dates", "description", "industries"]
        labels = {
            "title": _("Выставка"),
            "country": _("Страна"),
            "city": _("Город"),
            "dates": _("Сроки"),
            "description": _("Описание"),
        }
        help_texts = {"dates": _("Как в анонсе выставки, например «июль 2026».")}
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class StatusFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Состояние"),
        required=False,
        choices=[("", _("Все, кроме черновиков и закрытых")), *ApplicationStatus.choices],
    )


def score_form(criteria, scores: dict[int, int], data=None) -> forms.Form:
    """A number input per criterion (0…its max score), filled with the scores given."""
    form = forms.Form(data, prefix="score")
    for criterion in criteria:
        form.fields[f"c{criterion.pk}"] = forms.IntegerField(
            label=_("%(name)s (вес %(weight)s, от 0 до %(max)s)")
            % {"name": criterion.name, "weight": criterion.weight, "max": criterion.max_score},
            min_value=0,
            max_value=criterion.max_score,
            required=False,
            initial=scores.get(criterion.pk),
            widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        )
    return form


def scores_typed(form, criteria) -> dict[int, int]:
    return {
        criterion.pk: form.cleaned_data[f"c{criterion.pk}"]
        for criterion in criteria
        if form.cleaned_data.get(f"c{criterion.pk}") is not None
    }
