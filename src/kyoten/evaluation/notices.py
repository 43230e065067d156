"""E-mail notices of the evaluation, in Japanese then English, through Django's e-mail
backends: an invitation to a working group, a phase opening, a deadline three days ahead,
the results published. Each notice to a person is recorded (:class:`Notice`), so that
``kyoten evaluation remind``, run every day, sends each reminder once. :func:`deliver` is the
one way Kyoten mails a person a notice (the annual reports' notices use it too).
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from kyoten.accounts.models import Role
from kyoten.evaluation.models import Case, Cycle, Notice, Seat
from kyoten.people.models import Person

# how many days before a phase ends its reminder goes out
REMINDER_DAYS = 3

SUBJECTS = {
    "invited": "[Kyoten] 作業部会へのご依頼 / Invitation to a working group",
    "phase": "[Kyoten] 評価の日程 / Evaluation schedule",
    "reminder": "[Kyoten] 評価書の提出期限 / Your review is due",
    "published": "[Kyoten] 評価結果の公表 / Evaluation results published",
}


def site_link(path: str) -> str:
    """``path`` as an address on the site (``KYOTEN_SITE_URL``), for an e-mail."""
    return str(settings.KYOTEN_SITE_URL).rstrip("/") + path


def send(person: Person, kind: str, context: dict[str, Any], key: str | None = None) -> bool:
    """Mail ``person`` the evaluation's notice ``kind`` (see :func:`deliver`)."""
    return deliver(person, SUBJECTS[kind], f"evaluation/mail/{kind}.txt", context, key)


def deliver(
    person: Person, subject: str, template: str, context: dict[str, Any], key: str | None = None
) -> bool:
    """Mail ``person`` (their account's address) ``template`` in Japanese, then in English;
    with ``key``, only if no notice of that key was sent to them before. False if nothing
    was sent."""
    account = person.account
    if account is None or not account.is_active or not account.email:
        return False
    if key is not None:
        try:
            with transaction.atomic():
                Notice.objects.create(person=person, key=key)
        except IntegrityError:
            return False
    parts = []
    for lang in ("ja", "en"):
        with translation.override(lang):
            body = render_to_string(template, {"person": person, **context})
            parts.append(body.strip())
    EmailMessage(subject=subject, body="\n\n----\n\n".join(parts) + "\n", to=[account.email]).send()
    return True


def invited(seat: Seat) -> None:
    """Sent when the transaction that seats the person commits."""
    context = {"seat": seat, "case": seat.case, "link": site_link(seat.case.get_absolute_url())}
    transaction.on_commit(functools.partial(send, seat.person, "invited", context))


def _participants(case: Case) -> Iterable[Person]:
    return [
        s.person
        for s in case.seats.select_related("person__account")
        if s.state != Seat.State.DECLINED
    ]


def published(cycle: Cycle) -> None:
    """The results are public: the center offices and the working groups are told."""
    link = site_link(reverse("cycle-pdf", args=[cycle.pk, "ja"]))
    for case in cycle.cases.select_related("center"):
        offices = Person.objects.filter(
            memberships__role=Role.CENTER_OFFICE, memberships__center=case.center
        ).select_related("account")
        people = {p.pk: p for p in [*offices, *_participants(case)]}
        for person in people.values():
            context = {
                "cycle": cycle,
                "case": case,
                "link": link,
                "page": site_link(case.center.get_absolute_url()),
            }
            transaction.on_commit(functools.partial(send, person, "published", context))


def remind(today: datetime.date) -> int:
    """The day's notices for every open cycle: to its participants when a phase opens
    today; to each member whose review is not submitted when the review phase ends in
    ``REMINDER_DAYS`` days. Returns how many were sent (each at most once)."""
    sent = 0
    for cycle in Cycle.objects.filter(published_at__isnull=True, is_sample=False).prefetch_related(
        "phases"
    ):
        for phase in cycle.phases.all():
            if phase.starts == today:
                for case in cycle.cases.select_related("center"):
                    for person in _participants(case):
                        context = {
                            "cycle": cycle,
                            "case": case,
                            "phase": phase,
                            "link": site_link(case.get_absolute_url()),
                        }
                        sent += send(person, "phase", context, key=f"phase:{phase.pk}:{case.pk}")
            if phase.phase == "review" and phase.ends - today == datetime.timedelta(
                days=REMINDER_DAYS
            ):
                for case in cycle.cases.select_related("center"):
                    for seat in case.seats.select_related("person__account", "review"):
                        if _owes_review(seat):
                            context = {
                                "cycle": cycle,
                                "case": case,
                                "phase": phase,
                                "link": site_link(reverse("case-review", args=[case.pk])),
                            }
                            sent += send(
                                seat.person,
                                "reminder",
                                context,
                                key=f"reminder:{phase.pk}:{seat.pk}",
                            )
    return sent


def _owes_review(seat: Seat) -> bool:
    review = getattr(seat, "review", None)
    return seat.reviews and seat.state == Seat.State.ACCEPTED and not (review and review.submitted)
