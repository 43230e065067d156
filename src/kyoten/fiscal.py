"""Japanese fiscal years (年度, 1 April – 31 March), era names and yen amounts.

Fiscal year N runs from 1 April of year N to 31 March of year N+1; it is called FY N,
``N年度`` or, in the Japanese calendar, e.g. ``令和6年度`` (= FY2024). The era changed from
Heisei to Reiwa on 1 May 2019, so FY2019 is both ``平成31年度`` and ``令和元年度``.

Examples:
    >>> import datetime
    >>> fiscal_year_of(datetime.date(2024, 3, 31)), fiscal_year_of(datetime.date(2024, 4, 1))
    (2023, 2024)
    >>> [parse_fiscal_year(s) for s in ["FY2024", "2024年度", "令和6年度", "R6", "平成31年度"]]
    [2024, 2024, 2024, 2024, 2019]
    >>> format_fiscal_year(2019, "wareki")
    '令和元年度'
    >>> parse_yen("7.5億円"), parse_yen("5,000千円"), parse_yen("¥700,000,000")
    (750000000, 5000000, 700000000)
    >>> format_yen_ja(750_000_000), format_yen(700_000_000)
    ('7億5,000万円', '¥700,000,000')
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Literal

from kyoten.text import Bilingual, KyotenError

FiscalYearStyle = Literal["fy", "nendo", "wareki"]


@dataclass(frozen=True)
class Era:
    """A Japanese era: its names and the Gregorian year of its first (元) year."""

    kanji: str
    latin: str
    first_year: int
    last_year: int | None  # the Gregorian year in which the era ended, None if current


# Only the eras a WPI fiscal year can fall in (the program began in FY2007).
ERAS: tuple[Era, ...] = (
    Era("平成", "H", 1989, 2019),
    Era("令和", "R", 2019, None),
)

# Earliest and latest fiscal years accepted, to catch typos such as FY20024.
MIN_FISCAL_YEAR = 1900
MAX_FISCAL_YEAR = 2200


def fiscal_year_of(day: datetime.date) -> int:
    """The fiscal year a date falls in (April to March).

    >>> fiscal_year_of(datetime.date(2020, 1, 15))
    2019
    """
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_start(fiscal_year: int) -> datetime.date:
    """First day of a fiscal year (1 April).

    >>> fiscal_year_start(2023)
    datetime.date(2023, 4, 1)
    """
    return datetime.date(fiscal_year, 4, 1)


def fiscal_year_end(fiscal_year: int) -> datetime.date:
    """Last day of a fiscal year (31 March of the next calendar year).

    >>> fiscal_year_end(2023)
    datetime.date(2024, 3, 31)
    """
    return datetime.date(fiscal_year + 1, 3, 31)


_FY_WESTERN = re.compile(r"^(?:FY\s*(\d{4})|(\d{4})(?:\s*年度)?)$", re.IGNORECASE)
_FY_WAREKI = re.compile(r"^(平成|令和|H|R)\s*(元|\d{1,2})(?:\s*年度?)?$", re.IGNORECASE)

_EXPECTED_FY = Bilingual(
    en="expected a fiscal year such as FY2024, 2024年度, 令和6年度 or R6",
    ja="年度は FY2024、2024年度、令和6年度、R6 のように入力してください",
)


def _normalise(text: str) -> str:
    """Full-width digits and letters to ASCII, surrounding spaces removed."""
    return unicodedata.normalize("NFKC", text).strip()


def parse_fiscal_year(text: str | int) -> int:
    """Parse a fiscal year written in any of the usual ways.

    Accepts ``FY2024``, ``2024年度``, ``2024``, ``令和6年度``, ``令和6``, ``R6``, ``令和元年度``,
    ``平成31年度``, ``H31``, with full-width digits too.

    Raises:
        KyotenError: for anything else, e.g. ``令和0年度`` or ``平成32年度``.

    >>> parse_fiscal_year("令和元年度") == parse_fiscal_year("平成31年度") == 2019
    True
    >>> parse_fiscal_year("令和0年度")
    Traceback (most recent call last):
    ...
    kyoten.text.KyotenError: 令和 years start at 元 (1); there is no year 0 (got '令和0年度')
    """
    if isinstance(text, int) and not isinstance(text, bool):
        return _check_range(text, text)
    if not isinstance(text, str):
        raise KyotenError(_EXPECTED_FY, value=text)
    clean = _normalise(text)
    western = _FY_WESTERN.match(clean)
    if western:
        return _check_range(int(western.group(1) or western.group(2)), text)
    wareki = _FY_WAREKI.match(clean)
    if wareki:
        return _wareki_to_western(wareki.group(1), wareki.group(2), text)
    raise KyotenError(_EXPECTED_FY, value=text)


def _check_range(year: int, original: object) -> int:
    if not MIN_FISCAL_YEAR <= year <= MAX_FISCAL_YEAR:
        raise KyotenError(
            Bilingual(
                en=f"a fiscal year must lie between {MIN_FISCAL_YEAR} and {MAX_FISCAL_YEAR}",
                ja=f"年度は{MIN_FISCAL_YEAR}から{MAX_FISCAL_YEAR}の範囲で入力してください",
            ),
            value=original,
        )
    return year


def _wareki_to_western(era_name: str, number: str, original: str) -> int:
    era = next(e for e in ERAS if era_name.upper() in (e.kanji, e.latin))
    ordinal = 1 if number == "元" else int(number)
    if ordinal < 1:
        raise KyotenError(
            Bilingual(
                en=f"{era.kanji} years start at 元 (1); there is no year 0",
                ja=f"{era.kanji}は元年（1年）から始まります。0年はありません",
            ),
            value=original,
        )
    year = era.first_year + ordinal - 1
    if era.last_year is not None and year > era.last_year:
        last = era.last_year - era.first_year + 1
        successor = ERAS[ERAS.index(era) + 1]
        raise KyotenError(
            Bilingual(
                en=(
                    f"{era.kanji} ended in its year {last} ({era.last_year}); "
                    f"this year is {_wareki_name(year, successor)}"
                ),
                ja=(
                    f"{era.kanji}は{last}年（{era.last_year}年）で終わりました。"
                    f"この年は{_wareki_name(year, successor)}です"
                ),
            ),
            value=original,
        )
    return year


def _wareki_name(fiscal_year: int, era: Era) -> str:
    ordinal = fiscal_year - era.first_year + 1
    return f"{era.kanji}{'元' if ordinal == 1 else ordinal}年度"


def format_fiscal_year(fiscal_year: int, style: FiscalYearStyle = "fy") -> str:
    """Write a fiscal year as ``FY2024`` (fy), ``2024年度`` (nendo) or ``令和6年度`` (wareki).

    The Japanese calendar names a fiscal year after the era in force on its first day,
    except FY2019, which is conventionally called 令和元年度.

    >>> [format_fiscal_year(2024, s) for s in ("fy", "nendo", "wareki")]
    ['FY2024', '2024年度', '令和6年度']
    >>> format_fiscal_year(2018, "wareki"), format_fiscal_year(1988, "wareki")
    ('平成30年度', '1988年度')
    """
    if style == "fy":
        return f"FY{fiscal_year}"
    if style == "nendo":
        return f"{fiscal_year}年度"
    if fiscal_year < ERAS[0].first_year:
        return f"{fiscal_year}年度"  # before Heisei: WPI began in FY2007, so no era is kept
    era = next(e for e in reversed(ERAS) if fiscal_year >= e.first_year)
    return _wareki_name(fiscal_year, era)


# --- yen ------------------------------------------------------------------------------

# Longer text is no amount anyone writes (¥999,999,999,999,999 is 20 characters).
MAX_AMOUNT_CHARS = 40
_UNITS: dict[str, int] = {
    "兆": 10**12,
    "億": 10**8,
    "百万": 10**6,
    "万": 10**4,
    "千": 10**3,
}
_AMOUNT = r"\d+(?:,\d{3})*(?:\.\d+)?|\d+(?:\.\d+)?"
_YEN_TERM = re.compile(rf"({_AMOUNT})(兆|億|百万|万|千)")
_EXPECTED_YEN = Bilingual(
    en="expected an amount in yen such as 700000000, ¥700,000,000, 7億円, 7.5億円, 700百万円 "
    "or 5,000千円",
    ja="金額は 700000000、¥700,000,000、7億円、7.5億円、700百万円、5,000千円 "
    "のように入力してください",
)


def parse_yen(text: str | int) -> int:
    """Parse an amount of money into whole yen.

    Units may be combined from largest to smallest (``7億5,000万円``); a leading ``-`` or
    ``△`` (Japanese accounting) makes the amount negative.

    Raises:
        KyotenError: for text that is not an amount, or an amount that is not whole yen.

    >>> parse_yen("700百万円"), parse_yen("7億5,000万円"), parse_yen("△1,000円")
    (700000000, 750000000, -1000)
    >>> parse_yen("0.5円")
    Traceback (most recent call last):
    ...
    kyoten.text.KyotenError: an amount must be a whole number of yen (got '0.5円')
    """
    if isinstance(text, int) and not isinstance(text, bool):
        return text
    if not isinstance(text, str):
        raise KyotenError(_EXPECTED_YEN, value=text)
    if len(text) > MAX_AMOUNT_CHARS:
        raise KyotenError(
            Bilingual(
                en=f"an amount is at most {MAX_AMOUNT_CHARS} characters long",
                ja=f"金額は{MAX_AMOUNT_CHARS}文字以内で入力してください",
            ),
            value=f"{text[:20]}…",
        )
    clean = _normalise(text).replace(" ", "")
    sign = 1
    if clean[:1] in ("-", "△", "▲"):
        sign, clean = -1, clean[1:]
    clean = clean.removeprefix("¥").removeprefix("￥").removesuffix("円")
    if not clean:
        raise KyotenError(_EXPECTED_YEN, value=text)
    total = _parse_yen_terms(clean, text)
    if total != total.to_integral_value():
        raise KyotenError(
            Bilingual(
                en="an amount must be a whole number of yen",
                ja="金額は1円単位の整数で入力してください",
            ),
            value=text,
        )
    return sign * int(total)


def _parse_yen_terms(clean: str, original: str) -> Decimal:
    """Sum of ``<number><unit>`` terms, units strictly decreasing, plus a plain remainder."""
    total = Decimal(0)
    position = 0
    last_unit = None
    for term in _YEN_TERM.finditer(clean):
        unit = _UNITS[term.group(2)]
        if term.start() != position or (last_unit is not None and unit >= last_unit):
            raise KyotenError(_EXPECTED_YEN, value=original)
        total += _decimal(term.group(1), original) * unit
        position, last_unit = term.end(), unit
    rest = clean[position:]
    if rest:
        if not re.fullmatch(_AMOUNT, rest):
            raise KyotenError(_EXPECTED_YEN, value=original)
        total += _decimal(rest, original)
    return total


def _decimal(number: str, original: str) -> Decimal:
    try:
        return Decimal(number.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the regex admits only valid numbers
        raise KyotenError(_EXPECTED_YEN, value=original) from None


def format_yen(amount: int) -> str:
    """Yen with thousands separators.

    >>> format_yen(-5_000)
    '-¥5,000'
    """
    return f"{'-' if amount < 0 else ''}¥{abs(amount):,}"


def format_yen_ja(amount: int) -> str:
    """Yen the Japanese way, in 兆, 億 and 万 (e.g. ``7億5,000万円``).

    >>> format_yen_ja(1_000_000_000), format_yen_ja(12_345), format_yen_ja(0)
    ('10億円', '1万2,345円', '0円')
    """
    sign = "-" if amount < 0 else ""
    rest = abs(amount)
    parts = []
    for unit in ("兆", "億", "万"):
        count, rest = divmod(rest, _UNITS[unit])
        if count:
            parts.append(f"{count:,}{unit}")
    if rest or not parts:
        parts.append(f"{rest:,}")
    return f"{sign}{''.join(parts)}円"


def format_yen_short(amount: int) -> str:
    """Yen in millions for English tables (``¥700M``), exact to the yen or marked approximate.

    >>> format_yen_short(700_000_000), format_yen_short(1_000_000_000), format_yen_short(1_234)
    ('¥700M', '¥1,000M', '≈¥0.001234M')
    """
    millions, rest = divmod(abs(amount), 10**6)
    sign = "-" if amount < 0 else ""
    if rest == 0:
        return f"{sign}¥{millions:,}M"
    exact = Decimal(abs(amount)) / Decimal(10**6)
    return f"≈{sign}¥{exact.normalize():,f}M"
