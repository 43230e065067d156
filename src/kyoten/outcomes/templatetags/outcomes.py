"""Hooks that put the published outcome indicators into the registry's pages.

``{% center_outcomes center permits %}`` on a center page and ``{% outcomes_overview
permits %}`` on the program overview read what ``kyoten outcomes publish`` stored (nothing
is computed here). They render nothing unless the view's ``permits`` allow reading the
reports (indicators come from the reports' publication lists), as the report dashboards do.
"""

from __future__ import annotations

from typing import Any

from django import template

from kyoten.outcomes import presenters
from kyoten.submissions.services import readable_centers
from kyoten.web.language import page_lang

register = template.Library()


@register.inclusion_tag("outcomes/center_outcomes.html", takes_context=True)
def center_outcomes(context: Any, center: Any, permits: Any) -> dict[str, Any]:
    if "report.read" not in permits:
        return {"shown": False}
    return {"shown": True, "o": presenters.center_outcomes(center, page_lang())}


@register.inclusion_tag("outcomes/overview_outcomes.html", takes_context=True)
def outcomes_overview(context: Any, permits: Any) -> dict[str, Any]:
    if "reports.compare" not in permits:
        return {"shown": False}
    user = context["request"].user
    return {"shown": True, "o": presenters.overview_outcomes(readable_centers(user), page_lang())}
