"""Hooks that put the report dashboards into the registry's pages.

``{% center_reports center %}`` on a center page and ``{% report_comparison %}`` on the
program overview render nothing for a user who may not read reports.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

from kyoten.accounts.roles import can_read_committee
from kyoten.submissions import presenters
from kyoten.submissions.forms import ComparisonYearQuery
from kyoten.submissions.models import can_edit_reports, can_read_reports

register = template.Library()


def _lang() -> Any:
    return "ja" if get_language() == "ja" else "en"


@register.inclusion_tag("submissions/center_dashboard.html", takes_context=True)
def center_reports(context: Any, center: Any) -> dict[str, Any]:
    user = context["request"].user
    if not can_read_reports(user, center):
        return {"shown": False}
    return {
        "shown": True,
        "center": center,
        "can_edit": can_edit_reports(user, center),
        "board": presenters.dashboard(center, _lang()),
    }


@register.inclusion_tag("submissions/comparison.html", takes_context=True)
def report_comparison(context: Any) -> dict[str, Any]:
    request = context["request"]
    if not can_read_committee(request.user):
        return {"shown": False}
    year = ComparisonYearQuery(request.GET).year()
    table = presenters.comparison(year, _lang(), request.user)
    return {"shown": True, "table": table}
