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
from typing import Annotated, Literal
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kyoten.text import Bilingual, KyotenError
from kyoten.validation import errors_from_validation

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


class _PublisherSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    domain: Annotated[str, Field(pattern=r"^[a-z0-9.-]+\.[a-z]+$")]
    kind: Kind
    name_en: Annotated[str, Field(min_length=1)]
    name_ja: Annotated[str, Field(min_length=1)]


class _DocumentSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    match: Annotated[str, Field(min_length=1)]
    publisher: str
    title_en: Annotated[str, Field(min_length=1)]
    title_ja: Annotated[str, Field(min_length=1)]


class _PublishersFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: Literal[1]
    publishers: list[_PublisherSpec]
    documents: list[_DocumentSpec]


def parse_publishers(text: str, path: str) -> _Registry:
    """Validate publishers YAML (read from ``path``): every problem names the file, the entry
    and the field (KyotenErrors), e.g. a kind that is neither official nor secondary."""
    try:
        spec = _PublishersFile.model_validate(yaml.safe_load(text))
    except ValidationError as error:
        raise errors_from_validation(error, path) from None
    publishers = {
        p.domain: Publisher(p.domain, Bilingual(en=p.name_en, ja=p.name_ja), p.kind)
        for p in spec.publishers
    }
    unknown = [d for d in spec.documents if d.publisher not in publishers]
    if unknown:
        raise KyotenError(
            Bilingual(
                en="a document's publisher must be one of the publishers' domains",
                ja="文書の発行元は publishers に記載したドメインのいずれかです",
            ),
            location=f"{path}: documents[{spec.documents.index(unknown[0])}].publisher",
            value=unknown[0].publisher,
        )
    documents = tuple(
        _Document(d.match, Bilingual(en=d.title_en, ja=d.title_ja), publishers[d.publisher])
        for d in spec.documents
    )
    return _Registry(publishers, documents)


@functools.cache
def _registry() -> _Registry:
    text = resources.files("kyoten").joinpath("data/reference/publishers.yaml").read_text("utf-8")
    return parse_publishers(text, "kyoten/data/reference/publishers.yaml")


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
