"""Institutions, centers, the decisions recorded for them, grants, plans and the committee.

A center's status is never stored: :meth:`Center.status_on` computes it with
:mod:`kyoten.lifecycle` from the selection year, the start of support and the decisions.
Facts loaded from the reference data keep their sources (``sources``: a list of addresses)
and caveats (``caveats``: a list of ``{field, mark, note}`` with ``mark`` one of
UNCONFIRMED, INFERENCE, CONFLICT), shown next to the field they concern.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from kyoten import lifecycle
from kyoten.audit.models import Attributed
from kyoten.cycles import load_cycles
from kyoten.lifecycle import Lifecycle
from kyoten.text import Bilingual
from kyoten.web.language import page_lang


class Mark(models.TextChoices):
    UNCONFIRMED = "UNCONFIRMED", _("unconfirmed")
    INFERENCE = "INFERENCE", _("inference")
    CONFLICT = "CONFLICT", _("sources conflict")


class Precision(models.TextChoices):
    DAY = "day", _("day")
    MONTH = "month", _("month")
    FISCAL_YEAR = "fiscal_year", _("fiscal year")


class Track(models.TextChoices):
    WPI = "wpi", _("WPI")
    CORE = "core", _("WPI CORE")
    MULTIPLE_HOST = "multiple_host", _("Multiple Host WPI")


class Sourced(models.Model):
    """Sources and caveats of a record loaded from, or entered like, the reference data."""

    sources = models.JSONField(_("sources"), default=list, blank=True)
    caveats = models.JSONField(_("caveats"), default=list, blank=True)

    class Meta:
        abstract = True

    def localized(self, stem: str) -> str:
        """``<stem>_ja`` or ``<stem>_en`` by the active language, falling back to English."""
        ja = getattr(self, f"{stem}_ja", "")
        return ja if get_language() == "ja" and ja else getattr(self, f"{stem}_en")


class Institution(Sourced):
    class Kind(models.TextChoices):
        NATIONAL_UNIVERSITY = "national_university", _("national university")
        PRIVATE_UNIVERSITY = "private_university", _("private university")
        INTER_UNIVERSITY = "inter_university_institute", _("inter-university research institute")
        NATIONAL_RD_AGENCY = "national_rd_agency", _("national research and development agency")
        OVERSEAS_UNIVERSITY = "overseas_university", _("overseas university")

    key = models.SlugField(_("key"), unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ja = models.CharField(_("name (Japanese)"), max_length=200, blank=True)
    country = models.CharField(_("country"), max_length=2)
    kind = models.CharField(_("type"), max_length=40, choices=Kind.choices)
    ror_id = models.CharField(_("ROR id"), max_length=20, blank=True)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")

    def __str__(self) -> str:
        return self.name_en

    @property
    def name(self) -> str:
        """The name it was first recorded under (see :meth:`name_on` for a given day)."""
        return self.localized("name")

    def renames_by(self, day: datetime.date) -> list[InstitutionName]:
        """Its later names that had taken effect by ``day``, oldest first (the lists prefetch
        them)."""
        return [r for r in self.renames.all() if r.since <= day]

    def name_on(self, day: datetime.date) -> str:
        """The name in the page's language that the institution had on ``day``."""
        current = self.renames_by(day)
        return current[-1].name if current else self.name

    def former_names(self, day: datetime.date) -> list[tuple[str, datetime.date]]:
        """The names it had before the one of ``day``, each with the last day it held."""
        renames = self.renames_by(day)
        names = [self.name, *(r.name for r in renames)]
        return [
            (name, rename.since - datetime.timedelta(days=1))
            for name, rename in zip(names, renames, strict=False)
        ]


class InstitutionName(Sourced):
    """A name an institution took from a day on (a rename, or the name after a merger); the
    names before it stay, so a page shows the name of its own day."""

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="renames", verbose_name=_("institution")
    )
    since = models.DateField(_("named so from"))
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ja = models.CharField(_("name (Japanese)"), max_length=200, blank=True)
    note_en = models.CharField(_("what changed (English)"), max_length=300, blank=True)
    note_ja = models.CharField(_("what changed (Japanese)"), max_length=300, blank=True)

    class Meta:
        ordering = ["institution", "since"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "since"], name="one_name_per_day")
        ]
        verbose_name = _("later name of an institution")
        verbose_name_plural = _("later names of institutions")

    def __str__(self) -> str:
        return f"{self.name_en} (from {self.since:%Y-%m-%d})"

    @property
    def name(self) -> str:
        return self.localized("name")

    @property
    def note(self) -> str:
        return self.localized("note")


class Center(Sourced):
    key = models.SlugField(_("key"), unique=True)
    short_name = models.CharField(_("short name"), max_length=40)
    name_en = models.CharField(_("full name (English)"), max_length=300)
    name_ja = models.CharField(_("full name (Japanese)"), max_length=300, blank=True)
    track = models.CharField(_("track"), max_length=20, choices=Track.choices)
    selection_fiscal_year = models.PositiveIntegerField(_("selection fiscal year"))
    support_start = models.DateField(_("start of support"))
    support_start_precision = models.CharField(
        _("precision of the start"), max_length=12, choices=Precision.choices, default="day"
    )
    director = models.CharField(_("director"), max_length=300, blank=True)
    field_en = models.CharField(_("research field (English)"), max_length=300)
    field_ja = models.CharField(_("research field (Japanese)"), max_length=300, blank=True)
    expertise: models.JSONField[list[str]] = models.JSONField(
        _("expertise its working group covers"),
        default=list,
        blank=True,
        help_text=_("Fields of the expertise vocabulary (OpenAlex's fields) the research is in."),
    )
    institutions: models.ManyToManyField[Institution, CenterInstitution] = models.ManyToManyField(
        Institution, through="CenterInstitution", related_name="centers"
    )

    class Meta:
        ordering = ["selection_fiscal_year", "support_start", "short_name"]
        verbose_name = _("center")
        verbose_name_plural = _("centers")

    def __str__(self) -> str:
        return self.short_name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("center", args=[self.key])

    @property
    def name(self) -> str:
        return self.localized("name")

    @property
    def research_field(self) -> str:
        return self.localized("field")

    @property
    def expertise_titles(self) -> list[str]:
        """The expertise its working group covers, by their names in the page's language
        (an id the vocabulary no longer knows shown as it is)."""
        vocabulary = load_cycles().expertise
        lang = page_lang()
        return [
            f.title.get(lang) if (f := vocabulary.field(i)) else i
            for i in (self.expertise if isinstance(self.expertise, list) else [])
        ]

    @property
    def name_field(self) -> str:
        """Which name field the page shows, so that its caveats are shown beside it."""
        return "name_ja" if get_language() == "ja" and self.name_ja else "name_en"

    def decisions_in_force(self) -> list[Decision]:
        """The decisions the lifecycle reads: not corrected by a later record, not withdrawn
        (filtered here so that a prefetch serves every page)."""
        stored = self.decisions.all() if self.pk else []
        return [d for d in stored if d.state == Decision.State.IN_FORCE]

    def facts(self, decisions: list[Decision] | None = None) -> lifecycle.CenterFacts:
        """What :mod:`kyoten.lifecycle` needs, from this center and its decisions in force
        (or ``decisions``: the set a change would leave)."""
        chosen = self.decisions_in_force() if decisions is None else decisions
        return lifecycle.CenterFacts(
            track=self.track,  # type: ignore[arg-type]
            selection_fiscal_year=self.selection_fiscal_year,
            support_start=self.support_start,
            events=tuple(d.event() for d in chosen),
        )

    def change_problem(
        self, *, adding: Decision | None = None, removing: Decision | None = None
    ) -> Bilingual | None:
        """Why the decisions in force cannot change so (None if they can): the decision added
        contradicts the center's state on its date, or the change would leave a decision in
        force that no longer applies (a termination before a recorded evaluation, an
        extension withdrawn under the evaluation held in its years)."""
        current = self.decisions_in_force()
        gone = {d.pk for d in (adding, removing) if d is not None and d.pk is not None}
        after = [d for d in current if d.pk not in gone] + ([adding] if adding else [])
        schedule = self.schedule()
        before_aside = {s.event for s in lifecycle.compute(self.facts(current), schedule).set_aside}
        for set_aside in lifecycle.compute(self.facts(after), schedule).set_aside:
            if adding is not None and set_aside.event == adding.event():
                return set_aside.reason
            if set_aside.event not in before_aside:
                return _would_set_aside(set_aside)
        return None

    def clean(self) -> None:
        """Refuse facts the lifecycle cannot work with, in the page's language: the era of
        the selection year, the schedule of the track in that era (a track that did not exist
        then has none) and the lifecycle itself, each error on the field it comes from.
        Every page that lists centers computes these, so a center that fails here would take
        them all down."""
        from django.core.exceptions import ValidationError

        from kyoten.program import load_program
        from kyoten.text import KyotenError

        if not self.track or self.selection_fiscal_year is None or self.support_start is None:
            return  # the field errors are reported by clean_fields
        lang = page_lang()
        steps = (
            (
                "selection_fiscal_year",
                lambda: load_program("wpi").era_for(self.selection_fiscal_year),
            ),
            ("track", self.schedule),
            (None, self.facts),
            (None, self.lifecycle),
        )
        fields = {f.name for f in self._meta.get_fields()}
        for field, step in steps:
            try:
                step()
            except KyotenError as error:
                named = (error.location or "").removeprefix("center.")
                where = named if named in fields else field
                message = error.localized(lang)
                raise ValidationError({where: message} if where else message) from None

    def schedule(self) -> lifecycle.Schedule:
        """The timetable of this center's track and era (from the rulebook)."""
        return lifecycle.schedule_for(self.track, self.selection_fiscal_year)  # type: ignore[arg-type]

    def lifecycle(self) -> Lifecycle:
        return lifecycle.compute(self.facts(), self.schedule())

    def recorded_decisions(self, life: Lifecycle) -> list[Decision]:
        """Every decision recorded (corrected and withdrawn ones too), each in force with
        ``set_aside``: why ``life`` does not apply it (a Bilingual), or None — a decision out
        of bounds is shown, marked, never applied."""
        reasons = {s.event: s.reason for s in life.set_aside}
        decisions = list(self.decisions.all())
        for decision in decisions:
            if decision.state != Decision.State.IN_FORCE:
                decision.set_aside = None
                continue
            decision.set_aside = reasons.get(decision.event())
        return decisions

    def status_on(self, day: datetime.date) -> str:
        return lifecycle.status_on(self.facts(), self.schedule(), day)

    def links(self, role: str) -> list[Institution]:
        return [link.institution for link in self.links_set.all() if link.role == role]

    @property
    def hosts(self) -> list[Institution]:
        return self.links(CenterInstitution.Role.HOST)

    @property
    def partners(self) -> list[Institution]:
        return self.links(CenterInstitution.Role.PARTNER)

    @property
    def satellites(self) -> list[Institution]:
        return self.links(CenterInstitution.Role.SATELLITE)


class CenterInstitution(models.Model):
    class Role(models.TextChoices):
        HOST = "host", _("host institution")
        PARTNER = "partner", _("overseas partner")
        SATELLITE = "satellite", _("satellite")

    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="links_set")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT)
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["center", "institution", "role"], name="unique_center_institution_role"
            )
        ]
        verbose_name = _("host, partner or satellite")
        verbose_name_plural = _("hosts, partners and satellites")

    def __str__(self) -> str:
        return f"{self.center}: {self.institution} ({self.get_role_display()})"


class Decision(Sourced, Attributed):
    """A dated decision about a center; the lifecycle is computed from these."""

    class Kind(models.TextChoices):
        INTERIM_EVALUATION = "interim_evaluation", _("interim evaluation")
        FINAL_EVALUATION = "final_evaluation", _("final evaluation")
        EXTENSION = "extension", _("extension of support")
        STAGE_GATE_PASSED = "stage_gate_passed", _("stage gate passed (step-up)")
        SUPPORT_TERMINATED = "support_terminated", _("support terminated")
        ACADEMY_ADMISSION = "academy_admission", _("admitted to the WPI Academy")

    class State(models.TextChoices):
        IN_FORCE = "in_force", _("in force")
        SUPERSEDED = "superseded", _("corrected")
        WITHDRAWN = "withdrawn", _("withdrawn")

    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.CASCADE, related_name="decisions"
    )
    kind = models.CharField(_("decision"), max_length=24, choices=Kind.choices)
    date = models.DateField(_("effective date"))
    precision = models.CharField(
        _("precision of the date"), max_length=12, choices=Precision.choices, default="day"
    )
    years = models.PositiveSmallIntegerField(
        _("years of extension"), null=True, blank=True, help_text=_("Only for an extension.")
    )
    # Attached by Center.recorded_decisions: why the lifecycle does not apply it, or None.
    set_aside: Bilingual | None
    summary = models.TextField(_("summary (English)"), blank=True)
    summary_ja = models.TextField(_("summary (Japanese)"), blank=True)
    # A decision is never edited or deleted in the app: a correction is a new record that
    # supersedes it, a withdrawal keeps it with the reason; the lifecycle reads those in force.
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.IN_FORCE
    )
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )
    withdrawal_reason = models.TextField(_("reason for the withdrawal"), blank=True)

    class Meta:
        ordering = ["center", "date", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["center", "kind", "date"],
                condition=models.Q(state="in_force"),
                name="unique_decision_in_force",
            )
        ]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return f"{self.center} {self.get_kind_display()} {self.date:%Y-%m-%d}"

    @property
    def summary_text(self) -> str:
        """The summary in the page's language, falling back to English."""
        return self.summary_ja if get_language() == "ja" and self.summary_ja else self.summary

    def event(self) -> lifecycle.Event:
        return lifecycle.Event(self.kind, self.date, self.years)  # type: ignore[arg-type]

    def clean(self) -> None:
        """Refuse a decision that contradicts the center's state on its date (see
        :func:`kyoten.lifecycle.event_problem`), or that would leave another decision in
        force without effect; a correction is checked in place of the record it corrects."""
        from django.core.exceptions import ValidationError

        from kyoten.text import KyotenError

        if self.date is None or not self.kind or not getattr(self, "center_id", None):
            return  # the field errors are reported by clean_fields
        lang = page_lang()
        try:
            problem = self.center.change_problem(adding=self, removing=self.supersedes)
        except KyotenError as error:
            raise ValidationError(error.message.get(lang)) from None
        if problem is not None:
            raise ValidationError(problem.get(lang))


def _would_set_aside(set_aside: lifecycle.SetAside) -> Bilingual:
    """The refusal of a change that leaves ``set_aside``'s decision without effect."""
    from django.utils import translation

    event = set_aside.event
    labels = {}
    for lang in ("en", "ja"):
        with translation.override(lang):
            labels[lang] = str(Decision.Kind(event.kind).label)
    return Bilingual(
        en=f"this would leave the decision recorded for {event.date} ({labels['en']}) without "
        f"effect: {set_aside.reason.en}",
        ja=f"この変更により、{event.date}の決定（{labels['ja']}）が効力を失います："
        f"{set_aside.reason.ja}",
    )


class Grant(Sourced, Attributed):
    """A grant decided (交付決定額) for a center's fiscal year, or a later amendment of it
    (変更交付決定), dated, with its source, as the program office entered it.

    Entries are never changed or deleted in the web app: an amendment is a new entry with
    the next ``number`` (1 is the grant decided), and the amount in force for the year is
    the latest entry's (:func:`kyoten.registry.grants.record_grant` keeps them in date
    order). The source is the first of ``sources``.
    """

    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.CASCADE, related_name="grants"
    )
    fiscal_year = models.PositiveIntegerField(_("fiscal year"))
    number = models.PositiveSmallIntegerField(
        _("entry"), default=1, help_text=_("1: the grant decided; 2 and later: amendments.")
    )
    amount_yen = models.BigIntegerField(_("amount (yen)"))
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["center", "fiscal_year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["center", "fiscal_year", "number"], name="unique_grant_entry"
            )
        ]
        verbose_name = _("grant")
        verbose_name_plural = _("grants")

    def __str__(self) -> str:
        amended = f" (amendment {self.number - 1})" if self.is_amendment else ""
        return f"{self.center} FY{self.fiscal_year}{amended}: ¥{self.amount_yen:,}"

    @property
    def is_amendment(self) -> bool:
        return self.number > 1

    @property
    def source(self) -> str:
        return self.sources[0] if self.sources else ""


class ProgramBudget(Sourced):
    """A program-level figure for a fiscal year, as published (reference data)."""

    class Kind(models.TextChoices):
        GRANT_DECISIONS = "grant_decisions", _("grant decisions")
        BUDGET = "budget", pgettext_lazy("money", "budget")
        BUDGET_REQUEST = "budget_request", _("budget request")

    fiscal_year = models.PositiveIntegerField(_("fiscal year"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    amount_yen = models.BigIntegerField(_("amount (yen)"))

    class Meta:
        ordering = ["fiscal_year"]
        verbose_name = _("program budget")
        verbose_name_plural = _("program budgets")

    def __str__(self) -> str:
        return f"FY{self.fiscal_year} {self.kind}: ¥{self.amount_yen:,}"


class Plan(Attributed):
    """A center project plan (YAML or JSON) submitted for checking against the rulebook."""

    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.CASCADE, related_name="plans"
    )
    name = models.CharField(_("file name"), max_length=200)
    content = models.TextField(_("content"))

    class Meta:
        ordering = ["-at", "-id"]
        get_latest_by = ["at", "id"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")

    def __str__(self) -> str:
        return f"{self.center}: {self.name}"


class CommitteeMember(Sourced):
    class Role(models.TextChoices):
        CHAIR = "chair", _("chair")
        MEMBER = "member", pgettext_lazy("committee", "member")
        PROGRAM_DIRECTOR = "program_director", _("Program Director")

    order = models.PositiveSmallIntegerField(_("order"))
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ja = models.CharField(_("name (Japanese)"), max_length=200, blank=True)
    country = models.CharField(_("country"), max_length=2)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    affiliation_en = models.CharField(_("affiliation (English)"), max_length=400)
    affiliation_ja = models.CharField(_("affiliation (Japanese)"), max_length=400, blank=True)
    field_en = models.CharField(_("field (English)"), max_length=200, blank=True)
    field_ja = models.CharField(_("field (Japanese)"), max_length=200, blank=True)
    new_in_fiscal_year = models.PositiveIntegerField(
        _("newly appointed in fiscal year"), null=True, blank=True
    )
    person = models.OneToOneField(
        "people.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="committee_seat",
    )

    class Meta:
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["name_en"], name="unique_member_name")]
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")

    def __str__(self) -> str:
        return self.name_en

    @property
    def name(self) -> str:
        return self.localized("name")

    @property
    def affiliation(self) -> str:
        return self.localized("affiliation")

    @property
    def research_field(self) -> str:
        return self.localized("field")
