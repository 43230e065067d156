"""Findings of conflicts of interest and the PD/PO's decisions on them; the expert pool and
the working groups proposed for a cycle.

What a rule means — its window, effect and sources — is data in :mod:`kyoten.coi`; a finding
holds only what was found (the evidence), how the person was identified, the rules' version
and the decision.
"""

from __future__ import annotations

from typing import Any

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kyoten import coi
from kyoten.audit.models import Attributed, acting_user
from kyoten.registry.models import Sourced
from kyoten.text import Bilingual
from kyoten.web.language import page_lang


def rules() -> coi.ConflictRules:
    return coi.load_rules("wpi")


class Finding(models.Model):
    """A person's conflict of interest (or a relation to disclose) with a center, under one
    rule: found by detection, declared by the person, or recorded by the office."""

    class Status(models.TextChoices):
        POTENTIAL = "potential", _("potential")
        CONFIRMED = "confirmed", _("confirmed")
        WAIVED = "waived", _("waived")
        DISMISSED = "dismissed", _("dismissed")
        NOTED = "noted", _("noted (not a conflict)")

    class Identified(models.TextChoices):
        DECLARATION = "declaration", _("the person's declaration")
        REGISTRY = "registry", _("Kyoten's registry")
        ORCID = "orcid", _("ORCID iD")
        OPENALEX = "openalex", _("OpenAlex author id")
        ROR = "ror", _("ROR id")
        NAME = "name", _("name only")

    rule = models.CharField(_("rule"), max_length=40)
    rules_version = models.CharField(_("rules' version"), max_length=40)
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="findings",
    )
    center = models.ForeignKey(
        "registry.Center",
        verbose_name=_("center"),
        on_delete=models.PROTECT,
        related_name="conflict_findings",
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    identified_by = models.CharField(_("identified by"), max_length=12, choices=Identified.choices)
    evidence: models.JSONField[list[dict[str, Any]]] = models.JSONField(
        _("evidence"), default=list, blank=True
    )
    # found by detection (which keeps it up to date), or declared / recorded by a person
    detected = models.BooleanField(_("found by detection"), default=False)
    found_on = models.DateField(_("found on"))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = acting_user(_("decided by"))
    decided_by_label = models.CharField(_("decided by (as recorded)"), max_length=200, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    # detection found other evidence after a person decided: shown for a second look
    evidence_changed = models.BooleanField(_("new evidence since the decision"), default=False)

    class Meta:
        ordering = ["status", "center__short_name", "person__family_name_en", "rule"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "person", "center"], name="one_finding_per_rule_person_center"
            )
        ]
        verbose_name = _("conflict-of-interest finding")
        verbose_name_plural = _("conflict-of-interest findings")

    def __str__(self) -> str:
        return f"{self.person} / {self.center}: {self.rule} ({self.status})"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("finding", args=[self.pk])

    def rule_data(self) -> coi.Rule | None:
        """The rule as the version the finding was made under states it (None if the data
        no longer knows it: a page never fails for it)."""
        version = next((v for v in rules().versions if v.key == self.rules_version), None)
        try:
            return (version or rules().versions[-1]).rule(self.rule)
        except KeyError:
            return None

    def rule_text(self) -> Bilingual:
        """The rule's title in both languages (its id where the data no longer knows it)."""
        data = self.rule_data()
        return data.title.bilingual() if data else Bilingual(en=self.rule, ja=self.rule)

    @property
    def rule_title(self) -> str:
        return self.rule_text().get(page_lang())

    @property
    def decided_by_person(self) -> bool:
        """Decided by someone (not by the rule on detection)."""
        return self.decided_at is not None and self.decided_by_label != RULE_DECIDER


# who "decided" a finding confirmed at detection (an exclude rule, identified for sure)
RULE_DECIDER = "kyoten: rule"


class Expert(Sourced):
    """A person in the pool working groups are formed from: the expertise they declare (the
    vocabulary of :mod:`kyoten.cycles`), how many groups they take at most, whether they may
    chair one."""

    person = models.OneToOneField(
        "people.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="expert",
    )
    expertise: models.JSONField[list[str]] = models.JSONField(
        _("expertise"), default=list, blank=True
    )
    keywords = models.CharField(
        _("keywords"),
        max_length=500,
        blank=True,
        help_text=_("Research topics in the expert's own words, shown beside the expertise."),
    )
    max_load = models.PositiveSmallIntegerField(
        _("working groups at most"), default=2, validators=[MaxValueValidator(10)]
    )
    may_chair = models.BooleanField(_("may chair a working group"), default=False)
    active = models.BooleanField(_("in the pool"), default=True)
    # made up by `kyoten load-samples`, like the sample experts it seats
    is_sample = models.BooleanField(_("sample data"), default=False)

    class Meta:
        ordering = ["person__family_name_en", "person__given_name_en"]
        verbose_name = _("expert")
        verbose_name_plural = _("expert pool")

    def __str__(self) -> str:
        return str(self.person)


class Proposal(Attributed):
    """Working groups proposed for a cycle: the problem given to the optimiser (as the
    ``kyoten assign`` file) and its answer, or a proposal the office uploaded, checked
    against the same problem. Confirming one seats its groups."""

    class Origin(models.TextChoices):
        SOLVER = "solver", _("proposed by the optimiser")
        UPLOADED = "uploaded", _("uploaded by the program office")

    cycle = models.ForeignKey(
        "evaluation.Cycle", on_delete=models.CASCADE, related_name="proposals"
    )
    origin = models.CharField(_("origin"), max_length=10, choices=Origin.choices)
    size = models.PositiveSmallIntegerField(_("experts per working group"))
    problem: models.JSONField[dict[str, Any]] = models.JSONField(_("problem"))
    answer: models.JSONField[dict[str, Any]] = models.JSONField(_("proposal"))
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta:
        ordering = ["cycle", "-at", "-id"]
        verbose_name = _("working-group proposal")
        verbose_name_plural = _("working-group proposals")

    def __str__(self) -> str:
        return f"{self.cycle}: {self.origin} {self.at:%Y-%m-%d %H:%M}"


class Pairing(models.Model):
    """An expert the office pins to a center's working group in a cycle (as chair, as a
    member, or in any role), or excludes from it: the optimiser keeps to it."""

    class Kind(models.TextChoices):
        PIN = "pin", _("pinned")
        FORBID = "forbid", _("excluded")

    class Role(models.TextChoices):
        ANY = "", _("any role")
        CHAIR = "chair", pgettext_lazy("working group", "chair")
        MEMBER = "member", _("member")

    cycle = models.ForeignKey("evaluation.Cycle", on_delete=models.CASCADE, related_name="pairings")
    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    center = models.ForeignKey(
        "registry.Center", verbose_name=_("center"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    role = models.CharField(_("role"), max_length=8, choices=Role.choices, blank=True)

    class Meta:
        ordering = ["cycle", "center", "kind", "person"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "person", "center"], name="one_pairing_per_cycle_person_center"
            )
        ]
        verbose_name = _("pinned or excluded pairing")
        verbose_name_plural = _("pinned or excluded pairings")

    def __str__(self) -> str:
        return f"{self.cycle}: {self.person} / {self.center} ({self.kind})"
