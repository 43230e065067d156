"""Translated names of the lifecycle's milestones (the pure core only has their ids)."""

from django.utils.translation import gettext_lazy as _

from kyoten.registry.models import Decision

MILESTONES = {
    "support_start": _("start of WPI support"),
    "interim_evaluation_due": _("interim evaluation due (5th year)"),
    "final_evaluation_due": _("final evaluation due (last year of support)"),
    "stage_gate_due": _("stage gate due (by the 5th year)"),
    "support_end": _("end of WPI support"),
    **dict(Decision.Kind.choices),
}
