"""What the pages show, computed from the registry (views only call these).

Statuses and counts come from :mod:`kyoten.lifecycle` applied to each center's records, on
the day asked for — nothing here is a stored count.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Prefetch

from kyoten import lifecycle
from kyoten.audit.context import recording
from kyoten.registry.models import Center, CenterInstitution, Decision, Track
from kyoten.text import Bilingual


def centers() -> list[Center]:
    """Every center with its hosts, partners, satellites, decisions and grants loaded."""
    return list(
        Center.objects.prefetch_related(
            Prefetch(
                "links_set",
                queryset=CenterInstitution.objects.select_related("institution").prefetch_related(
                    "institution__renames"
                ),
            ),
            "decisions",
            "grants",
        )
    )


@dataclass(frozen=True)
class CenterRow:
    center: Center
    status: str
    life: lifecycle.Lifecycle


def center_rows(day: datetime.date) -> list[CenterRow]:
    rows = []
    for center in centers():
        facts, schedule = center.facts(), center.schedule()
        rows.append(
            CenterRow(
                center,
                lifecycle.status_on(facts, schedule, day),
                lifecycle.compute(facts, schedule),
            )
        )
    return rows


def status_counts(day: datetime.date) -> dict[str, int]:
    """Centers per status on ``day`` (not_started, supported, academy, ended)."""
    return status_counts_of(center_rows(day))


def status_counts_of(rows: list[CenterRow]) -> dict[str, int]:
    """Centers per status, from rows already computed for one day (every status, zeros
    included), as :func:`kyoten.lifecycle.count_by_status` counts them."""
    counts = Counter(r.status for r in rows)
    return {status: counts.get(status, 0) for status in lifecycle.STATUSES}


def track_counts(rows: list[CenterRow]) -> list[tuple[str, str, int]]:
    """(track id, label, number of centers) for every track, zeros included."""
    return [
        (value, str(label), sum(1 for r in rows if r.center.track == value))
        for value, label in Track.choices
    ]


def record_decision(form: object, user: object) -> object:
    """Save a valid :class:`~kyoten.registry.forms.DecisionForm` as recorded by ``user``; a
    form made with ``correcting=`` saves a correction that supersedes the earlier record."""
    decision = form.save(commit=False)  # type: ignore[attr-defined]
    decision.actor = user
    decision.actor_label = user.get_username()  # type: ignore[attr-defined]
    corrected = decision.supersedes
    with (
        transaction.atomic(),
        recording(
            "decision.corrected" if corrected else "decision.recorded",
            decision.center,
            by=user,
            decision=decision.kind,
            date=f"{decision.date}",
            **({"was": f"{corrected.date}", "was_decision": corrected.kind} if corrected else {}),
        ),
    ):
        if corrected is not None:
            # locked and re-read: two corrections of one decision cannot both land
            stale = Decision.objects.select_for_update().get(pk=corrected.pk)
            if stale.state != Decision.State.IN_FORCE:
                raise DecisionChanged
            corrected.state = Decision.State.SUPERSEDED
            corrected.save(update_fields=["state"])
        decision.save()
    return decision


class DecisionChanged(Exception):
    """The decision was corrected or withdrawn by someone else meanwhile."""


def withdraw_decision(decision: Decision, reason: str, user: object) -> Bilingual | None:
    """Withdraw ``decision`` (kept, marked, with ``reason``) unless that would leave another
    decision without effect — then the reason why, and nothing is written."""
    with transaction.atomic():
        current = Decision.objects.select_for_update().get(pk=decision.pk)
        if current.state != Decision.State.IN_FORCE:
            raise DecisionChanged
        problem = decision.center.change_problem(removing=current)
        if problem is not None:
            return problem
        with recording(
            "decision.withdrawn",
            decision.center,
            by=user,
            decision=current.kind,
            date=f"{current.date}",
            reason=reason,
        ):
            current.state = Decision.State.WITHDRAWN
            current.withdrawal_reason = reason
            current.save(update_fields=["state", "withdrawal_reason"])
    return None
