"""Typed settings helpers: read the environment, fail loudly on a bad value.

Every setting the web application reads from the environment is declared in ``SETTINGS``
with its default and meaning (a test checks that each one is documented in the README).

Example:
    >>> env_int("KYOTEN_UPLOAD_MAX_BYTES", 3, environ={"KYOTEN_UPLOAD_MAX_BYTES": "12"})
    12
    >>> env_bool("KYOTEN_DEBUG", False, environ={"KYOTEN_DEBUG": "maybe"})
    Traceback (most recent call last):
    ...
    django.core.exceptions.ImproperlyConfigured: KYOTEN_DEBUG must be one of 1, 0, true, false, yes, no, on, off (got 'maybe')
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")

#: name -> what it means (its default is given where it is read, in settings.py)
SETTINGS: dict[str, str] = {
    "KYOTEN_INSTANCE_DIR": "folder for the SQLite file, the generated secret key and collected "
    "static files (default: ./var)",
    "DATABASE_URL": "database to use, e.g. postgres://user@host:5432/name "
    "(default: SQLite in the instance folder)",
    "KYOTEN_SECRET_KEY": "Django secret key (default: generated once into the instance folder)",
    "KYOTEN_DEBUG": "Django debug mode, never in production (default: off)",
    "KYOTEN_ALLOWED_HOSTS": "comma-separated host names served (default: 127.0.0.1,localhost)",
    "KYOTEN_SECURE_COOKIES": "send cookies over HTTPS only and redirect to HTTPS (default: off)",
    "KYOTEN_SESSION_AGE_SECONDS": "a login expires after this many seconds (default: 28800)",
    "KYOTEN_LOGIN_FAILURES_MAX": "failed logins allowed per user name and address in the "
    "throttle window before further attempts are refused (default: 5)",
    "KYOTEN_LOGIN_WINDOW_SECONDS": "length of the login throttle window (default: 900)",
    "KYOTEN_LOGIN_ADDRESS_FAILURES_MAX": "failed logins allowed from one address across all "
    "user names in the throttle window (default: 50)",
    "KYOTEN_TRUSTED_PROXIES": "comma-separated addresses of reverse proxies whose "
    "X-Forwarded-For header gives the client's address (default: none)",
    "KYOTEN_UPLOAD_MAX_BYTES": "largest plan file accepted (default: 1000000)",
    "KYOTEN_SQLITE_BUSY_TIMEOUT_SECONDS": "SQLite only: how long a write waits for another "
    "to finish before the request answers 503 with a retry message (default: 20)",
    "KYOTEN_EMAIL": "how e-mail (account invitations) leaves: console (printed on the "
    "server's output) or smtp (default: console)",
    "KYOTEN_EMAIL_FROM": "sender address of Kyoten's e-mail (default: kyoten@localhost)",
    "KYOTEN_EMAIL_HOST": "SMTP only: the mail server (default: localhost)",
    "KYOTEN_EMAIL_PORT": "SMTP only: its port (default: 587)",
    "KYOTEN_EMAIL_USER": "SMTP only: the user name to log in with (default: none)",
    "KYOTEN_EMAIL_PASSWORD": "SMTP only: its password (default: none)",
    "KYOTEN_EMAIL_TLS": "SMTP only: STARTTLS (default: on)",
    "KYOTEN_INVITATION_DAYS": "days an invitation's link to set a password stays valid "
    "(default: 7)",
    "KYOTEN_DOCUMENT_MAX_BYTES": "largest document (a PDF of an evaluation's materials) "
    "accepted (default: 20000000)",
    "KYOTEN_SITE_URL": "the site's address in the links of e-mail sent by a command, such as "
    "the evaluation reminders (default: http://127.0.0.1:8000)",
}


def _get(name: str, environ: Mapping[str, str] | None) -> str | None:
    if name not in SETTINGS:
        raise ImproperlyConfigured(f"{name} is read but not declared in kyoten.web.config")
    value = (os.environ if environ is None else environ).get(name)
    return None if value is None or value.strip() == "" else value.strip()


def env_str(name: str, default: str, *, environ: Mapping[str, str] | None = None) -> str:
    """A string setting."""
    value = _get(name, environ)
    return default if value is None else value


def env_bool(name: str, default: bool, *, environ: Mapping[str, str] | None = None) -> bool:
    """A yes/no setting: 1/0, true/false, yes/no, on/off (any case)."""
    value = _get(name, environ)
    if value is None:
        return default
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1, 0, true, false, yes, no, on, off (got {value!r})"
    )


def env_int(
    name: str, default: int, *, minimum: int = 1, environ: Mapping[str, str] | None = None
) -> int:
    """A whole-number setting of at least ``minimum``."""
    value = _get(name, environ)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number (got {value!r})") from None
    if number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum} (got {number})")
    return number


def env_list(
    name: str, default: list[str], *, environ: Mapping[str, str] | None = None
) -> list[str]:
    """A comma-separated list setting."""
    value = _get(name, environ)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def secret_key(instance_dir: Path) -> str:
    """``KYOTEN_SECRET_KEY``, or a key generated once into ``instance_dir/secret_key``."""
    configured = _get("KYOTEN_SECRET_KEY", None)
    if configured is not None:
        return configured
    path = instance_dir / "secret_key"
    if not path.exists():
        instance_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()
