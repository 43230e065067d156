"""The login form (throttled), and the program office's forms to invite a person and to
change an account's role.

The login is throttled per user name and address, and per address across user names.

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
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyoten.accounts.models import CENTER_ROLES, LoginFailure, Role
from kyoten.people.models import Person
from kyoten.registry.models import Center


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


class RoleFields(forms.Form):
    """A role and the center it is held for (only for a center's roles)."""

    role = forms.ChoiceField(label=_("Role"), choices=[("", "---------"), *Role.choices])
    center = forms.ModelChoiceField(
        label=_("Center"),
        queryset=Center.objects.all(),
        required=False,
        help_text=_("For a center office, a Program Officer or a working-group expert."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        role, center = data.get("role"), data.get("center")
        if role in CENTER_ROLES and center is None:
            self.add_error("center", _("Choose the center this role is held for."))
        elif role and role not in CENTER_ROLES and center is not None:
            self.add_error("center", _("This role is held for the whole program: leave it empty."))
        return data


class InviteForm(RoleFields):
    """The person (one of the registry, or a new one by name), the e-mail address the
    invitation goes to, the role and its center."""

    NAMES = ("family_name_en", "given_name_en", "family_name_ja", "given_name_ja")
    PERSON_FIELDS = ("person", *NAMES, "email")
    field_order = PERSON_FIELDS

    person = forms.ModelChoiceField(
        label=_("Person already in the registry"),
        queryset=Person.objects.filter(account__isnull=True),
        required=False,
        help_text=_(
            "A committee member from the reference data, for instance; or leave it "
            "empty and give the name below."
        ),
    )
    family_name_en = forms.CharField(
        label=_("Family name (English)"), max_length=100, required=False
    )
    given_name_en = forms.CharField(label=_("Given name (English)"), max_length=100, required=False)
    family_name_ja = forms.CharField(
        label=_("Family name (Japanese)"), max_length=100, required=False
    )
    given_name_ja = forms.CharField(
        label=_("Given name (Japanese)"), max_length=100, required=False
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=150,  # it becomes the user name
        help_text=_("The invitation is sent here; it is also the user name for logging in."),
    )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        users = get_user_model().objects
        if (
            users.filter(username__iexact=email).exists()
            or users.filter(email__iexact=email).exists()
        ):
            raise forms.ValidationError(
                _("An account with the address %(email)s exists already."),
                params={"email": email},
            )
        return email

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("person") is None and not data.get("family_name_en", "").strip():
            self.add_error(
                "family_name_en",
                _("Give the family name in English, or choose a person already in the registry."),
            )
        return data


class ChangeRoleForm(RoleFields):
    keep_current = forms.BooleanField(
        label=_("Keep the current roles too"),
        required=False,
        help_text=_("Otherwise the current roles end today and the new one starts."),
    )
