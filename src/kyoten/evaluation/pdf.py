"""The published result of a cycle as a PDF, in Japanese or in English.

What the public may read, nothing more: per center the rating, the committee's comments and
the points to improve, and the program's summary. The English text is the master; the
Japanese edition carries the provisional translation (仮訳), says so, and gives the English
where no translation was written. The shipped font (``fonts/``) is embedded as a subset, so
that the text is real text (``pdftotext`` extracts it) and renders the same everywhere.
"""

from __future__ import annotations

import datetime
from importlib import resources
from pathlib import Path

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from fpdf import FPDF

from kyoten.evaluation import services
from kyoten.evaluation.models import Case, Cycle
from kyoten.fiscal import format_fiscal_year

FONT = "kyoten-jp"
FONT_FILE = "NotoSansCJKjp-Regular-subset.otf"
# Debian's full font, used for the rare character outside the shipped subset, if installed
SYSTEM_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
INK, MUTED = (20, 20, 20), (90, 90, 90)


class _Document(FPDF):
    def __init__(self, footer_text: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.footer_text = footer_text
        font = resources.files("kyoten.evaluation") / "fonts" / FONT_FILE
        with resources.as_file(font) as path:
            self.add_font(FONT, "", str(path))
        fallbacks = []
        if SYSTEM_FONT.is_file():
            self.add_font("system-cjk", "", str(SYSTEM_FONT), collection_font_number=0)
            fallbacks.append("system-cjk")
        self.set_fallback_fonts(fallbacks)
        self.set_margins(20, 18, 20)
        self.set_auto_page_break(auto=True, margin=18)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, size=8)
        self.set_text_color(*MUTED)
        self.cell(0, 5, f"{self.footer_text} · {self.page_no()}/{{nb}}", align="C")


def _paragraph(
    pdf: _Document, text: str, size: float = 10.5, color: tuple[int, int, int] = INK
) -> None:
    pdf.set_font(FONT, size=size)
    pdf.set_text_color(*color)
    pdf.multi_cell(0, size * 0.6, text, new_x="LMARGIN", new_y="NEXT")


def _heading(pdf: _Document, text: str, size: float) -> None:
    pdf.ln(size * 0.35)
    _paragraph(pdf, text, size)
    pdf.ln(1)


def result_pdf(cycle: Cycle, lang: str, today: datetime.date | None = None) -> bytes:
    """The cycle's published result in ``lang`` ("ja" or "en")."""
    with translation.override(lang):
        return _build(cycle, lang, today or timezone.localdate())


def _in_lang(english: str, japanese: str, lang: str) -> tuple[str, bool]:
    """The text in ``lang``, and whether it is the English standing in for a translation."""
    if lang == "ja" and japanese.strip():
        return japanese, False
    return english, lang == "ja" and bool(english.strip())


def _build(cycle: Cycle, lang: str, today: datetime.date) -> bytes:
    kind = cycle.kind
    fiscal_year = format_fiscal_year(cycle.fiscal_year, "nendo" if lang == "ja" else "fy")
    title = _("Results of the %(cycle)s, %(fiscal_year)s") % {
        "cycle": kind.title.get(lang),
        "fiscal_year": fiscal_year,
    }
    program = _("World Premier International Research Center Initiative (WPI)")
    pdf = _Document(f"{program} — {title}")
    pdf.set_title(title)
    pdf.set_lang(lang)
    pdf.set_creator("Kyoten")
    pdf.add_page()
    _paragraph(pdf, program, 9, MUTED)
    _heading(pdf, title, 16)
    published = timezone.localtime(cycle.published_at).date() if cycle.published_at else None
    _paragraph(
        pdf,
        _("Published %(day)s") % {"day": published}
        if published
        else _("Not published: a preview made on %(day)s") % {"day": today},
        9,
        MUTED,
    )
    if cycle.is_sample:
        _paragraph(pdf, _("Sample data: a made-up evaluation for demonstration."), 11)
    if lang == "ja":
        _paragraph(
            pdf,
            _(
                "The English edition is the master; this Japanese text is its provisional translation."
            ),
            9,
            MUTED,
        )
    if kind.rated:
        _paragraph(pdf, services.data().rating_scale.note.get(lang), 8.5, MUTED)
    summary, untranslated = _in_lang(cycle.summary_en, cycle.summary_ja, lang)
    if summary.strip():
        _heading(pdf, _("The program's summary"), 13)
        _paragraph(pdf, summary)
        if untranslated:
            _paragraph(pdf, _("(English: no translation was written.)"), 8.5, MUTED)
    cases = cycle.cases.select_related("center").prefetch_related("recommendations")
    for case in cases:
        _center(pdf, case, lang)
    return bytes(pdf.output())


def _center(pdf: _Document, case: Case, lang: str) -> None:
    center = case.center
    name = center.name_ja if lang == "ja" and center.name_ja else center.name_en
    pdf.ln(3)
    pdf.set_draw_color(*MUTED)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    _heading(pdf, f"{center.short_name} — {name}", 13)
    kind = case.cycle.kind
    if kind.rated and case.rating:
        unconfirmed = any(
            g.id == case.rating and g.unconfirmed for g in services.data().rating_scale.grades
        )
        mark = _(" (no source defines this grade)") if unconfirmed else ""
        _paragraph(pdf, _("Rating: %(rating)s") % {"rating": case.rating} + mark, 11)
    outcome = case.outcome_data()
    if outcome is not None:
        _paragraph(pdf, _("Decision: %(decision)s") % {"decision": outcome.title.get(lang)}, 11)
    comments, untranslated = _in_lang(case.comments_en, case.comments_ja, lang)
    if comments.strip():
        pdf.ln(1)
        _paragraph(pdf, comments)
        if untranslated:
            _paragraph(pdf, _("(English: no translation was written.)"), 8.5, MUTED)
    points = list(case.recommendations.all())
    if points:
        pdf.ln(1)
        _paragraph(pdf, _("Points to improve"), 11)
        for point in points:
            text, _untranslated = _in_lang(point.text_en, point.text_ja, lang)
            _paragraph(pdf, f"{point.code}  {text}")
