"""Forms of the export pages. They check what can be checked without the database (a field
filled, a number in range, a window that ends after it starts, a product of the chosen
enterprise); every rule of applying, documents, transitions, reports and votes is the
services' (export.applications, export.participation), whose refusals the views show on the
same form with what was typed. The organisers' forms are in ``forms_manage``.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mosprom.export.models import Application, ChecklistItem, EventKind, MeetingResult

OTHER_DOCUMENT = "__other__"


class DateInput(forms.DateInput):
    """The browser's date picker; the value goes as YYYY-MM-DD."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeLocalInput(forms.DateTimeInput):
    """The browser's date-and-time picker; the value is Moscow wall-clock time."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def _count(label, *, high: int = 100_000, **kwargs) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=high,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        **kwargs,
    )


def _money(label, **kwargs) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=16,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
        **kwargs,
    )


# --- Public ----------------------------------------------------------------------------------


class EventFilterForm(forms.Form):
    """The events list's GET form; invalid values are ignored."""

    kind = forms.ChoiceField(
        label=_("Вид"), required=False, choices=[("", _("Все виды")), *EventKind.choices]
    )
    country = forms.ChoiceField(label=_("Страна"), required=False)
    year = forms.TypedChoiceField(label=_("Год"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, countries: list[str], years: list[int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("Все страны"))] + [(c, c) for c in countries]
        self.fields["year"].choices = [("", _("Все годы"))] + [(y, str(y)) for y in years]

    def values(self) -> dict:
        if not self.is_valid():
            return {}
        return {key: value for key, value in self.cleaned_data.items() if value}


# --- A company's application -------------------------------------------------------------


class ProductChoices(forms.ModelMultipleChoiceField):
    def __init__(self, *args, several_enterprises: bool = False, **kwargs) -> None:
        self.several_enterprises = several_enterprises
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj) -> str:
        if self.several_enterprises:
            return f"{obj.name} — {obj.enterprise.short_name}"
        return obj.name


class ApplicationForm(forms.Form):
    """What a company tells about itself for one event. ``enterprises`` are those the user
    acts for: a short list is a select; for organisers (the whole registry) an INN field."""

    enterprise = forms.ModelChoiceField(
        label=_("Предприятие"),
        queryset=None,
        empty_label=None,
        error_messages={
            "required": _("Выберите предприятие."),
            "invalid_choice": _("Выберите предприятие из списка."),
        },
    )
    products = ProductChoices(
        label=_("Продукция для показа"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Из продукции предприятия в реестре."),
        error_messages={"invalid_choice": _("Выберите продукцию выбранного предприятия.")},
    )
    export_experience = forms.CharField(
        label=_("Опыт экспорта"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Страны, годы, объёмы поставок; если опыта нет — так и напишите."),
    )
    target_markets = forms.CharField(
        label=_("Целевые рынки"),
        max_length=Application._meta.get_field("target_markets").max_length,
        required=False,
        help_text=_("Например: Китай, Индия, страны Персидского залива."),
    )
    contact_name = forms.CharField(
        label=_("Контактное лицо"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    contact_email = forms.EmailField(
        label=_("E-mail контактного лица"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Введите e-mail в виде name@example.ru.")},
    )
    contact_phone = forms.CharField(
        label=_("Телефон контактного лица"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )

    SERVICE_FIELDS = (
        "export_experience",
        "target_markets",
        "contact_name",
        "contact_email",
        "contact_phone",
    )

    def __init__(self, *args, products, enterprises=None, by_inn: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if enterprises is None:
            del self.fields["enterprise"]
        else:
            field = self.fields["enterprise"]
            field.queryset = enterprises
            if by_inn:
                field.to_field_name = "inn"
                field.label = _("ИНН предприятия")
                field.widget = forms.TextInput(attrs={"inputmode": "numeric"})
                field.error_messages["invalid_choice"] = _("Предприятия с таким ИНН нет в реестре.")
        field = self.fields["products"]
        field.queryset = products
        field.several_enterprises = len({p.enterprise_id for p in products}) > 1

    def clean(self):
        cleaned = super().clean()
        enterprise = cleaned.get("enterprise")
        products = cleaned.get("products") or []
        if enterprise is not None and any(p.enterprise_id != enterprise.pk for p in products):
            self.add_error(
                "products",
                _("Отметьте только продукцию предприятия «%(name)s».")
                % {"name": enterprise.short_name},
            )
        return cleaned

    def service_fields(self) -> dict:
        fields = {name: self.cleaned_data[name] for name in self.SERVICE_FIELDS}
        fields["products"] = [product.pk for product in self.cleaned_data["products"]]
        return fields

    @classmethod
    def initial_for(cls, application: Application) -> dict:
        initial = {name: getattr(application, name) for name in cls.SERVICE_FIELDS}
        initial["products"] = [product.pk for product in application.products.all()]
        return initial


class DocumentForm(forms.Form):
    title = forms.ChoiceField(label=_("Какой документ"))
    other_title = forms.CharField(
        label=_("Название другого документа"),
        max_length=255,
        required=False,
        help_text=_("Только если выше выбран «Другой документ»."),
    )
    file = forms.FileField(
        label=_("Файл PDF"),
        help_text=_("Только PDF, не больше 10 МБ."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
        error_messages={
            "required": _("Выберите файл PDF."),
            "empty": _("Файл пустой."),
            "invalid": _("Файл не получен: отправьте форму ещё раз."),
        },
    )

    def __init__(self, *args, required_titles: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title"].choices = [(t, t) for t in required_titles] + [
            (OTHER_DOCUMENT, _("Другой документ"))
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("title") == OTHER_DOCUMENT and not cleaned.get("other_title", "").strip():
            self.add_error("other_title", _("Напишите, что это за документ."))
        return cleaned

    def document_title(self) -> str:
        if self.cleaned_data["title"] == OTHER_DOCUMENT:
            return self.cleaned_data["other_title"].strip()
        return self.cleaned_data["title"]


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Комментарий"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ChecklistForm(forms.Form):
    """A tick box and a note for each checklist item."""

    def __init__(self, *args, items: list[ChecklistItem], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"done_{item.pk}"] = forms.BooleanField(
                label=item.title, required=False, initial=item.done
            )
            self.fields[f"note_{item.pk}"] = forms.CharField(
                label=_("Примечание: %(item)s") % {"item": item.title},
                max_length=500,
                required=False,
                initial=item.note,
            )

    def rows(self):
        return [(item, self[f"done_{item.pk}"], self[f"note_{item.pk}"]) for item in self.items]

    def changed_items(self) -> list[tuple[ChecklistItem, bool, str]]:
        changed = []
        for item in self.items:
            done = self.cleaned_data[f"done_{item.pk}"]
            note = self.cleaned_data[f"note_{item.pk}"].strip()
            if done != item.done or note != item.note:
                changed.append((item, done, note))
        return changed


class MeetingForm(forms.Form):
    counterpart = forms.CharField(
        label=_("Компания-партнёр"),
        max_length=255,
        error_messages={"required": _("Напишите, с какой компанией встреча.")},
    )
    country = forms.CharField(
        label=_("Страна"), max_length=100, error_messages={"required": _("Укажите страну.")}
    )
    starts_at = forms.DateTimeField(
        label=_("Время (по Москве)"),
        widget=DateTimeLocalInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={
            "required": _("Укажите дату и время встречи."),
            "invalid": _("Введите дату и время."),
        },
    )
    result = forms.ChoiceField(
        label=_("Итог"), choices=MeetingResult.choices, initial=MeetingResult.PLANNED
    )
    notes = forms.CharField(
        label=_("Заметки"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    FIELDS = ("counterpart", "country", "starts_at", "result", "notes")

    @classmethod
    def initial_for(cls, meeting) -> dict:
        return {name: getattr(meeting, name) for name in cls.FIELDS}


class OutcomeForm(forms.Form):
    meetings_held = _count(_("Проведено B2B-встреч"), initial=0)
    agreements = _count(_("Подписано соглашений о намерениях"), initial=0)
    expected_export_rub = _money(
        _("Ожидаемый объём экспорта, ₽"),
        min_value=0,
        initial=0,
        help_text=_("В рублях, за ближайшие 12 месяцев."),
    )
    quote = forms.CharField(
        label=_("Цитата для публикации"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Необязательно: пара предложений о том, что дало участие."),
    )
    quote_author = forms.CharField(
        label=_("Автор цитаты"),
        max_length=255,
        required=False,
        help_text=_("Имя и должность, например «Александр Бондарь, генеральный директор»."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("quote", "").strip() and not cleaned.get("quote_author", "").strip():
            self.add_error("quote_author", _("Укажите, чья это цитата."))
        return cleaned


class ContractForm(forms.Form):
    counterpart = forms.CharField(label=_("Покупатель"), max_length=255, required=False)
    country = forms.CharField(label=_("Страна"), max_length=100, required=False)
    value = _money(
        pgettext_lazy("сумма контракта", "Сумма"), min_value=Decimal("0.01"), required=False
    )
    currency = forms.ChoiceField(label=_("Валюта"), initial="RUB")
    signed_on = forms.DateField(label=_("Дата подписания"), required=False, widget=DateInput())

    def __init__(self, *args, currencies: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["currency"].choices = [(c, c) for c in currencies]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("DELETE"):
            return cleaned
        if not cleaned.get("counterpart", "").strip():
            self.add_error("counterpart", _("Укажите покупателя."))
        if cleaned.get("value") is None and "value" not in self.errors:
            self.add_error("value", _("Укажите сумму контракта."))
        return cleaned


ContractFormSet = forms.formset_factory(ContractForm, extra=2, can_delete=True, max_num=50)


def contracts_of(formset) -> list[dict]:
    """The contracts typed in a valid formset, blank and deleted rows left out."""
    contracts = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None) or {}
        if not data or data.get("DELETE"):
            continue
        contracts.append(
            {
                "counterpart": data["counterpart"].strip(),
                "country": data["country"].strip(),
                "value": data["value"],
                "currency": data["currency"],
                "signed_on": data["signed_on"],
            }
        )
    return contracts


class VoteForm(forms.Form):
    candidate = forms.IntegerField(widget=forms.HiddenInput)
    action = forms.ChoiceField(
        choices=[("cast", "cast"), ("withdraw", "withdraw")], widget=forms.HiddenInput
    )
