"""The evaluation's JSON API, for scripts: open a cycle, read it, publish it — the same
services, roles and checks as the pages (a logged-in session and its CSRF token, as the
report API). Every answer is JSON; every message is given in both languages.

    POST /api/evaluation/cycles/            {"cycle_type", "fiscal_year", "center"?,
                                             "phases": {"materials": ["2026-05-01",
                                             "2026-06-30"], ...}}  -> 201
    GET  /api/evaluation/cycles/<id>/       the cycle, its phases and its cases -> 200
    POST /api/evaluation/cycles/<id>/publish/                                  -> 200

401 without a login, 403 without the program office's role, 404 for no such cycle, 400
for a body that cannot be read, 409 for what the program's rules refuse.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from kyoten.accounts.permissions import may
from kyoten.evaluation import services
from kyoten.evaluation.models import Cycle
from kyoten.registry.models import Center
from kyoten.web.errors import ValidationMessages, api_error
from kyoten.web.uploads import read_body

BODY_MAX_BYTES = 20_000
BAD_BODY = gettext_lazy(
    "Send a JSON object with cycle_type, fiscal_year, an optional center code and phases: "
    'each phase id with ["from", "until"] as ISO dates, every phase once, in order.'
)


def _refused(request: HttpRequest) -> JsonResponse | None:
    if not request.user.is_authenticated:
        return api_error(401, gettext_lazy("Log in first."))
    if not may(request.user, "evaluation.manage"):
        return api_error(403, gettext_lazy("Only the program office manages evaluations."))
    return None


def _cycle_json(cycle: Cycle) -> dict[str, Any]:
    return {
        "id": cycle.pk,
        "cycle_type": cycle.cycle_type,
        "fiscal_year": cycle.fiscal_year,
        "center": cycle.center.short_name if cycle.center else None,
        "rubric": cycle.rubric,
        "sample": cycle.is_sample,
        "published_at": cycle.published_at.isoformat() if cycle.published_at else None,
        "phases": {p.phase: [p.starts.isoformat(), p.ends.isoformat()] for p in cycle.phases.all()},
        "cases": [
            {
                "id": case.pk,
                "center": case.center.short_name,
                "report_version": case.report_version_id,
                "rating": case.rating or None,
                "decision": case.outcome or None,
                "decided_on": case.decided_on.isoformat() if case.decided_on else None,
            }
            for case in cycle.cases.select_related("center")
        ],
    }


def _opening(body: Any) -> dict[str, Any]:
    """The arguments of :func:`services.open_cycle` from the JSON body (ValueError if none)."""
    if not isinstance(body, dict):
        raise ValueError
    phases = body.get("phases")
    order = [p.id for p in services.data().phases]
    if not isinstance(phases, dict) or list(phases) != order:
        raise ValueError
    spans = []
    for phase in order:
        days = phases[phase]
        if not isinstance(days, list) or len(days) != 2:
            raise ValueError
        spans.append(
            (phase, datetime.date.fromisoformat(days[0]), datetime.date.fromisoformat(days[1]))
        )
    center = None
    if body.get("center") is not None:
        center = Center.objects.filter(key__iexact=str(body["center"])).first()
        if center is None:
            raise ValueError
    fiscal_year = body.get("fiscal_year")
    if not isinstance(fiscal_year, int) or isinstance(fiscal_year, bool):
        raise ValueError
    if body.get("cycle_type") not in {t.id for t in services.data().cycle_types}:
        raise ValueError
    return {
        "cycle_type": body["cycle_type"],
        "fiscal_year": fiscal_year,
        "center": center,
        "phases": spans,
    }


@require_POST
def cycles(request: HttpRequest) -> JsonResponse:
    refused = _refused(request)
    if refused is not None:
        return refused
    try:
        arguments = _opening(json.loads(read_body(request, BODY_MAX_BYTES)))
    except (ValueError, TypeError, KeyError):
        return api_error(400, BAD_BODY)
    try:
        cycle = services.open_cycle(**arguments, by=request.user)
    except ValidationError as error:
        return api_error(409, ValidationMessages(error))
    return JsonResponse(_cycle_json(cycle), status=201)


@require_GET
def cycle(request: HttpRequest, pk: int) -> JsonResponse:
    refused = _refused(request)
    if refused is not None:
        return refused
    found = Cycle.objects.filter(pk=pk).select_related("center").first()
    if found is None:
        return api_error(404, gettext_lazy("There is no such evaluation."))
    return JsonResponse(_cycle_json(found))


@require_POST
def publish(request: HttpRequest, pk: int) -> JsonResponse:
    refused = _refused(request)
    if refused is not None:
        return refused
    found = Cycle.objects.filter(pk=pk).first()
    if found is None:
        return api_error(404, gettext_lazy("There is no such evaluation."))
    try:
        services.publish(found, request.user)
    except ValidationError as error:
        return api_error(409, ValidationMessages(error))
    return JsonResponse(_cycle_json(found))
