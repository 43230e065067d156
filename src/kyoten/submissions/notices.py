"""E-mail notices of the annual reports, in Japanese then English (through
:func:`kyoten.evaluation.notices.deliver`, Django's e-mail backends): a report submitted (to
the program office), returned with the office's comment or accepted (to the center's
office); and from ``kyoten evaluation remind``, run once a day, a due date coming within
:data:`REMINDER_DAYS` days (to the office of each center whose report is not in yet) — each
reminder once per due date, even when the command runs every day of the week before.

Recipients are the persons holding the role on the day (:class:`~kyoten.accounts.models.Membership`
in force) with an active account and an address.
"""

from __future__ import annotations

import datetime
import functools
from typing import Any

from django.db import transaction
from django.utils import timezone

from kyoten.accounts.models import Membership, Role
from kyoten.people.models import Person

# a center's office is reminded when its report is due within this many days
REMINDER_DAYS = 7

SUBJECTS = {
    "submitted": "[Kyoten] 年次報告の提出 / Annual report submitted",
    "returned": "[Kyoten] 年次報告の差戻し / Your annual report was returned",
    "accepted": "[Kyoten] 年次報告の受理 / Your annual report was accepted",
    "due": "[Kyoten] 年次報告の提出期限 / Your annual report is due",
}


def holders(role: str, center: Any = None, day: datetime.date | None = None) -> list[Person]:
    """The persons holding ``role`` (at ``center``) on ``day`` (today), with their accounts."""
    memberships = Membership.objects.filter(role=role, center=center).in_force(
        day or timezone.localdate()
    )
    return list(
        Person.objects.filter(pk__in=memberships.values("person")).select_related("account")
    )


def _deliver(person: Person, kind: str, context: dict[str, Any], key: str | None = None) -> bool:
    from kyoten.evaluation.notices import deliver

    return deliver(person, SUBJECTS[kind], f"submissions/mail/{kind}.txt", context, key)


def report_moved(report: Any, action: str, comment: str) -> None:
    """After ``report`` was submitted, returned or accepted: tell the other side, once the
    change is kept."""
    from kyoten.evaluation.notices import site_link

    kind = {"submit": "submitted", "return": "returned", "accept": "accepted"}[action]
    people = (
        holders(Role.PROGRAM_OFFICE)
        if kind == "submitted"
        else holders(Role.CENTER_OFFICE, report.center)
    )
    context = {
        "report": report,
        "comment": comment,
        "link": site_link(report.get_absolute_url()),
    }
    for person in people:
        transaction.on_commit(functools.partial(_deliver, person, kind, context))


def remind(today: datetime.date) -> int:
    """The day's reminders of due dates: to each center office whose report on a fiscal
    year is due within :data:`REMINDER_DAYS` days and not submitted. Returns how many were
    sent (each at most once per center, year and due date)."""
    from kyoten.evaluation.notices import site_link
    from kyoten.submissions.models import AnnualReport, Deadline
    from kyoten.submissions.services import expected_centers

    sent = 0
    coming = Deadline.objects.filter(
        due__gte=today, due__lte=today + datetime.timedelta(days=REMINDER_DAYS)
    )
    done = (AnnualReport.State.SUBMITTED, AnnualReport.State.ACCEPTED)
    for deadline in coming:
        handed_in = set(
            AnnualReport.objects.filter(
                fiscal_year=deadline.fiscal_year, is_sample=False, state__in=done
            ).values_list("center_id", flat=True)
        )
        for center in expected_centers(deadline.fiscal_year):
            if center.pk in handed_in:
                continue
            context = {
                "center": center,
                "fiscal_year": deadline.fiscal_year,
                "due": deadline.due,
                "link": site_link(f"/centers/{center.key}/reports/"),
            }
            key = f"report-due:{deadline.fiscal_year}:{deadline.due.isoformat()}:{center.pk}"
            for person in holders(Role.CENTER_OFFICE, center, today):
                sent += _deliver(person, "due", context, key)
    return sent
