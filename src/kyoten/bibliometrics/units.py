"""Units of analysis: the world, an institution (by ROR), a country, a center's DOI list.

Written on the command line as ``world``, ``ror:<ROR id>``, ``country:<ISO code>`` or
``center:<NAME>=<FILE of DOIs>``.

Example:
    >>> parse_unit("ror:057zh3y96")
    Unit(kind='institution', name='ror:057zh3y96', key='https://ror.org/057zh3y96', dois=())
    >>> parse_unit("country:jp").key
    'JP'
    >>> normalize_doi("https://doi.org/10.1038/ABC")
    '10.1038/abc'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from kyoten.text import Bilingual, KyotenError

UnitKind = Literal["world", "institution", "country", "center"]
_DOI_PREFIX = re.compile(r"^(https?://(dx\.)?doi\.org/|doi:)", re.IGNORECASE)
_ROR = re.compile(r"^(https?://ror\.org/)?(0[a-z0-9]{6}[0-9]{2})$", re.IGNORECASE)
_COUNTRY = re.compile(r"^[A-Za-z]{2}$")


@dataclass(frozen=True)
class Unit:
    """A unit whose papers are counted: its kind, display name, key and (for centers) DOIs."""

    kind: UnitKind
    name: str
    key: str
    dois: tuple[str, ...] = ()


def normalize_doi(text: str) -> str:
    """A DOI in the form stored by ingest: lower case, without a resolver prefix."""
    return _DOI_PREFIX.sub("", text.strip()).lower()


def _bad_unit(text: str, en: str, ja: str) -> KyotenError:
    return KyotenError(Bilingual(en=en, ja=ja), location="--unit", value=text)


def read_dois(path: Path) -> tuple[str, ...]:
    """The DOIs in a file, one per line (blank lines and ``#`` comments ignored), deduplicated.

    Raises:
        KyotenError: the file is missing, or a line is not a DOI.
    """
    if not path.is_file():
        raise KyotenError(
            Bilingual(
                en="DOI file not found; expected a text file with one DOI per line",
                ja="DOI のファイルがありません。1行に1つの DOI を書いたファイルが必要です",
            ),
            location=str(path),
        )
    seen: dict[str, None] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        doi = normalize_doi(text)
        if not doi.startswith("10."):
            raise KyotenError(
                Bilingual(
                    en="not a DOI; expected one DOI per line such as 10.1038/xyz",
                    ja="DOI ではありません。1行に1つ、10.1038/xyz のように書いてください",
                ),
                location=f"{path}:{number}",
                value=text,
            )
        seen[doi] = None
    return tuple(seen)


def parse_unit(text: str) -> Unit:
    """Parse a unit written as ``world``, ``ror:ID``, ``country:CC`` or ``center:NAME=FILE``.

    Raises:
        KyotenError: an unknown kind or a malformed key.
    """
    if text == "world":
        return Unit("world", "world", "world")
    kind, _, rest = text.partition(":")
    if kind == "ror":
        match = _ROR.match(rest.strip())
        if not match:
            raise _bad_unit(
                text,
                "not a ROR id; expected ror:0xxxxxx00 or ror:https://ror.org/0xxxxxx00",
                "ROR ID ではありません。ror:0xxxxxx00 の形で指定してください",
            )
        return Unit("institution", text, "https://ror.org/" + match.group(2).lower())
    if kind == "country":
        if not _COUNTRY.match(rest.strip()):
            raise _bad_unit(
                text,
                "not a country code; expected two letters such as country:JP",
                "国コードではありません。country:JP のように2文字で指定してください",
            )
        return Unit("country", text, rest.strip().upper())
    if kind == "center":
        name, sep, file = rest.partition("=")
        if not sep or not name or not file:
            raise _bad_unit(
                text,
                "expected center:NAME=FILE, FILE holding one DOI per line",
                "center:名前=ファイル の形で指定してください (ファイルは1行に1つの DOI)",
            )
        return Unit("center", name, name, read_dois(Path(file)))
    raise _bad_unit(
        text,
        "unknown unit; expected world, ror:ID, country:CC or center:NAME=FILE",
        "不明な単位です。world、ror:ID、country:CC、center:名前=ファイル のいずれかです",
    )
