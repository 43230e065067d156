"""The published result of a cycle as a PDF, in Japanese or in English.

What the public may read, nothing more: per center the rating, the committee's comments and
the points to improve, and the program's summary. The English text is the master; the
Japanese edition carries the provisional translation (仮訳), says so, and gives the English
where no translation was written. The shipped font (``fonts/``) is embedded as a subset, so
that the text is real text (``pdftotext`` extracts it) and renders the same everywhere
(:mod:`kyoten.web.pdf`).
"""

from __future__ import annotations

import datetime

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kyoten.evaluation import services
from kyoten.evaluation.models import Case, Cycle
from kyoten.fiscal import format_fiscal_year
from kyoten.web.pdf import MUTED, Document, heading, paragraph


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
    pdf = Document(f"{program} — {title}")
    pdf.set_title(title)
    pdf.set_lang(lang)
    pdf.set_creator("Kyoten")
    pdf.add_page()
    paragraph(pdf, program, 9, MUTED)
    heading(pdf, title, 16)
    published = timezone.localtime(cycle.published_at).date() if cycle.published_at else None
    paragraph(
        pdf,
        _("Published %(day)s") % {"day": published}
        if published
        else _("Not published: a preview made on %(day)s") % {"day": today},
        9,
        MUTED,
    )
    if cycle.is_sample:
        paragraph(pdf, _("Sample data: a made-up evaluation for demonstration."), 11)
    if lang == "ja":
        paragraph(
            pdf,
            _(
                "The English edition is the master; this Japanese text is its provisional translation."
            ),
            9,
            MUTED,
        )
    if kind.rated:
        paragraph(pdf, services.data().rating_scale.note.get(lang), 8.5, MUTED)
    summary, untranslated = _in_lang(cycle.summary_en, cycle.summary_ja, lang)
    if summary.strip():
        heading(pdf, _("The program's summary"), 13)
        paragraph(pdf, summary)
        if untranslated:
            paragraph(pdf, _("(English: no translation was written.)"), 8.5, MUTED)
    cases = cycle.cases.select_related("center").prefetch_related("recommendations")
    for case in cases:
        _center(pdf, case, lang)
    return bytes(pdf.output())


def _center(pdf: Document, case: Case, lang: str) -> None:
    center = case.center
    name = center.name_ja if lang == "ja" and center.name_ja else center.name_en
    pdf.ln(3)
    pdf.set_draw_color(*MUTED)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    heading(pdf, f"{center.short_name} — {name}", 13)
    kind = case.cycle.kind
    if kind.rated and case.rating:
        unconfirmed = any(
            g.id == case.rating and g.unconfirmed for g in services.data().rating_scale.grades
        )
        mark = _(" (no source defines this grade)") if unconfirmed else ""
        paragraph(pdf, _("Rating: %(rating)s") % {"rating": case.rating} + mark, 11)
    outcome = case.outcome_data()
    if outcome is not None:
        paragraph(pdf, _("Decision: %(decision)s") % {"decision": outcome.title.get(lang)}, 11)
    comments, untranslated = _in_lang(case.comments_en, case.comments_ja, lang)
    if comments.strip():
        pdf.ln(1)
        paragraph(pdf, comments)
        if untranslated:
            paragraph(pdf, _("(English: no translation was written.)"), 8.5, MUTED)
    points = list(case.recommendations.all())
    if points:
        pdf.ln(1)
        paragraph(pdf, _("Points to improve"), 11)
        for point in points:
            text, _untranslated = _in_lang(point.text_en, point.text_ja, lang)
            paragraph(pdf, f"{point.code}  {text}")
