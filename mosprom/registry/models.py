"""Industrial enterprises, their production sites and products, SEZ membership, host membership."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mosprom.core import clock
from mosprom.core.models import TimeStampedModel
from mosprom.core.validators import validate_inn, validate_ogrn
from mosprom.registry.okrugs import Okrug


class Industry(models.Model):
    """A division of ОКВЭД 2 (two digits, e.g. «26»), with its section letter (e.g. «C»)."""

    code = models.CharField("код ОКВЭД", max_length=2, unique=True)
    section = models.CharField("раздел ОКВЭД", max_length=1)
    name = models.CharField("название", max_length=255)

    class Meta:
        verbose_name = "отрасль"
        verbose_name_plural = "отрасли"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class Enterprise(TimeStampedModel):
    short_name = models.CharField("краткое название", max_length=255)
    legal_name = models.CharField("полное наименование", max_length=500)
    inn = models.CharField("ИНН", max_length=12, unique=True, validators=[validate_inn])
    ogrn = models.CharField(
        "ОГРН", max_length=15, unique=True, null=True, blank=True, validators=[validate_ogrn]
    )
    okved = models.CharField("основной ОКВЭД", max_length=8, blank=True)
    industry = models.ForeignKey(
        Industry,
        verbose_name="отрасль",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enterprises",
    )
    okrug = models.CharField("округ", max_length=8, choices=Okrug.choices, blank=True)
    website = models.URLField("сайт", blank=True)
    description = models.TextField("описание", blank=True)
    logo = models.ImageField("логотип", upload_to="logos/", blank=True)
    hosts_tours = models.BooleanField("принимает экскурсии", default=False)
    is_demo = models.BooleanField(
        "демонстрационные данные",
        default=False,
        help_text="Сведения придуманы для демонстрации и не относятся к реальной компании.",
    )

    class Meta:
        verbose_name = "предприятие"
        verbose_name_plural = "предприятия"
        ordering = ["short_name", "id"]
        indexes = [models.Index(fields=["okrug"]), models.Index(fields=["hosts_tours"])]

    def __str__(self) -> str:
        return self.short_name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("registry:enterprise_detail", args=[self.pk])


class ProductionSite(TimeStampedModel):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="sites")
    name = models.CharField("название площадки", max_length=255)
    address = models.CharField("адрес", max_length=500)
    okrug = models.CharField("округ", max_length=8, choices=Okrug.choices, blank=True)
    latitude = models.DecimalField("широта", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(
        "долгота", max_digits=9, decimal_places=6, null=True, blank=True
    )
    accessibility_notes = models.TextField("доступная среда", blank=True)

    class Meta:
        verbose_name = "производственная площадка"
        verbose_name_plural = "производственные площадки"
        ordering = ["enterprise_id", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True)
                | models.Q(latitude__gte=-90, latitude__lte=90),
                name="site_latitude_range",
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__isnull=True)
                | models.Q(longitude__gte=-180, longitude__lte=180),
                name="site_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise}: {self.name}"

    @property
    def map_url(self) -> str:
        """A link to the site on a public map (coordinates when known, else the address)."""
        from urllib.parse import quote

        if self.latitude is not None and self.longitude is not None:
            return (
                "https://www.openstreetmap.org/"
                f"?mlat={self.latitude}&mlon={self.longitude}#map=16/{self.latitude}/{self.longitude}"
            )
        return f"https://www.openstreetmap.org/search?query={quote(self.address)}"


class Product(TimeStampedModel):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="products")
    name = models.CharField("название", max_length=255)
    description = models.TextField("описание", blank=True)
    image = models.ImageField("изображение", upload_to="products/", blank=True)
    hs_code = models.CharField(
        "код ТН ВЭД",
        max_length=10,
        blank=True,
        help_text="От 4 до 10 цифр.",
    )

    class Meta:
        verbose_name = "продукция"
        verbose_name_plural = "продукция"
        ordering = ["enterprise_id", "name", "id"]

    def __str__(self) -> str:
        return self.name


class SpecialEconomicZone(models.Model):
    name = models.CharField("название", max_length=255, unique=True)

    class Meta:
        verbose_name = "особая экономическая зона"
        verbose_name_plural = "особые экономические зоны"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SEZStatus(models.TextChoices):
    LOCATED = "located", _("Размещённая компания")
    RESIDENT = "resident", _("Резидент")


class SEZMembership(TimeStampedModel):
    """An enterprise's place in a special economic zone; residents hold an agreement."""

    enterprise = models.OneToOneField(
        Enterprise, on_delete=models.CASCADE, related_name="sez_membership"
    )
    zone = models.ForeignKey(
        SpecialEconomicZone, on_delete=models.PROTECT, related_name="memberships"
    )
    status = models.CharField("статус", max_length=16, choices=SEZStatus.choices)
    agreement_number = models.CharField("номер соглашения", max_length=64, blank=True)
    agreement_date = models.DateField("дата соглашения", null=True, blank=True)

    class Meta:
        verbose_name = "участие в ОЭЗ"
        verbose_name_plural = "участие в ОЭЗ"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="resident")
                | (~models.Q(agreement_number="") & models.Q(agreement_date__isnull=False)),
                name="sez_resident_has_agreement",
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} — {self.zone} ({self.get_status_display()})"


class Membership(models.Model):
    """A host's membership of an enterprise: what lets them act for it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="memberships")
    created_at = models.DateTimeField(default=clock.now)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "представитель предприятия"
        verbose_name_plural = "представители предприятий"
        constraints = [
            models.UniqueConstraint(fields=["user", "enterprise"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.enterprise}"


class HostInvitation(models.Model):
    """An organiser's invitation for someone to act for an enterprise as its host."""

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField("e-mail")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="invitations")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "приглашение представителя"
        verbose_name_plural = "приглашения представителей"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.enterprise}"


class ImportStatus(models.TextChoices):
    PREVIEW = "preview", _("Проверен, ждёт подтверждения")
    APPLIED = "applied", _("Применён")
    DISCARDED = "discarded", _("Отменён")


class ImportBatch(models.Model):
    """An uploaded registry file between preview and confirmation (upload → preview → confirm)."""

    filename = models.CharField("файл", max_length=255)
    content = models.BinaryField("содержимое")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField("загружен", default=clock.now)
    status = models.CharField(
        "состояние", max_length=16, choices=ImportStatus.choices, default=ImportStatus.PREVIEW
    )
    report = models.JSONField("отчёт", default=dict, blank=True)
    applied_at = models.DateTimeField("применён", null=True, blank=True)

    class Meta:
        verbose_name = "импорт реестра"
        verbose_name_plural = "импорты реестра"
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"
