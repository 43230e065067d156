"""A cycle's grades and comments as an Excel workbook, for the program office.

Three sheets — the centers (rating, decision, the committee's comments, the consolidated
assessment), every submitted review (a column per perspective of the rubric), the points to
improve — with headers in the page's language, frozen, and text that cannot run as a
formula or break the file (control characters are dropped).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Font  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

from kyoten.evaluation.models import Cycle, Seat
from kyoten.reports.formulas import neutralise


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def _sheet(
    book: Workbook, title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    sheet = book.create_sheet(title)
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append([_cell(v) for v in row])
    sheet.freeze_panes = "B2"
    for number in range(1, len(header) + 1):
        sheet.column_dimensions[get_column_letter(number)].width = 14 if number > 2 else 22


def cycle_workbook(cycle: Cycle, lang: str) -> bytes:
    """The workbook of ``cycle``, its headers in ``lang``."""
    with translation.override(lang):
        return _build(cycle, lang)


def _build(cycle: Cycle, lang: str) -> bytes:
    book = Workbook()
    assert book.active is not None  # a new workbook has its first sheet
    book.remove(book.active)
    cases = list(
        cycle.cases.select_related("center").prefetch_related(
            "recommendations", "seats__person", "seats__review"
        )
    )
    _sheet(
        book,
        _("Centers"),
        [
            _("Center"),
            _("Rating"),
            _("Decision"),
            _("Date of the committee's decision"),
            _("The committee's comments (English, the master)"),
            _("Japanese provisional translation"),
            _("Consolidated assessment (English, the master)"),
            _("Japanese provisional translation"),
        ],
        (
            [
                c.center.short_name,
                c.rating,
                o.title.get(lang) if (o := c.outcome_data()) else "",
                c.decided_on,
                c.comments_en,
                c.comments_ja,
                c.consolidated_en,
                c.consolidated_ja,
            ]
            for c in cases
        ),
    )
    rubric = cycle.rubric_data()
    perspectives = [
        (f"{m.id}.{p.id}", p.title.get(lang))
        for m in (rubric.missions if rubric else [])
        for p in m.perspectives
    ]
    _sheet(
        book,
        _("Reviews"),
        [
            _("Center"),
            _("Person"),
            _("Role"),
            _("Submitted"),
            *[title for _key, title in perspectives],
            _("Overall rating"),
            _("Strengths"),
            _("Weaknesses"),
            _("Points to improve"),
        ],
        (
            [
                c.center.short_name,
                s.person.name_en,
                s.get_role_display(),
                timezone.localtime(s.review.submitted_at).replace(tzinfo=None)
                if s.review.submitted_at
                else None,
                *[s.review.grade_of(key) or "" for key, _title in perspectives],
                s.review.overall,
                s.review.strengths,
                s.review.weaknesses,
                s.review.improvements,
            ]
            for c in cases
            for s in c.seats.all()
            if _submitted(s)
        ),
    )
    _sheet(
        book,
        _("Points to improve"),
        [
            _("Center"),
            _("Id"),
            _("Point to improve (English)"),
            _("Japanese provisional translation"),
            _("Status"),
        ],
        (
            [c.center.short_name, r.code, r.text_en, r.text_ja, r.get_status_display()]
            for c in cases
            for r in c.recommendations.all()
        ),
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _submitted(seat: Seat) -> bool:
    review = getattr(seat, "review", None)
    return review is not None and review.submitted
