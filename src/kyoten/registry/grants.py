"""Entering the grant decided (交付決定額) for a center's fiscal year, and its amendments.

The program office enters the grant decided for a fiscal year of the center's support and,
later, amendments (変更交付決定), each dated and with its source. Nothing is overwritten:
every entry is kept, and the amount in force for the year is the latest entry's. An entry
is refused, with the reason in both languages and nothing written, when:

- the fiscal year is not one of the center's support (:mod:`kyoten.lifecycle`);
- the amount is above the cap for the center's track, era and stage that year — the
  rulebook's ``grant.annual_cap``, WPI CORE at ¥700M from the fiscal year after its stage
  gate (the lifecycle's), Multiple Host WPI per alliance. The refusal names the cap, the
  track, era and stage and the cap's source. Where the rulebook gives the cap only
  approximately (the FY2007/FY2010 centers' "about ¥1.4 billion") the entry is refused
  until the office confirms that the amount is as decided: the sources give no firm cap
  for those centers, so a real decision above it must be possible to enter;
- the date is in the future, or before the entry it amends; the amount is not a positive
  number of yen (an amendment may bring it to zero), is no change, or is beyond any
  grant; the source is empty; a text holds characters that cannot be stored.

Each entry is one audited event, ``grant.decided`` or ``grant.amended``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from kyoten import lifecycle
from kyoten.audit.context import recording
from kyoten.fiscal import format_fiscal_year, format_yen, format_yen_ja
from kyoten.program import RuleValue, load_program
from kyoten.registry.funding import cap_for, support_years
from kyoten.registry.models import Center, Grant
from kyoten.reports.model import AMOUNT_MAX_YEN
from kyoten.text import UNPRINTABLE, Bilingual, KyotenError, printable

SOURCE_MAX_CHARS = 500
NOTE_MAX_CHARS = 2000


@dataclass(frozen=True)
class GrantEntry:
    """What the office enters: the amount decided for a fiscal year, when and on what basis.

    ``confirmed`` says that an amount above an approximate cap is as decided.
    """

    fiscal_year: int
    amount_yen: int
    decided_on: datetime.date
    source: str
    note: str = ""
    confirmed: bool = False


def record_grant(center: Center, entry: GrantEntry, user: Any, today: datetime.date) -> Grant:
    """Keep ``entry`` as the grant decided for its year, or as an amendment of the amount in
    force, entered by ``user`` on ``today`` (Japan time).

    Raises:
        KyotenError: the entry is refused (see the module's list); its ``location`` is the
            field at fault. Nothing is written then.
    """
    with transaction.atomic():
        # locked: two entries for one center are numbered and checked one after the other
        locked = Center.objects.select_for_update().get(pk=center.pk)
        life = locked.lifecycle()
        entries = list(locked.grants.filter(fiscal_year=entry.fiscal_year).order_by("number"))
        in_force = entries[-1] if entries else None
        _check(locked, entry, in_force, life, today)
        kind = "grant.amended" if in_force else "grant.decided"
        data: dict[str, Any] = {
            "fiscal_year": entry.fiscal_year,
            "amount_yen": entry.amount_yen,
            "date": f"{entry.decided_on}",
        }
        if in_force is not None:
            data["was_yen"] = in_force.amount_yen
        with recording(kind, locked, by=user, **data):
            return Grant.objects.create(
                center=locked,
                fiscal_year=entry.fiscal_year,
                number=in_force.number + 1 if in_force else 1,
                amount_yen=entry.amount_yen,
                decided_on=entry.decided_on,
                sources=[entry.source.strip()],
                note=entry.note.strip(),
                actor=user,
                actor_label=user.get_username() if user is not None else "system",
            )


def _check(
    center: Center,
    entry: GrantEntry,
    in_force: Grant | None,
    life: lifecycle.Lifecycle,
    today: datetime.date,
) -> None:
    years = support_years(life)
    if entry.fiscal_year not in years:
        first, last = years[0], years[-1]
        raise KyotenError(
            Bilingual(
                en=f"{center.short_name} is supported in FY{first}–FY{last}; a grant is "
                "decided for one of those fiscal years",
                ja=f"{center.short_name}の支援は{first}年度から{last}年度までです。"
                "そのいずれかの年度の交付決定を入力してください",
            ),
            location="fiscal_year",
            value=entry.fiscal_year,
        )
    _check_texts(entry)
    _check_date(entry, in_force, today)
    _check_amount(entry, in_force)
    _check_cap(center, entry, cap_for(center, entry.fiscal_year, life))


def _check_texts(entry: GrantEntry) -> None:
    if not entry.source.strip():
        raise KyotenError(
            Bilingual(
                en="say where the decision is documented: the notice of the grant decision, "
                "an address or a document reference",
                ja="決定の根拠（交付決定通知書、URL、文書名など）を入力してください",
            ),
            location="source",
        )
    for field, text, most in (
        ("source", entry.source, SOURCE_MAX_CHARS),
        ("note", entry.note, NOTE_MAX_CHARS),
    ):
        if len(text) > most:
            raise KyotenError(
                Bilingual(
                    en=f"at most {most:,} characters ({len(text):,} given)",
                    ja=f"{most:,}文字以内で入力してください（{len(text):,}文字あります）",
                ),
                location=field,
            )
        found = UNPRINTABLE.search(text)
        if found is not None:
            code = f"U+{ord(found.group()):04X}"
            raise KyotenError(
                Bilingual(
                    en=f"contains the character {code} (a control character, a lone surrogate "
                    "or a text-direction override), which cannot be stored; remove it",
                    ja=f"保存できない文字（{code}：制御文字・不正なサロゲート・文字方向の"
                    "制御文字）が含まれています。削除してください",
                ),
                location=field,
                value=printable(text[:80]),
            )


def _check_date(entry: GrantEntry, in_force: Grant | None, today: datetime.date) -> None:
    day = entry.decided_on
    if day > today:
        raise KyotenError(
            Bilingual(
                en=f"the date a grant was decided cannot be after today ({today})",
                ja=f"交付決定日は今日（{today}）以前の日付です",
            ),
            location="decided_on",
            value=f"{day}",
        )
    if day < lifecycle.FIRST_DAY:
        raise KyotenError(
            Bilingual(
                en=f"grants of the program are decided on {lifecycle.FIRST_DAY} or later",
                ja=f"本プログラムの交付決定は{lifecycle.FIRST_DAY}以降の日付です",
            ),
            location="decided_on",
            value=f"{day}",
        )
    if in_force is not None and in_force.decided_on is not None and day < in_force.decided_on:
        raise KyotenError(
            Bilingual(
                en=f"an amendment is dated on or after the entry in force, decided on "
                f"{in_force.decided_on}",
                ja=f"変更は、現在有効な{in_force.decided_on}付けの決定以降の日付です",
            ),
            location="decided_on",
            value=f"{day}",
        )


def _check_amount(entry: GrantEntry, in_force: Grant | None) -> None:
    amount = entry.amount_yen
    lowest = 0 if in_force else 1
    if amount < lowest:
        raise KyotenError(
            Bilingual(
                en="an amendment is ¥0 or more" if in_force else "a grant decided is ¥1 or more",
                ja="変更後の額は0円以上です" if in_force else "交付決定額は1円以上です",
            ),
            location="amount_yen",
            value=format_yen(amount),
        )
    if amount > AMOUNT_MAX_YEN:
        raise KyotenError(
            Bilingual(
                en=f"no grant is above {format_yen(AMOUNT_MAX_YEN)}: check the digits",
                ja=f"{format_yen_ja(AMOUNT_MAX_YEN)}を超える補助金はありません。桁を確認してください",
            ),
            location="amount_yen",
            value=format_yen(amount),
        )
    if in_force is not None and amount == in_force.amount_yen:
        raise KyotenError(
            Bilingual(
                en=f"the amount in force is already {format_yen(amount)}; an amendment changes it",
                ja=f"現在有効な額がすでに{format_yen_ja(amount)}です。変更後の額を入力してください",
            ),
            location="amount_yen",
            value=format_yen(amount),
        )


def _check_cap(center: Center, entry: GrantEntry, cap: RuleValue) -> None:
    if entry.amount_yen <= cap.value:
        return
    if (cap.approximate or cap.unconfirmed) and entry.confirmed:
        return
    basis = cap_basis(center, entry.fiscal_year, cap)
    amount, limit = entry.amount_yen, cap.value
    if cap.approximate or cap.unconfirmed:
        message = Bilingual(
            en=f"{format_yen(amount)} is above the approximate cap of about "
            f"{format_yen(limit)} for {basis.en}. The sources give this cap only "
            "approximately: if the amount is as decided, tick “The amount is as decided” and "
            "enter it again",
            ja=f"{format_yen_ja(amount)}は、{basis.ja}の上限（約{format_yen_ja(limit)}）を"
            "超えています。この上限は出典上おおよその額です。決定どおりの金額であれば"
            "「決定どおりの金額です」にチェックを入れて、もう一度入力してください",
        )
    else:
        message = Bilingual(
            en=f"{format_yen(amount)} is above the cap of {format_yen(limit)} for {basis.en}; "
            f"at most {format_yen(limit)} can be decided for this year",
            ja=f"{format_yen_ja(amount)}は、{basis.ja}の上限{format_yen_ja(limit)}を超えて"
            f"います。この年度の交付決定額は{format_yen_ja(limit)}以下です",
        )
    if cap.note is not None:  # e.g. "per alliance, not per host"
        message = Bilingual(
            en=f"{message.en}. {cap.note.en.removesuffix('.')}",
            ja=f"{message.ja}。{cap.note.ja.removesuffix('。')}",
        )
    raise KyotenError(message, location="amount_yen", value=format_yen(amount))


def cap_basis(center: Center, fiscal_year: int, cap: RuleValue) -> Bilingual:
    """What a cap applies to, for a message: the center and year, its track, selection
    year and stage, the era of its rules and the cap's first source."""
    program = load_program("wpi")
    track = program.track(center.track)
    era = program.era_for(center.selection_fiscal_year)
    stage = next(
        (title for stage_id, title in track.stages if f"{track.id}.{stage_id}" in cap.tracks),
        None,
    )
    stage_en = f", {stage.en}" if stage else ""
    stage_ja = f"・{stage.ja}" if stage else ""
    source = cap.sources[0].title
    selected = center.selection_fiscal_year
    return Bilingual(
        en=f"{center.short_name} in FY{fiscal_year}: a {track.title.en} center selected in "
        f"FY{selected}{stage_en} (rules of the era “{era.label.en}”; source: {source})",
        ja=f"{center.short_name}の{format_fiscal_year(fiscal_year, 'nendo')}"
        f"（{selected}年度採択の{track.title.ja}拠点{stage_ja}。{era.label.ja}のルール、"
        f"出典：{source}）",
    )
