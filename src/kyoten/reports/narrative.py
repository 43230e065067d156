"""The written part of the annual progress report: its sections as data, lengths counted as
the program counts pages, Markdown rendered safely.

The data is ``kyoten/reports/data/<program>.yaml``, checked when loaded (every problem named
by file and field, the missions checked against the rubrics of :mod:`kyoten.cycles`): the
report's title, the common instructions, the sections with their bilingual titles, guidance,
page limits and missions, the appendices. Each value carries its sources; what no source
confirms is listed as ``unconfirmed`` so that every page shows it so.

A section's limit is in characters: its pages times ``characters_per_page`` (Kyoten's
conversion, marked so) full-width characters, a half-width character counting half — the way
a Japanese page limit is usually turned into characters, and about 500 English words a page.

A section is written in Markdown (CommonMark with tables; no raw HTML, no images). The HTML a
page shows is rendered with raw HTML off and then sanitised by an allow-list, so nothing the
author types reaches a page as markup of its own; :func:`blocks` gives the same text as
paragraphs, headings, list items and tables for a PDF.

Example:
    >>> narrative = load_narrative()
    >>> [s.id for s in narrative.sections_for(2019)][:3]
    ['summary', 'research_level', 'interdisciplinary']
    >>> summary = narrative.sections_for(2024)[0]
    >>> summary.characters_max, summary.unconfirmed
    (3200, ())
    >>> half_widths("WPI拠点")  # 3 half-width letters and 2 full-width characters
    7
    >>> render_html("**研究**<script>alert(1)</script>")
    '<p><strong>研究</strong>&lt;script&gt;alert(1)&lt;/script&gt;</p>\\n'
"""

from __future__ import annotations

import datetime
import functools
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Literal

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token
from pydantic import BaseModel, ConfigDict, Field

from kyoten.cycles import Text, load_cycles
from kyoten.fiscal import format_fiscal_year
from kyoten.text import UNPRINTABLE, Bilingual, KyotenError, KyotenErrors, printable
from kyoten.validation import read_yaml, shipped_data, validated

# What a section's data may say no source confirms: that the real report has the section at
# all, the wording of its title, its page limit.
Unconfirmed = Literal["section", "title", "pages"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Strict):
    url: str | None = None
    document: str | None = None
    note: str

    @property
    def address(self) -> str:
        """The source as the pages cite one: its address, then the note in parentheses."""
        return f"{self.url or self.document} ({self.note})"


class _Sourced(_Strict):
    sources: Annotated[list[str], Field(min_length=1)]


class Title(_Sourced):
    en: Annotated[str, Field(pattern=r"\{fiscal_year\}")]
    ja: Annotated[str, Field(pattern=r"\{fiscal_year\}")]


class PageConversion(_Strict):
    value: Annotated[int, Field(ge=100, le=10_000)]
    unconfirmed: bool
    note: Text


class ReportPages(_Sourced):
    min: Annotated[int, Field(ge=1)]
    max: Annotated[int, Field(ge=1)]
    note: Text


class Instruction(_Sourced):
    text: Text


class SectionData(_Strict):
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    title: Text
    guidance: Text
    missions: dict[str, str]
    from_: datetime.date | None = Field(default=None, alias="from")
    pages: Annotated[int, Field(ge=1, le=20)]
    pages_sources: list[str]
    sources: list[str]
    unconfirmed: list[Unconfirmed]


class Appendices(_Sourced):
    guidance: Text
    unconfirmed: list[str]
    note: Text


class NarrativeData(_Strict):
    """A program's narrative data file (see the module docstring)."""

    program: str
    sources: dict[str, Source]
    title: Title
    language_note: Text
    characters_per_page: PageConversion
    report_pages: ReportPages
    instructions: list[Instruction]
    sections: Annotated[list[SectionData], Field(min_length=1)]
    appendices: Appendices


@dataclass(frozen=True)
class Section:
    """A section as a report of one fiscal year asks for it."""

    id: str
    number: int  # 0 for the summary, which comes first unnumbered
    title: Text
    guidance: Text
    mission: Text | None  # the mission it belongs to in the rubric of the report's day
    mission_ja_unconfirmed: bool  # the mission's Japanese title is Kyoten's translation
    characters_max: int
    unconfirmed: tuple[Unconfirmed, ...]
    sources: tuple[str, ...]  # addresses, as the pages cite them
    pages: int

    def heading(self, lang: str) -> str:
        """The section's title, numbered as in the report."""
        title = self.title.get(lang)
        return f"{self.number}. {title}" if self.number else title


@dataclass(frozen=True)
class Narrative:
    """The narrative data, resolved against the rubrics (see :func:`load_narrative`)."""

    data: NarrativeData

    def addresses(self, ids: Sequence[str]) -> tuple[str, ...]:
        return tuple(self.data.sources[s].address for s in ids)

    def instruction_sources(self) -> tuple[str, ...]:
        """The addresses of every source of the common instructions and the page count."""
        ids = [s for i in self.data.instructions for s in i.sources]
        ids += self.data.report_pages.sources
        return self.addresses(list(dict.fromkeys(ids)))

    def title(self, fiscal_year: int, lang: str) -> str:
        """The report's title for ``fiscal_year`` in ``lang``.

        >>> load_narrative().title(2024, "ja")
        '世界トップレベル研究拠点プログラム（WPI）令和6年度 拠点構想進捗状況報告書'
        """
        year = format_fiscal_year(fiscal_year, "wareki" if lang == "ja" else "fy")
        template = self.data.title.ja if lang == "ja" else self.data.title.en
        return template.replace("{fiscal_year}", year)

    def sections_for(self, fiscal_year: int) -> list[Section]:
        """The sections a report on ``fiscal_year`` has, in order: those in force on the day
        it describes (31 March at the end of the year), each under the mission of the rubric
        in force that day."""
        day = datetime.date(fiscal_year + 1, 3, 31)
        rubric = load_cycles(self.data.program).rubric_for(day)
        missions = {m.id: m for m in rubric.missions}
        found: list[Section] = []
        number = 0
        for data in self.data.sections:
            if data.from_ is not None and day < data.from_:
                continue
            mission_id = data.missions.get(rubric.id)
            mission = missions[mission_id] if mission_id else None
            found.append(
                Section(
                    id=data.id,
                    number=number,
                    title=data.title,
                    guidance=data.guidance,
                    mission=mission.title if mission else None,
                    mission_ja_unconfirmed=mission is not None and mission.ja_unconfirmed,
                    characters_max=data.pages * self.data.characters_per_page.value,
                    unconfirmed=tuple(data.unconfirmed),
                    sources=self.addresses(data.sources),
                    pages=data.pages,
                )
            )
            number += 1
        return found


def _cross_reference_problems(data: NarrativeData, path: str) -> list[KyotenError]:
    """Problems the schema cannot see: unknown sources or missions, duplicate ids, a value
    without a source that is not marked unconfirmed."""
    problems: list[KyotenError] = []

    def problem(where: str, en: str, ja: str, value: object) -> None:
        problems.append(
            KyotenError(Bilingual(en=en, ja=ja), location=f"{path}: {where}", value=value)
        )

    def check_sources(where: str, ids: Sequence[str]) -> None:
        for source in ids:
            if source not in data.sources:
                problem(where, "unknown source id", "不明な出典IDです", source)

    for source_id, source in data.sources.items():
        if (source.url is None) == (source.document is None):
            problem(
                f"sources[{source_id}]",
                "give a url or a document, one of the two",
                "url か document のどちらか一方を指定してください",
                source_id,
            )
    check_sources("title.sources", data.title.sources)
    check_sources("report_pages.sources", data.report_pages.sources)
    check_sources("appendices.sources", data.appendices.sources)
    for number, instruction in enumerate(data.instructions):
        check_sources(f"instructions[{number}].sources", instruction.sources)
    rubrics = {r.id: {m.id for m in r.missions} for r in load_cycles(data.program).rubrics}
    seen: set[str] = set()
    for section in data.sections:
        where = f"sections[{section.id}]"
        if section.id in seen:
            problem(where, "duplicate section id", "項目IDが重複しています", section.id)
        seen.add(section.id)
        check_sources(f"{where}.sources", section.sources)
        check_sources(f"{where}.pages_sources", section.pages_sources)
        if not section.sources and "section" not in section.unconfirmed:
            problem(
                where,
                "a section without a source must list 'section' as unconfirmed",
                "出典のない項目は unconfirmed に section を含めてください",
                section.id,
            )
        if not section.pages_sources and "pages" not in section.unconfirmed:
            problem(
                f"{where}.pages",
                "a page limit without a source must list 'pages' as unconfirmed",
                "出典のないページ数には unconfirmed に pages を含めてください",
                section.pages,
            )
        for rubric, mission in section.missions.items():
            if rubric not in rubrics:
                problem(f"{where}.missions", "unknown rubric id", "不明な評価基準IDです", rubric)
            elif mission not in rubrics[rubric]:
                problem(
                    f"{where}.missions.{rubric}",
                    "unknown mission id in this rubric",
                    "この評価基準にないミッションIDです",
                    mission,
                )
    if data.report_pages.min > data.report_pages.max:
        problem("report_pages", "min is larger than max", "min が max より大きいです", None)
    return problems


def parse_narrative(text: str, path: str) -> Narrative:
    """Validate narrative data ``text`` (read from ``path``).

    Raises:
        KyotenErrors: every problem, each naming the file and the field.
    """
    return Narrative(
        validated(NarrativeData, read_yaml(text, path), path, _cross_reference_problems)
    )


@functools.cache
def load_narrative(program_id: str = "wpi") -> Narrative:
    """The shipped narrative data of a program, loaded and checked once per process."""
    return parse_narrative(*shipped_data("kyoten.reports", program_id))


# --- lengths -----------------------------------------------------------------------------


def half_widths(text: str) -> int:
    """The length of ``text`` in half-width characters: a full-width (or wide) character
    counts two, any other one; line breaks count nothing.

    >>> half_widths("ab 研究。\\n")
    9
    """
    return sum(
        2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text if c not in "\r\n"
    )


def format_length(half: int, lang: str) -> str:
    """A length as the user's language counts it: full-width characters in Japanese (a
    half-width one is half), characters in English (a Japanese one is two).

    >>> format_length(7, "ja"), format_length(7, "en"), format_length(6400, "en")
    ('3.5', '7', '6,400')
    """
    if lang != "ja":
        return f"{half:,}"
    whole, odd = divmod(half, 2)
    return f"{whole:,}.5" if odd else f"{whole:,}"


def limit_text(section: Section) -> Bilingual:
    """The section's limit in words, in both languages.

    >>> limit_text(load_narrative().sections_for(2024)[0]).en
    'at most 6,400 characters (about 2 pages; a Japanese character counts as two)'
    """
    full = section.characters_max
    pages = section.pages
    return Bilingual(
        en=f"at most {2 * full:,} characters (about {pages} page{'s' if pages > 1 else ''}; "
        "a Japanese character counts as two)",
        ja=f"全角{full:,}字以内（約{pages}ページ。半角文字は0.5字）",
    )


def clean_texts(texts: Mapping[str, str], fiscal_year: int) -> dict[str, str]:
    """The sections' texts of a report on ``fiscal_year``, checked: only its sections, no
    character that cannot be stored, none over its limit. Line endings become ``\\n``,
    trailing spaces go, and an empty section is left out.

    Raises:
        KyotenErrors: every problem, each naming the section by its title.
    """
    sections = {s.id: s for s in load_narrative().sections_for(fiscal_year)}
    problems: list[KyotenError] = []
    cleaned: dict[str, str] = {}
    for section_id, raw in texts.items():
        section = sections.get(section_id)
        if section is None:
            problems.append(
                KyotenError(
                    Bilingual(
                        en=f"a report on FY{fiscal_year} has no such section",
                        ja=f"{fiscal_year}年度の報告にはこの項目がありません",
                    ),
                    location="narrative",
                    value=printable(section_id[:80]),
                )
            )
            continue
        text = "\n".join(line.rstrip() for line in raw.replace("\r\n", "\n").split("\n"))
        text = text.strip("\n")
        where = Bilingual(en=section.heading("en"), ja=section.heading("ja"))
        found = UNPRINTABLE.search(text)
        if found is not None:
            code = f"U+{ord(found.group()):04X}"
            problems.append(
                KyotenError(
                    Bilingual(
                        en=f"{where.en}: contains the character {code} (a control character, a "
                        "lone surrogate or a text-direction override), which cannot be stored; "
                        "remove it",
                        ja=f"{where.ja}：保存できない文字（{code}：制御文字・不正なサロゲート・"
                        "文字方向の制御文字）が含まれています。削除してください",
                    ),
                    location=f"narrative.{section_id}",
                )
            )
            continue
        length = half_widths(text)
        if length > 2 * section.characters_max:
            limit = limit_text(section)
            problems.append(
                KyotenError(
                    Bilingual(
                        en=f"{where.en}: {format_length(length, 'en')} characters; "
                        f"{limit.en}. Shorten it, or move detail into an appendix",
                        ja=f"{where.ja}：全角換算で{format_length(length, 'ja')}字です。"
                        f"{limit.ja}に収めるか、詳細を別添に移してください",
                    ),
                    location=f"narrative.{section_id}",
                )
            )
            continue
        if text:
            cleaned[section_id] = text
    if problems:
        raise KyotenErrors(problems)
    return {s: cleaned[s] for s in sections if s in cleaned}  # in the report's order


# --- Markdown ------------------------------------------------------------------------------

# The author's headings sit under the section's own: a "#" is a level-4 heading on a page.
HEADING_SHIFT = 3
ALLOWED_TAGS = {
    "p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a", "hr",
    "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip


@functools.cache
def _markdown() -> MarkdownIt:
    # CommonMark with tables; raw HTML is text, images are not Markdown here (an appendix
    # carries figures); a line break in the text is a line break on the page.
    return (
        MarkdownIt("commonmark", {"html": False, "breaks": True}).enable("table").disable("image")
    )


def _tokens(text: str) -> list[Token]:
    return _markdown().parse(text)


def render_html(text: str) -> str:
    """``text`` (Markdown) as HTML that holds no markup of the author's own.

    >>> render_html("# Aim\\n[x](javascript:alert(1)) [JSPS](https://www.jsps.go.jp/)")
    '<h4>Aim</h4>\\n<p>[x](javascript:alert(1)) <a href="https://www.jsps.go.jp/" rel="noopener noreferrer nofollow">JSPS</a></p>\\n'
    """
    tokens = _tokens(text)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(6, int(token.tag[1]) + HEADING_SHIFT)}"
    html = _markdown().renderer.render(tokens, _markdown().options, {})
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href"}, "*": set()},  # no title, lang or other attribute
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


@dataclass(frozen=True)
class Run:
    """A stretch of text with one style."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    link: str | None = None


@dataclass(frozen=True)
class Block:
    """A block of the text for a PDF: a heading (``level`` 1–6), a paragraph, a list item
    (``level`` its depth, ``marker`` its bullet or number), code, a rule or a table."""

    kind: Literal["heading", "paragraph", "item", "code", "rule", "table"]
    runs: tuple[Run, ...] = ()
    level: int = 0
    marker: str = ""
    quoted: bool = False
    rows: tuple[tuple[str, ...], ...] = ()


def _runs(inline: Token) -> tuple[Run, ...]:
    runs: list[Run] = []
    bold = italic = 0
    link: str | None = None
    for child in inline.children or []:
        kind = child.type
        if kind == "strong_open":
            bold += 1
        elif kind == "strong_close":
            bold -= 1
        elif kind == "em_open":
            italic += 1
        elif kind == "em_close":
            italic -= 1
        elif kind == "link_open":
            href = str(child.attrs.get("href", ""))
            link = href if href.startswith(("http://", "https://", "mailto:")) else None
        elif kind == "link_close":
            link = None
        elif kind in ("softbreak", "hardbreak"):
            runs.append(Run("\n"))
        elif kind == "code_inline":
            runs.append(Run(child.content, code=True, link=link))
        elif child.content:
            runs.append(Run(child.content, bold > 0, italic > 0, link=link))
    return tuple(runs)


def blocks(text: str) -> list[Block]:
    """``text`` (Markdown) as blocks for a PDF (see :class:`Block`).

    >>> [(b.kind, b.marker, "".join(r.text for r in b.runs)) for b in blocks("Aim\\n\\n- one\\n- **two**")]
    [('paragraph', '', 'Aim'), ('item', '•', 'one'), ('item', '•', 'two')]
    """
    found: list[Block] = []
    lists: list[list[int]] = []  # per open list: [next number], or [] for bullets
    marker = ""
    quoted = 0
    rows: list[list[str]] = []
    heading = 0
    for token in _tokens(text):
        kind = token.type
        if kind == "bullet_list_open":
            lists.append([])
        elif kind == "ordered_list_open":
            lists.append([int(str(token.attrs.get("start", 1)))])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "list_item_open":
            counter = lists[-1]
            if counter:
                marker = f"{counter[0]}."
                counter[0] += 1
            else:
                marker = "•"
        elif kind == "blockquote_open":
            quoted += 1
        elif kind == "blockquote_close":
            quoted -= 1
        elif kind == "heading_open":
            heading = int(token.tag[1])
        elif kind == "heading_close":
            heading = 0
        elif kind == "hr":
            found.append(Block("rule"))
        elif kind in ("fence", "code_block"):
            found.append(Block("code", (Run(token.content.rstrip("\n"), code=True),)))
        elif kind == "tr_open":
            rows.append([])
        elif kind == "table_close":
            found.append(Block("table", rows=tuple(tuple(r) for r in rows)))
            rows = []
        elif kind == "inline" and rows and not heading:
            rows[-1].append("".join(r.text for r in _runs(token)).replace("\n", " "))
        elif kind == "inline":
            runs = _runs(token)
            if heading:
                found.append(Block("heading", runs, level=heading, quoted=quoted > 0))
            elif lists:
                found.append(Block("item", runs, len(lists), marker, quoted > 0))
                marker = ""  # a second paragraph of the item has no marker of its own
            else:
                found.append(Block("paragraph", runs, quoted=quoted > 0))
    return found
