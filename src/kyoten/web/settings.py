"""Django settings: safe defaults for a fresh clone, overridden from the environment.

No secret lives in the repository: the secret key comes from ``KYOTEN_SECRET_KEY`` or is
generated once into the instance folder. The database is a SQLite file in the instance
folder unless ``DATABASE_URL`` names another (PostgreSQL in production). Every variable read
here is declared and documented in :mod:`kyoten.web.config`.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from kyoten.web.config import env_bool, env_int, env_list, env_str, secret_key

PACKAGE_DIR = Path(__file__).resolve().parent.parent
INSTANCE_DIR = Path(env_str("KYOTEN_INSTANCE_DIR", str(Path.cwd() / "var"))).resolve()

SECRET_KEY = secret_key(INSTANCE_DIR)
DEBUG = env_bool("KYOTEN_DEBUG", False)
ALLOWED_HOSTS = env_list("KYOTEN_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "kyoten.audit",
    "kyoten.people",
    "kyoten.accounts",
    "kyoten.registry",
    "kyoten.submissions",
    "kyoten.outcomes",
    "kyoten.evaluation",
    "kyoten.conflicts",
    "kyoten.web.apps.KyotenAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "kyoten.web.middleware.ContentSecurityPolicyMiddleware",
    "kyoten.web.middleware.DatabaseBusyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kyoten.audit.middleware.AuditActorMiddleware",
    "kyoten.accounts.permissions.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "kyoten.web.urls"
WSGI_APPLICATION = "kyoten.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "web" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kyoten.accounts.permissions.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'kyoten.sqlite3'}"),
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers on the default database: readers never wait for a writer (WAL), a
    # transaction takes the write lock when it begins (IMMEDIATE: no deadlock between two
    # that both read first), and a writer waits up to SQLITE_BUSY_TIMEOUT_SECONDS for the
    # lock; past that the request answers 503 with a retry message (web.middleware).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("KYOTEN_SQLITE_BUSY_TIMEOUT_SECONDS", 20),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Test runs get a database of their own, so that two runs side by side do not collide.
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{os.getpid()}"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Passwords: Argon2 first; the others only verify old hashes.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = ["kyoten.accounts.backends.ProgramOfficeBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "tasks"  # each person's worklist is their home page
LOGOUT_REDIRECT_URL = "overview"

# Sessions expire: after KYOTEN_SESSION_AGE_SECONDS, and when the browser closes.
SESSION_COOKIE_AGE = env_int("KYOTEN_SESSION_AGE_SECONDS", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_COOKIES = env_bool("KYOTEN_SECURE_COOKIES", False)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_SSL_REDIRECT = SECURE_COOKIES
SECURE_HSTS_SECONDS = 31_536_000 if SECURE_COOKIES else 0
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No script, style or font from anywhere but this server (see web/middleware.py).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)

# E-mail (account invitations): printed on the server's output unless SMTP is configured.
EMAIL_BACKEND = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
}.get(env_str("KYOTEN_EMAIL", "console"), "")
if not EMAIL_BACKEND:
    raise ImproperlyConfigured("KYOTEN_EMAIL must be console or smtp")
DEFAULT_FROM_EMAIL = env_str("KYOTEN_EMAIL_FROM", "kyoten@localhost")
EMAIL_HOST = env_str("KYOTEN_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("KYOTEN_EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("KYOTEN_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("KYOTEN_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("KYOTEN_EMAIL_TLS", True)
EMAIL_TIMEOUT = 30
# An invitation's link to set a password (a password-reset token) expires after this.
PASSWORD_RESET_TIMEOUT = env_int("KYOTEN_INVITATION_DAYS", 7) * 86400
KYOTEN_SITE_URL = env_str("KYOTEN_SITE_URL", "http://127.0.0.1:8000")

LOGIN_FAILURES_MAX = env_int("KYOTEN_LOGIN_FAILURES_MAX", 5)
LOGIN_WINDOW_SECONDS = env_int("KYOTEN_LOGIN_WINDOW_SECONDS", 15 * 60)
LOGIN_ADDRESS_FAILURES_MAX = env_int("KYOTEN_LOGIN_ADDRESS_FAILURES_MAX", 50)
TRUSTED_PROXIES = env_list("KYOTEN_TRUSTED_PROXIES", [])
UPLOAD_MAX_BYTES = env_int("KYOTEN_UPLOAD_MAX_BYTES", 1_000_000)
DOCUMENT_MAX_BYTES = env_int("KYOTEN_DOCUMENT_MAX_BYTES", 20_000_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + 100_000
FILE_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + 100_000

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("Japanese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = INSTANCE_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise serves from it once collected
STATICFILES_DIRS = [PACKAGE_DIR / "web" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

CSRF_FAILURE_VIEW = "kyoten.web.errors.csrf_failure"

# Each worker process keeps its own cache of page fragments, bounded in entries; the keys
# carry the change counter, so every worker computes afresh after a change (web.pagecache).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 500},
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"one_line_refusals": {"()": "kyoten.web.logs.OneLineRefusals"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    # the loggers that record refusals (403): one line each, see kyoten.web.logs
    "loggers": {
        name: {"filters": ["one_line_refusals"]}
        for name in ("django.request", "django.security.csrf")
    },
}
