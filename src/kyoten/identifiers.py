"""Persistent identifiers of people and organisations: ORCID iDs, OpenAlex author ids and ROR ids.

An ORCID iD is 16 characters in four groups, the last a check character computed with
ISO/IEC 7064 MOD 11-2 over the first 15 digits (``X`` stands for 10); it is written bare
(``0000-0002-1825-0097``) or as its address (``https://orcid.org/0000-0002-1825-0097``). A
ROR id is ``0`` followed by six Crockford base-32 characters and two check digits; Kyoten
checks its form (the check digits are the registry's to verify).

    >>> normalise_orcid("https://orcid.org/0000-0002-1825-0097")
    '0000-0002-1825-0097'
    >>> normalise_orcid("0000000218250097")
    '0000-0002-1825-0097'
    >>> orcid_problem("0000-0002-1825-0098").en
    "this ORCID iD's check digit is wrong (a digit is mistyped)"
    >>> orcid_problem("0000-0002-1694-233X") is None
    True
    >>> ror_problem("https://ror.org/057zh3y96") is None
    True
"""

from __future__ import annotations

import re

from kyoten.text import Bilingual

ORCID_PREFIX = "https://orcid.org/"
ORCID_FORM = re.compile(r"^\d{4}-?\d{4}-?\d{4}-?\d{3}[\dX]$")
ROR_PREFIX = "https://ror.org/"
ROR_FORM = re.compile(r"^0[0-9a-hjkmnp-tv-z]{6}\d{2}$")


def _bare(value: str, prefix: str) -> str:
    value = value.strip()
    for start in (prefix, prefix.replace("https://", "http://"), prefix.replace("https://", "")):
        if value.lower().startswith(start):
            return value[len(start) :]
    return value


def orcid_check_character(digits: str) -> str:
    """The ISO/IEC 7064 MOD 11-2 check character of the 15 digits of an ORCID iD."""
    total = 0
    for digit in digits:
        total = (total + int(digit)) * 2
    check = (12 - total % 11) % 11
    return "X" if check == 10 else str(check)


def normalise_orcid(value: str) -> str:
    """The iD as ``dddd-dddd-dddd-dddc`` (its address or its bare digits accepted); the
    value as given when it has not the form of one (see :func:`orcid_problem`)."""
    bare = _bare(value, ORCID_PREFIX).upper()
    if not ORCID_FORM.match(bare):
        return value.strip()
    digits = bare.replace("-", "")
    return "-".join(digits[i : i + 4] for i in range(0, 16, 4))


def orcid_problem(value: str) -> Bilingual | None:
    """Why ``value`` is no ORCID iD, or None when it is one (the caller names the value)."""
    iD = normalise_orcid(value)
    if not ORCID_FORM.match(iD):
        return Bilingual(
            en="an ORCID iD has the form 0000-0002-1825-0097 (its address on orcid.org will do)",
            ja="ORCID iD は 0000-0002-1825-0097 の形式で入力してください（orcid.org のアドレスも可）",
        )
    digits = iD.replace("-", "")
    if digits[15] != orcid_check_character(digits[:15]):
        return Bilingual(
            en="this ORCID iD's check digit is wrong (a digit is mistyped)",
            ja="ORCID iD のチェックディジットが一致しません（入力誤りがあります）",
        )
    return None


def normalise_ror(value: str) -> str:
    """The ROR id bare and in lower case (its address accepted)."""
    return _bare(value, ROR_PREFIX).lower()


def ror_problem(value: str) -> Bilingual | None:
    """Why ``value`` is no ROR id, or None when it has the form of one."""
    if ROR_FORM.match(normalise_ror(value)):
        return None
    return Bilingual(
        en="a ROR id is 0, six letters or digits and two check digits, such as 057zh3y96 "
        "(its address on ror.org will do)",
        ja="ROR ID は 057zh3y96 のように 0 で始まる9文字で入力してください（ror.org のアドレスも可）",
    )


OPENALEX_PREFIX = "https://openalex.org/"
OPENALEX_AUTHOR_FORM = re.compile(r"^A\d{4,12}$")


def normalise_openalex_author(value: str) -> str:
    """The OpenAlex author id bare, with its capital A (its address accepted).

    >>> normalise_openalex_author("https://openalex.org/a5023888391")
    'A5023888391'
    """
    return _bare(value, OPENALEX_PREFIX).upper()


def openalex_author_problem(value: str) -> Bilingual | None:
    """Why ``value`` is no OpenAlex author id, or None when it has the form of one.

    >>> openalex_author_problem("W2741809807").en
    'an OpenAlex author id is A followed by digits, such as A5023888391 (its address on openalex.org will do)'
    """
    if OPENALEX_AUTHOR_FORM.match(normalise_openalex_author(value)):
        return None
    return Bilingual(
        en="an OpenAlex author id is A followed by digits, such as A5023888391 (its address on "
        "openalex.org will do)",
        ja="OpenAlex の著者IDは A5023888391 のように A に続く数字で入力してください"
        "（openalex.org のアドレスも可）",
    )
