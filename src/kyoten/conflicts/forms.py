"""Forms of the conflict-of-interest pages: filtering the register, deciding a finding,
declaring or recording a conflict, and an expert's profile."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Case, When
from django.utils.translation import gettext_lazy as _

from kyoten import cycles
from kyoten.conflicts.models import Expert, Finding, Pairing
from kyoten.conflicts.services import REASON_MAX, rule_set_for_today
from kyoten.people.models import Person
from kyoten.registry.models import Center
from kyoten.web.forms import PersonChoiceField, set_choices
from kyoten.web.language import page_lang


class FindingFilter(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    center = forms.ModelChoiceField(
        label=_("Center"),
        queryset=Center.objects.all(),
        required=False,
        empty_label=_("any center"),
    )
    rule = forms.ChoiceField(label=_("Rule"), required=False)
    person = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "status", [("", _("any status")), *Finding.Status.choices])
        lang = page_lang()
        rules = [(r.id, r.title.get(lang)) for r in rule_set_for_today().rules]
        set_choices(self, "rule", [("", _("any rule")), *rules])

    def apply(self, findings: Any) -> Any:
        """The findings chosen, those waiting for a decision first."""
        findings = findings.order_by(
            Case(When(status=Finding.Status.POTENTIAL, then=0), default=1),
            "center__short_name",
            "person__family_name_en",
            "rule",
        )
        if not self.is_valid():
            return findings
        data = self.cleaned_data
        for name in ("status", "center", "rule", "person"):
            if data.get(name):
                findings = findings.filter(**{name: data[name]})
        return findings


class DecisionForm(forms.Form):
    status = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for a waiver or a dismissal; kept with the decision."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(
            self,
            "status",
            [
                (Finding.Status.CONFIRMED, _("Confirm: a conflict of interest")),
                (Finding.Status.WAIVED, _("Waive: a conflict, allowed for a stated reason")),
                (Finding.Status.DISMISSED, _("Dismiss: not a conflict")),
            ],
        )


class DeclarationForm(forms.Form):
    """A conflict the person declares (or the office records on someone's word)."""

    center = forms.ModelChoiceField(label=_("Center"), queryset=Center.objects.all())
    rule = forms.ChoiceField(label=_("Kind of conflict"))
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Who it concerns and since when, for the Program Director and Officer."),
    )

    def __init__(self, *args: Any, office: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lang = page_lang()
        rules = [
            (r.id, r.title.get(lang))
            for r in rule_set_for_today().declarable()
            if office or r.id != "recorded"  # only the office records on someone's word
        ]
        set_choices(self, "rule", rules)
        if office:
            self.fields["person"] = PersonChoiceField(
                label=_("Person"), queryset=Person.objects.order_by("family_name_en")
            )
            self.order_fields(["person", "center", "rule", "note"])


def expertise_choices() -> list[tuple[str, str]]:
    lang = page_lang()
    return [(f.id, f.title.get(lang)) for f in cycles.load_cycles().expertise.fields]


class ExpertForm(forms.ModelForm):
    """An expert's profile: what the office keeps (load, chair, in the pool) and what the
    expert declares (expertise, keywords)."""

    expertise = forms.MultipleChoiceField(
        label=_("Expertise"), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Expert
        fields = ["expertise", "keywords", "max_load", "may_chair", "active"]

    def __init__(self, *args: Any, own: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "expertise", expertise_choices())
        if own:  # the expert declares their expertise; the rest is the office's
            for name in ("max_load", "may_chair", "active"):
                del self.fields[name]


class ProposeForm(forms.Form):
    size = forms.TypedChoiceField(label=_("Experts per working group"), coerce=int)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        size = cycles.load_cycles().working_group.size
        set_choices(self, "size", [(n, str(n)) for n in range(size.min, size.max + 1)])
        self.fields["size"].initial = size.min


class PairingForm(forms.Form):
    """Pin an expert of the pool to a center's group, or exclude them from it."""

    person = PersonChoiceField(label=_("Expert"), queryset=Person.objects.none())
    center = forms.ModelChoiceField(label=_("Center"), queryset=Center.objects.none())
    kind = forms.ChoiceField(label=_("Pin or exclude"), choices=Pairing.Kind.choices)
    role = forms.ChoiceField(label=_("Role"), choices=Pairing.Role.choices, required=False)

    def __init__(self, *args: Any, cycle: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Person.objects.filter(expert__active=True).order_by("family_name_en")
        field = self.fields["center"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Center.objects.filter(evaluation_cases__cycle=cycle)


class ProposalUploadForm(forms.Form):
    proposal = forms.FileField(
        label=_("Proposal (JSON)"),
        help_text=_(
            "A proposal of kyoten assign, or its groups edited: checked against every rule."
        ),
    )
