"""Hooks that put the published outcome indicators into the registry's pages.

``{% center_outcomes center %}`` on a center page and ``{% outcomes_overview %}`` on the
program overview read what ``kyoten outcomes publish`` stored (nothing is computed here).
They render nothing for a user who may not read the center's reports (indicators come from
the reports' publication lists), exactly as the report dashboards do.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

from kyoten.accounts.roles import can_read_committee
from kyoten.outcomes import presenters
from kyoten.submissions.models import can_read_reports
from kyoten.submissions.services import readable_centers

register = template.Library()


def _lang() -> Any:
    return "ja" if get_language() == "ja" else "en"


@register.inclusion_tag("outcomes/center_outcomes.html", takes_context=True)
def center_outcomes(context: Any, center: Any) -> dict[str, Any]:
    if not can_read_reports(context["request"].user, center):
        return {"shown": False}
    return {"shown": True, "o": presenters.center_outcomes(center, _lang())}


@register.inclusion_tag("outcomes/overview_outcomes.html", takes_context=True)
def outcomes_overview(context: Any) -> dict[str, Any]:
    user = context["request"].user
    if not can_read_committee(user):
        return {"shown": False}
    return {"shown": True, "o": presenters.overview_outcomes(readable_centers(user), _lang())}
