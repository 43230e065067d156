"""A version of an annual report as one PDF, in Japanese or in English.

The title block (the report's title, the center, its host and directors, the version and its
state), the summary and the sections in the order of the report's year — each under its
mission, the author's Markdown laid out as paragraphs, headings, lists and tables — then the
tables from the uploaded data (the main indicators, then every section of the template on
landscape pages) and the list of appendices (attached as separate PDFs). The page's language
sets the headings and labels; the narrative is as the center wrote it. Marks show what no
source confirms about the report's format, as on the pages.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from fpdf.fonts import FontFace

from kyoten.reports import indicators
from kyoten.reports.layout import METADATA, TABLES
from kyoten.reports.model import CHOICES
from kyoten.reports.narrative import Block, Run, blocks, load_narrative
from kyoten.submissions import presenters
from kyoten.submissions.models import ReportVersion
from kyoten.text import Lang, colon
from kyoten.web.pdf import FONT, INK, MUTED, Document, bold, heading, paragraph

LINK = (20, 60, 160)
CODE = (110, 40, 40)
SHADE = (235, 235, 235)


def report_pdf(version: ReportVersion, lang: Lang) -> bytes:
    """``version`` of its report as a PDF in ``lang`` ("ja" or "en")."""
    with translation.override(lang):
        return _build(version, lang)


def _build(version: ReportVersion, lang: Lang) -> bytes:
    report = version.report
    narrative = load_narrative()
    title = narrative.title(report.fiscal_year, lang)
    pdf = Document(f"{report.center.short_name} — {title}")
    pdf.set_title(title)
    pdf.set_lang(lang)
    pdf.set_creator("Kyoten")
    pdf.add_page()
    _title_block(pdf, version, title, lang)
    texts = version.texts
    for section in narrative.sections_for(report.fiscal_year):
        heading(pdf, section.heading(lang), 13)
        notes = []
        if section.mission is not None:
            notes.append(_("Mission: %(mission)s") % {"mission": section.mission.get(lang)})
            if lang == "ja" and section.mission_ja_unconfirmed:
                notes.append(_("the Japanese title of the mission is Kyoten's translation"))
        if "section" in section.unconfirmed:
            notes.append(_("no source seen shows this section in the report"))
        elif "title" in section.unconfirmed:
            notes.append(_("the wording of this title is not confirmed by a source"))
        if notes:
            paragraph(pdf, " · ".join(notes), 8.5, MUTED)
        text = texts.get(section.id, "")
        if text.strip():
            _markdown(pdf, text)
        else:
            paragraph(pdf, _("(not written)"), 10, MUTED)
    if version.has_tables:
        _tables(pdf, version, lang)
    _appendices(pdf, version)
    return bytes(pdf.output())


def _title_block(pdf: Document, version: ReportVersion, title: str, lang: Lang) -> None:
    report = version.report
    center = report.center
    heading(pdf, title, 15)
    if version.has_tables:
        meta = version.content.metadata
        values = {c.field: getattr(meta, c.field, None) for c in METADATA.columns}
        rows = [
            (c.header.get(lang), str(values[c.field]))
            for c in METADATA.columns
            if c.field
            in (
                "center_name",
                "host_institution",
                "host_head",
                "center_director",
                "administrative_director",
            )
            and values[c.field]
        ]
    else:
        rows = []
    if not rows:
        name = center.name_ja if lang == "ja" and center.name_ja else center.name_en
        rows = [(_("Center"), f"{center.short_name} — {name}")]
    for label, value in rows:
        paragraph(pdf, f"{label}{colon(lang)}{value}", 10.5)
    state = report.get_state_display()
    made = timezone.localtime(version.at).date()
    paragraph(
        pdf,
        _("Version %(number)s of %(day)s · %(state)s · printed %(today)s")
        % {"number": version.number, "day": made, "state": state, "today": timezone.localdate()},
        9,
        MUTED,
    )
    if report.is_sample:
        paragraph(pdf, _("Sample data: made up for demonstration, not a center's report."), 11)
    conversion = load_narrative().data.characters_per_page
    paragraph(pdf, conversion.note.get(lang), 8, MUTED)


# --- the author's Markdown ---------------------------------------------------------------


def _markdown(pdf: Document, text: str) -> None:
    for block in blocks(text):
        _block(pdf, block)
    pdf.ln(1)


def _block(pdf: Document, block: Block) -> None:
    left = pdf.l_margin
    indent = (6 if block.quoted else 0) + (6 * (block.level - 1) if block.kind == "item" else 0)
    if block.kind == "rule":
        pdf.ln(2)
        pdf.set_draw_color(*MUTED)
        pdf.line(left, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
        pdf.ln(2)
        return
    if block.kind == "table":
        _table(pdf, [list(r) for r in block.rows], size=9)
        return
    size = {1: 12.5, 2: 12, 3: 11.5}.get(block.level, 11) if block.kind == "heading" else 10.5
    if block.kind == "code":
        size = 9
    pdf.set_x(left + indent)
    pdf.set_left_margin(left + indent)
    try:
        if block.kind == "item":
            pdf.set_font(FONT, size=size)
            pdf.set_text_color(*INK)
            pdf.cell(6, size * 0.6, block.marker)
            pdf.set_left_margin(left + indent + 6)
        if block.kind == "heading":
            pdf.ln(1)
            with bold(pdf):
                _runs(pdf, block.runs, size)
        else:
            _runs(pdf, block.runs, size)
        pdf.ln(size * 0.6 + 1.5)
    finally:
        pdf.set_left_margin(left)
        pdf.set_x(left)


def _runs(pdf: Document, runs: tuple[Run, ...], size: float) -> None:
    height = size * 0.6
    for run in runs:
        if run.text == "\n":
            pdf.ln(height)
            continue
        pdf.set_font(FONT, style="U" if run.link else "", size=size)
        pdf.set_text_color(*(LINK if run.link else CODE if run.code else INK))
        if run.bold:
            with bold(pdf):
                pdf.write(height, run.text, link=run.link or "")
        else:
            pdf.write(height, run.text, link=run.link or "")
    pdf.set_text_color(*INK)


# --- the tables from the data ------------------------------------------------------------


def _table(
    pdf: Document,
    rows: list[list[str]],
    size: float = 8,
    widths: tuple[int, ...] | None = None,
) -> None:
    if not rows or not rows[0]:
        return
    pdf.set_font(FONT, size=size)
    pdf.set_text_color(*INK)
    width = max(len(r) for r in rows)
    with pdf.table(
        col_widths=widths,
        text_align="LEFT",
        line_height=size * 0.55,
        headings_style=FontFace(emphasis="", fill_color=SHADE),
        first_row_as_headings=True,
    ) as table:
        for row in rows:
            cells = table.row()
            for value in [*row, *[""] * (width - len(row))]:
                cells.cell(value)
    pdf.ln(3)


def _cell(value: Any, choices: str | None, field: str, lang: Lang) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if choices in CHOICES and value in CHOICES[choices]:
        return CHOICES[choices][value].get(lang)
    if field == "amount" and isinstance(value, int):
        return f"¥{value:,}"
    return str(value)


def _tables(pdf: Document, version: ReportVersion, lang: Lang) -> None:
    content = version.content
    pdf.add_page(orientation="L")
    heading(pdf, _("Tables from the data (version %(n)s)") % {"n": version.number}, 13)
    summary = presenters.indicator_rows(indicators(content), lang)
    _table(pdf, [[_("Indicator"), _("Value")], *[[k, v] for k, v in summary]], size=9)
    for section in TABLES:
        records = getattr(content, section.key)
        heading(pdf, f"{section.title.get(lang)} ({len(records)})", 11.5)
        if not records:
            paragraph(pdf, _("(none)"), 9, MUTED)
            continue
        header = [c.header.get(lang) for c in section.columns]
        body = [
            [_cell(getattr(r, c.field, None), c.choices, c.field, lang) for c in section.columns]
            for r in records
        ]
        # the columns as wide as the template's (Excel widths, relative)
        _table(pdf, [header, *body], widths=tuple(c.width for c in section.columns))


def _appendices(pdf: Document, version: ReportVersion) -> None:
    appendices = list(version.appendices.all())
    heading(pdf, _("Appendices"), 13)
    if not appendices:
        paragraph(pdf, _("(none attached)"), 10, MUTED)
        return
    paragraph(pdf, _("Attached as separate PDF files:"), 10)
    for number, appendix in enumerate(appendices, start=1):
        paragraph(
            pdf,
            f"{number}. {appendix.title} — {appendix.name} ({appendix.size:,} bytes, "
            f"SHA-256 {appendix.sha256[:16]}…)",
            9.5,
        )
