"""The program office's account pages: the list, inviting a person, an account's roles and
its state; and the page where an invitee sets a password."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import PasswordResetConfirmView
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kyoten.accounts import services
from kyoten.accounts.forms import ChangeRoleForm, InviteForm
from kyoten.accounts.models import roles_today
from kyoten.accounts.permissions import authorize, login_first, permitted
from kyoten.conflicts.services import standing_findings

log = logging.getLogger(__name__)


def _account(request: HttpRequest, pk: int) -> Any:
    """The account numbered ``pk``, for the program office (404 for anyone else)."""
    login_first(request)
    authorize(request, "account.manage", hide=True)
    return get_object_or_404(get_user_model(), pk=pk)


@permitted("account.manage")
def account_list(request: HttpRequest) -> HttpResponse:
    users = get_user_model().objects.select_related("person").order_by("username")
    accounts = users.prefetch_related(roles_today("person__memberships"))
    return render(request, "accounts/list.html", {"accounts": accounts})


def _send(request: HttpRequest, user: Any, again: bool = False) -> None:
    send = services.resend_invitation if again else services.send_invitation
    try:
        send(user, request.build_absolute_uri("/"))
    except OSError as error:  # the mail server refused or could not be reached
        log.warning("Invitation to %s not sent: %s", user.email, error)
        messages.error(
            request,
            _(
                "The e-mail to %(email)s could not be sent (%(error)s); send it again from this "
                "page."
            )
            % {"email": user.email, "error": error},
        )
    else:
        messages.success(request, _("An invitation was sent to %(email)s.") % {"email": user.email})


@permitted("account.manage")
def account_invite(request: HttpRequest) -> HttpResponse:
    # from a person's page: ?person=<number> chooses them
    form = InviteForm(request.POST or None, initial={"person": request.GET.get("person")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = services.invite(
            email=data["email"],
            role=data["role"],
            center=data["center"],
            person=data["person"],
            **{name: data[name] for name in InviteForm.NAMES},
        )
        _send(request, user)
        return redirect("account", pk=user.pk)
    return render(
        request,
        "accounts/invite.html",
        {
            "form": form,
            "person_fields": InviteForm.PERSON_FIELDS,
            "invitation_days": settings.PASSWORD_RESET_TIMEOUT // 86400,
        },
    )


def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _account(request, pk)
    person = getattr(user, "person", None)  # an account made in the back office may have none
    return render(
        request,
        "accounts/detail.html",
        {
            "account": user,
            "person": person,
            "memberships": person.memberships.select_related("center") if person else [],
            "findings": standing_findings(person) if person else [],
            "today": timezone.localdate(),
            "role_form": ChangeRoleForm(),
            "is_self": user == request.user,
        },
    )


@require_POST
def account_role(request: HttpRequest, pk: int) -> HttpResponse:
    user = _account(request, pk)
    form = ChangeRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("account", pk=user.pk)
    try:
        changed = services.change_role(user, by=request.user, **form.cleaned_data)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        if changed:
            messages.success(request, _("The role was changed from today."))
        else:
            messages.info(request, _("The account holds that role already."))
    return redirect("account", pk=user.pk)


@require_POST
def account_active(request: HttpRequest, pk: int) -> HttpResponse:
    user = _account(request, pk)
    active = request.POST.get("active") == "1"
    try:
        services.set_active(user, active, by=request.user)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(
            request,
            _("The account can log in again.")
            if active
            else _("The account can no longer log in."),
        )
    return redirect("account", pk=user.pk)


@require_POST
def account_reinvite(request: HttpRequest, pk: int) -> HttpResponse:
    user = _account(request, pk)
    if user.has_usable_password():
        messages.error(request, _("This account has set its password already."))
    else:
        _send(request, user, again=True)
    return redirect("account", pk=user.pk)


class WelcomeView(PasswordResetConfirmView):
    """Set the password from an invitation's one-time link (Django moves the token out of
    the address into the session before showing the form). A deactivated account's link
    does nothing."""

    template_name = "registration/welcome.html"
    success_url = reverse_lazy("login")

    def get_user(self, uidb64: str) -> Any:
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None

    def form_valid(self, form: Any) -> HttpResponse:
        with services.setting_password(form.user):
            response = super().form_valid(form)
        messages.success(
            self.request,
            _("Your password is set. Log in with the user name %(username)s.")
            % {"username": form.user.get_username()},
        )
        return response
