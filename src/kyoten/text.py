"""Bilingual text and the error type every core raises.

Every message a user can see exists in Japanese and English from the start; the interface
picks one with ``lang``. Errors carry both, plus where the problem is, so that a CLI, an API
and a web page can each render them in the user's language without parsing strings.

Example:
    >>> msg = Bilingual(en="Too few PIs", ja="PIが不足しています")
    >>> msg.get("ja")
    'PIが不足しています'
    >>> err = KyotenError(msg, location="people.pis", value=3)
    >>> err.localized("en")
    'people.pis: Too few PIs (got 3)'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Lang = Literal["ja", "en"]
LANGS: tuple[Lang, ...] = ("ja", "en")


@dataclass(frozen=True)
class Bilingual:
    """A message in English and Japanese."""

    en: str
    ja: str

    def get(self, lang: Lang) -> str:
        """The message in ``lang`` ("ja" or "en")."""
        return self.ja if lang == "ja" else self.en

    def as_dict(self) -> dict[str, str]:
        """Both languages, for JSON output."""
        return {"ja": self.ja, "en": self.en}


_MISSING = object()

# Characters no stored text may hold: C0 and C1 controls but tab and line breaks, DEL, lone
# surrogates (not encodable in UTF-8) and the bidirectional overrides and isolates that make
# text read other than it is stored. PostgreSQL refuses NUL, spreadsheets the C0 controls.
UNPRINTABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def printable(text: str) -> str:
    r"""``text`` with every :data:`UNPRINTABLE` character written as its ``\uXXXX`` escape, so
    that a message quoting bad input can always be shown, encoded and logged.

    >>> printable("IRCN\x00\u202e")
    'IRCN\\u0000\\u202e'
    """
    return UNPRINTABLE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


class KyotenError(ValueError):
    """A user-facing error: what is wrong, where, and with which value.

    Args:
        message: what was expected, in both languages.
        location: where the problem is (a file, a field path, ``file:line``), if known.
        value: the offending value, if there is one.
    """

    def __init__(
        self, message: Bilingual, *, location: str | None = None, value: object = _MISSING
    ) -> None:
        self.message = message
        self.location = printable(location) if location is not None else None
        self.value = value
        super().__init__(self.localized("en"))

    @property
    def has_value(self) -> bool:
        """Whether the error names an offending value."""
        return self.value is not _MISSING

    def localized(self, lang: Lang) -> str:
        """The full message in ``lang``: location, message and the value that was given."""
        given = repr(self.value) if self.has_value else None
        return placed(lang, self.message.get(lang), self.location, given)


def colon(lang: Lang) -> str:
    """What follows a label before its value, as ``lang`` writes it.

    >>> colon("ja"), colon("en")
    ('：', ': ')
    """
    return "：" if lang == "ja" else ": "


def separator(lang: Lang) -> str:
    """What stands between the items of a list, as ``lang`` writes it.

    >>> separator("ja"), separator("en")
    ('、', ', ')
    """
    return "、" if lang == "ja" else ", "


def listed(lang: Lang, items: Iterable[str]) -> str:
    """``items`` one after another, as ``lang`` separates them.

    >>> listed("ja", ["東北大学", "教授"]), listed("en", ["Tohoku University", "Professor"])
    ('東北大学、教授', 'Tohoku University, Professor')
    """
    return separator(lang).join(items)


def aside(lang: Lang, text: str) -> str:
    """``text`` in brackets after what it qualifies, as ``lang`` sets them (no brackets for no
    text).

    >>> aside("ja", "算出"), aside("en", "computed"), aside("en", "")
    ('（算出）', ' (computed)', '')
    """
    if not text:
        return ""
    return f"（{text}）" if lang == "ja" else f" ({text})"


def sentence_gap(lang: Lang) -> str:
    """What stands between two sentences: nothing after 「。」, a space after ".".

    >>> sentence_gap("ja"), sentence_gap("en")
    ('', ' ')
    """
    return "" if lang == "ja" else " "


def placed(lang: Lang, text: str, location: str | None = None, given: str | None = None) -> str:
    """``text`` after where it is and before the value given, punctuated as ``lang`` writes.

    >>> placed("en", "is required", "a.yaml: track", "'x'")
    "a.yaml: track: is required (got 'x')"
    >>> placed("ja", "必須です", "a.yaml: track", "'x'")
    "a.yaml: track：必須です（入力値 'x'）"
    """
    if given is not None:
        text = f"{text}（入力値 {given}）" if lang == "ja" else f"{text} (got {given})"
    return f"{location}{colon(lang)}{text}" if location else text


# The most problems one error lists: a file with a million bad rows must not make a page (or
# a JSON answer) of a million lines; the rest are counted in a last line.
PROBLEMS_MAX = 200


class KyotenErrors(KyotenError):
    """Several problems found at once (e.g. every bad field of a file), reported together.

    At most ``PROBLEMS_MAX`` are kept; a last problem says how many more there were.

    >>> first = KyotenError(Bilingual(en="is required", ja="必須です"), location="a.yaml: track")
    >>> both = KyotenErrors([first, first])
    >>> print(both.localized("ja"))
    a.yaml: track：必須です
    a.yaml: track：必須です
    >>> print(KyotenErrors([first] * 5, limit=2).localized("en"))
    a.yaml: track: is required
    a.yaml: track: is required
    … and 3 more problems (only the first 2 are listed; fix these and try again)
    """

    def __init__(
        self, problems: list[KyotenError], *, total: int | None = None, limit: int = PROBLEMS_MAX
    ) -> None:
        if not problems:
            raise ValueError("KyotenErrors needs at least one problem")
        total = max(total or 0, len(problems))
        self.problems = problems[:limit]
        self.omitted = total - len(self.problems)
        if self.omitted:
            self.problems.append(
                KyotenError(
                    Bilingual(
                        en=f"… and {self.omitted:,} more problems (only the first {limit:,} "
                        "are listed; fix these and try again)",
                        ja=f"ほかに{self.omitted:,}件の問題があります（最初の{limit:,}件のみ"
                        "表示しています。これらを直してから再度お試しください）",
                    )
                )
            )
        super().__init__(problems[0].message, location=problems[0].location)

    def localized(self, lang: Lang) -> str:
        """Every problem, one per line."""
        return "\n".join(problem.localized(lang) for problem in self.problems)


def percent_tenths(part: int, whole: int) -> int:
    """``part / whole`` in tenths of a percent, rounded down.

    Rounding down keeps a share that misses a threshold from being shown as reaching it:
    2,999 of 10,000 researchers is 29.9%, not 30.0%, next to "at least 30% is required".

    >>> percent_tenths(2999, 10000), percent_tenths(3, 10), percent_tenths(2, 3)
    (299, 300, 666)
    """
    return (1000 * part) // whole


def format_percent(part: int, whole: int) -> str:
    """``part / whole`` as a percentage with one decimal, rounded down (see percent_tenths).

    >>> format_percent(28, 100), format_percent(1, 16)
    ('28.0%', '6.2%')
    """
    return format_tenths(percent_tenths(part, whole))


def format_tenths(tenths: int) -> str:
    """Tenths of a percent as a percentage with one decimal.

    >>> format_tenths(299), format_tenths(5)
    ('29.9%', '0.5%')
    """
    return f"{tenths // 10}.{tenths % 10}%"
