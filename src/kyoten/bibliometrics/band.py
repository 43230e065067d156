"""The program document's PP(top 10%) band, as a value object that places a share against it.

The band (about 20–25%, MEXT overview, January 2024) and its caveat are data in
``reference_band.yaml``; the document does not say which database, field scheme, counting or
tie method produced it, so the band is marked unconfirmed and every place that shows it
shows the caveat too.

Example:
    >>> band = reference_band()
    >>> band.low, band.high, band.unconfirmed
    (0.2, 0.25, True)
    >>> [band.position(share) for share in (0.19, 0.2, 0.25, 0.31, None)]
    ['below', 'within', 'within', 'above', None]
    >>> band.range_text()
    '20%–25%'
    >>> format_share(0.19999), format_share(0.2), format_share(None)
    ('19.9%', '20.0%', '—')
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from importlib import resources
from typing import Any, Literal

import yaml

from kyoten.text import Bilingual, format_tenths

BandPosition = Literal["below", "within", "above"]
# Float sums such as 0.1 + 0.1 land a hair below the exact share; this keeps them on it.
_SHARE_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Band:
    """A reference range for a share, with its label, caveat and source."""

    low: float
    high: float
    label: Bilingual
    caveat: Bilingual
    unconfirmed: bool
    source: str

    def position(self, share: float | None) -> BandPosition | None:
        """Where ``share`` lies: below, within (bounds included) or above; None for no value."""
        if share is None:
            return None
        if share < self.low - _SHARE_TOLERANCE:
            return "below"
        if share > self.high + _SHARE_TOLERANCE:
            return "above"
        return "within"

    def range_text(self) -> str:
        """The band as ``20%–25%``."""
        return f"{self.low:.0%}–{self.high:.0%}"


def load_band_data() -> dict[str, Any]:
    """The ``pp_top10_band`` entry of ``reference_band.yaml`` as written."""
    text = resources.files("kyoten.bibliometrics").joinpath("reference_band.yaml").read_text()
    band: dict[str, Any] = yaml.safe_load(text)["pp_top10_band"]
    return band


def reference_band() -> Band:
    """The program document's PP(top 10%) band."""
    data = load_band_data()
    return Band(
        low=float(data["low"]),
        high=float(data["high"]),
        label=Bilingual(en=data["label_en"], ja=data["label_ja"]),
        caveat=Bilingual(en=data["caveat_en"], ja=data["caveat_ja"]),
        unconfirmed=bool(data["unconfirmed"]),
        source=str(data["source"]).strip(),
    )


def format_share(share: float | None) -> str:
    """A share as a percentage with one decimal, rounded down (``—`` for no value).

    Rounding down keeps a share just below the band from reading as inside it.
    """
    if share is None:
        return "—"
    return format_tenths(math.floor(share * 1000 + _SHARE_TOLERANCE * 1000))
