"""Forms of the registry pages; every field labelled and translated."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kyoten import fiscal, lifecycle
from kyoten.registry import grants
from kyoten.registry.models import Decision
from kyoten.text import KyotenError
from kyoten.web.forms import set_choices
from kyoten.web.language import page_lang


class DayForm(forms.Form):
    """The day on which statuses are computed (overview), from the program's first call
    (FY2007) to 2100: the charts and the lifecycle cannot be drawn for any day."""

    FIRST = lifecycle.FIRST_DAY
    LAST = lifecycle.LAST_DAY

    on = forms.DateField(
        label=_("Status on"),
        required=False,
        widget=forms.DateInput(
            attrs={"type": "date", "min": FIRST.isoformat(), "max": LAST.isoformat()}
        ),
    )

    def clean_on(self) -> datetime.date | None:
        day: datetime.date | None = self.cleaned_data.get("on")
        if day is not None and not self.FIRST <= day <= self.LAST:
            raise forms.ValidationError(
                _("The day %(day)s is outside the range shown: from %(first)s to %(last)s."),
                code="out_of_range",
                params={"day": day.isoformat(), "first": self.FIRST, "last": self.LAST},
            )
        return day


class DecisionForm(forms.ModelForm):
    """A decision recorded by the program office, with the source it rests on."""

    source = forms.CharField(
        label=_("Source"),
        max_length=500,
        help_text=_("Where the decision is documented: an address or a document reference."),
    )

    class Meta:
        model = Decision
        fields = ["kind", "date", "precision", "years", "summary", "summary_ja"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}

    def __init__(
        self, *args: Any, center: Any = None, correcting: Decision | None = None, **kwargs: Any
    ) -> None:
        if correcting is not None:
            kwargs.setdefault("initial", {}).update(
                {f: getattr(correcting, f) for f in self.Meta.fields}
                | {"source": ", ".join(correcting.sources)}
            )
        super().__init__(*args, **kwargs)
        self.instance.center = center
        self.instance.supersedes = correcting

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.instance.sources = [data.get("source", "")]
        kind, date = data.get("kind"), data.get("date")
        if kind and date and self._in_force_already(kind, date):
            raise forms.ValidationError(
                _("This decision is already recorded for this center on that date.")
            )
        return data

    def _in_force_already(self, kind: str, date: datetime.date) -> bool:
        """Whether the same decision is in force for the center (besides the one corrected)."""
        others = Decision.objects.filter(
            center=self.instance.center, kind=kind, date=date, state=Decision.State.IN_FORCE
        )
        corrected = self.instance.supersedes
        return (others.exclude(pk=corrected.pk) if corrected else others).exists()


class WithdrawDecisionForm(forms.Form):
    """Why a decision recorded in error is withdrawn (kept on the page with the reason)."""

    reason = forms.CharField(
        label=_("Reason for the withdrawal"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown with the withdrawn decision and kept in the audit trail."),
    )


class PlanUploadForm(forms.Form):
    plan = forms.FileField(
        label=_("Plan file (YAML or JSON)"),
        help_text=_("A center project plan in the format of `kyoten schema`."),
    )

    def clean_plan(self) -> Any:
        upload = self.cleaned_data["plan"]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)d bytes; the largest accepted is %(max)d bytes."),
                params={"size": upload.size, "max": settings.UPLOAD_MAX_BYTES},
            )
        return upload


class RulebookForm(forms.Form):
    """Which era (by a call's fiscal year) and track the rulebook page shows."""

    fy = forms.TypedChoiceField(label=_("Call (era)"), coerce=int, required=False)
    track = forms.ChoiceField(label=_("Track"), required=False)

    def __init__(self, *args: Any, program: Any, lang: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.program = program
        set_choices(
            self,
            "fy",
            [(era.selection_from, era.label.get(lang)) for era in reversed(program.eras)],
        )
        set_choices(
            self,
            "track",
            [("", _("all tracks")), *((t.id, t.title.get(lang)) for t in program.tracks)],
        )

    def selection(self) -> tuple[int, str | None]:
        """(selection fiscal year, track id or None); the latest era by default."""
        latest = self.program.eras[-1].selection_from
        if not self.is_bound or not self.is_valid():
            return latest, None
        return self.cleaned_data["fy"] or latest, self.cleaned_data["track"] or None


class GrantForm(forms.Form):
    """The grant decided for a fiscal year, or an amendment of it, with its date and source
    (the checks are :func:`kyoten.registry.grants.record_grant`'s)."""

    fiscal_year = forms.TypedChoiceField(label=_("Fiscal year"), coerce=int)
    amount = forms.CharField(
        label=_("Amount decided (yen)"),
        max_length=fiscal.MAX_AMOUNT_CHARS,
        help_text=_("For example 700000000, ¥700,000,000 or 7億円."),
    )
    decided_on = forms.DateField(
        label=_("Decided on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The date of the grant decision or of the amendment."),
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=grants.SOURCE_MAX_CHARS,
        help_text=_("Where the decision is documented: an address or a document reference."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=grants.NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For an amendment, what changed and why."),
    )
    confirmed = forms.BooleanField(
        label=_("The amount is as decided"),
        required=False,
        help_text=_(
            "Only where the rulebook gives the cap approximately: tick it to enter an amount "
            "above that cap."
        ),
    )

    def __init__(self, *args: Any, years: list[tuple[int, str]], approximate: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        set_choices(self, "fiscal_year", years)
        if not approximate:  # every cap of the center is firm: nothing to confirm
            del self.fields["confirmed"]

    def clean_amount(self) -> int:
        try:
            return fiscal.parse_yen(self.cleaned_data["amount"])
        except KyotenError as error:
            raise forms.ValidationError(error.message.get(page_lang())) from None

    def entry(self) -> grants.GrantEntry:
        data = self.cleaned_data
        return grants.GrantEntry(
            fiscal_year=data["fiscal_year"],
            amount_yen=data["amount"],
            decided_on=data["decided_on"],
            source=data["source"],
            note=data["note"],
            confirmed=bool(data.get("confirmed")),
        )
