"""The one settings module: everything comes from environment variables, validated at start-up."""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = BASE_DIR / "momentos"


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


# "production" demands explicit secrets and hosts; "embedded" is the one-process SQLite default.
MOMENTOS_ENV = env_str("MOMENTOS_ENV", "embedded")
if MOMENTOS_ENV not in {"embedded", "production", "test"}:
    raise ImproperlyConfigured(f"MOMENTOS_ENV must be embedded, production or test, not {MOMENTOS_ENV!r}")
PRODUCTION = MOMENTOS_ENV == "production"

DATA_DIR = Path(env_str("MOMENTOS_DATA_DIR", str(BASE_DIR / "var"))).resolve()

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when MOMENTOS_ENV=production")
    # The embedded default keeps a generated key beside its database so sessions survive restarts.
    key_file = DATA_DIR / "secret_key"
    try:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        if not key_file.exists():
            key_file.write_text(secrets.token_urlsafe(50))
            key_file.chmod(0o600)
        SECRET_KEY = key_file.read_text().strip()
    except OSError:
        SECRET_KEY = secrets.token_urlsafe(50)
elif PRODUCTION and len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters long in production")

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["localhost", "127.0.0.1", "[::1]", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the host names momentos answers to in production")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_htmx",
    "axes",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "momentos.core",
    "momentos.accounts",
    "momentos.protocols",
    "momentos.cycle",
    "momentos.attention",
    "momentos.surveys",
    "momentos.insight",
    "momentos.improvement",
    "momentos.webhooks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "momentos.accounts.middleware.CurrentMembershipMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
FORM_RENDERER = "momentos.core.forms.FormRenderer"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "momentos.accounts.context_processors.membership",
            ],
        },
    },
]

if PRODUCTION and not env_str("DATABASE_URL"):
    raise ImproperlyConfigured("DATABASE_URL must be set when MOMENTOS_ENV=production (postgres://...)")
DATABASE_URL = env_str("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'momentos.sqlite3'}"
_DATABASE_URL_HELP = "DATABASE_URL must look like postgres://user:password@host:5432/name or sqlite:///path"
if not DATABASE_URL.startswith(("postgres://", "postgresql://", "pgsql://", "sqlite://")):
    raise ImproperlyConfigured(f"{_DATABASE_URL_HELP}; momentos runs on PostgreSQL or SQLite")
try:
    # In production each worker keeps its connection: a new PostgreSQL connection per request costs
    # more than most requests. DB_CONN_HEALTH_CHECKS=true checks a kept connection before each request
    # (one round trip more per request) so a database restart costs no failed request.
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=env_int("DB_CONN_MAX_AGE", 60 if PRODUCTION else 0),
            conn_health_checks=env_bool("DB_CONN_HEALTH_CHECKS", False),
        )
    }
except (ValueError, dj_database_url.UnknownSchemeError) as exc:
    raise ImproperlyConfigured(f"{_DATABASE_URL_HELP} ({exc})") from exc
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
# Hot statements (the public survey submit) are prepared once per connection on PostgreSQL with
# persistent connections; off behind a pooler that cannot keep prepared statements.
DB_PREPARED_STATEMENTS = env_bool("DB_PREPARED_STATEMENTS", True)
DATABASES["default"]["TEST"] = {"NAME": env_str("TEST_DATABASE_NAME") or None}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
MOMENTOS_ORGANIZATION_MODEL = "accounts.Organization"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "momentos.accounts.backends.EmailBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if MOMENTOS_ENV == "test":
    # Hashing strength is not what the suite tests; argon2 stays the production default.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Lock-out after repeated failed log-ins (django-axes), by account and address together.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("LOGIN_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "momentos.accounts.backends.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "es"
LANGUAGES = [("es", _("Spanish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str("TIME_ZONE", "UTC")
try:
    ZoneInfo(TIME_ZONE)
except (ZoneInfoNotFoundError, ValueError) as exc:
    raise ImproperlyConfigured(f"TIME_ZONE {TIME_ZONE!r} is not a known time zone") from exc

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(DATA_DIR / "static")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    try:
        STATIC_ROOT.mkdir(parents=True, exist_ok=True)
    except OSError:
        pass
MEDIA_ROOT = DATA_DIR / "media"

# Requests larger than this are refused before they reach a view.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("MAX_REQUEST_BYTES", 5 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
# Files of interactions to import: larger ones are refused before a byte is read. Uploaded files are
# streamed to disk above FILE_UPLOAD_MAX_MEMORY_SIZE; DATA_UPLOAD_MAX_MEMORY_SIZE leaves file parts out.
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 2 * 1024**3)
IMPORT_DIR = DATA_DIR / "imports"


def email_settings(url: str) -> dict[str, object]:
    """The EMAIL_* settings for an EMAIL_URL such as smtp+tls://user:password@host:587."""
    from urllib.parse import unquote, urlparse

    parsed = urlparse(url)
    if parsed.scheme not in {"smtp", "smtps", "smtp+tls"} or not parsed.hostname:
        raise ImproperlyConfigured("EMAIL_URL must look like smtp://user:password@host:port")
    try:
        port = parsed.port
    except ValueError as exc:
        raise ImproperlyConfigured(f"EMAIL_URL has an invalid port: {exc}") from exc
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parsed.hostname,
        "EMAIL_PORT": port or {"smtps": 465, "smtp+tls": 587}.get(parsed.scheme, 25),
        "EMAIL_HOST_USER": unquote(parsed.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parsed.password or ""),
        "EMAIL_USE_SSL": parsed.scheme == "smtps",
        "EMAIL_USE_TLS": parsed.scheme == "smtp+tls",
        "EMAIL_TIMEOUT": 20,
    }


EMAIL_URL = env_str("EMAIL_URL")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "momentos <no-reply@localhost>")
if EMAIL_URL:
    _email = email_settings(EMAIL_URL)
    EMAIL_BACKEND = str(_email["EMAIL_BACKEND"])
    EMAIL_HOST = str(_email["EMAIL_HOST"])
    EMAIL_PORT = int(str(_email["EMAIL_PORT"]))
    EMAIL_HOST_USER = str(_email["EMAIL_HOST_USER"])
    EMAIL_HOST_PASSWORD = str(_email["EMAIL_HOST_PASSWORD"])
    EMAIL_USE_SSL = bool(_email["EMAIL_USE_SSL"])
    EMAIL_USE_TLS = bool(_email["EMAIL_USE_TLS"])
    EMAIL_TIMEOUT = int(str(_email["EMAIL_TIMEOUT"]))
else:
    EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

# One task interface: immediate in the embedded default, a database queue with a worker in production.
TASK_BACKEND = env_str("TASK_BACKEND", "database" if PRODUCTION else "immediate")
if TASK_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
elif TASK_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
else:
    raise ImproperlyConfigured(f"TASK_BACKEND must be immediate or database, not {TASK_BACKEND!r}")

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Preloading is hard to undo, so it is the operator's choice (SECURE_HSTS_PRELOAD=true), not a warning.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

INVITATION_DAYS = env_int("INVITATION_DAYS", 7)


def env_count(name: str, default: int, minimum: int) -> int:
    value = env_int(name, default)
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}")
    return value


# Surveys: link lifetime, spam and flood guards of the public pages, e-mail reminder.
SURVEY_LINK_DAYS = env_count("SURVEY_LINK_DAYS", 14, 1)
SURVEY_MIN_FILL_SECONDS = env_count("SURVEY_MIN_FILL_SECONDS", 3, 0)
SURVEY_DUPLICATE_SECONDS = env_count("SURVEY_DUPLICATE_SECONDS", 60 * 60, 0)
SURVEY_REMINDER_DAYS = env_count("SURVEY_REMINDER_DAYS", 3, 1)
_qr_limit = env_str("SURVEY_QR_LIMIT", "5/3600")
try:
    _qr_count, _qr_window = (int(part) for part in _qr_limit.split("/"))
except ValueError as exc:
    raise ImproperlyConfigured(
        f"SURVEY_QR_LIMIT must look like 5/3600 (submits/seconds), not {_qr_limit!r}"
    ) from exc
if _qr_count < 1 or _qr_window < 1:
    raise ImproperlyConfigured(
        f"SURVEY_QR_LIMIT needs at least 1 submit in at least 1 second, not {_qr_limit!r}"
    )
SURVEY_QR_LIMIT = (_qr_count, _qr_window)
# How many reverse proxies in front of the app append to X-Forwarded-For; 0 trusts no such header.
TRUSTED_PROXY_COUNT = env_count("TRUSTED_PROXY_COUNT", 0, 0)
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# Webhooks: endpoints must be https on public addresses; on-premise installs may allow http or private hosts.
WEBHOOKS_ALLOW_HTTP = env_bool("WEBHOOKS_ALLOW_HTTP", False)
WEBHOOKS_ALLOW_PRIVATE = env_bool("WEBHOOKS_ALLOW_PRIVATE", False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler", "stream": sys.stderr}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    "loggers": {"axes": {"level": "WARNING"}},
}
