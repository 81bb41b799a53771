"""Forms of the games pages. They check what can be checked without the database (a name
given, a number in range, a window that ends after it starts); every registration and scoring
rule is the services' (games.registration, games.scoring), whose refusals the views show on
the same form with what was typed."""

from __future__ import annotations

import itertools
import re

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from mosprom.core import clock
from mosprom.games.models import (
    Game,
    GameFormat,
    GameSeason,
    League,
    Question,
    Round,
    SkippedGames,
    Team,
)
from mosprom.registry.models import ProductionSite

ROSTER_FIELD = "member_%d"


class DateTimeLocalInput(forms.DateTimeInput):
    """The browser's date-and-time picker; the value is Moscow wall-clock time."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def _number(label, low: int, high: int, **kwargs) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=low,
        max_value=high,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        **kwargs,
    )


# --- Public: filters, registration, solo players --------------------------------------------


class GameFilterForm(forms.Form):
    """The games list's GET form; invalid values are ignored."""

    league = forms.ChoiceField(
        label=_("Лига"), required=False, choices=[("", _("Все лиги")), *League.choices]
    )
    format = forms.ChoiceField(
        label=_("Формат"), required=False, choices=[("", _("Любой формат")), *GameFormat.choices]
    )

    def values(self) -> dict[str, str]:
        if not self.is_valid():
            return {}
        return {key: value for key, value in self.cleaned_data.items() if value}


class TeamForm(forms.Form):
    """A team's name, organisation and roster: ``team_max`` name inputs, blank ones ignored
    (the page works without JavaScript; the script only hides the empty tail)."""

    name = forms.CharField(
        label=_("Название команды"),
        max_length=Team._meta.get_field("name").max_length,
        error_messages={"required": _("Введите название команды.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    organisation = forms.CharField(
        label=_("Школа или организация"),
        max_length=Team._meta.get_field("organisation").max_length,
        required=False,
        help_text=_("Необязательно. Например: «Школа № 1535» или «АО „Микрон“»."),
    )

    def __init__(self, *args, game: Game, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.game = game
        if game.league == League.SCHOOLS:
            self.fields["organisation"].help_text = _("Например: «Школа № 1535, 10 „Б“».")
        for index in range(game.team_max):
            self.fields[ROSTER_FIELD % index] = forms.CharField(
                label=_("Игрок 1 — капитан") if index == 0 else _("Игрок %(n)s") % {"n": index + 1},
                max_length=255,
                required=False,
                widget=forms.TextInput(attrs={"autocomplete": "off"}),
            )

    @staticmethod
    def initial_for(team: Team) -> dict:
        initial = {"name": team.name, "organisation": team.organisation}
        for index, member in enumerate(team.members.all()):
            initial[ROSTER_FIELD % index] = member.full_name
        return initial

    def roster_fields(self) -> list:
        return [self[ROSTER_FIELD % index] for index in range(self.game.team_max)]

    def members(self) -> list[str]:
        """The names typed, in order, blank inputs left out."""
        names = (
            " ".join((self.cleaned_data.get(ROSTER_FIELD % i) or "").split())
            for i in range(self.game.team_max)
        )
        return [name for name in names if name]

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not self.members():
            self.add_error(None, _("Впишите имена игроков: хотя бы капитана."))
        return cleaned


class SoloForm(forms.Form):
    full_name = forms.CharField(
        label=_("Ваше имя"),
        max_length=255,
        error_messages={"required": _("Введите имя — так вас представят капитану.")},
    )
    note = forms.CharField(
        label=_("О себе"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Необязательно: в чём сильны, с кем хотели бы играть."),
    )


# --- Captain: online answers and appeals ----------------------------------------------------


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Ответ"),
        max_length=500,
        error_messages={"required": _("Введите ответ.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    confident = forms.BooleanField(
        label=_("Уверены (+2 за верный, −2 за неверный)"), required=False
    )

    def __init__(self, *args, question: Question, **kwargs) -> None:
        kwargs.setdefault("prefix", f"q{question.pk}")
        super().__init__(*args, **kwargs)
        self.question = question
        if not question.round.confidence:
            del self.fields["confident"]


class AppealForm(forms.Form):
    note = forms.CharField(
        label=_("Почему ответ стоит засчитать"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Напишите доводы: их прочтёт ведущий.")},
    )


# --- Organisers: games, seasons, rounds, questions ------------------------------------------


def site_choices(current: ProductionSite | None = None) -> QuerySet[ProductionSite]:
    """Sites a game may be held at: those of enterprises that receive guests (and the one
    already chosen), so the select stays short in a registry of thousands."""
    sites = ProductionSite.objects.filter(enterprise__hosts_tours=True)
    if current is not None:
        sites = sites | ProductionSite.objects.filter(pk=current.pk)
    return sites.select_related("enterprise").order_by("enterprise__short_name", "name", "id")


class GameForm(forms.ModelForm):
    team_min = _number(_("Игроков в команде, от"), 1, 20, initial=2)
    team_max = _number(_("Игроков в команде, до"), 1, 20, initial=6)
    capacity = _number(_("Команд"), 1, 1000, initial=30)

    class Meta:
        model = Game
        fields = [
            "title",
            "theme",
            "description",
            "partner",
            "season",
            "league",
            "format",
            "starts_at",
            "site",
            "venue",
            "team_min",
            "team_max",
            "capacity",
            "registration_opens_at",
            "registration_closes_at",
            "tie_break",
            "status",
        ]
        labels = {
            "title": _("Название"),
            "theme": _("Тема"),
            "description": _("Описание"),
            "partner": _("Партнёр"),
            "season": _("Сезон"),
            "league": _("Лига"),
            "format": _("Формат"),
            "starts_at": _("Начало (Москва)"),
            "site": _("Площадка предприятия"),
            "venue": _("Место проведения"),
            "registration_opens_at": _("Регистрация открывается (Москва)"),
            "registration_closes_at": _("Регистрация закрывается (Москва)"),
            "tie_break": _("При равенстве очков"),
            "status": _("Состояние"),
        }
        help_texts = {
            "partner": _("Совместная игра с брендом квизов — название партнёра."),
            "venue": _("Например: «Технополис „Москва“, конференц-зал». Для онлайн-игр не нужно."),
            "site": _("Представители этого предприятия смогут вести игру: вносить очки."),
            "status": _("Черновик видят только организаторы; анонсированная игра — на сайте."),
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "starts_at": DateTimeLocalInput(),
            "registration_opens_at": DateTimeLocalInput(),
            "registration_closes_at": DateTimeLocalInput(),
        }
        error_messages = {
            "title": {"required": _("Введите название игры.")},
            "starts_at": {
                "required": _("Укажите дату и время начала."),
                "invalid": _("Дата и время в виде ДД.ММ.ГГГГ ЧЧ:ММ."),
            },
            "registration_opens_at": {"required": _("Укажите, когда открывается регистрация.")},
            "registration_closes_at": {"required": _("Укажите, когда закрывается регистрация.")},
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = site_choices(self.instance.site if self.instance else None)
        self.fields["site"].required = False
        self.fields["site"].empty_label = _("— не на площадке предприятия —")
        self.fields["season"].required = False
        self.fields["season"].empty_label = _("— вне сезона —")
        self.fields["season"].queryset = GameSeason.objects.order_by("-year", "name")

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("team_min"), cleaned.get("team_max")
        if low and high and high < low:
            self.add_error("team_max", _("Верхняя граница меньше нижней."))
        opens, closes = cleaned.get("registration_opens_at"), cleaned.get("registration_closes_at")
        starts = cleaned.get("starts_at")
        if opens and closes and closes <= opens:
            self.add_error(
                "registration_closes_at",
                _("Регистрация должна закрываться позже, чем открывается."),
            )
        elif closes and starts and closes > starts:
            self.add_error(
                "registration_closes_at", _("Регистрация должна закрыться до начала игры.")
            )
        fmt = cleaned.get("format")
        if (
            fmt
            and fmt != GameFormat.ONLINE
            and not cleaned.get("site")
            and not cleaned.get("venue")
        ):
            self.add_error("venue", _("Укажите место проведения или площадку предприятия."))
        capacity = cleaned.get("capacity")
        if self.instance.pk and capacity is not None and capacity < self.instance.taken:
            self.add_error(
                "capacity",
                _("Уже зарегистрировано команд: %(taken)s. Меньше мест сделать нельзя.")
                % {"taken": self.instance.taken},
            )
        return cleaned


class PlacePointsField(forms.CharField):
    """Place points typed as «130, 120, 110…»: a list of non-increasing whole numbers."""

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return []
        parts = [p for p in re.split(r"[\s,;]+", text.replace("…", "").strip()) if p]
        try:
            points = [int(p) for p in parts]
        except ValueError:
            raise forms.ValidationError(
                _("Только целые числа через запятую, например: 130, 120, 110, 100.")
            ) from None
        if any(p < 0 for p in points):
            raise forms.ValidationError(_("Очки не могут быть отрицательными."))
        for place, (higher, lower) in enumerate(itertools.pairwise(points), start=1):
            if lower > higher:
                raise forms.ValidationError(
                    _("За %(next)s-е место очков больше, чем за %(place)s-е.")
                    % {"next": place + 1, "place": place}
                )
        if len(points) > 200:
            raise forms.ValidationError(_("Не больше 200 мест в таблице."))
        return points

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(str(v) for v in value)
        return value


class SeasonForm(forms.ModelForm):
    place_points = PlacePointsField(
        label=_("Очки за места"),
        required=False,
        help_text=_(
            "Через запятую, начиная с 1-го места: 130, 120, 110, 100, 95, 90… "
            "Местам дальше списка — последнее число."
        ),
    )
    year = _number(_("Год"), 2000, 2100)
    best_n = _number(_("N лучших игр"), 1, 100, required=False)

    class Meta:
        model = GameSeason
        fields = ["name", "year", "place_points", "skipped_rule", "best_n"]
        labels = {"name": _("Название"), "skipped_rule": _("Правило для пропущенных игр")}
        error_messages = {"name": {"required": _("Введите название сезона.")}}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("skipped_rule") == SkippedGames.BEST_N and not cleaned.get("best_n"):
            self.add_error("best_n", _("Укажите, сколько лучших игр суммировать."))
        if cleaned.get("skipped_rule") == SkippedGames.ZERO:
            cleaned["best_n"] = None
        return cleaned


class RoundForm(forms.ModelForm):
    number = _number(_("Номер тура"), 1, 50)
    questions = _number(_("Вопросов"), 1, 100, initial=10)
    points_per_question = _number(_("Очков за вопрос"), 1, 10, initial=1)

    class Meta:
        model = Round
        fields = ["number", "title", "questions", "points_per_question", "confidence"]
        labels = {"title": _("Название"), "confidence": _("Ставка на уверенность (+2/−2)")}
        help_texts = {
            "confidence": _("Отмеченный ответ даёт +2, если верный, и −2, если нет."),
        }
        error_messages = {"title": {"required": _("Введите название тура.")}}

    def __init__(self, *args, game: Game, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.game = game

    def clean_number(self):
        number = self.cleaned_data["number"]
        taken = Round.objects.filter(game=self.game, number=number).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("Тур с номером %(n)s уже есть.") % {"n": number})
        return number


class QuestionForm(forms.ModelForm):
    number = _number(_("Номер вопроса"), 1, 100)

    class Meta:
        model = Question
        fields = ["number", "text", "accepted", "opens_at", "closes_at"]
        labels = {
            "text": _("Вопрос"),
            "accepted": _("Принимаемые ответы"),
            "opens_at": _("Открыт с (Москва)"),
            "closes_at": _("Открыт до (Москва)"),
        }
        help_texts = {
            "accepted": _(
                "По одному варианту в строке. Регистр, ё/е, знаки препинания и лишние "
                "пробелы не важны."
            ),
            "opens_at": _("Для онлайн-игры: с этого времени команды видят вопрос."),
        }
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "accepted": forms.Textarea(attrs={"rows": 3}),
            "opens_at": DateTimeLocalInput(),
            "closes_at": DateTimeLocalInput(),
        }
        error_messages = {
            "text": {"required": _("Введите текст вопроса.")},
            "accepted": {"required": _("Впишите хотя бы один верный ответ.")},
        }

    def __init__(self, *args, round: Round, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.round = round

    def clean_number(self):
        number = self.cleaned_data["number"]
        taken = Question.objects.filter(round=self.round, number=number).exclude(
            pk=self.instance.pk
        )
        if taken.exists():
            raise forms.ValidationError(_("Вопрос с номером %(n)s уже есть.") % {"n": number})
        return number

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("Вопрос должен закрываться позже, чем открывается."))
        if closes and not opens:
            self.add_error("opens_at", _("Укажите, когда вопрос открывается."))
        return cleaned


# --- Running a game -------------------------------------------------------------------------


class PenaltyForm(forms.Form):
    team = forms.ModelChoiceField(
        label=_("Команда"),
        queryset=Team.objects.none(),
        empty_label=_("— выберите команду —"),
        error_messages={
            "required": _("Выберите команду."),
            "invalid_choice": _("Выберите команду из списка."),
        },
    )
    points = _number(
        _("Штраф, очков"),
        1,
        100,
        error_messages={"required": _("Укажите, сколько очков снять.")},
    )
    reason = forms.CharField(
        label=_("Причина"),
        max_length=255,
        help_text=_("Например: «пользовались телефоном во время тура»."),
        error_messages={"required": _("Укажите причину штрафа.")},
    )

    def __init__(self, *args, teams: QuerySet[Team], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams


class PlaceSoloForm(forms.Form):
    team = forms.ModelChoiceField(
        label=_("Команда"),
        queryset=Team.objects.none(),
        empty_label=_("— выберите команду —"),
        error_messages={
            "required": _("Выберите команду."),
            "invalid_choice": _("Выберите команду из списка."),
        },
    )

    def __init__(self, *args, teams: QuerySet[Team], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams


class PrizeDrawForm(forms.Form):
    top = _number(
        _("Команды из первых N мест"),
        1,
        1000,
        required=False,
        help_text=_("Например, 3 — призёры. Пусто — места не важны."),
    )
    min_correct = _number(
        _("Не меньше K верных ответов"),
        1,
        1000,
        required=False,
        help_text=_("Для онлайн-игр: например, 10 из 12. Пусто — не важно."),
    )
    session = forms.ModelChoiceField(
        label=_("Экскурсия — приз"),
        queryset=None,
        empty_label=_("— выберите сеанс —"),
        error_messages={
            "required": _("Выберите сеанс экскурсии."),
            "invalid_choice": _("Выберите сеанс из списка."),
        },
    )
    places = _number(
        _("Сколько мест разыграть"),
        1,
        100,
        initial=1,
        help_text=_("Каждому победителю — одно место на сеансе; билет придёт капитану."),
    )

    def __init__(self, *args, sessions, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions
        self.fields["session"].label_from_instance = self.session_label

    @staticmethod
    def session_label(session) -> str:
        experience = session.experience
        return str(_("%(title)s — %(where)s, %(when)s (свободно: %(left)s)")) % {
            "title": experience.title,
            "where": experience.enterprise.short_name,
            "when": f"{clock.localtime(session.starts_at):%d.%m.%Y %H:%M}",
            "left": session.capacity - session.taken,
        }

    def clean(self):
        cleaned = super().clean()
        given = [cleaned.get("top"), cleaned.get("min_correct")]
        typed_wrong = "top" in self.errors or "min_correct" in self.errors
        if not any(given) and not typed_wrong:
            raise forms.ValidationError(
                _("Задайте условие: первые N мест и/или не меньше K верных ответов.")
            )
        return cleaned

    def condition(self) -> str:
        """The condition in words, as the draw stores it."""
        parts = []
        if top := self.cleaned_data.get("top"):
            parts.append(
                str(_("1-е место")) if top == 1 else _("места с 1-го по %(n)s-е") % {"n": top}
            )
        if k := self.cleaned_data.get("min_correct"):
            parts.append(
                ngettext("не меньше %(k)s верного ответа", "не меньше %(k)s верных ответов", k)
                % {"k": k}
            )
        if len(parts) == 2:
            return str(_("%(a)s и %(b)s")) % {"a": parts[0], "b": parts[1]}
        return parts[0]
