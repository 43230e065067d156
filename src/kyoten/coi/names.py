"""Personal names folded so that the ways one name is written compare equal.

A name may reach Kyoten in many forms: "Michinari Hamaguchi", "HAMAGUCHI, Michinari",
"Ｈａｍａｇｕｃｈｉ Ｍｉｃｈｉｎａｒｉ", 「濱口 道成」, 「浜口道成」. Folding takes case, character
width, accents and the romanisation variants of Japanese names (Ōno, Ohno, Oono and Ono;
Shinichi and Shin'ichi; Syunsuke and Shunsuke; Homma and Honma) to one form, and the old and
new forms of kanji common in names (濱 and 浜, 齋 and 斉, 髙 and 高). A written name is then a
:class:`NameKey`: its folded Latin words as a set (the order of family and given name varies)
or its folded Japanese characters without spaces.

The same folding is applied to both sides, so a folding that also changes a name from
another language (John and Jon both fold to ``jon``) only makes two names compare equal that
are written alike; a match on a name alone is only ever a *potential* conflict, for a person
to decide.

Example:
    >>> key = written_key("HAMAGUCHI, Michinari")
    >>> key == written_key("Michinari Hamaguchi") == written_key("ｈａｍａｇｕｃｈｉ michinari")
    True
    >>> written_key("Ōno Shin'ichi") == written_key("Shinichi Ohno") == written_key("Oono Sinichi")
    True
    >>> written_key("濱口 道成") == written_key("浜口道成")
    True
    >>> written_key("M. Hamaguchi").compatible(key), written_key("T. Hamaguchi").compatible(key)
    (True, False)
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Han and kana: a name written in Japanese
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
# Old (or variant) forms of kanji frequent in names, and the form they fold to. The pairs are
# variants of one character as family registers and publications mix them; 龍 and 竜, 齋 and 斉
# are also distinct in law, which is why a name match is never more than potential.
KANJI_VARIANTS = str.maketrans(
    {
        "濱": "浜",
        "邊": "辺",
        "邉": "辺",
        "齋": "斉",
        "齊": "斉",
        "斎": "斉",
        "髙": "高",
        "﨑": "崎",
        "嵜": "崎",
        "德": "徳",
        "國": "国",
        "澤": "沢",
        "櫻": "桜",
        "廣": "広",
        "藏": "蔵",
        "眞": "真",
        "惠": "恵",
        "冨": "富",
        "嶋": "島",
        "嶌": "島",
        "龍": "竜",
        "瀨": "瀬",
        "曾": "曽",
        "條": "条",
        "淸": "清",
        "黑": "黒",
        "將": "将",
    }
)
# Romanisation variants, to the Hepburn form, applied in order to each folded Latin word:
# Kunrei and Nihon-shiki spellings, long vowels written doubled, with u or with h, and m
# written for n before b, m and p.
ROMANISATION = (
    (re.compile(r"sy([auo])"), r"sh\1"),
    (re.compile(r"[tc]y([auo])"), r"ch\1"),
    (re.compile(r"[zj]y([auo])"), r"j\1"),
    (re.compile(r"(?<![sc])hu"), "fu"),
    (re.compile(r"(?<![sc])ti"), "chi"),
    (re.compile(r"(?<![t])tu"), "tsu"),
    (re.compile(r"(?<![s])si"), "shi"),
    (re.compile(r"[zd]i"), "ji"),
    (re.compile(r"du"), "zu"),
    (re.compile(r"o[ou]"), "o"),
    (re.compile(r"oh(?![aeiouy])"), "o"),
    (re.compile(r"uu"), "u"),
    (re.compile(r"m(?=[bmp])"), "n"),
)
_NOT_LETTER = re.compile(r"[^\w\s]|_")


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold_word(word: str) -> str:
    """One Latin word folded: lower case, no accents, no apostrophe or hyphen, romanisation
    variants to their Hepburn form.

    >>> [fold_word(w) for w in ("Ōno", "Itoh", "Shin'ichi", "HOMMA", "Tyôzi")]
    ['ono', 'ito', 'shinichi', 'honma', 'choji']
    """
    text = _strip_accents(unicodedata.normalize("NFKC", word)).casefold()
    text = _NOT_LETTER.sub("", text)
    for pattern, replacement in ROMANISATION:
        text = pattern.sub(replacement, text)
    return text


def fold_japanese(text: str) -> str:
    """A name written in Japanese, folded: full width, no spaces or dots, old kanji forms to
    their common ones.

    >>> fold_japanese("齋藤　眞理子"), fold_japanese("ｻｲﾄｳ・ﾏﾘｺ")
    ('斉藤真理子', 'サイトウマリコ')
    """
    text = unicodedata.normalize("NFKC", text).translate(KANJI_VARIANTS)
    return re.sub(r"[\s・.,、，]", "", text)


@dataclass(frozen=True)
class NameKey:
    """A written name, folded: its Latin words as a set, or its Japanese characters."""

    words: frozenset[str] = frozenset()
    japanese: str = ""

    def __bool__(self) -> bool:
        return bool(self.words or self.japanese)

    def compatible(self, other: NameKey) -> bool:
        """Whether the two may name one person: the same Japanese characters, the same Latin
        words, or the same words but for given names written as initials on one side
        ("M. Hamaguchi", "Hamaguchi M"). Initials only never match each other."""
        if self.japanese or other.japanese:
            return bool(self.japanese) and self.japanese == other.japanese
        if not self.words or not other.words:
            return False
        if self.words == other.words:
            return True
        return _by_initials(self.words, other.words) or _by_initials(other.words, self.words)


def _by_initials(abbreviated: frozenset[str], full: frozenset[str]) -> bool:
    """``abbreviated`` has its full words in ``full`` and, for each of the others, an initial
    of a word of ``full`` not otherwise used (at least one full word besides initials)."""
    initials = sorted(w for w in abbreviated if len(w) == 1)
    whole = abbreviated - set(initials)
    if not initials or not whole or not whole <= full:
        return False
    rest = sorted(full - whole)
    for letter in initials:
        found = next((w for w in rest if w.startswith(letter)), None)
        if found is None:
            return False
        rest.remove(found)
    return True


def written_key(name: str) -> NameKey:
    """The key of a name as written in one field (a roster's name, an author's name).

    >>> written_key("Takao K. Hensch") == written_key("Hensch, Takao K.")
    True
    """
    if JAPANESE.search(name):
        return NameKey(japanese=fold_japanese(name))
    words = re.split(r"[\s,.]+", unicodedata.normalize("NFKC", name))
    return NameKey(words=frozenset(filter(None, (fold_word(w) for w in words))))


def person_keys(
    family_en: str, given_en: str, family_ja: str = "", given_ja: str = ""
) -> list[NameKey]:
    """The keys of a person of the registry: their English name and, if written, their
    Japanese one.

    >>> keys = person_keys("Hamaguchi", "Michinari", "濱口", "道成")
    >>> any(k.compatible(written_key("浜口 道成")) for k in keys)
    True
    """
    keys = [written_key(f"{given_en} {family_en}")]
    if family_ja or given_ja:
        keys.append(written_key(f"{family_ja}{given_ja}"))
    return [k for k in keys if k]
