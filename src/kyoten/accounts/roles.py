"""Who may see and do what. Every view asks these functions; templates only show results.

| role | sees | does |
| --- | --- | --- |
| program office | everything | records decisions and grants, uploads plans, admin, audit trail |
| committee member | every center's internal pages but those of a conflict of interest, the committee page | reads |
| center office | its own center's internal pages | uploads its center's plans |
| public | overview, center list and profiles, rulebook, check a plan | checks a plan |
"""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from kyoten.accounts.models import Role

PUBLIC = "public"


def role_of(user: Any) -> str:
    """The user's role name: one of :class:`Role`'s values, or ``"public"``."""
    if not user.is_authenticated:
        return PUBLIC
    if user.is_superuser:
        return Role.PROGRAM_OFFICE
    membership = getattr(user, "membership", None)
    return membership.role if membership else PUBLIC


def visibility(user: Any) -> str:
    """Everything the permission checks here read of ``user`` (role, own center, conflicts
    of interest), as text: two users with the same may see exactly the same, so pages cache
    what they show under it (:mod:`kyoten.web.pagecache`)."""
    role = role_of(user)
    if role == PUBLIC or role == Role.PROGRAM_OFFICE:
        return role
    membership = user.membership
    conflicts = sorted(membership.conflicts.values_list("pk", flat=True))
    return f"{role}:{membership.center_id}:{','.join(map(str, conflicts))}"


def is_program_office(user: Any) -> bool:
    return role_of(user) == Role.PROGRAM_OFFICE


def can_read_committee(user: Any) -> bool:
    return role_of(user) in (Role.PROGRAM_OFFICE, Role.COMMITTEE)


def can_see_center_internals(user: Any, center: Any) -> bool:
    """Funding, decisions' authors, plans and verdicts of ``center``."""
    role = role_of(user)
    if role == Role.PROGRAM_OFFICE:
        return True
    if role == Role.COMMITTEE:
        return not user.membership.conflicts.filter(pk=center.pk).exists()
    return role == Role.CENTER_OFFICE and user.membership.center_id == center.pk


def can_submit_plan(user: Any, center: Any) -> bool:
    role = role_of(user)
    if role == Role.PROGRAM_OFFICE:
        return True
    return role == Role.CENTER_OFFICE and user.membership.center_id == center.pk


def refuse(request: HttpRequest) -> HttpResponse:
    """Send an anonymous visitor to log in; refuse a logged-in user (403)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


def require(check: Any) -> Any:
    """View decorator: 403 unless ``check(user)``; anonymous users are sent to log in."""

    def decorator(view: Any) -> Any:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if not check(request.user):
                return refuse(request)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def role_context(request: HttpRequest) -> dict[str, Any]:
    """Template context: the user's role and what the navigation may offer."""
    user = request.user
    return {
        "kyoten_role": role_of(user),
        "kyoten_is_office": is_program_office(user),
        "kyoten_reads_committee": can_read_committee(user),
    }
