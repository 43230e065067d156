"""Who published a source, and whether it is official or secondary.

The reference data and the rulebook cite sources as addresses (``https://…``, optionally
followed by a remark in parentheses) or, for a document with no public address, by its
name. :func:`cite` tells the publisher, from ``data/reference/publishers.yaml``: the host of
an address matches the longest domain it equals or ends with; a document matches by name,
and is shown by its title, never by a file path. Official means MEXT, JSPS, or a host
institution's or center's own site; secondary means press, encyclopaedias, document mirrors
and aggregators (the fact sheet's definitions).

Example:
    >>> c = cite("https://www.mext.go.jp/b_menu/houdou/23/12/1314068.htm (FY2007 centers)")
    >>> c.publisher.name.en, c.publisher.kind, c.url, c.remark
    ('Ministry of Education, Culture, Sports, Science and Technology (MEXT)', 'official', 'https://www.mext.go.jp/b_menu/houdou/23/12/1314068.htm', 'FY2007 centers')
    >>> cite("https://resemom.jp/article/2017/09/26/40544.html").publisher.kind
    'secondary'
    >>> c = cite("sources/mext-wpi-overview-2024-01.md (プログラム委員会)")
    >>> c.url, c.title.ja[:10], c.remark
    (None, '「世界トップレベル研', 'プログラム委員会')
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from typing import Any, Literal
from urllib.parse import urlsplit

import yaml

from kyoten.text import Bilingual

Kind = Literal["official", "secondary"]


@dataclass(frozen=True)
class Publisher:
    domain: str
    name: Bilingual
    kind: Kind


@dataclass(frozen=True)
class Citation:
    """A source as a page shows it: the link (or a document's title), its publisher (None
    when no entry of publishers.yaml matches) and the remark the data added."""

    source: str
    url: str | None
    title: Bilingual | None
    publisher: Publisher | None
    remark: str

    @property
    def secondary(self) -> bool:
        return self.publisher is not None and self.publisher.kind == "secondary"


@dataclass(frozen=True)
class _Document:
    match: str
    title: Bilingual
    publisher: Publisher


@dataclass(frozen=True)
class _Registry:
    publishers: dict[str, Publisher]
    documents: tuple[_Document, ...]


@functools.cache
def _registry() -> _Registry:
    text = resources.files("kyoten").joinpath("data/reference/publishers.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    publishers = {
        entry["domain"]: Publisher(
            entry["domain"], Bilingual(en=entry["name_en"], ja=entry["name_ja"]), entry["kind"]
        )
        for entry in data["publishers"]
    }
    documents = tuple(
        _Document(
            entry["match"],
            Bilingual(en=entry["title_en"], ja=entry["title_ja"]),
            publishers[entry["publisher"]],
        )
        for entry in data["documents"]
    )
    return _Registry(publishers, documents)


def publisher_of(url: str) -> Publisher | None:
    """The publisher of an address: the longest domain its host equals or ends with."""
    host = (urlsplit(url).hostname or "").lower()
    parts = host.split(".")
    for start in range(len(parts) - 1):
        publisher = _registry().publishers.get(".".join(parts[start:]))
        if publisher is not None:
            return publisher
    return None


def cite(source: str) -> Citation:
    """How to show one source of the data (see the module's docstring)."""
    head, _, rest = source.strip().partition(" ")
    remark = rest.strip().removeprefix("(").removesuffix(")")
    if head.startswith(("http://", "https://")):
        return Citation(source, head, None, publisher_of(head), remark)
    for document in _registry().documents:
        if document.match in head:
            return Citation(source, None, document.title, document.publisher, remark)
    return Citation(source, None, None, None, source)
