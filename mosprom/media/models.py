"""Online tours and the programme's audience: videos with their publications on our site and
on video platforms, plays counted once per visitor per day, view counts reported by the
platforms, reach per channel and period, and the programme's awards.

An online tour *is* a tourism ``Experience`` of kind «online_tour» (enterprise, title,
description, duration, published flag live there); ``OnlineTour`` shares its primary key and
adds what a video needs. Embeds are never stored as HTML: a ``Publication`` keeps the platform
and the video's id parsed from a recognised URL (``media.embeds``), and the player URL is built
from those two at render time.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from mosprom.core import clock
from mosprom.core.models import TimeStampedModel
from mosprom.core.periods import Period
from mosprom.tourism.models import Experience


class Platform(models.TextChoices):
    """Where a tour is published. ``SITE`` is our own site (an uploaded file)."""

    SITE = "site", _("Сайт «Открой#Моспром»")
    VK = "vk", _("VK Видео")
    RUTUBE = "rutube", _("RUTUBE")
    YOUTUBE = "youtube", _("YouTube")
    OK = "ok", _("Одноклассники")


EXTERNAL_PLATFORMS = tuple(p for p in Platform if p != Platform.SITE)


class OnlineTour(TimeStampedModel):
    experience = models.OneToOneField(
        Experience,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="online_tour",
        verbose_name="программа",
    )
    published_on = models.DateField("дата публикации", db_index=True)
    cover = models.ImageField("обложка", upload_to="online-tours/covers/", blank=True)
    cover_alt = models.CharField("описание обложки", max_length=255, blank=True)
    video = models.FileField(
        "видеофайл",
        upload_to="online-tours/video/",
        blank=True,
        validators=[FileExtensionValidator(["mp4", "webm"])],
        help_text="MP4 или WebM: воспроизводится на нашем сайте без сторонних плееров.",
    )
    host_name = models.CharField("ведущий", max_length=255, blank=True)

    class Meta:
        verbose_name = "онлайн-экскурсия"
        verbose_name_plural = "онлайн-экскурсии"
        ordering = ["-published_on", "-experience_id"]

    def __str__(self) -> str:
        return self.experience.title

    @property
    def title(self) -> str:
        return self.experience.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("media:tour_detail", args=[self.pk])


class Publication(models.Model):
    """The tour on an external platform: the page URL as given and the parsed video id."""

    tour = models.ForeignKey(OnlineTour, on_delete=models.CASCADE, related_name="publications")
    platform = models.CharField(
        "платформа",
        max_length=16,
        choices=[(p.value, p.label) for p in EXTERNAL_PLATFORMS],
    )
    url = models.URLField("ссылка на видео", max_length=500)
    video_key = models.CharField(max_length=128, editable=False)

    class Meta:
        verbose_name = "публикация"
        verbose_name_plural = "публикации"
        ordering = ["tour_id", "platform"]
        constraints = [
            models.UniqueConstraint(
                fields=["tour", "platform"], name="publication_one_per_platform"
            )
        ]

    def __str__(self) -> str:
        return f"{self.tour_id} · {self.get_platform_display()}"


class SitePlay(models.Model):
    """A play on our site: one row per tour, visitor and Moscow day (the unique constraint is
    the de-duplication). ``visitor`` is a keyed hash, never an account id or an address."""

    tour = models.ForeignKey(OnlineTour, on_delete=models.CASCADE, related_name="site_plays")
    day = models.DateField()
    visitor = models.CharField(max_length=64)
    at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = "просмотр на сайте"
        verbose_name_plural = "просмотры на сайте"
        constraints = [
            models.UniqueConstraint(fields=["tour", "day", "visitor"], name="site_play_once_a_day")
        ]
        indexes = [models.Index(fields=["day", "tour"])]

    def __str__(self) -> str:
        return f"{self.tour_id} · {self.day}"


class CountSource(models.TextChoices):
    MANUAL = "manual", _("Введено вручную")
    IMPORT = "import", _("Импорт CSV")


class PlatformViews(models.Model):
    """Views of a tour on an external platform in a period, as the platform reported them."""

    tour = models.ForeignKey(OnlineTour, on_delete=models.CASCADE, related_name="platform_views")
    platform = models.CharField(
        "платформа",
        max_length=16,
        choices=[(p.value, p.label) for p in EXTERNAL_PLATFORMS],
    )
    period_start = models.DateField("начало периода")
    period_end = models.DateField("конец периода")
    views = models.PositiveBigIntegerField("просмотры")
    source = models.CharField(max_length=8, choices=CountSource.choices, default=CountSource.MANUAL)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    entered_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = "просмотры на платформе"
        verbose_name_plural = "просмотры на платформах"
        ordering = ["-period_start", "tour_id", "platform"]
        constraints = [
            models.UniqueConstraint(
                fields=["tour", "platform", "period_start"], name="platform_views_unique"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="platform_views_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tour_id} · {self.get_platform_display()} · {self.period.label}"

    @property
    def period(self) -> Period:
        return Period(self.period_start, self.period_end)


class ReachChannel(models.TextChoices):
    """Channels organisers report by hand. Online views and event participants are not here:
    they are counted from the platform's own records (``media.audience``)."""

    SITE_VISITORS = "site_visitors", _("Посетители сайта")
    SOCIAL = "social", _("Социальные сети")
    MEDIA = "media", _("СМИ")


class Reach(models.Model):
    channel = models.CharField("канал", max_length=16, choices=ReachChannel.choices)
    period_start = models.DateField("начало периода")
    period_end = models.DateField("конец периода")
    value = models.PositiveBigIntegerField("охват, человек")
    note = models.CharField("источник или комментарий", max_length=500, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    entered_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = "охват"
        verbose_name_plural = "охват по каналам"
        ordering = ["-period_start", "channel"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "period_start"], name="reach_unique"),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="reach_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} · {self.period.label}"

    @property
    def period(self) -> Period:
        return Period(self.period_start, self.period_end)


class Award(TimeStampedModel):
    name = models.CharField("премия или конкурс", max_length=255)
    category = models.CharField("номинация", max_length=255, blank=True)
    year = models.PositiveSmallIntegerField("год")
    awarding_body = models.CharField("кто вручает", max_length=255)
    place = models.CharField(
        "место", max_length=100, help_text="Например: 1 место, Гран-при, лауреат."
    )
    url = models.URLField("ссылка", blank=True)

    class Meta:
        verbose_name = "награда"
        verbose_name_plural = "награды"
        ordering = ["-year", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100), name="award_year_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"
