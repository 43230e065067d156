"""Checks across rows and against the fiscal year, each naming the row and field at fault.

Row models check each value on its own; these checks need the fiscal year or other rows:

- a roster row must overlap the fiscal year: start on or before 31 March at its end, end
  (if it ends) on or after 1 April at its start, and not end before it starts;
- ``is_pi`` agrees with the category ``pi``; international recruitment is stated for every
  postdoc and for no one else;
- rows of the same person (see :mod:`kyoten.reports.people`) agree on category, PI,
  from abroad, nationality and gender, and never repeat the same site for overlapping periods
  (a duplicate person);
- no DOI appears twice; meetings, and assets with a date, fall inside the fiscal year; a
  meeting has no more participants from abroad than participants;
- the roster is not empty; the selection year and stage gate fit the fiscal year.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from kyoten.fiscal import fiscal_year_end, fiscal_year_start
from kyoten.reports.layout import section
from kyoten.reports.model import (
    CHOICES,
    IntellectualAsset,
    Meeting,
    Publication,
    ReportMetadata,
    RosterEntry,
)
from kyoten.reports.people import person_groups
from kyoten.text import Bilingual


@dataclass(frozen=True)
class Issue:
    """A problem found in a report: the section, row index (0-based) and field, and why."""

    section: str
    index: int | None
    field: str | None
    message: Bilingual
    value: Any = None
    has_value: bool = False

    def path(self) -> str:
        """Where in the report, as a field path: ``roster[3].end_date``."""
        path = self.section
        if self.index is not None:
            path += f"[{self.index}]"
        return f"{path}.{self.field}" if self.field else path


def _issue(
    section: str, index: int | None, field: str | None, message: Bilingual, value: Any
) -> Issue:
    return Issue(section, index, field, message, value, has_value=value is not None)


def consistency_issues(
    metadata: ReportMetadata, sections: Mapping[str, Sequence[BaseModel]]
) -> list[Issue]:
    """Every cross-row and fiscal-year problem of a report, in section and row order.

    ``sections`` maps a section to its rows (those that are valid on their own).

    >>> from kyoten.reports.model import RosterEntry
    >>> meta = ReportMetadata.model_validate(
    ...     {"center": "X", "fiscal_year": 2024, "track": "wpi", "selection_fiscal_year": 2022})
    >>> doc = RosterEntry.model_validate({"name": "A", "category": "postdoc", "is_pi": "no",
    ...     "from_abroad": "no", "gender": "male", "effort_percent": 100, "site": "main",
    ...     "start_date": "2025-04-01"})
    >>> [(i.path(), i.message.en[:40]) for i in consistency_issues(meta, {"roster": [doc]})]
    [('roster[0].international_recruitment', 'state for every postdoc whether they wer'), ('roster[0].start_date', 'starts after 2025-03-31, the last day of')]
    """
    fy = metadata.fiscal_year
    first, last = fiscal_year_start(fy), fiscal_year_end(fy)
    issues = _metadata_issues(metadata)
    roster = [row for row in sections.get("roster", []) if isinstance(row, RosterEntry)]
    if "roster" in sections and not sections["roster"]:
        issues.append(
            Issue(
                "roster",
                None,
                None,
                Bilingual(
                    en="the roster lists no one; a report names everyone at the center",
                    ja="名簿に誰も記載されていません。拠点の全員を記載してください",
                ),
            )
        )
    issues += _roster_issues(roster, first, last)
    publications = [r for r in sections.get("publications", []) if isinstance(r, Publication)]
    seen: dict[str, int] = {}
    for index, publication in enumerate(publications):
        key = publication.doi.lower()
        if key in seen:
            issues.append(
                _issue(
                    "publications",
                    index,
                    "doi",
                    Bilingual(
                        en=f"this DOI is already listed (publication {seen[key] + 1})",
                        ja=f"このDOIはすでに記載されています（{seen[key] + 1}件目の論文）",
                    ),
                    publication.doi,
                )
            )
        else:
            seen[key] = index
    for index, meeting in enumerate(
        r for r in sections.get("meetings", []) if isinstance(r, Meeting)
    ):
        if not first <= meeting.date <= last:
            issues.append(_outside_year("meetings", index, "date", meeting.date, fy))
        if meeting.participants_from_abroad > meeting.participants:
            issues.append(
                _issue(
                    "meetings",
                    index,
                    "participants_from_abroad",
                    Bilingual(
                        en=f"more participants from abroad than participants ({meeting.participants})",
                        ja=f"海外からの参加者数が参加者数（{meeting.participants}）を超えています",
                    ),
                    meeting.participants_from_abroad,
                )
            )
    for index, asset in enumerate(
        r for r in sections.get("assets", []) if isinstance(r, IntellectualAsset)
    ):
        if asset.date is not None and not first <= asset.date <= last:
            issues.append(_outside_year("assets", index, "date", asset.date, fy))
    return issues


def _outside_year(section: str, index: int, field: str, day: datetime.date, fy: int) -> Issue:
    return _issue(
        section,
        index,
        field,
        Bilingual(
            en=f"the date lies outside FY{fy} ({fiscal_year_start(fy)} to {fiscal_year_end(fy)})",
            ja=f"日付が{fy}年度（{fiscal_year_start(fy)}〜{fiscal_year_end(fy)}）の範囲外です",
        ),
        day.isoformat(),
    )


def _metadata_issues(metadata: ReportMetadata) -> list[Issue]:
    issues = []
    if metadata.selection_fiscal_year > metadata.fiscal_year:
        issues.append(
            _issue(
                "metadata",
                None,
                "selection_fiscal_year",
                Bilingual(
                    en=f"the center cannot be selected after the report's year (FY{metadata.fiscal_year})",
                    ja=f"採択年度が報告年度（{metadata.fiscal_year}年度）より後になっています",
                ),
                metadata.selection_fiscal_year,
            )
        )
    gate = metadata.stage_gate_passed_fiscal_year
    if gate is not None and metadata.track != "core":
        issues.append(
            _issue(
                "metadata",
                None,
                "stage_gate_passed_fiscal_year",
                Bilingual(
                    en="only a WPI CORE center has a stage-gate review",
                    ja="ステージゲート審査はWPI COREのみです",
                ),
                gate,
            )
        )
    elif gate is not None and not metadata.selection_fiscal_year <= gate <= metadata.fiscal_year:
        issues.append(
            _issue(
                "metadata",
                None,
                "stage_gate_passed_fiscal_year",
                Bilingual(
                    en="the stage gate must be passed between selection and the report's year",
                    ja="ステージゲート通過年度は採択年度から報告年度までの間である必要があります",
                ),
                gate,
            )
        )
    return issues


_SAME_PERSON_FIELDS = ("category", "is_pi", "from_abroad", "nationality", "gender")


def _roster_issues(
    roster: Sequence[RosterEntry], first: datetime.date, last: datetime.date
) -> list[Issue]:
    issues: list[tuple[int, Issue]] = []

    def add(index: int, field: str, en: str, ja: str, value: Any) -> None:
        issues.append((index, _issue("roster", index, field, Bilingual(en=en, ja=ja), value)))

    for index, row in enumerate(roster):
        if row.is_pi != (row.category == "pi"):
            add(
                index,
                "is_pi",
                "PI must be yes exactly when the category is PI",
                "主任研究者欄は区分が主任研究者のときのみ「はい」にしてください",
                row.is_pi,
            )
        if row.category == "postdoc" and row.international_recruitment is None:
            add(
                index,
                "international_recruitment",
                "state for every postdoc whether they were hired through international open recruitment",
                "ポスドクは国際公募による採用かどうかを必ず記入してください",
                None,
            )
        elif row.category != "postdoc" and row.international_recruitment is not None:
            add(
                index,
                "international_recruitment",
                "international recruitment is stated for postdocs only; leave it empty",
                "国際公募欄はポスドクのみ記入します。空欄にしてください",
                row.international_recruitment,
            )
        if row.start_date > last:
            add(
                index,
                "start_date",
                f"starts after {last}, the last day of the fiscal year; this person belongs in next year's report",
                f"年度末（{last}）より後に着任しています。翌年度の報告に記載してください",
                row.start_date.isoformat(),
            )
        if row.end_date is not None and row.end_date < row.start_date:
            add(
                index,
                "end_date",
                f"ends before it starts ({row.start_date})",
                f"終了日が開始日（{row.start_date}）より前です",
                row.end_date.isoformat(),
            )
        elif row.end_date is not None and row.end_date < first:
            add(
                index,
                "end_date",
                f"ended before {first}, the first day of the fiscal year; remove this row",
                f"年度初め（{first}）より前に離任しています。この行を削除してください",
                row.end_date.isoformat(),
            )
    for group in person_groups(roster):
        head = roster[group[0]]
        for position, index in enumerate(group[1:], start=1):
            row = roster[index]
            for field in _SAME_PERSON_FIELDS:
                if getattr(row, field) != getattr(head, field):
                    given = in_words("roster", field, getattr(head, field))
                    add(
                        index,
                        field,
                        f"another row of the same person ({head.name}) gives {given.en}",
                        f"同じ人物（{head.name}）の別の行では「{given.ja}」です",
                        getattr(row, field),
                    )
            for earlier in group[:position]:
                other = roster[earlier]
                if other.site == row.site and _overlap(other, row):
                    site = in_words("roster", "site", row.site)
                    add(
                        index,
                        "name",
                        f"duplicate person: {row.name} is already listed at this site ({site.en}) for an overlapping period",
                        f"重複：{row.name} は同じ拠点の場所（{site.ja}）・重なる期間ですでに記載されています",
                        row.name,
                    )
                    break
    issues.sort(key=lambda pair: pair[0])
    return [issue for _, issue in issues]


def in_words(section_key: str, field: str, value: Any) -> Bilingual:
    """A stored value as a message names it: yes/no (はい/いいえ), a code by its label.

    >>> in_words("roster", "category", "pi").ja, in_words("roster", "is_pi", False).en
    ('主任研究者', 'no')
    """
    if isinstance(value, bool):
        return Bilingual(en="yes" if value else "no", ja="はい" if value else "いいえ")
    if value is None:
        return Bilingual(en="empty", ja="空欄")
    kind = section(section_key).column(field).choices
    if kind in CHOICES and value in CHOICES[kind]:
        return CHOICES[kind][value]
    return Bilingual(en=str(value), ja=str(value))


def _overlap(a: RosterEntry, b: RosterEntry) -> bool:
    far = datetime.date.max
    return a.start_date <= (b.end_date or far) and b.start_date <= (a.end_date or far)
