"""Export support: business missions, joint stands at international fairs and B2B sessions;
calls for applications with weighted criteria; companies' applications and their selection;
participation (checklist, B2B meetings), outcome reports with contracts; the yearly fair vote.

The places limit is the database's, as for tour sessions (docs/adr/0004-capacity-counters.md):
``ExportEvent.taken`` counts accepted, confirmed and participating applications under a CHECK
(``taken <= places``) and is moved only by conditional UPDATEs in ``export.applications`` in the
same transaction as the status change. The fair vote's limit per enterprise is a counter too
(``VoteBallot.used <= allowed``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from mosprom.core import clock
from mosprom.core.models import TimeStampedModel
from mosprom.registry.models import Enterprise, Industry, Product


class EventKind(models.TextChoices):
    MISSION = "mission", _("Бизнес-миссия")
    EXHIBITION = "exhibition", _("Международная выставка (коллективный стенд)")
    B2B = "b2b", _("Сессия B2B-встреч")


class ExportEvent(TimeStampedModel):
    kind = models.CharField("вид", max_length=12, choices=EventKind.choices)
    title = models.CharField("название", max_length=255)
    title_en = models.CharField("название (англ.)", max_length=255, blank=True)
    title_zh = models.CharField("название (кит.)", max_length=255, blank=True)
    description = models.TextField("описание", blank=True)
    description_en = models.TextField("описание (англ.)", blank=True)
    description_zh = models.TextField("описание (кит.)", blank=True)
    show_chinese = models.BooleanField("витрина на китайском", default=False)
    country = models.CharField("страна", max_length=100)
    city = models.CharField("город", max_length=100)
    starts_on = models.DateField("начало")
    ends_on = models.DateField("окончание")
    industries = models.ManyToManyField(
        Industry, blank=True, related_name="export_events", verbose_name="отрасли в фокусе"
    )
    places = models.PositiveIntegerField(
        "мест", help_text="Места на коллективном стенде или в делегации."
    )
    # Accepted, confirmed and participating applications. Moved only by the conditional
    # UPDATEs in export.applications.
    taken = models.PositiveIntegerField("занято", default=0, editable=False)
    city_covers = models.TextField("что оплачивает город", blank=True)
    company_pays = models.TextField("что оплачивает компания", blank=True)
    is_published = models.BooleanField("опубликовано", default=False)

    class Meta:
        verbose_name = "экспортное мероприятие"
        verbose_name_plural = "экспортные мероприятия"
        ordering = ["-starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(taken__lte=F("places")), name="export_event_taken_lte_places"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="export_event_dates"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("export:event_detail", args=[self.pk])

    @property
    def places_left(self) -> int:
        return max(self.places - self.taken, 0)

    @property
    def is_over(self) -> bool:
        return self.ends_on < clock.today()


class EventRate(models.Model):
    """The rate at which a contract currency converts to roubles for this event's figures
    (entered by an organiser; roubles need none)."""

    event = models.ForeignKey(ExportEvent, on_delete=models.CASCADE, related_name="rates")
    currency = models.CharField("валюта", max_length=3, help_text="Код ISO 4217, напр. CNY.")
    rub_per_unit = models.DecimalField("рублей за единицу", max_digits=12, decimal_places=4)

    class Meta:
        verbose_name = "курс валюты"
        verbose_name_plural = "курсы валют"
        ordering = ["event_id", "currency"]
        constraints = [
            models.UniqueConstraint(fields=["event", "currency"], name="event_rate_unique"),
            models.CheckConstraint(condition=Q(rub_per_unit__gt=0), name="event_rate_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.currency} = {self.rub_per_unit} ₽"


class Call(TimeStampedModel):
    """The call for applications of an event."""

    event = models.OneToOneField(ExportEvent, on_delete=models.CASCADE, related_name="call")
    opens_at = models.DateTimeField("приём заявок с")
    closes_at = models.DateTimeField("приём заявок до")
    required_documents = models.TextField(
        "обязательные документы", blank=True, help_text="По одному в строке."
    )

    class Meta:
        verbose_name = "приём заявок"
        verbose_name_plural = "приём заявок"
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=F("opens_at")), name="call_window"),
        ]

    def __str__(self) -> str:
        return str(self.event)

    @property
    def documents(self) -> list[str]:
        return [line.strip() for line in self.required_documents.splitlines() if line.strip()]

    def is_open(self, now=None) -> bool:
        now = now or clock.now()
        return self.opens_at <= now < self.closes_at


class Criterion(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField("критерий", max_length=200)
    weight = models.PositiveSmallIntegerField(
        "вес", validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    max_score = models.PositiveSmallIntegerField("наибольшая оценка", default=10)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "критерий отбора"
        verbose_name_plural = "критерии отбора"
        ordering = ["call_id", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=1) & Q(weight__lte=100), name="criterion_weight_range"
            ),
            models.CheckConstraint(condition=Q(max_score__gte=1), name="criterion_max_score"),
        ]

    def __str__(self) -> str:
        return f"{self.name} (×{self.weight})"


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Черновик")
    SUBMITTED = "submitted", _("Подана")
    IN_REVIEW = "in_review", _("На рассмотрении")
    ACCEPTED = "accepted", _("Одобрена")
    WAITLISTED = "waitlisted", _("В листе ожидания")
    REJECTED = "rejected", _("Отклонена")
    CONFIRMED = "confirmed", _("Участие подтверждено")
    PARTICIPATED = "participated", _("Компания участвовала")
    WITHDRAWN = "withdrawn", _("Отозвана")


# Statuses that hold one of the event's places.
HOLDS_PLACE = (
    ApplicationStatus.ACCEPTED,
    ApplicationStatus.CONFIRMED,
    ApplicationStatus.PARTICIPATED,
)
CLOSED = (ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN)


class Application(TimeStampedModel):
    event = models.ForeignKey(ExportEvent, on_delete=models.PROTECT, related_name="applications")
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="export_applications"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        "состояние",
        max_length=12,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
    )
    products = models.ManyToManyField(
        Product, blank=True, related_name="export_applications", verbose_name="продукция"
    )
    export_experience = models.TextField("опыт экспорта", blank=True)
    target_markets = models.CharField("целевые рынки", max_length=500, blank=True)
    contact_name = models.CharField("контактное лицо", max_length=255, blank=True)
    contact_email = models.EmailField("e-mail контактного лица", blank=True)
    contact_phone = models.CharField("телефон контактного лица", max_length=32, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    waitlisted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "заявка на экспортное мероприятие"
        verbose_name_plural = "заявки на экспортные мероприятия"
        ordering = ["-created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "enterprise"],
                condition=~Q(status__in=["rejected", "withdrawn"]),
                name="application_one_open_per_enterprise",
            ),
        ]
        indexes = [models.Index(fields=["event", "status"])]

    def __str__(self) -> str:
        return f"{self.enterprise} → {self.event}"


class ApplicationTransition(models.Model):
    """Every change of an application's state: from, to, who, when, why."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(max_length=12, choices=ApplicationStatus.choices)
    to_status = models.CharField(max_length=12, choices=ApplicationStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=clock.now)
    comment = models.CharField("комментарий", max_length=1000, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.from_status} → {self.to_status}"


def private_storage():
    """Where application documents live: never under MEDIA_URL, served only through a view
    that checks who asks (``STORAGES["private"]``)."""
    from django.core.files.storage import storages

    return storages["private"]


class ApplicationDocument(models.Model):
    """A PDF attached to an application (kept in the private storage)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField("документ", max_length=255)
    file = models.FileField(upload_to="export/documents/%Y/%m/", storage=private_storage)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = "документ заявки"
        verbose_name_plural = "документы заявок"
        ordering = ["application_id", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.title


class CriterionScore(models.Model):
    """An organiser's score of an application against one criterion (the latest counts)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    score = models.PositiveSmallIntegerField("оценка")
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    scored_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["application", "criterion"], name="criterion_score_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}/{self.criterion_id}: {self.score}"


class ChecklistKind(models.TextChoices):
    STAND = "stand", _("Стенд")
    SHIPPING = "shipping", _("Доставка экспонатов")
    VISA = "visa", _("Визовое письмо")
    TRAVEL = "travel", _("Проезд и проживание")
    OTHER = "other", _("Другое")


class ChecklistItem(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="checklist")
    kind = models.CharField(max_length=12, choices=ChecklistKind.choices)
    title = models.CharField("пункт", max_length=255)
    done = models.BooleanField("выполнено", default=False)
    done_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField("примечание", max_length=500, blank=True)

    class Meta:
        verbose_name = "пункт подготовки"
        verbose_name_plural = "подготовка к участию"
        ordering = ["application_id", "id"]

    def __str__(self) -> str:
        return self.title


class MeetingResult(models.TextChoices):
    PLANNED = "planned", _("Запланирована")
    HELD = "held", _("Состоялась")
    AGREEMENT = "agreement", _("Соглашение о намерениях")
    CONTRACT = "contract", _("Контракт")
    CANCELLED = "cancelled", _("Не состоялась")


class Meeting(models.Model):
    """A B2B meeting of a participant with a foreign counterpart."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="meetings")
    counterpart = models.CharField("компания-партнёр", max_length=255)
    country = models.CharField("страна", max_length=100)
    starts_at = models.DateTimeField("время")
    result = models.CharField(
        "итог", max_length=12, choices=MeetingResult.choices, default=MeetingResult.PLANNED
    )
    notes = models.CharField("заметки", max_length=1000, blank=True)

    class Meta:
        verbose_name = "B2B-встреча"
        verbose_name_plural = "B2B-встречи"
        ordering = ["application_id", "starts_at", "id"]

    def __str__(self) -> str:
        return self.counterpart


class OutcomeReport(TimeStampedModel):
    """What a participant reports after the event."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="outcome"
    )
    meetings_held = models.PositiveIntegerField("проведено встреч", default=0)
    agreements = models.PositiveIntegerField("соглашений о намерениях", default=0)
    expected_export_rub = models.DecimalField(
        "ожидаемый объём экспорта, ₽", max_digits=16, decimal_places=2, default=0
    )
    quote = models.TextField("цитата для публикации", blank=True)
    quote_author = models.CharField("автор цитаты", max_length=255, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "отчёт об итогах участия"
        verbose_name_plural = "отчёты об итогах участия"
        constraints = [
            models.CheckConstraint(
                condition=Q(expected_export_rub__gte=0), name="outcome_export_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return str(self.application)


class Contract(models.Model):
    report = models.ForeignKey(OutcomeReport, on_delete=models.CASCADE, related_name="contracts")
    counterpart = models.CharField("покупатель", max_length=255)
    country = models.CharField("страна", max_length=100, blank=True)
    value = models.DecimalField("сумма", max_digits=16, decimal_places=2)
    currency = models.CharField("валюта", max_length=3, default="RUB")
    signed_on = models.DateField("дата подписания", null=True, blank=True)

    class Meta:
        verbose_name = "контракт"
        verbose_name_plural = "контракты"
        ordering = ["report_id", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(value__gt=0), name="contract_value_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.counterpart}: {self.value} {self.currency}"


class VoteRound(TimeStampedModel):
    """The yearly vote on which fairs the city should go to."""

    year = models.PositiveSmallIntegerField("год выставок", unique=True)
    votes_per_enterprise = models.PositiveSmallIntegerField("голосов у предприятия", default=3)
    opens_at = models.DateTimeField("голосование с")
    closes_at = models.DateTimeField("голосование до")
    results_published = models.BooleanField("итоги опубликованы", default=False)

    class Meta:
        verbose_name = "голосование по выставкам"
        verbose_name_plural = "голосования по выставкам"
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=F("opens_at")), name="vote_window"),
            models.CheckConstraint(
                condition=Q(votes_per_enterprise__gte=1), name="vote_limit_positive"
            ),
        ]

    def __str__(self) -> str:
        return str(self.year)


class FairCandidate(models.Model):
    round = models.ForeignKey(VoteRound, on_delete=models.CASCADE, related_name="candidates")
    title = models.CharField("выставка", max_length=255)
    country = models.CharField("страна", max_length=100)
    city = models.CharField("город", max_length=100)
    dates = models.CharField("сроки", max_length=100, blank=True)
    description = models.TextField("описание", blank=True)
    industries = models.ManyToManyField(Industry, blank=True, related_name="+")

    class Meta:
        verbose_name = "выставка-кандидат"
        verbose_name_plural = "выставки-кандидаты"
        ordering = ["round_id", "title", "id"]

    def __str__(self) -> str:
        return self.title


class VoteBallot(models.Model):
    """An enterprise's votes in a round: ``used`` never exceeds ``allowed`` (CHECK), moved by a
    conditional UPDATE in the same transaction as the vote row."""

    round = models.ForeignKey(VoteRound, on_delete=models.CASCADE, related_name="ballots")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="+")
    allowed = models.PositiveSmallIntegerField()
    used = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "enterprise"], name="ballot_unique"),
            models.CheckConstraint(condition=Q(used__lte=F("allowed")), name="ballot_within_limit"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id}@{self.round_id}: {self.used}/{self.allowed}"


class FairVote(models.Model):
    candidate = models.ForeignKey(FairCandidate, on_delete=models.CASCADE, related_name="votes")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="+")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["candidate", "enterprise"], name="fair_vote_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} → {self.candidate_id}"
