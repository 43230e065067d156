"""Who is who on a roster: rows of one person, matched by ORCID iD or by name.

A person working at two sites, or changing site during the year, has one row per site and
period. Rows are the same person when they give the same ORCID iD; a row without an ORCID iD
joins the person of the same name (compared after NFKC normalisation, ignoring case and
spaces) when exactly one ORCID iD goes with that name, and otherwise the other rows of that
name without an ORCID iD.

Example:
    >>> same_name("Aiko  TANAKA", "aiko tanaka"), name_key("Ｔａｎａｋａ")
    (True, 'tanaka')
"""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Sequence
from decimal import Decimal

from kyoten.reports.model import RosterEntry


def name_key(name: str) -> str:
    """A name normalised for matching: NFKC, case-folded, runs of spaces removed."""
    return "".join(unicodedata.normalize("NFKC", name).casefold().split())


def same_name(first: str, second: str) -> bool:
    """Whether two names match after normalisation."""
    return name_key(first) == name_key(second)


def person_groups(roster: Sequence[RosterEntry]) -> list[list[int]]:
    """The roster's rows grouped by person, as lists of row indices in roster order."""
    orcids_by_name: dict[str, set[str]] = {}
    for row in roster:
        if row.orcid is not None:
            orcids_by_name.setdefault(name_key(row.name), set()).add(row.orcid)
    groups: dict[str, list[int]] = {}
    for index, row in enumerate(roster):
        if row.orcid is not None:
            key = f"orcid:{row.orcid}"
        else:
            known = orcids_by_name.get(name_key(row.name), set())
            key = f"orcid:{next(iter(known))}" if len(known) == 1 else f"name:{name_key(row.name)}"
        groups.setdefault(key, []).append(index)
    return sorted(groups.values())


def peak_effort(rows: Sequence[RosterEntry], first: datetime.date, last: datetime.date) -> Decimal:
    """The highest total effort % of ``rows`` (one person) on any day from ``first`` to ``last``,
    summed exactly (56 + 14 + 30 is 100 in any order).

    Totals change only when a row starts, so checking each start (and ``first``) suffices.

    >>> a = RosterEntry.model_validate({"name": "A", "category": "researcher", "is_pi": "no",
    ...     "from_abroad": "no", "gender": "male", "effort_percent": 60, "site": "main",
    ...     "start_date": "2024-04-01", "end_date": "2024-09-30"})
    >>> b = a.model_copy(update={"site": "overseas_satellite",
    ...     "start_date": datetime.date(2024, 9, 1), "end_date": None})
    >>> peak_effort([a, b], datetime.date(2024, 4, 1), datetime.date(2025, 3, 31))
    Decimal('120')
    """
    days = {first} | {row.start_date for row in rows if first <= row.start_date <= last}
    return max(
        sum((row.effort_percent for row in rows if row.active_on(day)), Decimal(0)) for day in days
    )
