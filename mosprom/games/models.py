"""Intellectual games: quiz nights with teams, rounds, scores, online answers and season tables.

The team limit is the database's, as for tour sessions (docs/adr/0004-capacity-counters.md):
``Game.taken`` counts registered teams under a CHECK (``taken <= capacity``) and is moved only
by the conditional UPDATEs in ``games.registration`` in the same transaction as the team row.
A team's name is unique within a game among teams that are in (registered or waitlisted),
compared case- and space-insensitively through ``Team.name_key``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from mosprom.core import clock
from mosprom.core.models import TimeStampedModel
from mosprom.registry.models import ProductionSite


def name_key(name: str) -> str:
    """A team name as compared for uniqueness: case-folded, ё as е, spaces collapsed."""
    return " ".join((name or "").casefold().replace("ё", "е").split())


class League(models.TextChoices):
    ADULTS = "adults", _("Взрослая лига")
    SCHOOLS = "schools", _("Школьная лига (8–11 классы)")


class GameFormat(models.TextChoices):
    OFFLINE = "offline", _("Очно")
    ONLINE = "online", _("Онлайн")
    HYBRID = "hybrid", _("Смешанный")


class TieBreak(models.TextChoices):
    LAST_ROUND = "last_round", _("Лучший результат в последнем туре")
    BEST_ROUND = "best_round", _("Лучший результат в одном туре")
    QUESTION_RATING = "question_rating", _("Рейтинг вопросов")


class SkippedGames(models.TextChoices):
    ZERO = "zero", _("Пропущенная игра — 0 очков, суммируются все игры")
    BEST_N = "best_n", _("Суммируются лучшие N игр команды")


class GameSeason(TimeStampedModel):
    """A season of games with its standings table per league."""

    name = models.CharField("название", max_length=200)
    year = models.PositiveSmallIntegerField("год")
    # Points for 1st, 2nd, 3rd… place; places beyond the list get the last value (or 0 if empty).
    place_points = models.JSONField(
        "очки за места", default=list, help_text="Например: 130, 120, 110, 100, 95, 90"
    )
    skipped_rule = models.CharField(
        "правило для пропущенных игр",
        max_length=8,
        choices=SkippedGames.choices,
        default=SkippedGames.ZERO,
    )
    best_n = models.PositiveSmallIntegerField("N лучших игр", null=True, blank=True)

    class Meta:
        verbose_name = "сезон игр"
        verbose_name_plural = "сезоны игр"
        ordering = ["-year", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(skipped_rule="best_n") | Q(best_n__gte=1),
                name="gameseason_best_n_set",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def points_for_place(self, place: int) -> int:
        table = [int(p) for p in self.place_points or []]
        if not table:
            return 0
        return table[place - 1] if place <= len(table) else table[-1]


class GameStatus(models.TextChoices):
    DRAFT = "draft", _("Черновик")
    PUBLISHED = "published", _("Анонсирована")
    CANCELLED = "cancelled", _("Отменена")


class Game(TimeStampedModel):
    season = models.ForeignKey(
        GameSeason,
        on_delete=models.PROTECT,
        related_name="games",
        null=True,
        blank=True,
        verbose_name="сезон",
    )
    title = models.CharField("название", max_length=255)
    theme = models.CharField("тема", max_length=255, blank=True)
    description = models.TextField("описание", blank=True)
    partner = models.CharField(
        "партнёр", max_length=200, blank=True, help_text="Совместная игра с брендом квизов."
    )
    starts_at = models.DateTimeField("начало", db_index=True)
    site = models.ForeignKey(
        ProductionSite,
        on_delete=models.PROTECT,
        related_name="games",
        null=True,
        blank=True,
        verbose_name="площадка предприятия",
    )
    venue = models.CharField(
        "место проведения", max_length=255, blank=True, help_text="Например: Технополис «Москва»."
    )
    format = models.CharField(
        "формат", max_length=8, choices=GameFormat.choices, default=GameFormat.OFFLINE
    )
    league = models.CharField("лига", max_length=8, choices=League.choices, default=League.ADULTS)
    team_min = models.PositiveSmallIntegerField("игроков в команде, от", default=2)
    team_max = models.PositiveSmallIntegerField("игроков в команде, до", default=6)
    capacity = models.PositiveIntegerField("команд")
    # Registered teams. Moved only by the conditional UPDATEs in games.registration.
    taken = models.PositiveIntegerField("зарегистрировано", default=0, editable=False)
    registration_opens_at = models.DateTimeField("открытие регистрации")
    registration_closes_at = models.DateTimeField("закрытие регистрации")
    tie_break = models.CharField(
        "при равенстве очков", max_length=16, choices=TieBreak.choices, default=TieBreak.LAST_ROUND
    )
    status = models.CharField(
        "состояние", max_length=12, choices=GameStatus.choices, default=GameStatus.DRAFT
    )
    results_published_at = models.DateTimeField("итоги опубликованы", null=True, blank=True)

    class Meta:
        verbose_name = "игра"
        verbose_name_plural = "игры"
        ordering = ["-starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(taken__lte=F("capacity")), name="game_taken_lte_capacity"
            ),
            models.CheckConstraint(condition=Q(team_min__gte=1), name="game_team_min_positive"),
            models.CheckConstraint(
                condition=Q(team_max__gte=F("team_min")), name="game_team_range"
            ),
            models.CheckConstraint(
                condition=Q(registration_closes_at__gt=F("registration_opens_at")),
                name="game_registration_window",
            ),
        ]
        indexes = [models.Index(fields=["season", "league"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("games:game_detail", args=[self.pk])

    @property
    def places_left(self) -> int:
        return max(self.capacity - self.taken, 0)

    @property
    def venue_label(self) -> str:
        if self.format == GameFormat.ONLINE:
            return str(_("Онлайн"))
        if self.site_id:
            return self.venue or str(self.site)
        return self.venue

    def registration_open(self, now=None) -> bool:
        now = now or clock.now()
        return (
            self.status == GameStatus.PUBLISHED
            and self.registration_opens_at <= now < self.registration_closes_at
        )


class TeamStatus(models.TextChoices):
    REGISTERED = "registered", _("Зарегистрирована")
    WAITLISTED = "waitlisted", _("В листе ожидания")
    WITHDRAWN = "withdrawn", _("Снялась")


ACTIVE_TEAM = (TeamStatus.REGISTERED, TeamStatus.WAITLISTED)


class Team(TimeStampedModel):
    game = models.ForeignKey(Game, on_delete=models.CASCADE, related_name="teams")
    captain = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="captained_teams"
    )
    name = models.CharField("название команды", max_length=100)
    name_key = models.CharField(max_length=100, editable=False)
    organisation = models.CharField("школа или организация", max_length=255, blank=True)
    status = models.CharField(
        "состояние", max_length=12, choices=TeamStatus.choices, default=TeamStatus.REGISTERED
    )
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    promoted_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "команда"
        verbose_name_plural = "команды"
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["game", "name_key"],
                condition=Q(status__in=["registered", "waitlisted"]),
                name="team_name_unique_in_game",
            ),
            models.UniqueConstraint(
                fields=["game", "captain"],
                condition=Q(status__in=["registered", "waitlisted"]),
                name="team_one_per_captain",
            ),
        ]
        indexes = [models.Index(fields=["game", "status"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_key = name_key(self.name)
        super().save(*args, **kwargs)


class TeamMember(models.Model):
    """A player on a roster; ``user`` is set when the player is known by an account (the
    captain, a placed solo player), which is how unique players are counted."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    position = models.PositiveSmallIntegerField(default=0)
    full_name = models.CharField("имя", max_length=255)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "игрок"
        verbose_name_plural = "игроки"
        ordering = ["team_id", "position", "id"]

    def __str__(self) -> str:
        return self.full_name


class SoloStatus(models.TextChoices):
    WAITING = "waiting", _("Ищет команду")
    PLACED = "placed", _("В команде")
    WITHDRAWN = "withdrawn", _("Больше не ищет команду")


class SoloPlayer(TimeStampedModel):
    """A player looking for a team; the organiser places them."""

    game = models.ForeignKey(Game, on_delete=models.CASCADE, related_name="solo_players")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    full_name = models.CharField("имя", max_length=255)
    note = models.CharField("о себе", max_length=500, blank=True)
    status = models.CharField(max_length=12, choices=SoloStatus.choices, default=SoloStatus.WAITING)
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="placed_solos"
    )

    class Meta:
        verbose_name = "игрок без команды"
        verbose_name_plural = "игроки без команды"
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["game", "user"],
                condition=Q(status__in=["waiting", "placed"]),
                name="solo_one_per_game",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name


class Round(models.Model):
    game = models.ForeignKey(Game, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField("номер")
    title = models.CharField("название", max_length=200)
    questions = models.PositiveSmallIntegerField("вопросов", default=10)
    points_per_question = models.PositiveSmallIntegerField("очков за вопрос", default=1)
    # Confidence: a marked answer scores +2 if right and −2 if wrong (instead of 1 / 0).
    confidence = models.BooleanField("ставка на уверенность (+2/−2)", default=False)

    class Meta:
        verbose_name = "тур"
        verbose_name_plural = "туры"
        ordering = ["game_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["game", "number"], name="round_number_unique"),
            models.CheckConstraint(condition=Q(questions__gte=1), name="round_questions_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def max_points(self) -> int:
        per = 2 if self.confidence else self.points_per_question
        return self.questions * max(per, self.points_per_question)

    @property
    def min_points(self) -> int:
        return -2 * self.questions if self.confidence else 0


class Question(models.Model):
    """A question of an online round: published in a time window, answers checked against
    the accepted variants (one per line)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="question_set")
    number = models.PositiveSmallIntegerField("номер")
    text = models.TextField("вопрос")
    accepted = models.TextField("принимаемые ответы", help_text="По одному варианту в строке.")
    opens_at = models.DateTimeField("открыт с", null=True, blank=True)
    closes_at = models.DateTimeField("открыт до", null=True, blank=True)

    class Meta:
        verbose_name = "вопрос"
        verbose_name_plural = "вопросы"
        ordering = ["round_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "number"], name="question_number_unique"),
            models.CheckConstraint(
                condition=Q(closes_at__isnull=True)
                | Q(opens_at__isnull=True)
                | Q(closes_at__gt=F("opens_at")),
                name="question_window",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round.number}.{self.number}"

    @property
    def accepted_variants(self) -> list[str]:
        return [line.strip() for line in self.accepted.splitlines() if line.strip()]


class AnswerStatus(models.TextChoices):
    CORRECT = "correct", _("Верно")
    WRONG = "wrong", _("Неверно")
    REVIEW = "review", _("На проверке")


class Answer(TimeStampedModel):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    text = models.CharField("ответ", max_length=500)
    confident = models.BooleanField("уверены", default=False)
    status = models.CharField(max_length=8, choices=AnswerStatus.choices)
    appealed = models.BooleanField("апелляция", default=False)
    appeal_note = models.CharField("доводы апелляции", max_length=1000, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "ответ"
        verbose_name_plural = "ответы"
        ordering = ["question_id", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["team", "question"], name="answer_one_per_question"),
        ]

    def __str__(self) -> str:
        return self.text


class Score(models.Model):
    """A team's points in a round as the host entered them (offline), the latest value; every
    change is in ``ScoreChange``. For online rounds without a host entry the points are the
    checked answers'."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="scores")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="scores")
    points = models.IntegerField("очки")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "очки за тур"
        verbose_name_plural = "очки за туры"
        constraints = [
            models.UniqueConstraint(fields=["team", "round"], name="score_one_per_round"),
        ]

    def __str__(self) -> str:
        return f"{self.team_id}@{self.round_id}: {self.points}"


class ScoreChange(models.Model):
    """History of the score grid: who set what, when (``points`` null: the entry was cleared)."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    points = models.IntegerField(null=True)
    previous = models.IntegerField(null=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.team_id}@{self.round_id}: {self.previous} → {self.points}"


class Penalty(models.Model):
    """Points taken off a team in a game (e.g. −10 for using a gadget)."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="penalties")
    points = models.PositiveSmallIntegerField("штраф, очков")
    reason = models.CharField("причина", max_length=255)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = "штраф"
        verbose_name_plural = "штрафы"
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(points__gte=1), name="penalty_positive"),
        ]

    def __str__(self) -> str:
        return f"−{self.points}: {self.reason}"


class PrizeDraw(models.Model):
    """A seeded draw among teams (or their captains) that met a condition, for places on a
    tour session; winners get tickets the normal way."""

    game = models.ForeignKey(Game, on_delete=models.CASCADE, related_name="prize_draws")
    session = models.ForeignKey(
        "tourism.Session", on_delete=models.PROTECT, related_name="+", verbose_name="сеанс"
    )
    condition = models.CharField("условие", max_length=255)
    places = models.PositiveSmallIntegerField("мест")
    seed = models.CharField(max_length=64)
    candidates = models.JSONField(default=list)  # team ids in the order they were ranked
    winners = models.JSONField(default=list)  # team ids, in drawn order
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    drawn_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = "розыгрыш призов"
        verbose_name_plural = "розыгрыши призов"
        ordering = ["-drawn_at", "id"]

    def __str__(self) -> str:
        return f"{self.game_id}: {self.condition}"
