"""Hooks that put the report dashboards into the registry's pages.

``{% center_reports center permits %}`` on a center page and ``{% report_comparison
permits %}`` on the program overview (the share of researchers from abroad of every center
in the latest year, or ``?report_fy=``, and the way to the comparison page) render nothing
unless the view's ``permits`` (see :mod:`kyoten.accounts.permissions`) allow reading them.
"""

from __future__ import annotations

from typing import Any

from django import template

from kyoten.submissions import presenters
from kyoten.submissions.forms import ComparisonYearQuery
from kyoten.web.language import page_lang

register = template.Library()


@register.inclusion_tag("submissions/center_dashboard.html", takes_context=True)
def center_reports(context: Any, center: Any, permits: Any) -> dict[str, Any]:
    if "report.read" not in permits:
        return {"shown": False}
    return {
        "shown": True,
        "center": center,
        "can_edit": "report.edit" in permits,
        "board": presenters.dashboard(center, page_lang()),
    }


@register.inclusion_tag("submissions/comparison.html", takes_context=True)
def report_comparison(context: Any, permits: Any) -> dict[str, Any]:
    if "reports.compare" not in permits:
        return {"shown": False}
    request = context["request"]
    year = ComparisonYearQuery(request.GET).year()
    table = presenters.comparison(year, year, page_lang(), request.user)
    return {"shown": True, "table": table}


@register.filter
def section_heading(section: Any) -> str:
    """A report section's numbered title in the page's language."""
    return str(section.heading(page_lang()))
