"""A center's annual report for a fiscal year, its versions and the history of its states.

States: a report is a **draft** while the center office uploads versions; it is
**submitted** to the program office, which **accepts** it or **returns** it with a comment;
a returned report takes new uploads (and is a draft again). Every upload is a new
:class:`ReportVersion` holding the validated report as JSON; versions are never changed.
What a user may do with a report now is :meth:`AnnualReport.allowed_actions`: the named
actions of :mod:`kyoten.accounts.permissions` and the report's state.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kyoten.accounts.permissions import may
from kyoten.audit.models import Attributed
from kyoten.reports import AnnualReport as ReportData
from kyoten.reports.model import STORED


class Action(models.TextChoices):
    UPLOAD = "upload", pgettext_lazy("report action", "uploaded a version")
    SUBMIT = "submit", pgettext_lazy("report action", "submitted")
    ACCEPT = "accept", pgettext_lazy("report action", "accepted")
    RETURN = "return", pgettext_lazy("report action", "returned with comments")
    LOAD_SAMPLE = "load_sample", pgettext_lazy("report action", "loaded sample data")


class AnnualReport(models.Model):
    """The report of one center for one fiscal year (a sample is kept apart from a real one)."""

    class State(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("report state", "draft")
        SUBMITTED = "submitted", pgettext_lazy("report state", "submitted")
        ACCEPTED = "accepted", pgettext_lazy("report state", "accepted")
        RETURNED = "returned", pgettext_lazy("report state", "returned")

    # action -> (states it may start from, state it leads to)
    TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
        Action.UPLOAD: (frozenset({State.DRAFT, State.RETURNED}), State.DRAFT),
        Action.SUBMIT: (frozenset({State.DRAFT}), State.SUBMITTED),
        Action.ACCEPT: (frozenset({State.SUBMITTED}), State.ACCEPTED),
        Action.RETURN: (frozenset({State.SUBMITTED}), State.RETURNED),
    }

    center = models.ForeignKey(
        "registry.Center",
        verbose_name=_("center"),
        on_delete=models.CASCADE,
        related_name="annual_reports",
    )
    fiscal_year = models.PositiveIntegerField(_("fiscal year"))
    is_sample = models.BooleanField(_("sample data"), default=False)
    state = models.CharField(_("state"), max_length=12, choices=State.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["center", "-fiscal_year", "is_sample"]
        constraints = [
            models.UniqueConstraint(
                fields=["center", "fiscal_year", "is_sample"], name="unique_report_year"
            )
        ]
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")

    def __str__(self) -> str:
        sample = " (sample)" if self.is_sample else ""
        return f"{self.center} FY{self.fiscal_year}{sample}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("report", args=[self.pk])

    def allowed_actions(self, user: Any) -> set[str]:
        """What ``user`` may do with this report now (by role and state)."""
        if self.is_sample:
            return set()
        by_role = self._permitted(user)
        if not self.versions.exists():
            by_role -= {Action.SUBMIT}
        return {a for a in by_role if self.state in self.TRANSITIONS[a][0]}

    def check_action(self, action: str, user: Any) -> None:
        """Refuse ``action`` unless ``user`` may do it now.

        Raises:
            PermissionDenied: the user's role does not allow it.
            ValidationError: the report's state does not allow it (the message says why).
        """
        if action in self.allowed_actions(user):
            return
        if self.is_sample:
            raise ValidationError(_("Sample data cannot be changed; upload a real report."))
        if action not in self._permitted(user):
            raise PermissionDenied
        if action == Action.SUBMIT and self.state == self.State.DRAFT:
            raise ValidationError(_("Upload a version before submitting the report."))
        refusals: dict[str, Any] = {
            Action.UPLOAD: _(
                "This report is %(state)s: it takes no new version (only a draft or a returned "
                "report does)."
            ),
            Action.SUBMIT: _("This report is %(state)s: only a draft can be submitted."),
        }
        why = refusals.get(
            action,
            _("This report is %(state)s: only a submitted report can be accepted or returned."),
        )
        # params, not %: the message is translated when shown (the API gives both languages)
        raise ValidationError(why, params={"state": self.get_state_display()})

    def _permitted(self, user: Any) -> set[str]:
        """The actions the user's roles allow on this report, whatever its state."""
        allowed: set[str] = set()
        if may(user, "report.edit", self.center):
            allowed |= {Action.UPLOAD, Action.SUBMIT}
        if may(user, "report.accept", self.center):
            allowed |= {Action.ACCEPT, Action.RETURN}
        return allowed

    def next_state(self, action: str) -> str:
        return self.TRANSITIONS[action][1]

    def latest_version(self) -> ReportVersion | None:
        return self.versions.order_by("-number").first()


class ReportVersion(Attributed):
    """One upload: the validated report as JSON. Versions are never changed or removed."""

    # The report itself is kept here; the audit trail records its digest, not a second copy.
    audit_omit = ("data",)

    report = models.ForeignKey(
        AnnualReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    data = models.JSONField(_("report data"))
    sha256 = models.CharField(_("SHA-256 of the report data"), max_length=64)
    source_name = models.CharField(_("file name"), max_length=255)

    class Meta:
        ordering = ["report", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="unique_report_version")
        ]
        verbose_name = _("report version")
        verbose_name_plural = _("report versions")

    def __str__(self) -> str:
        return f"{self.report} v{self.number}"

    @cached_property
    def content(self) -> ReportData:
        """The stored report, rebuilt as the core's typed model (it was checked when stored,
        so the model's own validation suffices; text from before a rule was tightened is
        read escaped, see ``STORED``)."""
        return ReportData.model_validate(self.data, context=STORED)


class ReportEvent(Attributed):
    """A step in a report's history: an upload or a change of state, with its comment."""

    report = models.ForeignKey(
        AnnualReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    state = models.CharField(
        _("state afterwards"), max_length=12, choices=AnnualReport.State.choices
    )
    version = models.ForeignKey(
        ReportVersion,
        verbose_name=_("version"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("report event")
        verbose_name_plural = _("report events")

    def __str__(self) -> str:
        return f"{self.report} {self.action} by {self.actor_label}"
