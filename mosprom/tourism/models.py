"""Industrial tourism: experiences at production sites, seasons of open days, sessions with
capacity, bookings with named participants, the waitlist, check-in and feedback.

The capacity invariants are the database's (docs/adr/0004-capacity-counters.md):
``Session.taken`` and ``SeasonAllowance.taken`` are counters with CHECK constraints, moved only
by conditional UPDATEs in ``tourism.booking`` in the same transaction as the booking row.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from mosprom.core import clock
from mosprom.core.models import TimeStampedModel
from mosprom.registry.models import Enterprise, ProductionSite


class ExperienceKind(models.TextChoices):
    EXCURSION = "excursion", _("Экскурсия")
    MASTER_CLASS = "master_class", _("Мастер-класс")
    LECTURE = "lecture", _("Лекция")
    TASTING = "tasting", _("Дегустация")
    SPECIAL_EVENT = "special_event", _("Специальное событие")
    ONLINE_TOUR = "online_tour", _("Онлайн-экскурсия")


class IdRequirement(models.TextChoices):
    NONE = "none", _("Не требуется")
    FULL_NAME = "full_name", _("ФИО участников")
    PASSPORT = "passport", _("Паспортные данные (режимный объект)")


class Experience(TimeStampedModel):
    """Something a visitor can attend at an enterprise's site (sessions say when)."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="experiences", verbose_name="предприятие"
    )
    site = models.ForeignKey(
        ProductionSite,
        on_delete=models.PROTECT,
        related_name="experiences",
        null=True,
        blank=True,
        verbose_name="площадка",
    )
    kind = models.CharField("формат", max_length=16, choices=ExperienceKind.choices)
    title = models.CharField("название", max_length=255)
    description = models.TextField("описание", blank=True)
    duration_minutes = models.PositiveIntegerField("продолжительность, мин", default=90)
    min_age = models.PositiveSmallIntegerField("минимальный возраст", default=0)
    group_size = models.PositiveIntegerField("размер группы", default=20)
    max_places_per_booking = models.PositiveSmallIntegerField(
        "мест в одной заявке", default=2, help_text="Сам посетитель и сопровождающие."
    )
    step_free = models.BooleanField("доступно для маломобильных посетителей", default=False)
    accessibility = models.TextField("доступная среда", blank=True)
    what_to_bring = models.TextField("что взять с собой", blank=True)
    meeting_point = models.CharField("место сбора", max_length=500, blank=True)
    id_requirement = models.CharField(
        "данные участников для пропуска",
        max_length=16,
        choices=IdRequirement.choices,
        default=IdRequirement.NONE,
    )
    is_published = models.BooleanField("опубликовано", default=True)

    class Meta:
        verbose_name = "программа посещения"
        verbose_name_plural = "программы посещения"
        ordering = ["title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_places_per_booking__gte=1), name="experience_places_per_booking"
            ),
            models.CheckConstraint(condition=Q(min_age__lte=21), name="experience_min_age_range"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from mosprom.core.links import reverse_one

        return reverse_one("tourism:experience_detail", self.pk)


class ExperiencePhoto(models.Model):
    experience = models.ForeignKey(Experience, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField("фото", upload_to="experiences/")
    alt_text = models.CharField("описание изображения", max_length=255)
    position = models.PositiveSmallIntegerField("порядок", default=0)

    class Meta:
        verbose_name = "фото"
        verbose_name_plural = "фото"
        ordering = ["experience_id", "position", "id"]

    def __str__(self) -> str:
        return self.alt_text


class AllocationMode(models.TextChoices):
    FIRST_COME = "first_come", _("В порядке очереди")
    LOTTERY = "lottery", _("Розыгрыш")


class Season(TimeStampedModel):
    """A window of open days with its own registration rules."""

    name = models.CharField("название", max_length=200)
    starts_on = models.DateField("первый день")
    ends_on = models.DateField("последний день")
    registration_opens_at = models.DateTimeField("открытие регистрации")
    close_days_before = models.PositiveSmallIntegerField(
        "закрытие регистрации, дней до начала", default=3
    )
    places_per_person = models.PositiveSmallIntegerField("мест на человека за сезон", default=3)
    no_show_limit = models.PositiveSmallIntegerField(
        "неявок до ограничения",
        default=2,
        help_text="После стольких неявок за сезон запись в этом сезоне закрывается. "
        "0 — без ограничения.",
    )
    offer_hours = models.PositiveSmallIntegerField("часов на ответ по листу ожидания", default=12)
    mode = models.CharField(
        "распределение мест",
        max_length=16,
        choices=AllocationMode.choices,
        default=AllocationMode.FIRST_COME,
    )

    class Meta:
        verbose_name = "сезон"
        verbose_name_plural = "сезоны"
        ordering = ["-starts_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="season_dates"),
            models.CheckConstraint(
                condition=Q(places_per_person__gte=1), name="season_places_per_person"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Запланирован")
    CANCELLED = "cancelled", _("Отменён")


class Session(TimeStampedModel):
    """An experience at a given time with a number of places."""

    experience = models.ForeignKey(Experience, on_delete=models.PROTECT, related_name="sessions")
    season = models.ForeignKey(Season, on_delete=models.PROTECT, related_name="sessions")
    starts_at = models.DateTimeField("начало", db_index=True)
    ends_at = models.DateTimeField("окончание")
    capacity = models.PositiveIntegerField("мест")
    # Places held by confirmed bookings and by open waitlist offers. Moved only by the
    # conditional UPDATEs in tourism.booking / tourism.waitlist.
    taken = models.PositiveIntegerField("занято", default=0, editable=False)
    status = models.CharField(
        "состояние", max_length=16, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )
    cancelled_at = models.DateTimeField("отменён", null=True, blank=True)
    cancel_reason = models.TextField("причина отмены", blank=True)
    # Null: the season's mode decides (organisers may mix modes within a season).
    mode = models.CharField(
        "распределение мест",
        max_length=16,
        choices=AllocationMode.choices,
        null=True,
        blank=True,
        help_text="Пусто — как в сезоне.",
    )

    class Meta:
        verbose_name = "сеанс"
        verbose_name_plural = "сеансы"
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(taken__lte=F("capacity")), name="session_taken_lte_capacity"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["season", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.experience} — {clock.localtime(self.starts_at):%d.%m.%Y %H:%M}"

    @property
    def places_left(self) -> int:
        return max(self.capacity - self.taken, 0)

    @property
    def allocation_mode(self) -> str:
        """The session's own mode, or its season's when none is set."""
        return self.mode or self.season.mode

    @property
    def is_lottery(self) -> bool:
        return self.allocation_mode == AllocationMode.LOTTERY

    def registration_closes_at(self) -> dt.datetime:
        """Registration closes at midnight (Moscow) ``close_days_before`` days before the start.

        Remembered on the instance for as long as the two inputs stay the same (a booking
        asks three times: the rules, the availability and the answer)."""
        inputs = (self.starts_at, self.season.close_days_before)
        known = self.__dict__.get("_closes_at")
        if known is not None and known[0] == inputs:
            return known[1]
        start_day = clock.localtime(self.starts_at).date()
        closing = clock.start_of_day(start_day - dt.timedelta(days=self.season.close_days_before))
        self.__dict__["_closes_at"] = (inputs, closing)
        return closing


class SeasonAllowance(models.Model):
    """How many places a person holds in a season: the per-person quota counter."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="allowances")
    allowed = models.PositiveSmallIntegerField()
    taken = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "квота посетителя"
        verbose_name_plural = "квоты посетителей"
        constraints = [
            models.UniqueConstraint(fields=["user", "season"], name="allowance_unique"),
            models.CheckConstraint(
                condition=Q(taken__lte=F("allowed")), name="allowance_taken_lte_allowed"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.season_id}: {self.taken}/{self.allowed}"


def new_ticket_code() -> str:
    """A short code a person can read out or type at the door: 8 characters, no look-alikes."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # 32: a random byte's low 5 bits pick evenly
    return "".join(alphabet[byte & 31] for byte in secrets.token_bytes(8))


class BookingStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Подтверждена")
    CANCELLED = "cancelled", _("Отменена")


class Booking(TimeStampedModel):
    """Places on a session for a visitor and their companions; one ticket per booking."""

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="bookings")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bookings"
    )
    places = models.PositiveSmallIntegerField("мест")
    status = models.CharField(
        "состояние", max_length=16, choices=BookingStatus.choices, default=BookingStatus.CONFIRMED
    )
    code = models.CharField("код билета", max_length=8, unique=True, default=new_ticket_code)
    idempotency_key = models.CharField(max_length=64, null=True, blank=True)
    cancelled_at = models.DateTimeField("отменена", null=True, blank=True)
    cancelled_by_session = models.BooleanField(default=False)
    checked_in_at = models.DateTimeField("отмечен на входе", null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    no_show = models.BooleanField("неявка", default=False)
    reminder_task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = "запись"
        verbose_name_plural = "записи"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=Q(status="confirmed"),
                name="booking_one_active_per_person",
            ),
            models.UniqueConstraint(
                fields=["user", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="booking_idempotency_key",
            ),
            models.CheckConstraint(condition=Q(places__gte=1), name="booking_places_positive"),
        ]
        indexes = [
            models.Index(fields=["session", "status"]),
            # Participants per period (analytics, the audience) sum places of confirmed
            # bookings by session: an index-only scan instead of reading every booking.
            models.Index(
                fields=["session", "places", "no_show"],
                condition=Q(status="confirmed"),
                name="booking_confirmed_places",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.session}"

    @property
    def is_active(self) -> bool:
        return self.status == BookingStatus.CONFIRMED


class Participant(models.Model):
    """A named person on a booking (the booker is the first)."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="participants")
    position = models.PositiveSmallIntegerField(default=0)
    full_name = models.CharField("ФИО", max_length=255)
    birth_date = models.DateField("дата рождения", null=True, blank=True)
    # Fernet ciphertext of the passport series and number (tourism.personal_data); emptied by
    # the purge after the retention period, when passport_purged_at is set.
    passport_encrypted = models.TextField(blank=True)
    passport_purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "участник"
        verbose_name_plural = "участники"
        ordering = ["booking_id", "position", "id"]

    def __str__(self) -> str:
        return self.full_name


class WaitlistStatus(models.TextChoices):
    WAITING = "waiting", _("В очереди")
    OFFERED = "offered", _("Предложены места")
    ACCEPTED = "accepted", _("Места приняты")
    DECLINED = "declined", _("Отказ")
    EXPIRED = "expired", _("Предложение истекло")
    LEFT = "left", _("Покинул очередь")


class WaitlistEntry(TimeStampedModel):
    """A visitor waiting for places on a full session. An open offer holds its places."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="waitlist")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    places = models.PositiveSmallIntegerField("мест")
    status = models.CharField(
        max_length=16, choices=WaitlistStatus.choices, default=WaitlistStatus.WAITING
    )
    offered_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    booking = models.OneToOneField(
        Booking, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "место в листе ожидания"
        verbose_name_plural = "лист ожидания"
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=Q(status__in=["waiting", "offered"]),
                name="waitlist_one_open_per_person",
            ),
            models.CheckConstraint(condition=Q(places__gte=1), name="waitlist_places_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.session_id} ({self.status})"


class Feedback(TimeStampedModel):
    """A visitor's rating of an experience they attended."""

    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="feedback")
    rating = models.PositiveSmallIntegerField("оценка")
    comment = models.TextField("отзыв", blank=True)

    class Meta:
        verbose_name = "отзыв"
        verbose_name_plural = "отзывы"
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="feedback_rating_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rating}★ {self.booking_id}"


class LotteryStatus(models.TextChoices):
    APPLIED = "applied", _("Заявка принята")
    WON = "won", _("Выигрыш")
    LOST = "lost", _("Не выиграла")
    VOID = "void", _("Аннулирована")
    WITHDRAWN = "withdrawn", _("Отозвана")


class LotteryApplication(TimeStampedModel):
    """A visitor's application for places on a lottery session, with named companions."""

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="applications")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="lottery_applications"
    )
    places = models.PositiveSmallIntegerField("мест")
    status = models.CharField(
        "состояние", max_length=16, choices=LotteryStatus.choices, default=LotteryStatus.APPLIED
    )
    # Why the application was voided or did not win, in Russian, for the applicant.
    outcome = models.TextField("итог", blank=True)
    booking = models.OneToOneField(
        Booking, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField("отозвана", null=True, blank=True)

    class Meta:
        verbose_name = "заявка на розыгрыш"
        verbose_name_plural = "заявки на розыгрыш"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=~Q(status="withdrawn"),
                name="lottery_one_active_per_person",
            ),
            models.CheckConstraint(condition=Q(places__gte=1), name="lottery_places_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.session_id} ({self.status})"


class LotteryParticipant(models.Model):
    """A person named on a lottery application (the applicant is the first)."""

    application = models.ForeignKey(
        LotteryApplication, on_delete=models.CASCADE, related_name="participants"
    )
    position = models.PositiveSmallIntegerField(default=0)
    full_name = models.CharField("ФИО", max_length=255)
    birth_date = models.DateField("дата рождения", null=True, blank=True)
    passport_encrypted = models.TextField(blank=True)

    class Meta:
        verbose_name = "участник заявки"
        verbose_name_plural = "участники заявок"
        ordering = ["application_id", "position", "id"]

    def __str__(self) -> str:
        return self.full_name


class LotteryDraw(models.Model):
    """The draw of a lottery session: created with the first application, drawn at the close.

    ``seed`` and ``order`` (application ids) are published; ``result`` maps each outcome
    (won, waitlisted, lost, void) to application ids in drawn order.
    """

    session = models.OneToOneField(Session, on_delete=models.PROTECT, related_name="lottery")
    closes_at = models.DateTimeField("приём заявок до")
    seed = models.CharField("зерно", max_length=64, blank=True)
    order = models.JSONField("порядок", default=list, blank=True)
    result = models.JSONField("результат", default=dict, blank=True)
    drawn_at = models.DateTimeField("проведён", null=True, blank=True)

    class Meta:
        verbose_name = "розыгрыш"
        verbose_name_plural = "розыгрыши"

    def __str__(self) -> str:
        return f"lottery {self.session_id}"

    @property
    def is_drawn(self) -> bool:
        return self.drawn_at is not None
