"""A cycle (one kind of evaluation in a fiscal year), its phases, a center's case in it, the
working group's seats, the reviews and the committee's result.

What a cycle type means — its phases, materials, outcomes, rubric and scale — is data in
:mod:`kyoten.cycles`; these models hold only what happened, and pin what the data said
when it mattered (the rubric's version when the cycle opened, the report version read).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kyoten import cycles
from kyoten.audit.models import Attributed
from kyoten.web.language import page_lang


def _data() -> cycles.Cycles:
    return cycles.load_cycles("wpi")


def cycle_type_choices() -> list[tuple[str, str]]:
    """The kinds of cycle, as the data names them (in the page's language)."""
    return [(t.id, t.title.get(page_lang())) for t in _data().cycle_types]


class Cycle(Attributed):
    """One evaluation: a kind of cycle in a fiscal year, for every supported center (the
    annual follow-up) or for one."""

    cycle_type = models.CharField(_("kind of evaluation"), max_length=40)
    fiscal_year = models.PositiveIntegerField(_("fiscal year"))
    center = models.ForeignKey(
        "registry.Center",
        verbose_name=_("center"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evaluation_cycles",
        help_text=_("Only for an evaluation of one center."),
    )
    # the rubric's id@version when the cycle opened: later versions do not change it
    rubric = models.CharField(_("rubric"), max_length=60)
    summary_en = models.TextField(_("the program's summary (English, the master)"), blank=True)
    summary_ja = models.TextField(
        _("the program's summary (Japanese provisional translation)"), blank=True
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # made up by `kyoten load-samples` so that a new installation shows a filled-in
    # evaluation; marked on every page that shows it, replaced by nothing real
    is_sample = models.BooleanField(_("sample data"), default=False)

    class Meta:
        ordering = ["-fiscal_year", "cycle_type", "center"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle_type", "fiscal_year", "center", "is_sample"],
                name="unique_cycle_for_center",
            ),
            models.UniqueConstraint(
                fields=["cycle_type", "fiscal_year", "is_sample"],
                condition=models.Q(center__isnull=True),
                name="unique_program_cycle",
            ),
        ]
        verbose_name = _("evaluation cycle")
        verbose_name_plural = _("evaluation cycles")

    def __str__(self) -> str:
        scope = f" {self.center}" if self.center_id else ""
        return f"FY{self.fiscal_year} {self.cycle_type}{scope}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("cycle", args=[self.pk])

    @property
    def kind(self) -> cycles.CycleType:
        return _data().cycle_type(self.cycle_type)

    @property
    def title(self) -> str:
        """The kind's name; its id if the data no longer knows it (a list never fails)."""
        try:
            return self.kind.title.get(page_lang())
        except KeyError:
            return self.cycle_type

    def rubric_data(self) -> cycles.Rubric | None:
        return _data().rubric(self.rubric)

    def phase_now(self, day: datetime.date | None = None) -> Phase | None:
        """The phase whose dates hold ``day`` (today in Japan), else the last one begun."""
        day = day or timezone.localdate()
        begun = [p for p in self.phases.all() if p.starts <= day]
        inside = [p for p in begun if day <= p.ends]
        chosen = inside or begun
        return chosen[-1] if chosen else None


class Phase(models.Model):
    """The dates of one phase of a cycle (both days included)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="phases")
    phase = models.CharField(_("phase"), max_length=30)
    order = models.PositiveSmallIntegerField()
    starts = models.DateField(_("from"))
    ends = models.DateField(_("until"))

    class Meta:
        ordering = ["cycle", "order"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "phase"], name="unique_cycle_phase"),
            models.CheckConstraint(
                condition=models.Q(ends__gte=models.F("starts")), name="phase_ends_after_it_starts"
            ),
        ]
        verbose_name = _("phase")
        verbose_name_plural = _("phases")

    def __str__(self) -> str:
        return f"{self.cycle} {self.phase}"

    @property
    def title(self) -> str:
        found = next((p for p in _data().phases if p.id == self.phase), None)
        return found.title.get(page_lang()) if found else self.phase

    @property
    def is_over(self) -> bool:
        """Its last day has passed in Japan (the last phase of a cycle not yet published stays
        the phase now: its dates, not the work, are over)."""
        return self.ends < timezone.localdate()


class Case(models.Model):
    """A center in a cycle: its pinned report, its working group and reviews, the
    consolidated assessment and the committee's result."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="cases")
    center = models.ForeignKey(
        "registry.Center",
        verbose_name=_("center"),
        on_delete=models.PROTECT,
        related_name="evaluation_cases",
    )
    report_version = models.ForeignKey(
        "submissions.ReportVersion",
        verbose_name=_("annual report read"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_(
            "The accepted version, pinned: a later upload does not change what reviewers read."
        ),
    )
    consolidated_en = models.TextField(_("consolidated assessment (English)"), blank=True)
    consolidated_ja = models.TextField(
        _("consolidated assessment (Japanese provisional translation)"), blank=True
    )
    rating = models.CharField(_("rating"), max_length=10, blank=True)
    outcome = models.CharField(_("decision"), max_length=40, blank=True)
    decided_on = models.DateField(_("date of the committee's decision"), null=True, blank=True)
    comments_en = models.TextField(_("the committee's comments (English, the master)"), blank=True)
    comments_ja = models.TextField(
        _("the committee's comments (Japanese provisional translation)"), blank=True
    )
    absent = models.ManyToManyField(
        "people.Person",
        verbose_name=_("absent for this item (conflict of interest)"),
        blank=True,
        related_name="absences",
    )
    decisions = models.ManyToManyField(
        "registry.Decision",
        verbose_name=_("decisions recorded"),
        blank=True,
        related_name="evaluation_cases",
    )

    class Meta:
        ordering = ["cycle", "center"]
        constraints = [models.UniqueConstraint(fields=["cycle", "center"], name="unique_case")]
        verbose_name = _("case")
        verbose_name_plural = _("cases")

    def __str__(self) -> str:
        return f"{self.cycle}: {self.center}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("case", args=[self.pk])

    @property
    def decided(self) -> bool:
        return self.decided_on is not None

    def outcome_data(self) -> cycles.Outcome | None:
        try:
            return self.cycle.kind.outcome(self.outcome) if self.outcome else None
        except KeyError:
            return None


class Seat(models.Model):
    """A person's place in a case's working group: chair, member or the center's PO."""

    class Role(models.TextChoices):
        CHAIR = "chair", pgettext_lazy("working group", "chair")
        MEMBER = "member", _("member")
        PROGRAM_OFFICER = "program_officer", _("Program Officer")

    class State(models.TextChoices):
        INVITED = "invited", _("invited")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="seats")
    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="seats"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.INVITED
    )
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    # the member's own statement, before they see any material (HotCRP's conflict
    # confirmation); a declared conflict closes the seat
    no_conflict_confirmed_at = models.DateTimeField(
        _("no conflict confirmed"), null=True, blank=True
    )

    class Meta:
        ordering = ["case", "role", "person__family_name_en"]
        constraints = [models.UniqueConstraint(fields=["case", "person"], name="unique_seat")]
        verbose_name = _("working-group seat")
        verbose_name_plural = _("working-group seats")

    def __str__(self) -> str:
        return f"{self.case}: {self.person} ({self.role})"

    @property
    def reviews(self) -> bool:
        """Whether this seat writes a review (the chair and members; the PO reports)."""
        return self.role in (self.Role.CHAIR, self.Role.MEMBER)

    @property
    def may_read_materials(self) -> bool:
        return self.state == self.State.ACCEPTED and self.no_conflict_confirmed_at is not None


class Review(models.Model):
    """A working-group member's review of a case: a grade per perspective of the cycle's
    rubric, an overall rating, and the text. A draft until submitted; then locked."""

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")

    seat = models.OneToOneField(Seat, on_delete=models.CASCADE, related_name="review")
    grades: models.JSONField[dict[str, str]] = models.JSONField(
        _("grades"), default=dict, blank=True
    )
    overall = models.CharField(_("overall rating"), max_length=10, blank=True)
    strengths = models.TextField(_("strengths"), blank=True)
    weaknesses = models.TextField(_("weaknesses"), blank=True)
    improvements = models.TextField(_("points to improve"), blank=True)
    language = models.CharField(
        _("written in"), max_length=2, choices=[("en", "English"), ("ja", "日本語")], default="en"
    )
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DRAFT)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)

    class Meta:
        ordering = ["seat"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return f"{self.seat}: {self.state}"

    @property
    def submitted(self) -> bool:
        return self.state == self.State.SUBMITTED

    def grade_of(self, key: str) -> str | None:
        value: Any = self.grades.get(key) if isinstance(self.grades, dict) else None
        return value if isinstance(value, str) and value else None


class Recommendation(models.Model):
    """A point to improve from a cycle's result, followed up until it is closed."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        ANSWERED = "answered", _("answered by the center")
        CLOSED = "closed", _("closed")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="recommendations")
    center = models.ForeignKey(
        "registry.Center",
        verbose_name=_("center"),
        on_delete=models.PROTECT,
        related_name="recommendations",
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text_en = models.TextField(_("point to improve (English, the master)"))
    text_ja = models.TextField(_("point to improve (Japanese provisional translation)"), blank=True)
    mission = models.CharField(_("mission"), max_length=40, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    response = models.TextField(_("the center's response"), blank=True)

    class Meta:
        ordering = ["center", "case", "number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="unique_recommendation")
        ]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")

    def __str__(self) -> str:
        return f"{self.center} R{self.case_id}-{self.number}"

    @property
    def code(self) -> str:
        """The id a center quotes in its report's Follow-up sheet (``R12-3``)."""
        return f"R{self.case_id}-{self.number}"

    @property
    def text(self) -> str:
        return self.text_ja if page_lang() == "ja" and self.text_ja else self.text_en


class Visit(models.Model):
    """A site visit or hearing of a case's working group: when (Japan time), how, where or
    by which link, who attends, the agenda and the minutes."""

    class Mode(models.TextChoices):
        ON_SITE = "on_site", _("on site")
        ONLINE = "online", _("online")
        HYBRID = "hybrid", _("hybrid (on site and online)")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="visits")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices)
    place = models.CharField(_("place"), max_length=300, blank=True)
    link = models.URLField(_("meeting link"), max_length=500, blank=True)
    attendees = models.TextField(
        _("attendees"),
        blank=True,
        help_text=_(
            "One per line: the center director, the head of the host institution, the PO, the members."
        ),
    )
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)

    class Meta:
        ordering = ["case", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="visit_ends_after_it_starts",
            )
        ]
        verbose_name = _("site visit or hearing")
        verbose_name_plural = _("site visits and hearings")

    def __str__(self) -> str:
        return f"{self.case}: {self.get_mode_display()} {self.starts_at:%Y-%m-%d}"


class Notice(models.Model):
    """An e-mail notice sent to a person, kept so that a reminder is sent once."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="notices")
    key = models.CharField(_("notice"), max_length=120)
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "key"], name="unique_notice")]
        verbose_name = _("notice sent")
        verbose_name_plural = _("notices sent")

    def __str__(self) -> str:
        return f"{self.person}: {self.key}"


class Document(Attributed):
    """A document of a case's materials (a PDF): the self-evaluation report, the PO's
    report, the center's responses. Kept in the database with its digest — uploaded with
    the record or not at all — and only ever served as a download."""

    # the file is kept here; the audit trail records its name, size and digest
    audit_omit = ("content",)

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    material = models.CharField(_("kind of document"), max_length=40)
    name = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("content"))
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)

    class Meta:
        ordering = ["case", "material", "-at"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return f"{self.case}: {self.name}"

    @property
    def material_title(self) -> str:
        try:
            return _data().material(self.material).title.get(page_lang())
        except StopIteration:
            return self.material
