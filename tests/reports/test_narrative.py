"""The written part of the annual report as data: the sections and their limits with their
sources, lengths counted as pages are, Markdown that reaches a page without markup of the
author's own, and the same text as blocks for a PDF."""

import pytest

from kyoten.cycles import load_cycles
from kyoten.reports.narrative import (
    blocks,
    clean_texts,
    format_length,
    half_widths,
    load_narrative,
    parse_narrative,
    render_html,
)
from kyoten.text import KyotenError
from kyoten.validation import shipped_data

NARRATIVE = load_narrative()
TEXT, PATH = shipped_data("kyoten.reports", "wpi")


def test_the_sections_of_a_report_before_and_after_the_missions_of_december_2020():
    # a report describes 31 March: FY2019's (31 March 2020) predates the new mission
    assert [s.id for s in NARRATIVE.sections_for(2019)] == [
        "summary",
        "research_level",
        "interdisciplinary",
        "international",
        "system_reform",
        "host_commitment",
    ]
    fy2020 = [s.id for s in NARRATIVE.sections_for(2020)]
    assert fy2020[-3:] == ["social_value", "young_researchers", "sustainability"]
    assert [s.number for s in NARRATIVE.sections_for(2020)] == list(range(9))


@pytest.mark.parametrize(
    ("fiscal_year", "section", "mission"),
    [
        # before December 2020 the FY2007 criteria; from then on, the three missions
        (2019, "research_level", "Research of the world's highest level"),
        (2019, "interdisciplinary", "Interdisciplinary research (fusion)"),
        (2019, "international", "International research environment"),
        (2019, "system_reform", "Reform of the research organisation"),
        (2024, "research_level", "World-Leading Scientific Excellence and Recognition"),
        (2024, "international", "Global Research Environment and System Reform"),
        (2024, "host_commitment", "Global Research Environment and System Reform"),
        (2024, "sustainability", "Values for the Future"),
    ],
)
def test_each_section_belongs_to_a_mission_of_the_rubric_in_force(fiscal_year, section, mission):
    found = next(s for s in NARRATIVE.sections_for(fiscal_year) if s.id == section)
    assert found.mission is not None and found.mission.en == mission


def test_the_summary_is_two_pages_by_kyotens_conversion_and_its_source_is_cited():
    summary = NARRATIVE.sections_for(2024)[0]
    assert (summary.pages, summary.characters_max) == (2, 3200)
    assert summary.mission is None and summary.unconfirmed == ()
    assert any("docslib.org/doc/3764894" in s for s in summary.sources)
    assert NARRATIVE.data.characters_per_page.unconfirmed  # the conversion is Kyoten's


def test_every_value_without_a_source_is_marked_unconfirmed():
    for section in NARRATIVE.data.sections:
        assert section.sources or "section" in section.unconfirmed, section.id
        assert section.pages_sources or "pages" in section.unconfirmed, section.id
    # together the sections stay within the report's 20 pages, leaving room for the tables
    assert sum(s.pages for s in NARRATIVE.sections_for(2024)) <= NARRATIVE.data.report_pages.max


def test_every_mission_named_exists_in_its_rubric():
    rubrics = {r.id: {m.id for m in r.missions} for r in load_cycles().rubrics}
    for section in NARRATIVE.data.sections:
        for rubric, mission in section.missions.items():
            assert mission in rubrics[rubric]


@pytest.mark.parametrize(
    ("change", "where", "words"),
    [
        # a section citing a source the file does not list
        (("sources: [elsi-fy2017, ircn-fy2018, ashbi-fy2019]", "sources: [nowhere]"), "sources", "unknown source id"),
        # a page limit without a source, not marked unconfirmed
        (("    pages_sources: []\n    sources: [elsi-fy2017, ircn-fy2018, ebrary-69694, jsps-missions-en]\n    unconfirmed: [pages]", "    pages_sources: []\n    sources: [elsi-fy2017, ircn-fy2018, ebrary-69694, jsps-missions-en]\n    unconfirmed: []"), "sections[research_level].pages", "must list 'pages'"),
        # a mission the rubric does not have
        (("missions: {criteria-2007: fusion, missions-2020: excellence}", "missions: {criteria-2007: fusion, missions-2020: wellbeing}"), "missions.missions-2020", "unknown mission id"),
        # a limit that is not a number of pages
        (("    pages: 3\n", "    pages: three\n"), "sections[1].pages", "whole number"),
    ],
)  # fmt: skip
def test_a_bad_data_file_names_the_file_and_the_field(change, where, words):
    old, new = change
    assert old in TEXT
    with pytest.raises(KyotenError) as caught:
        parse_narrative(TEXT.replace(old, new, 1), PATH)
    message = caught.value.localized("en")
    assert PATH in message and where in message and words in message


@pytest.mark.parametrize(
    ("text", "half"),
    [
        ("abc", 3),
        ("研究", 4),  # full-width: two half-widths each
        ("ＷＰＩ", 6),  # full-width Latin letters too
        ("ｶﾀｶﾅ", 4),  # half-width katakana count half
        ("行1\n行2\r\n", 6),  # line breaks count nothing
    ],
)
def test_lengths_count_full_width_characters_double(text, half):
    assert half_widths(text) == half


def test_a_length_in_each_language():
    assert (format_length(6401, "ja"), format_length(6401, "en")) == ("3,200.5", "6,401")


def test_a_section_over_its_limit_is_refused_naming_it_and_its_limit():
    summary_max = NARRATIVE.sections_for(2024)[0].characters_max
    at_limit = "研" * summary_max
    assert clean_texts({"summary": at_limit}, 2024) == {"summary": at_limit}
    english = "a" * (2 * summary_max)  # half-width letters: twice as many fit
    assert clean_texts({"summary": english}, 2024) == {"summary": english}
    with pytest.raises(KyotenError) as caught:
        clean_texts({"summary": at_limit + "。", "research_level": "ok"}, 2024)
    assert caught.value.localized("en") == (
        "narrative.summary: Summary of State of WPI Center Project Progress: 6,402 characters; "
        "at most 6,400 characters (about 2 pages; a Japanese character counts as two). "
        "Shorten it, or move detail into an appendix"
    )
    assert (
        "拠点構想の進捗状況の概要：全角換算で3,201字です。全角3,200字以内（約2ページ。半角文字は0.5字）に収めるか"
        in caught.value.localized("ja")
    )


def test_texts_are_checked_and_tidied():
    assert clean_texts({"summary": "  line \r\nnext  \n\n", "international": ""}, 2024) == {
        "summary": "  line\nnext"
    }
    with pytest.raises(KyotenError) as caught:
        clean_texts({"summary": "bad\x00text", "no_such": "x"}, 2024)
    message = caught.value.localized("en")
    assert "a report on FY2024 has no such section" in message and "no_such" in message
    assert "contains the character U+0000" in message
    with pytest.raises(KyotenError, match="no such section"):
        clean_texts({"sustainability": "after the grant"}, 2019)  # before the new mission


@pytest.mark.parametrize(
    ("markdown", "absent", "present"),
    [
        ("<script>alert(1)</script>", "<script", "&lt;script&gt;"),
        ('<img src=x onerror="alert(1)">', "<img", "&lt;img"),
        ("[x](javascript:alert(1))", "href", "[x](javascript:alert(1))"),
        ("[x](data:text/html;base64,PHNjcmlwdD4=)", "href", "[x]"),
        ("![chart](https://example.org/c.png)", "<img", "chart"),  # no images: an appendix
        ('[ok](https://ircn.jp/ "t")', "title=", 'href="https://ircn.jp/"'),
        ("# Aim", "<h1", "<h4>Aim</h4>"),  # under the section's own heading
        ("| a | b |\n| - | - |\n| 1 | 2 |", "style", "<td>1</td>"),
    ],
)
def test_markdown_reaches_a_page_without_markup_of_its_own(markdown, absent, present):
    html = render_html(markdown)
    assert absent not in html
    assert present in html


def test_a_link_opens_nothing_of_the_site():
    assert 'rel="noopener noreferrer nofollow"' in render_html("[JSPS](https://www.jsps.go.jp/)")


def test_the_same_text_as_blocks_for_a_pdf():
    found = blocks(
        "# 成果\n\n**太字**と[リンク](https://ircn.jp/)。\n次の行\n\n"
        "1. 一\n   - 入れ子\n\n> 引用\n\n```\ncode\n```\n\n---\n\n| a | b |\n| - | - |\n| 1 | 2 |"
    )
    kinds = [(b.kind, b.level, b.marker, b.quoted) for b in found]
    assert kinds == [
        ("heading", 1, "", False),
        ("paragraph", 0, "", False),
        ("item", 1, "1.", False),
        ("item", 2, "•", False),
        ("paragraph", 0, "", True),
        ("code", 0, "", False),
        ("rule", 0, "", False),
        ("table", 0, "", False),
    ]
    runs = found[1].runs
    assert (runs[0].text, runs[0].bold) == ("太字", True)
    assert (runs[2].text, runs[2].link) == ("リンク", "https://ircn.jp/")
    assert any(r.text == "\n" for r in runs)  # the author's line break is kept
    assert found[-1].rows == (("a", "b"), ("1", "2"))
    assert blocks("[x](javascript:alert(1))")[0].runs[0].link is None
