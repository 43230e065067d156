"""The login form, throttled per user name and address."""

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
    return str(request.META.get("REMOTE_ADDR", "unknown"))[:64]


class ThrottledAuthenticationForm(AuthenticationForm):
    """Refuse further attempts after ``LOGIN_FAILURES_MAX`` failures in the window."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": _(
            "Too many failed logins for this user name. Wait %(minutes)d minutes and try again."
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
        recent = LoginFailure.objects.filter(username=username, address=address, at__gte=since)
        if recent.count() >= settings.LOGIN_FAILURES_MAX:
            raise forms.ValidationError(
                self.error_messages["throttled"],
                code="throttled",
                params={"minutes": settings.LOGIN_WINDOW_SECONDS // 60},
            )
        try:
            return super().clean()
        except forms.ValidationError:
            LoginFailure.objects.create(username=username, address=address)
            raise
