"""Users, roles, consent to personal-data processing (152-ФЗ), API tokens and the audit log."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from mosprom.core import clock


class Role(models.TextChoices):
    VISITOR = "visitor", _("Посетитель")
    HOST = "host", _("Представитель предприятия")
    ORGANISER = "organiser", _("Организатор")
    ADMIN = "admin", _("Администратор")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("E-mail is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True, role=Role.ADMIN)
        extra.setdefault("email_confirmed_at", clock.now())
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who logs in with an e-mail address. The role decides what they may do."""

    username = None
    email = models.EmailField("e-mail", unique=True)
    role = models.CharField("роль", max_length=16, choices=Role.choices, default=Role.VISITOR)
    phone = models.CharField("телефон", max_length=32, blank=True)
    email_confirmed_at = models.DateTimeField("e-mail подтверждён", null=True, blank=True)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = "пользователь"
        verbose_name_plural = "пользователи"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=[r.value for r in Role]), name="user_role_valid"
            )
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def is_organiser(self) -> bool:
        """Organisers and administrators run the programme."""
        return self.is_active and self.role in (Role.ORGANISER, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.is_active and self.role == Role.ADMIN

    @property
    def is_host(self) -> bool:
        return self.is_active and self.role == Role.HOST

    @property
    def email_confirmed(self) -> bool:
        return self.email_confirmed_at is not None


class ConsentDocument(models.Model):
    """One published version of the consent text; the newest published one is current."""

    version = models.CharField("версия", max_length=32, unique=True)
    title = models.CharField("название", max_length=200)
    text = models.TextField("текст")
    published_at = models.DateTimeField("опубликовано", default=clock.now)

    class Meta:
        verbose_name = "текст согласия"
        verbose_name_plural = "тексты согласия"
        ordering = ["-published_at"]

    def __str__(self) -> str:
        return f"{self.title} ({self.version})"


class Consent(models.Model):
    """That a user accepted a given version of the consent text, and when."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="consents")
    document = models.ForeignKey(ConsentDocument, on_delete=models.PROTECT, related_name="+")
    accepted_at = models.DateTimeField("принято", default=clock.now)
    ip_address = models.GenericIPAddressField("IP-адрес", null=True, blank=True)

    class Meta:
        verbose_name = "согласие"
        verbose_name_plural = "согласия"
        constraints = [
            models.UniqueConstraint(fields=["user", "document"], name="consent_once_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.document.version}"


class ApiToken(models.Model):
    """A bearer token for API writes. Only a hash is stored; the key is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("название", max_length=100)
    prefix = models.CharField(max_length=8, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=clock.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "API-токен"
        verbose_name_plural = "API-токены"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class AuditAction(models.TextChoices):
    LOGIN = "login", _("Вход")
    LOGIN_FAILED = "login_failed", _("Неудачный вход")
    LOGOUT = "logout", _("Выход")
    SIGNUP = "signup", _("Регистрация")
    EMAIL_CONFIRMED = "email_confirmed", _("E-mail подтверждён")
    PASSWORD_RESET = "password_reset", _("Сброс пароля")
    PASSWORD_CHANGED = "password_changed", _("Смена пароля")
    CONSENT = "consent", _("Согласие на обработку ПДн")
    ROLE_CHANGED = "role_changed", _("Смена роли")
    HOST_INVITED = "host_invited", _("Приглашение представителя")
    HOST_JOINED = "host_joined", _("Представитель присоединился")
    PD_REVEALED = "pd_revealed", _("Просмотр персональных данных")
    TOKEN_CREATED = "token_created", _("Выпуск API-токена")
    TOKEN_REVOKED = "token_revoked", _("Отзыв API-токена")
    IMPORT = "import", _("Импорт реестра")
    TEAM_CHANGED_BY_STAFF = "team_changed_by_staff", _("Изменение команды организатором")
    GAME_RESULTS_PUBLISHED = "game_results_published", _("Публикация итогов игры")
    PRIZE_DRAW = "prize_draw", _("Розыгрыш призов")
    FIGURES_CHANGED = "figures_changed", _("Изменение показателей программы")


class AuditEvent(models.Model):
    """An append-only record of a security-relevant action."""

    at = models.DateTimeField("когда", default=clock.now, db_index=True)
    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_email = models.CharField("кто", max_length=254, blank=True)
    action = models.CharField("действие", max_length=32, choices=AuditAction.choices)
    target_type = models.CharField("объект", max_length=64, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_repr = models.CharField("описание объекта", max_length=255, blank=True)
    ip_address = models.GenericIPAddressField("IP-адрес", null=True, blank=True)
    details = models.JSONField("подробности", default=dict, blank=True)

    class Meta:
        verbose_name = "событие аудита"
        verbose_name_plural = "журнал аудита"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["action", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_email} {self.action}"
