"""Persons, with their names as each language writes them, their ORCID iD, nationality and
dated affiliations. What a person does in the program is a dated role
(:class:`kyoten.accounts.models.Membership`); a person may have one login account."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kyoten.identifiers import (
    normalise_openalex_author,
    normalise_orcid,
    normalise_ror,
    openalex_author_problem,
    orcid_problem,
    ror_problem,
)
from kyoten.registry.models import Sourced
from kyoten.text import Bilingual
from kyoten.web.language import page_lang


def _validator(problem_of: Callable[[str], Bilingual | None], name: str) -> Callable[[str], None]:
    """A field validator whose message names the value and says what was expected, named
    ``name`` in this module (so that migrations can refer to it)."""

    def validate(value: str) -> None:
        problem = problem_of(value)
        if problem is not None:
            raise ValidationError(f"{value}: {problem.get(page_lang())}")

    validate.__name__ = validate.__qualname__ = name
    return validate


validate_orcid = _validator(orcid_problem, "validate_orcid")
validate_openalex_author = _validator(openalex_author_problem, "validate_openalex_author")
validate_ror = _validator(ror_problem, "validate_ror")


class Person(Sourced):
    """A person the program deals with. Names: English written given name first, Japanese
    family name first (「濱口 道成」); the Japanese name is empty for most people from abroad."""

    family_name_en = models.CharField(_("family name (English)"), max_length=100)
    given_name_en = models.CharField(_("given name (English)"), max_length=100, blank=True)
    family_name_ja = models.CharField(_("family name (Japanese)"), max_length=100, blank=True)
    given_name_ja = models.CharField(_("given name (Japanese)"), max_length=100, blank=True)
    orcid = models.CharField(
        _("ORCID iD"),
        max_length=19,
        blank=True,
        validators=[validate_orcid],
        help_text=_("For example 0000-0002-1825-0097; the address on orcid.org is accepted."),
    )
    nationality = models.CharField(
        _("nationality"), max_length=2, blank=True, help_text=_("ISO 3166 country code.")
    )
    from_abroad = models.BooleanField(
        _("counts as from abroad"),
        null=True,
        blank=True,
        help_text=_(
            "Whether the person counts as a researcher from abroad in WPI's figures; empty "
            "while not known."
        ),
    )
    openalex_id = models.CharField(
        _("OpenAlex author id"),
        max_length=20,
        blank=True,
        validators=[validate_openalex_author],
        help_text=_(
            "For example A5023888391; the address on openalex.org is accepted. Matches the "
            "person's works in the publication data where they have no ORCID iD there."
        ),
    )
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )

    class Meta:
        ordering = ["family_name_en", "given_name_en", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["orcid"], condition=~Q(orcid=""), name="one_person_per_orcid"
            )
        ]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.name_en

    @property
    def name_en(self) -> str:
        return " ".join(part for part in (self.given_name_en, self.family_name_en) if part)

    @property
    def name_ja(self) -> str:
        return " ".join(part for part in (self.family_name_ja, self.given_name_ja) if part)

    @property
    def name(self) -> str:
        """The name as the page's language writes it (the English one where there is no
        Japanese)."""
        return self.name_ja if page_lang() == "ja" and self.name_ja else self.name_en

    def clean_fields(self, exclude: Any = None) -> None:
        """Store an ORCID iD and an OpenAlex id bare, however pasted, before they are checked."""
        self.orcid = normalise_orcid(self.orcid) if self.orcid else ""
        self.openalex_id = normalise_openalex_author(self.openalex_id) if self.openalex_id else ""
        self.nationality = self.nationality.strip().upper()
        super().clean_fields(exclude)

    def affiliation_on(self, day: datetime.date) -> Affiliation | None:
        """The affiliation in force on ``day`` (the latest started, of several)."""
        current = [a for a in self.affiliations.all() if a.in_force(day)]
        return max(current, key=lambda a: a.starts or datetime.date.min) if current else None


class Affiliation(Sourced):
    """Where a person works, from ``starts`` until ``ends`` (the first day they no longer
    do; either may be unknown): a center, an institution of the registry or an organisation
    by name."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="affiliations"
    )
    institution = models.ForeignKey(
        "registry.Institution",
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="affiliations",
    )
    center = models.ForeignKey(
        "registry.Center",
        verbose_name=_("center"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="affiliations",
        help_text=_("Where the person works at a WPI center (as a PI, say)."),
    )
    organisation_en = models.CharField(_("organisation (English)"), max_length=300, blank=True)
    organisation_ja = models.CharField(_("organisation (Japanese)"), max_length=300, blank=True)
    ror_id = models.CharField(_("ROR id"), max_length=40, blank=True, validators=[validate_ror])
    position_en = models.CharField(_("position (English)"), max_length=300, blank=True)
    position_ja = models.CharField(_("position (Japanese)"), max_length=300, blank=True)
    starts = models.DateField(_("from"), null=True, blank=True)
    ends = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["person", "-starts", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(institution__isnull=False)
                | Q(center__isnull=False)
                | ~Q(organisation_en=""),
                name="affiliation_names_where",
            ),
            models.CheckConstraint(
                condition=Q(ends__isnull=True)
                | Q(starts__isnull=True)
                | Q(ends__gte=models.F("starts")),
                name="affiliation_ends_after_it_starts",
            ),
        ]
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")

    def __str__(self) -> str:
        return f"{self.person}: {self.position_en} {self.organisation}".strip()

    @property
    def organisation(self) -> str:
        if self.institution is not None:
            return self.institution.name
        if self.center is not None and not self.organisation_en:
            return self.center.name
        return self.localized("organisation")

    @property
    def position(self) -> str:
        return self.localized("position")

    def in_force(self, day: datetime.date) -> bool:
        return (self.starts is None or self.starts <= day) and (
            self.ends is None or day < self.ends
        )

    def clean_fields(self, exclude: Any = None) -> None:
        self.ror_id = normalise_ror(self.ror_id) if self.ror_id else ""
        super().clean_fields(exclude)

    def clean(self) -> None:
        if self.institution_id is None and self.center_id is None and not self.organisation_en:
            raise ValidationError(
                {"organisation_en": _("Name the organisation, or choose an institution.")}
            )
        if self.starts and self.ends and self.ends < self.starts:
            raise ValidationError({"ends": _("An affiliation cannot end before it starts.")})
