"""Published outcome indicators: one run per publication-year window, its units, their values.

A run is written by ``kyoten outcomes publish`` in one transaction; publishing the same window
again replaces the run (its units and values go with it), and a real run replaces the sample
run of ``kyoten outcomes load-samples``. Pages only read runs.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kyoten.audit.models import Attributed


class IndicatorRun(Attributed):
    """One computation of every center's indicators and the benchmarks', with its provenance."""

    first_year = models.PositiveIntegerField(_("first publication year"))
    last_year = models.PositiveIntegerField(_("last publication year"))
    field_scheme = models.CharField(_("field scheme"), max_length=12)
    doc_types = models.CharField(_("document types"), max_length=200)
    include_retracted = models.BooleanField(_("retracted works included"), default=False)
    bootstrap = models.PositiveIntegerField(_("bootstrap resamples"), default=0)
    seed = models.IntegerField(_("bootstrap seed"), default=0)
    report_years = models.CharField(
        _("report fiscal years"), max_length=20, blank=True, help_text=_("empty: every year")
    )
    include_samples = models.BooleanField(_("sample reports included"), default=True)
    # made up by `kyoten outcomes load-samples` from a synthetic snapshot so that a new
    # installation shows the indicators; marked wherever shown, replaced by a real publish
    is_sample = models.BooleanField(_("sample data"), default=False)
    data_folder = models.CharField(_("data folder"), max_length=1000)
    data_sha256 = models.CharField(_("SHA-256 of the data tables"), max_length=64)
    works_in_data = models.PositiveBigIntegerField(_("works in the data"))

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["first_year", "last_year"], name="unique_run_window")
        ]
        verbose_name = _("indicator run")
        verbose_name_plural = _("indicator runs")

    def __str__(self) -> str:
        return f"indicators {self.window} ({timezone.localdate(self.at):%Y-%m-%d})"

    @property
    def window(self) -> str:
        """The publication years: ``2020`` or ``2014–2023``."""
        if self.first_year == self.last_year:
            return str(self.first_year)
        return f"{self.first_year}–{self.last_year}"


class RunUnit(models.Model):
    """A unit measured in a run: a center (its report DOIs) or a benchmark."""

    class Kind(models.TextChoices):
        CENTER = "center", pgettext_lazy("unit kind", "center")
        BENCHMARK = "benchmark", pgettext_lazy("unit kind", "benchmark")

    run = models.ForeignKey(
        IndicatorRun, verbose_name=_("run"), on_delete=models.CASCADE, related_name="units"
    )
    position = models.PositiveIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    key = models.CharField(_("key"), max_length=200)
    center = models.ForeignKey(
        "registry.Center",
        verbose_name=_("center"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="indicator_units",
    )
    dois_listed = models.PositiveIntegerField(_("DOIs listed"), null=True, blank=True)
    dois_found = models.PositiveIntegerField(_("DOIs found in the data"), null=True, blank=True)
    dois_from_samples = models.PositiveIntegerField(
        _("DOIs from sample reports"), null=True, blank=True
    )

    class Meta:
        ordering = ["run", "position"]
        constraints = [models.UniqueConstraint(fields=["run", "name"], name="unique_run_unit_name")]
        verbose_name = _("measured unit")
        verbose_name_plural = _("measured units")

    def __str__(self) -> str:
        return f"{self.name} in {self.run}"

    @property
    def dois_not_found(self) -> int | None:
        """Listed DOIs that are not among the ingested works (centers only)."""
        if self.dois_listed is None or self.dois_found is None:
            return None
        return self.dois_listed - self.dois_found


class UnitIndicators(models.Model):
    """P, P/PP(top 10%), P/PP(top 1%) and MNCS of a unit, for one counting and tie method."""

    unit = models.ForeignKey(
        RunUnit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="values"
    )
    counting = models.CharField(_("counting"), max_length=12)
    method = models.CharField(_("tie method"), max_length=12)
    p = models.FloatField("P")
    p_top10 = models.FloatField("P(top 10%)")
    pp_top10 = models.FloatField("PP(top 10%)", null=True, blank=True)
    p_top1 = models.FloatField("P(top 1%)")
    pp_top1 = models.FloatField("PP(top 1%)", null=True, blank=True)
    mncs = models.FloatField("MNCS", null=True, blank=True)
    pp_top10_lb = models.FloatField(_("PP(top 10%) lower bound"), null=True, blank=True)
    pp_top10_ub = models.FloatField(_("PP(top 10%) upper bound"), null=True, blank=True)
    pp_top1_lb = models.FloatField(_("PP(top 1%) lower bound"), null=True, blank=True)
    pp_top1_ub = models.FloatField(_("PP(top 1%) upper bound"), null=True, blank=True)
    mncs_lb = models.FloatField(_("MNCS lower bound"), null=True, blank=True)
    mncs_ub = models.FloatField(_("MNCS upper bound"), null=True, blank=True)

    class Meta:
        ordering = ["unit", "counting", "method"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "counting", "method"], name="unique_unit_counting_method"
            )
        ]
        verbose_name = _("unit indicators")
        verbose_name_plural = _("unit indicators")

    def __str__(self) -> str:
        return f"{self.unit.name} {self.counting} {self.method}"
