"""The PDFs Kyoten writes (an evaluation's published result, an annual report): A4 pages in
the shipped Japanese font, with a footer naming the document and the page.

The font (``kyoten/evaluation/fonts/``, see its README) is embedded as a subset, so that the
text is real text (``pdftotext`` extracts it) and renders the same everywhere; where Debian's
full Noto Sans CJK is installed it is the fallback for a character outside the subset. The
font has one weight: bold is drawn by stroking the letters' outlines as well (:func:`bold`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import TextMode

FONT = "kyoten-jp"
FONT_FILE = "NotoSansCJKjp-Regular-subset.otf"
# Debian's full font, used for the rare character outside the shipped subset, if installed
SYSTEM_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
INK, MUTED = (20, 20, 20), (90, 90, 90)


class Document(FPDF):
    """An A4 document in the shipped font, its footer ``footer_text · page/pages``."""

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


def paragraph(
    pdf: Document, text: str, size: float = 10.5, color: tuple[int, int, int] = INK
) -> None:
    pdf.set_font(FONT, size=size)
    pdf.set_text_color(*color)
    # ragged right: justified, a Japanese line with a few spaces stretched them into gaps
    pdf.multi_cell(0, size * 0.6, text, align="L", new_x="LMARGIN", new_y="NEXT")


def heading(pdf: Document, text: str, size: float) -> None:
    pdf.ln(size * 0.35)
    paragraph(pdf, text, size)
    pdf.ln(1)


@contextlib.contextmanager
def bold(pdf: Document) -> Iterator[None]:
    """Text written inside the block is bold (outlined as well as filled)."""
    with pdf.local_context(text_mode=TextMode.FILL_STROKE, line_width=0.2):
        yield
