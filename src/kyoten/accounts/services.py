"""Accounts and their roles: what the program office's account pages and commands do.

An invited account has no usable password: the invitee sets one from a link sent by e-mail
(Django's password-reset token: it works once — setting the password changes what it was
made from — and expires after ``PASSWORD_RESET_TIMEOUT``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from kyoten.accounts.models import Membership, Role
from kyoten.audit.context import acting_as, recording
from kyoten.people.models import Person


def person_of(user: Any) -> Person:
    """The person behind ``user``'s account; one named after the account if it has none."""
    person = Person.objects.filter(account=user).first()
    if person is None:
        most = Person._meta.get_field("family_name_en").max_length
        person = Person.objects.create(
            family_name_en=(user.last_name or user.get_username())[:most],
            given_name_en=(user.first_name if user.last_name else "")[:most],
            account=user,
        )
    return person


@contextlib.contextmanager
def recording_about(kind: str, user: Any, center: Any = None, **data: Any) -> Iterator[Any]:
    """:func:`~kyoten.audit.context.recording` of an action on ``user``'s account, the
    sentence naming its person (made inside the event if the account had none)."""
    with recording(kind, center, **data) as event:
        event.note(**about(person_of(user)))
        yield event


@transaction.atomic
def grant(user: Any, role: str, center: Any = None) -> Membership:
    """Give the account's person ``role`` (at ``center``) from today."""
    membership = Membership(person=person_of(user), role=role, center=center)
    membership.full_clean()
    membership.save()
    return membership


def current_membership(user: Any, role: str) -> Membership | None:
    """The account's membership of ``role`` in force today, if any."""
    return (
        Membership.objects.filter(person__account=user, role=role)
        .in_force(timezone.localdate())
        .first()
    )


def about(person: Person) -> dict[str, Any]:
    """The person's names for an event's sentence (:mod:`kyoten.audit.sentences`)."""
    return {"person_en": person.name_en, "person_ja": person.name_ja}


def _role(role: str, center: Any) -> dict[str, Any]:
    return {"role": role, "role_center": center.short_name if center else ""}


def invite(
    *, email: str, role: str, center: Any = None, person: Person | None = None, **names: str
) -> Any:
    """A new account for ``person`` (or a new person of ``names``) with ``role``, whose
    password is still to be set (:func:`send_invitation`)."""
    if person is None:
        person = Person(**{k: v.strip() for k, v in names.items()})
    with recording("account.invited", center, email=email, **about(person), **_role(role, center)):
        user = get_user_model().objects.create_user(username=email, email=email)  # no password
        person.account = user
        person.save()
        grant(user, role, center)
    return user


def welcome_path(user: Any) -> str:
    """The one-time address where ``user`` sets a password."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("account-welcome", args=[uid, default_token_generator.make_token(user)])


def send_invitation(user: Any, base_url: str) -> None:
    """E-mail ``user`` the link to set a password: one message, in Japanese then English
    (Django's e-mail backend; an SMTP failure raises)."""
    person = person_of(user)
    context = {
        "person": person,
        "user": user,
        "roles": list(
            Membership.objects.filter(person=person)
            .in_force(timezone.localdate())
            .select_related("center")
        ),
        "link": base_url.rstrip("/") + welcome_path(user),
        "days": settings.PASSWORD_RESET_TIMEOUT // 86400,
    }
    parts = []
    for lang in ("ja", "en"):
        with translation.override(lang):
            parts.append(render_to_string("accounts/invitation.txt", context).strip())
    EmailMessage(
        subject="[Kyoten] アカウントのご案内 / Your Kyoten account",
        body="\n\n----\n\n".join(parts) + "\n",
        to=[user.email],
    ).send()


def resend_invitation(user: Any, base_url: str) -> None:
    with recording_about("account.invitation_resent", user, email=user.email):
        send_invitation(user, base_url)


def set_active(user: Any, active: bool, by: Any = None) -> None:
    """Let ``user`` log in again, or not (their session ends on their next request).

    Raises:
        ValidationError: ``by`` would lock themself out.
    """
    if not active and user == by:
        raise ValidationError(_("You cannot deactivate your own account."))
    kind = "account.reactivated" if active else "account.deactivated"
    with recording_about(kind, user):
        user.is_active = active
        user.save(update_fields=["is_active"])


def change_role(
    user: Any, role: str, center: Any = None, keep_current: bool = False, by: Any = None
) -> bool:
    """From today ``user`` holds ``role`` (at ``center``): the other roles in force end
    today unless ``keep_current``. False when the account holds that role already.

    Raises:
        ValidationError: ``by`` would end their own program-office role (nobody could then
            give it back from the web).
    """
    today = timezone.localdate()
    current = Membership.objects.filter(person__account=user).in_force(today)
    if user == by and not keep_current and role != Role.PROGRAM_OFFICE:
        raise ValidationError(_("You cannot end your own program-office role."))
    if current.filter(role=role, center=center).exists():
        return False
    with recording_about(
        "account.role_changed", user, center, date=f"{today}", **_role(role, center)
    ):
        if not keep_current:
            for membership in current:
                membership.ends = today
                membership.save()
        grant(user, role, center)
    return True


@contextlib.contextmanager
def setting_password(user: Any) -> Iterator[None]:
    """The block sets the password ``user`` chose from an invitation: recorded as theirs
    (the visitor is not logged in yet)."""
    with acting_as(user), recording_about("account.password_set", user):
        yield
