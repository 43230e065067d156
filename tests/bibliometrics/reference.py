"""A brute-force, pure-Python reference of the tie rules, in exact fractions.

Written from the definitions in shared/reference/bibliometrics.md §1.2 and §2.4, independently
of the SQL: F(c) as a Fraction, the threshold as the first c with F(c) >= 1 - p.
"""

from __future__ import annotations

from fractions import Fraction


def threshold(cits: list[int], p: Fraction) -> tuple[int, Fraction]:
    """The threshold citation count t and the CWTS weight of a paper exactly at t."""
    n = len(cits)
    for c in sorted(set(cits)):
        share_at_or_below = Fraction(sum(1 for x in cits if x <= c), n)
        if share_at_or_below >= 1 - p:
            at = Fraction(sum(1 for x in cits if x == c), n)
            return c, (share_at_or_below - (1 - p)) / at
    raise AssertionError("unreachable: F(max) = 1")


def cwts(cits: list[int], p: Fraction) -> list[Fraction]:
    """Each paper's CWTS (Waltman–Schreiber) top-p score."""
    t, weight = threshold(cits, p)
    return [Fraction(1) if c > t else weight if c == t else Fraction(0) for c in cits]


def nistep(cits: list[int], p: Fraction) -> list[Fraction]:
    """Each paper's NISTEP adjusted score: the papers above t, scaled to total p·N."""
    t, _ = threshold(cits, p)
    top = [c > t for c in cits]
    if not any(top):
        top = [c >= t for c in cits]
    factor = p * len(cits) / sum(top)
    return [factor if chosen else Fraction(0) for chosen in top]


def ncs(cits: list[int]) -> list[Fraction]:
    """Each paper's normalised citation score (1 for all when the cell has no citation)."""
    mean = Fraction(sum(cits), len(cits))
    return [Fraction(c) / mean if mean else Fraction(1) for c in cits]
