"""Settings for Mosprom Platform: one module, every deployment value from the environment.

Two modes:
- ``embedded`` (default): SQLite under ``var/``, mail written to files under ``var/mail/``,
  secrets generated once and kept under ``var/``. This is what ``make run`` starts.
- ``production``: ``MOSPROM_MODE=production``; ``SECRET_KEY``, ``DATABASE_URL``,
  ``ALLOWED_HOSTS`` and ``FIELD_ENCRYPTION_KEY`` must be set; HTTPS-only cookies, HSTS,
  hashed static files. ``manage.py check --deploy`` is clean in this mode.

docs/OPERATIONS.md lists every variable.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("MOSPROM_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


def persistent_secret(name: str, make) -> str:
    """A secret for the embedded mode: generated once, kept under var/ so restarts keep sessions."""
    path = VAR_DIR / name
    if not path.exists():
        path.write_text(make())
        path.chmod(0o600)
    return path.read_text().strip()


MODE = env("MOSPROM_MODE", "embedded")
PRODUCTION = MODE == "production"
# Under pytest: immediate tasks, fast password hashing, no var/ secrets needed.
TESTING = env_bool("MOSPROM_TESTING", default="pytest" in sys.modules)

if PRODUCTION:
    # Fail loudly rather than run production with a guessable key.
    SECRET_KEY = os.environ["SECRET_KEY"]
else:
    SECRET_KEY = env("SECRET_KEY") or persistent_secret(
        "secret_key", lambda: secrets.token_urlsafe(50)
    )

DEBUG = env_bool("DEBUG", default=False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "ninja",
    "django_htmx",
    "django_tasks_db",
    "mosprom.core",
    "mosprom.accounts",
    "mosprom.registry",
    "mosprom.tourism",
    "mosprom.games",
    "mosprom.export",
    "mosprom.sez",
    "mosprom.media",
    "mosprom.analytics",
    "mosprom.web",
]

# The usual chain; the classes from mosprom.core.middleware are the libraries' own, stepped over
# by API calls (token-authenticated JSON: no static files, session, messages or htmx).
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "mosprom.core.middleware.StaticFilesMiddleware",  # WhiteNoise
    "mosprom.core.middleware.SessionMiddleware",
    "mosprom.core.middleware.LocaleMiddleware",  # Django's, no language prefix in paths
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "mosprom.core.middleware.AuthenticationMiddleware",
    "mosprom.core.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "mosprom.core.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mosprom.web.context_processors.site",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the worker writes; IMMEDIATE avoids
    # "database is locked" upgrades from read to write transactions.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    if env_bool("DB_POOL"):
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": int(env("DB_POOL_MIN", "2")),
            "max_size": int(env("DB_POOL_MAX", "10")),
        }
        DATABASES["default"]["CONN_MAX_AGE"] = 0
    if env_bool("DB_PREPARED", True):
        # Server-side parameters and prepared statements: a query run a second time on a
        # connection skips PostgreSQL's parse and plan (in the registration rush this took
        # PostgreSQL's CPU per attempt from 1.3 to 0.5 ms; docs/PERFORMANCE.md). Switch off
        # (DB_PREPARED=0) behind a pooler that cannot keep prepared statements, such as
        # PgBouncer before 1.21 in transaction mode.
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            server_side_binding=True, prepare_threshold=int(env("DB_PREPARE_THRESHOLD", "2"))
        )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -----------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Links in confirmation mails stay valid this long (seconds).
EMAIL_CONFIRMATION_MAX_AGE = int(env("EMAIL_CONFIRMATION_MAX_AGE", str(3 * 24 * 3600)))
PASSWORD_RESET_TIMEOUT = int(env("PASSWORD_RESET_TIMEOUT", str(24 * 3600)))

# --- Internationalisation -----------------------------------------------------------------
LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Русский")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Moscow"
USE_I18N = True
USE_TZ = True

# --- Static and media ---------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(VAR_DIR / "static")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
# Documents companies upload (export applications) are never under MEDIA_URL: they live in
# their own storage and are served only through a view that checks who asks.
PRIVATE_ROOT = Path(env("PRIVATE_ROOT", str(VAR_DIR / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_ROOT), "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Embedded mode serves static files straight from the apps, no collectstatic needed.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
# Uploads: logos and product images.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Mail ---------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "«Открой#Моспром» <noreply@mosprom.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if env("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env("EMAIL_HOST"),
                "port": int(env("EMAIL_PORT", "25")),
                "username": env("EMAIL_HOST_USER"),
                "password": env("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS"),
                "use_ssl": env_bool("EMAIL_USE_SSL"),
                "timeout": int(env("EMAIL_TIMEOUT", "20")),
            },
        }
    }
else:
    # Embedded mode: every mail is a file under var/mail/ (one file per connection).
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(VAR_DIR / "mail")},
        }
    }

# --- Deferred work ------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django.tasks.backends.immediate.ImmediateBackend",
            "dummy": "django.tasks.backends.dummy.DummyBackend",
        }[env("TASKS_BACKEND", "immediate" if TESTING else "database")],
        "QUEUES": ["default"],
    }
}

if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# --- Personal data ------------------------------------------------------------------------
if PRODUCTION:
    FIELD_ENCRYPTION_KEY = os.environ["FIELD_ENCRYPTION_KEY"]
else:
    from cryptography.fernet import Fernet

    FIELD_ENCRYPTION_KEY = env("FIELD_ENCRYPTION_KEY") or persistent_secret(
        "fernet_key", lambda: Fernet.generate_key().decode()
    )

# Passport details of participants are purged this many days after their session ends.
PASSPORT_RETENTION_DAYS = int(env("PASSPORT_RETENTION_DAYS", "30"))
# An SEZ report figure this many times above or below the previous period's gets a warning.
SEZ_JUMP_FACTOR = env("SEZ_JUMP_FACTOR", "3")

# Online tours (mosprom/media): the largest video file an organiser may upload, in bytes.
MEDIA_VIDEO_MAX_BYTES = int(env("MEDIA_VIDEO_MAX_BYTES", str(500 * 1024 * 1024)))

# Abuse limits (mosprom/core/ratelimit.py): off under tests unless a test turns them on.
# RATE_LIMITS overrides the defaults per scope, e.g. '{"booking": {"ip": "1000000/m"}}'.
RATE_LIMITS_ENABLED = env_bool("RATE_LIMITS_ENABLED", default=not TESTING)
RATE_LIMITS = json.loads(env("RATE_LIMITS", "{}"))
RATE_LIMIT_CACHE = env("RATE_LIMIT_CACHE", "default")

# --- Cache --------------------------------------------------------------------------------
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Seconds an anonymous visitor's rendered session lists (the calendar, an experience's sessions)
# are reused: free places shown may lag that long; a booking always reads the counters. Off in
# tests, which change places and look again at once.
DISPLAY_CACHE_SECONDS = int(env("DISPLAY_CACHE_SECONDS", "0" if TESTING else "5"))

# --- Security -----------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# --- API ----------------------------------------------------------------------------------
NINJA_PAGINATION_PER_PAGE = 20
NINJA_PAGINATION_MAX_PER_PAGE_SIZE = 100

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"skip_expected_refusals": {"()": "mosprom.core.logs.SkipExpectedRefusals"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
    "loggers": {"django.request": {"filters": ["skip_expected_refusals"]}},
}
