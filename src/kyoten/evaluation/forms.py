"""Forms of the evaluation pages: what the office, the members and the committee enter."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyoten.evaluation import services
from kyoten.evaluation.models import Case, Seat, Visit, cycle_type_choices
from kyoten.people.models import Person
from kyoten.registry.models import Center
from kyoten.web.forms import PersonChoiceField, set_choices
from kyoten.web.language import page_lang

DATE = forms.DateInput(attrs={"type": "date"})
TEXT_MAX = 20_000  # characters of one text field: a long review, bounded


def _text(
    label: Any, *, required: bool = False, rows: int = 6, help_text: Any = ""
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


class CycleForm(forms.Form):
    """Open a cycle: its kind, fiscal year, the center (for one center's evaluation) and the
    dates of each phase."""

    cycle_type = forms.ChoiceField(label=_("Kind of evaluation"))
    fiscal_year = forms.IntegerField(label=_("Fiscal year"), min_value=2007, max_value=2100)
    center = forms.ModelChoiceField(
        label=_("Center"),
        queryset=Center.objects.all(),
        required=False,
        help_text=_(
            "Only for an evaluation of one center; the annual follow-up covers every supported center."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "cycle_type", cycle_type_choices())
        self.fields["fiscal_year"].initial = services.fiscal_year_today()
        for phase in services.data().phases:
            title = phase.title.get(page_lang())
            self.fields[f"{phase.id}_starts"] = forms.DateField(
                label=_("%(phase)s: from") % {"phase": title}, widget=DATE
            )
            self.fields[f"{phase.id}_ends"] = forms.DateField(
                label=_("%(phase)s: until") % {"phase": title}, widget=DATE
            )

    def phases(self) -> list[tuple[str, datetime.date, datetime.date]]:
        data = self.cleaned_data
        return [
            (p.id, data[f"{p.id}_starts"], data[f"{p.id}_ends"]) for p in services.data().phases
        ]


class SeatForm(forms.Form):
    person = PersonChoiceField(
        label=_("Person"), queryset=Person.objects.order_by("family_name_en")
    )
    role = forms.ChoiceField(label=_("Role in the working group"), choices=Seat.Role.choices)


class ReviewForm(forms.Form):
    """A review on the cycle's rubric: a grade per perspective, the overall rating, text."""

    overall = forms.ChoiceField(label=_("Overall rating"), required=False)
    strengths = _text(_("Strengths"))
    weaknesses = _text(_("Weaknesses"))
    improvements = _text(_("Points to improve"), help_text=_("One point per line."))
    language = forms.ChoiceField(
        label=_("Written in"), choices=[("en", "English"), ("ja", "日本語")]
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        grades = [("", _("not graded yet")), *services.grade_choices()]
        set_choices(self, "overall", grades)
        rubric = case.cycle.rubric_data()
        lang = page_lang()
        self.perspective_fields: list[tuple[str, list[str]]] = []
        for mission in rubric.missions if rubric else []:
            names = []
            for perspective in mission.perspectives:
                name = f"grade:{mission.id}.{perspective.id}"
                self.fields[name] = forms.ChoiceField(
                    label=perspective.title.get(lang), choices=grades, required=False
                )
                names.append(name)
            self.perspective_fields.append((mission.title.get(lang), names))

    def review_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            **{k: v for k, v in data.items() if not k.startswith("grade:")},
            "grades": {
                k.removeprefix("grade:"): v for k, v in data.items() if k.startswith("grade:")
            },
        }


class ConsolidationForm(forms.Form):
    consolidated_en = _text(_("Consolidated assessment (English, the master)"), rows=10)
    consolidated_ja = _text(_("Japanese provisional translation"), rows=10)


class ResultForm(forms.Form):
    """The committee's result for a case: rating, decision, comments, points to improve."""

    rating = forms.ChoiceField(label=_("Rating"), required=False)
    outcome = forms.ChoiceField(label=_("Decision"), required=False)
    decided_on = forms.DateField(label=_("Date of the committee's decision"), widget=DATE)
    comments_en = _text(_("The committee's comments (English, the master)"), required=True, rows=8)
    comments_ja = _text(_("Japanese provisional translation"), rows=8)
    points_en = _text(_("Points to improve (English), one per line"), rows=5)
    points_ja = _text(
        _("Points to improve (Japanese provisional translation), one per line in the same order"),
        rows=5,
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = case.cycle.kind
        lang = page_lang()
        self.fields["decided_on"].initial = timezone.localdate()
        if kind.rated:
            set_choices(self, "rating", [("", "—"), *services.grade_choices()])
            self.fields["rating"].required = True
        else:
            del self.fields["rating"]
        if kind.outcomes:
            set_choices(self, "outcome", [(o.id, o.title.get(lang)) for o in kind.outcomes])
            self.fields["outcome"].required = True
        else:
            del self.fields["outcome"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        english = [line.strip() for line in data.get("points_en", "").splitlines() if line.strip()]
        japanese = [line.strip() for line in data.get("points_ja", "").splitlines() if line.strip()]
        if japanese and len(japanese) != len(english):
            raise forms.ValidationError(
                _(
                    "Give the Japanese points in the same number and order as the English ones (%(en)s English, %(ja)s Japanese)."
                )
                % {"en": len(english), "ja": len(japanese)}
            )
        data["points"] = [
            (text, japanese[i] if japanese else "", "") for i, text in enumerate(english)
        ]
        return data


class VisitForm(forms.ModelForm):
    """A site visit or hearing: times in Japan time; a place on site, a link online."""

    link = forms.URLField(
        label=_("meeting link"), required=False, max_length=500, assume_scheme="https"
    )
    # bounded like every other text of the evaluation (the model's text fields are not)
    attendees = _text(
        _("attendees"),
        rows=4,
        help_text=_(
            "One per line: the center director, the head of the host institution, the PO, "
            "the members."
        ),
    )
    agenda = _text(_("agenda"))
    minutes = _text(_("minutes"), rows=10)

    class Meta:
        model = Visit
        fields = ["starts_at", "ends_at", "mode", "place", "link", "attendees", "agenda", "minutes"]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends, mode = data.get("starts_at"), data.get("ends_at"), data.get("mode")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The visit ends after it starts."))
        if mode in (Visit.Mode.ON_SITE, Visit.Mode.HYBRID) and not data.get("place"):
            self.add_error("place", _("Give the place of a visit on site."))
        if mode in (Visit.Mode.ONLINE, Visit.Mode.HYBRID) and not data.get("link"):
            self.add_error("link", _("Give the meeting link of an online visit."))
        return data


class DocumentForm(forms.Form):
    """A PDF of the case's materials, of a kind the cycle asks for."""

    material = forms.ChoiceField(label=_("Kind of document"))
    document = forms.FileField(label=_("PDF file"))

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "material", choices)
