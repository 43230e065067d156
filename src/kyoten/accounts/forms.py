"""The login form, throttled per user name and address, and per address across user names.

An attempt is recorded before its password is checked, and counted with the attempts
before it: of any number of simultaneous attempts, at most ``LOGIN_FAILURES_MAX`` are
checked. A successful login removes its record; a failed or refused one stays for the
throttle window (hammering a locked account keeps it locked).
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyoten.accounts.models import LoginFailure


def client_address(request: Any) -> str:
    """The client's address: the connection's, or — behind a proxy listed in
    ``KYOTEN_TRUSTED_PROXIES`` — the last address of ``X-Forwarded-For`` that is not one of
    the trusted proxies (the one the nearest trusted proxy saw)."""
    address = str(request.META.get("REMOTE_ADDR", "unknown"))
    trusted = set(settings.TRUSTED_PROXIES)
    if address in trusted:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        untrusted = [a for a in forwarded if a and a not in trusted]
        address = untrusted[-1] if untrusted else address
    return address[:64]


class ThrottledAuthenticationForm(AuthenticationForm):
    """Refuse further attempts after ``LOGIN_FAILURES_MAX`` failures in the window."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": _(
            "Too many failed logins for this user name. Wait %(minutes)d minutes and try again."
        ),
        "address_throttled": _(
            "Too many failed logins from this network address. Wait %(minutes)d minutes and "
            "try again."
        ),
    }

    def throttle_key(self) -> str:
        """The user name as authentication sees it: the field's own cleaning (whitespace
        stripped, NFKC-normalised), so that "aiko " or full-width "ａｉｋｏ" count as "aiko"."""
        username = self.cleaned_data.get("username")
        if username is None:
            try:
                username = self.fields["username"].clean(self.data.get("username") or "")
            except forms.ValidationError:
                username = self.fields["username"].to_python(self.data.get("username") or "")
        return str(username or "")[:150]

    def clean(self) -> dict[str, Any]:
        username = self.throttle_key()
        address = client_address(self.request)
        since = timezone.now() - datetime.timedelta(seconds=settings.LOGIN_WINDOW_SECONDS)
        LoginFailure.objects.filter(at__lt=since).delete()
        attempt = LoginFailure.objects.create(username=username, address=address)
        recent = LoginFailure.objects.filter(address=address, at__gte=since, pk__lte=attempt.pk)
        for code, count, most in (
            ("throttled", recent.filter(username=username).count(), settings.LOGIN_FAILURES_MAX),
            ("address_throttled", recent.count(), settings.LOGIN_ADDRESS_FAILURES_MAX),
        ):
            if count > most:
                raise forms.ValidationError(
                    self.error_messages[code],
                    code=code,
                    params={"minutes": settings.LOGIN_WINDOW_SECONDS // 60},
                )
        data = super().clean()  # a wrong password raises: the attempt stays, as a failure
        attempt.delete()
        return data
