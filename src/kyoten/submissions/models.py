"""A center's annual report for a fiscal year, its versions and the history of its states.

States: a report is a **draft** while the center office uploads versions; it is
**submitted** to the program office, which **accepts** it or **returns** it with a comment;
a returned report takes new versions (and is a draft again). A report is submitted only once
the fiscal year it reports on has ended (Japan time), and only with its tables.

**A version is the whole report**: the tables (the validated upload as JSON; none until the
first upload), the narrative (each section's Markdown) and the appendices (PDFs, kept once
and shared by the versions that list them). Every change — an upload, a narrative saved, an
appendix attached or removed — is a new :class:`ReportVersion` that takes the rest from the
version before it, so an upload never loses the narrative nor a narrative edit the tables;
versions are never changed. What a user may do with a report now is
:meth:`AnnualReport.allowed_actions`: the named actions of
:mod:`kyoten.accounts.permissions`, the report's state and the day.

The program office sets each fiscal year's due date (:class:`Deadline`).
"""

from __future__ import annotations

import datetime
from functools import cached_property
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone
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
    WRITE = "write", pgettext_lazy("report action", "saved the narrative")
    ATTACH = "attach", pgettext_lazy("report action", "attached an appendix")
    DETACH = "detach", pgettext_lazy("report action", "removed an appendix")


# the actions that make a new version of a draft (or of a returned report, a draft again)
EDITS = (Action.UPLOAD, Action.WRITE, Action.ATTACH, Action.DETACH)


class AnnualReport(models.Model):
    """The report of one center for one fiscal year (a sample is kept apart from a real one)."""

    class State(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("report state", "draft")
        SUBMITTED = "submitted", pgettext_lazy("report state", "submitted")
        ACCEPTED = "accepted", pgettext_lazy("report state", "accepted")
        RETURNED = "returned", pgettext_lazy("report state", "returned")

    # action -> (states it may start from, state it leads to)
    TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
        **dict.fromkeys(EDITS, (frozenset({State.DRAFT, State.RETURNED}), State.DRAFT)),
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

    def submittable_from(self) -> datetime.date:
        """The first day the report may be submitted: once its fiscal year has ended."""
        return datetime.date(self.fiscal_year + 1, 4, 1)

    def allowed_actions(self, user: Any, today: datetime.date | None = None) -> set[str]:
        """What ``user`` may do with this report now (by role, state and day)."""
        if self.is_sample:
            return set()
        by_role = self._permitted(user)
        if not self._has_tables() or (today or timezone.localdate()) < self.submittable_from():
            by_role -= {Action.SUBMIT}
        return {a for a in by_role if self.state in self.TRANSITIONS[a][0]}

    def _has_tables(self) -> bool:
        latest = self.latest_version()
        return latest is not None and latest.has_tables

    def check_action(self, action: str, user: Any, today: datetime.date | None = None) -> None:
        """Refuse ``action`` unless ``user`` may do it now.

        Raises:
            PermissionDenied: the user's role does not allow it.
            ValidationError: the report's state or the day does not allow it (the message
                says why).
        """
        today = today or timezone.localdate()
        if action in self.allowed_actions(user, today):
            return
        if self.is_sample:
            raise ValidationError(_("Sample data cannot be changed; upload a real report."))
        if action not in self._permitted(user):
            raise PermissionDenied
        if action == Action.SUBMIT and self.state == self.State.DRAFT:
            if not self._has_tables():
                raise ValidationError(_("Upload the tables before submitting the report."))
            raise ValidationError(
                _(
                    "A report is submitted once the fiscal year it reports on has ended: this "
                    "one from %(day)s (Japan time). Until then it can be drafted."
                ),
                params={"day": self.submittable_from().isoformat()},
            )
        refusals: dict[str, Any] = {
            Action.SUBMIT: _("This report is %(state)s: only a draft can be submitted."),
            **{
                edit: _(
                    "This report is %(state)s: it takes no new version (only a draft or a "
                    "returned report does)."
                )
                for edit in EDITS
            },
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
            allowed |= {*EDITS, Action.SUBMIT}
        if may(user, "report.accept", self.center):
            allowed |= {Action.ACCEPT, Action.RETURN}
        return allowed

    def next_state(self, action: str) -> str:
        return self.TRANSITIONS[action][1]

    def latest_version(self) -> ReportVersion | None:
        return self.versions.order_by("-number").first()


class Appendix(Attributed):
    """A PDF attached to a report (a list of papers, personnel tables, funding): kept once,
    with its digest, and listed by every version that includes it; only ever served as a
    download."""

    # the file is kept here; the audit trail records its name, size and digest
    audit_omit = ("content",)

    report = models.ForeignKey(
        AnnualReport,
        verbose_name=_("report"),
        on_delete=models.CASCADE,
        related_name="appendix_files",
    )
    title = models.CharField(_("title"), max_length=200)
    name = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("content"))
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)

    class Meta:
        ordering = ["report", "pk"]
        verbose_name = _("appendix")
        verbose_name_plural = _("appendices")

    def __str__(self) -> str:
        return f"{self.report}: {self.title}"


class ReportVersion(Attributed):
    """One state of the whole report: its tables (the validated upload as JSON, or none
    before the first upload), its narrative and its appendices. Versions are never changed
    or removed."""

    # The report itself is kept here; the audit trail records its digest, not a second copy.
    audit_omit = ("data", "narrative")

    report = models.ForeignKey(
        AnnualReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    data = models.JSONField(_("report data"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256 of the report data"), max_length=64, blank=True)
    source_name = models.CharField(_("file name"), max_length=255, blank=True)
    narrative = models.JSONField(_("narrative"), default=dict, blank=True)
    appendices = models.ManyToManyField(
        Appendix, verbose_name=_("appendices"), blank=True, related_name="versions"
    )

    class Meta:
        ordering = ["report", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="unique_report_version")
        ]
        verbose_name = _("report version")
        verbose_name_plural = _("report versions")

    def __str__(self) -> str:
        return f"{self.report} v{self.number}"

    @property
    def has_tables(self) -> bool:
        return self.data is not None

    @cached_property
    def content(self) -> ReportData:
        """The stored tables, rebuilt as the core's typed model (they were checked when
        stored, so the model's own validation suffices; text from before a rule was
        tightened is read escaped, see ``STORED``). Only for a version with tables."""
        if self.data is None:
            raise ValueError(f"{self} has no tables yet")
        return ReportData.model_validate(self.data, context=STORED)

    @property
    def texts(self) -> dict[str, str]:
        """The narrative: each written section's Markdown, by section id (a stored value
        that is not such a mapping reads as no text)."""
        stored = self.narrative if isinstance(self.narrative, dict) else {}
        return {str(k): v for k, v in stored.items() if isinstance(v, str)}


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


class Deadline(models.Model):
    """The day the reports on a fiscal year are due at the program office (its office
    sets it; the audit trail keeps who and when)."""

    fiscal_year = models.PositiveIntegerField(_("fiscal year of the reports"), unique=True)
    due = models.DateField(_("due date"))

    class Meta:
        ordering = ["-fiscal_year"]
        verbose_name = _("report deadline")
        verbose_name_plural = _("report deadlines")

    def __str__(self) -> str:
        return f"FY{self.fiscal_year}: {self.due}"
