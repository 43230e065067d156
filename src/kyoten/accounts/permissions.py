"""Who may do what: named actions, decided in one place from the account's dated roles and
confirmed conflicts of interest.

Views ask :func:`authorize` (or the :func:`permitted` decorator) before they show or change
anything, and hand templates a :class:`Permits` — the actions allowed on the page's object —
so that templates and template tags only show what the view decided. Nothing else in Kyoten
reads roles.

"Overseers" are committee members, the Program Director and the Deputy PD: they follow
every center but those of their recorded conflicts of interest.

========================  ========================================================
action                    who may
========================  ========================================================
``center.internal.read``  program office; overseers (not for a conflict of
                          interest); the center's PO, working-group experts and office
``grants.read``           as ``center.internal.read`` for one center; the program-wide
                          figures (no center): the program office
``plan.upload``           program office; the center's office
``report.read``           as ``center.internal.read``
``report.edit``           program office; the center's office (template, upload, submit)
``report.accept``         program office (accept or return a submitted report)
``reports.compare``       program office; overseers (their conflicts left out)
``committee.read``        program office; overseers; Program Officers
``decision.record``       program office
``audit.read``            program office
``account.manage``        program office (invite, change roles, deactivate)
``people.read``           program office (the registry of persons: nationality is personal)
``backoffice.use``        program office (the Django admin)
``evaluation.read``       program office; overseers; Program Officers; working-group
                          experts (the cycles list; each case decides for itself)
``evaluation.manage``     program office (open cycles, form working groups, publish)
``case.read``             (a center's case in a cycle) program office; the center's PO;
                          overseers and seated experts who accepted and confirmed no
                          conflict — none with a recorded conflict with the center
``review.write``          the case's chair and members, accepted, no conflict confirmed
``reviews.read``          program office; the center's PO; a reviewer once their own
                          review is submitted; other overseers (not for a conflict)
``review.reopen``         program office; the center's PO
``visit.schedule``        program office; the center's PO (site visits, their minutes)
``case.supply``           program office; the center's PO (its report); the center's
                          office (its self-evaluation and responses): upload documents
``case.consolidate``      program office; the center's PO; the working group's chair
``committee.record``      program office (the committee's rating and decision)
``recommendation.read``   (a point to improve) as ``center.internal.read`` for its center
``recommendation.answer`` the center's office (its response)
``conflicts.read``        (the register of conflict-of-interest findings) program
                          office; Program Director and Deputy PD; Program Officers
                          (each finding still decides for itself)
``finding.read``          (a finding) program office; PD and Deputy PD, the center's
                          PO — none with a conflict with its center; the person found
``finding.decide``        as ``finding.read``, but never the person found: confirm,
                          waive or dismiss
``conflicts.detect``      program office (run detection)
``conflict.record``       program office (a conflict on someone's word)
``conflict.declare``      anyone who is a person of the registry (their own conflicts,
                          their expertise)
``pool.manage``           program office (the expert pool)
``grant.record``          program office (the grant decided for a center's fiscal
                          year and its amendments)
``reports.inbox``         program office (the reports submitted, late and missing)
``deadline.set``          program office (the due date of each fiscal year's reports)
========================  ========================================================

**403 or 404.** A center's code and public page are public, so a page addressed by a
center's code answers 403 to a logged-in user who may not open it. An object addressed by
its number (a report, a report version, an account) answers 404 to such a user, exactly as
a number that does not exist: its existence and state are internal. An anonymous visitor is
sent to log in in both cases, before anything is looked up.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone

from kyoten.accounts.models import CENTER_ROLES, Membership, Role

PUBLIC = "public"
OVERSEERS = (Role.COMMITTEE, Role.PROGRAM_DIRECTOR, Role.DEPUTY_PROGRAM_DIRECTOR)


@dataclass(frozen=True)
class Standing:
    """What the permission rules read of an account on a day: its person's roles in force
    (with the center each applies to) and the centers of the person's confirmed conflicts
    of interest (:func:`kyoten.conflicts.services.conflicted_centers`: they hold whatever
    the role)."""

    roles: frozenset[tuple[str, int | None]] = frozenset()
    conflicts: frozenset[int] = frozenset()
    authenticated: bool = False
    person_id: int | None = None

    def holds(self, role: str, center_id: int | None = None) -> bool:
        """The account holds ``role`` (at ``center_id``, for a center's role)."""
        if role in CENTER_ROLES and center_id is not None:
            return (role, center_id) in self.roles
        return any(held == role for held, _ in self.roles)

    @property
    def office(self) -> bool:
        return self.holds(Role.PROGRAM_OFFICE)

    @property
    def oversees(self) -> bool:
        """Follows every center (but its conflicts): committee member, PD or Deputy PD."""
        return any(self.holds(role) for role in OVERSEERS)

    def reads_center(self, center_id: int) -> bool:
        """Reads the internals of the center: office, committee (no conflict), or one of the
        center's own roles."""
        if self.office:
            return True
        if center_id in self.conflicts:  # a center's own office and PO hold no conflict
            return self.holds(Role.CENTER_OFFICE, center_id) or self.holds(
                Role.PROGRAM_OFFICER, center_id
            )
        return self.oversees or any(self.holds(role, center_id) for role in CENTER_ROLES)

    def key(self) -> str:
        """Everything above as text: two accounts with the same key may see exactly the same
        (the page cache's reader key, :mod:`kyoten.web.pagecache`)."""
        if not self.authenticated:
            return PUBLIC
        if self.office:
            return Role.PROGRAM_OFFICE
        roles = ",".join(sorted(f"{role}@{center or ''}" for role, center in self.roles))
        return f"{roles}|{','.join(map(str, sorted(self.conflicts)))}"


def _center_id(obj: Any) -> int | None:
    return getattr(obj, "pk", None)


def _on_center(rule: Callable[[Standing, int], bool]) -> Callable[[Standing, Any], bool]:
    """A rule about one center; asked without a center, it answers no."""

    def decide(standing: Standing, obj: Any) -> bool:
        center_id = _center_id(obj)
        return center_id is not None and rule(standing, center_id)

    return decide


def _office(standing: Standing, obj: Any) -> bool:
    return standing.office


def _center_office(standing: Standing, center_id: int) -> bool:
    return standing.office or standing.holds(Role.CENTER_OFFICE, center_id)


def _grants(standing: Standing, obj: Any) -> bool:
    center_id = _center_id(obj)
    return standing.office if center_id is None else standing.reads_center(center_id)


def _on_case(rule: Callable[[Standing, Any], bool]) -> Callable[[Standing, Any], bool]:
    """A rule about a center's case in an evaluation; asked of anything else, it answers no."""

    def decide(standing: Standing, obj: Any) -> bool:
        return (
            getattr(obj, "center_id", None) is not None
            and hasattr(obj, "seats")
            and rule(standing, obj)
        )

    return decide


def _on_record(rule: Callable[[Standing, int], bool]) -> Callable[[Standing, Any], bool]:
    """A rule about a record of one center (a point to improve); of anything else, no."""

    def decide(standing: Standing, obj: Any) -> bool:
        center_id = getattr(obj, "center_id", None)
        return center_id is not None and rule(standing, center_id)

    return decide


def _seat(standing: Standing, case: Any) -> Any:
    """The account's seat in ``case``'s working group, or None (read from the case's seats,
    which whoever loads a case prefetches)."""
    if standing.person_id is None or case is None:
        return None
    return next((s for s in case.seats.all() if s.person_id == standing.person_id), None)


def _free_of(standing: Standing, case: Any) -> bool:
    """No conflict of interest recorded with the case's center."""
    return case is not None and case.center_id not in standing.conflicts


def _program_officer_of(standing: Standing, case: Any) -> bool:
    return case is not None and standing.holds(Role.PROGRAM_OFFICER, case.center_id)


def _reads_case(standing: Standing, case: Any) -> bool:
    if standing.office or _program_officer_of(standing, case):
        return True
    if not _free_of(standing, case):
        return False
    seat = _seat(standing, case)
    return standing.oversees or (seat is not None and seat.may_read_materials)


def _writes_review(standing: Standing, case: Any) -> bool:
    seat = _seat(standing, case)
    return (
        seat is not None and seat.reviews and seat.may_read_materials and _free_of(standing, case)
    )


def _reads_reviews(standing: Standing, case: Any) -> bool:
    """The office, the center's PO, the PD and DPD see every review; a reviewer only once
    their own is submitted (HotCRP's rule); other committee members for the meeting."""
    if standing.office or _program_officer_of(standing, case):
        return True
    if not _free_of(standing, case) or not _reads_case(standing, case):
        return False
    seat = _seat(standing, case)
    if seat is not None and seat.reviews:
        review = getattr(seat, "review", None)
        return review is not None and review.submitted
    return standing.oversees


def _consolidates(standing: Standing, case: Any) -> bool:
    if standing.office or _program_officer_of(standing, case):
        return True
    seat = _seat(standing, case)
    return (
        seat is not None
        and seat.role == "chair"
        and seat.may_read_materials
        and _free_of(standing, case)
    )


def _directs(standing: Standing) -> bool:
    """The Program Director or Deputy PD (they decide conflicts with the POs)."""
    return standing.holds(Role.PROGRAM_DIRECTOR) or standing.holds(Role.DEPUTY_PROGRAM_DIRECTOR)


def _reads_finding(standing: Standing, finding: Any) -> bool:
    if standing.office or (
        standing.person_id is not None and finding.person_id == standing.person_id
    ):
        return True
    return _decides_finding(standing, finding)


def _decides_finding(standing: Standing, finding: Any) -> bool:
    """The office, the PD or Deputy PD, the center's PO — free of a conflict with the
    center — and never the person found."""
    if standing.person_id is not None and finding.person_id == standing.person_id:
        return False
    if standing.office:
        return True
    free = finding.center_id not in standing.conflicts
    return free and (_directs(standing) or standing.holds(Role.PROGRAM_OFFICER, finding.center_id))


def _on_finding(rule: Callable[[Standing, Any], bool]) -> Callable[[Standing, Any], bool]:
    """A rule about a conflict-of-interest finding; of anything else, no."""

    def decide(standing: Standing, obj: Any) -> bool:
        return hasattr(obj, "identified_by") and rule(standing, obj)

    return decide


# action -> rule(standing, object): every named action Kyoten checks.
RULES: dict[str, Callable[[Standing, Any], bool]] = {
    "center.internal.read": _on_center(Standing.reads_center),
    "grants.read": _grants,
    "plan.upload": _on_center(_center_office),
    "report.read": _on_center(Standing.reads_center),
    "report.edit": _on_center(_center_office),
    "report.accept": _office,
    "reports.compare": lambda s, obj: s.office or s.oversees,
    "committee.read": lambda s, obj: s.office or s.oversees or s.holds(Role.PROGRAM_OFFICER),
    "decision.record": _office,
    "audit.read": _office,
    "account.manage": _office,
    "people.read": _office,
    "backoffice.use": _office,
    "evaluation.read": lambda s, obj: (
        s.office or s.oversees or s.holds(Role.PROGRAM_OFFICER) or s.holds(Role.WORKING_GROUP)
    ),
    "evaluation.manage": _office,
    "case.read": _on_case(_reads_case),
    "review.write": _on_case(_writes_review),
    "reviews.read": _on_case(_reads_reviews),
    "review.reopen": _on_case(lambda s, case: s.office or _program_officer_of(s, case)),
    "visit.schedule": _on_case(lambda s, case: s.office or _program_officer_of(s, case)),
    "case.supply": _on_case(
        lambda s, case: (
            s.office or _program_officer_of(s, case) or s.holds(Role.CENTER_OFFICE, case.center_id)
        )
    ),
    "case.consolidate": _on_case(_consolidates),
    "committee.record": _office,
    "recommendation.read": _on_record(Standing.reads_center),
    "recommendation.answer": _on_record(
        lambda s, center_id: s.holds(Role.CENTER_OFFICE, center_id)
    ),
    "conflicts.read": lambda s, obj: s.office or _directs(s) or s.holds(Role.PROGRAM_OFFICER),
    "finding.read": _on_finding(_reads_finding),
    "finding.decide": _on_finding(_decides_finding),
    "conflicts.detect": _office,
    "conflict.record": _office,
    "conflict.declare": lambda s, obj: s.person_id is not None,
    "pool.manage": _office,
    "grant.record": _office,
    "reports.inbox": _office,
    "deadline.set": _office,
}
ACTIONS = tuple(RULES)


def finding_scope(user: Any) -> Q:
    """The findings ``finding.read`` allows ``user``, as a query for the register's list (the
    same rule as :func:`_reads_finding`, a test holds them together)."""
    found = standing(user)
    if found.office:
        return Q()
    own = Q(person_id=found.person_id) if found.person_id is not None else Q(pk__in=[])
    if _directs(found):
        return own | ~Q(center_id__in=found.conflicts)
    officer_of = {c for role, c in found.roles if role == Role.PROGRAM_OFFICER and c is not None}
    return own | Q(center_id__in=officer_of - found.conflicts)


def standing(user: Any, on: datetime.date | None = None) -> Standing:
    """The account's standing on ``on`` (today in Japan time): its roles in force then.

    Read once per request and kept on the user object (each request has its own)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Standing()
    day = on or timezone.localdate()
    cached = getattr(user, "_kyoten_standing", None)
    if cached is not None and cached[0] == day:
        return cached[1]
    if user.is_superuser:
        found = Standing(frozenset({(Role.PROGRAM_OFFICE, None)}), authenticated=True)
    else:
        in_force = Membership.objects.filter(person__account=user).in_force(day)
        held = list(in_force.values_list("role", "center_id", "person_id"))
        roles = frozenset((role, center) for role, center, _ in held)
        conflicts: frozenset[int] = frozenset()
        # overseers read centers not theirs, experts are seated in cases: conflicts close
        # those (a center's own roles are never conflicted away)
        if held and any(role in OVERSEERS or role == Role.WORKING_GROUP for role, _ in roles):
            from kyoten.conflicts.services import conflicted_centers

            conflicts = conflicted_centers([held[0][2]])
        found = Standing(
            roles=roles,
            conflicts=conflicts,
            authenticated=True,
            person_id=held[0][2] if held else None,
        )
    user._kyoten_standing = (day, found)
    return found


def may(user: Any, action: str, obj: Any = None) -> bool:
    """Whether ``user`` may do ``action`` (one of :data:`ACTIONS`) on ``obj`` now."""
    return RULES[action](standing(user), obj)


class Permits:
    """The actions a user may do on one object (or on none), for a template:
    ``{% if "report.edit" in permits %}``."""

    def __init__(self, user: Any, obj: Any = None, actions: Iterable[str] = ACTIONS) -> None:
        self.allowed = frozenset(a for a in actions if may(user, a, obj))

    def __contains__(self, action: object) -> bool:
        return action in self.allowed

    def __repr__(self) -> str:
        return f"Permits({sorted(self.allowed)})"


class LoginRequired(Exception):
    """An anonymous visitor asked for what needs a login (answered by a redirect)."""


def authorize(request: HttpRequest, action: str, obj: Any = None, *, hide: bool = False) -> None:
    """Refuse unless the request's user may do ``action`` on ``obj``: an anonymous visitor
    is sent to log in (:class:`LoginRequired`), anyone else gets 403 — or 404 with ``hide``,
    for an object addressed by its number (see the module's note)."""
    if may(request.user, action, obj):
        return
    if not request.user.is_authenticated:
        raise LoginRequired
    raise Http404 if hide else PermissionDenied


def login_first(request: HttpRequest) -> None:
    """Send an anonymous visitor to log in before an object is even looked up (so that a
    number that exists and one that does not are answered alike)."""
    if not request.user.is_authenticated:
        raise LoginRequired


View = Callable[..., HttpResponseBase]


def permitted(action: str) -> Callable[[View], View]:
    """View decorator: :func:`authorize` ``action`` on the view's ``center`` argument (put it
    under :func:`kyoten.registry.lookup.with_center`) or, without one, on nothing."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            authorize(request, action, kwargs.get("center"))
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


class LoginRequiredMiddleware:
    """Turn :class:`LoginRequired` into a redirect to the login page (back to this page)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> Any:
        if isinstance(exception, LoginRequired):
            return redirect_to_login(request.get_full_path())
        return None


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Template context: what the navigation offers this user."""
    # a request refused before the user is known (a bad host name) has no user
    return {"nav_permits": Permits(getattr(request, "user", None))}
