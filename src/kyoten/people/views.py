"""The registry of persons, for the program office: search, and each person's names,
identifiers, affiliations, roles and account."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyoten.accounts.models import Membership, Role, roles_today
from kyoten.accounts.permissions import authorize, login_first, permitted
from kyoten.conflicts.services import standing_findings
from kyoten.identifiers import normalise_orcid
from kyoten.people.models import Person
from kyoten.web.forms import set_choices
from kyoten.web.pages import paginate

PAGE_SIZE = 50
NAMES = ("family_name_en", "given_name_en", "family_name_ja", "given_name_ja")


class PeopleFilter(forms.Form):
    q = forms.CharField(label=_("Name or ORCID iD"), max_length=100, required=False)
    role = forms.ChoiceField(label=_("Role today"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "role", [("", _("any role, or none")), *Role.choices])

    def people(self) -> QuerySet[Person]:
        people = Person.objects.all()
        if not self.is_valid():
            return people
        if text := self.cleaned_data["q"].strip():
            match = Q(orcid=normalise_orcid(text))
            for name in NAMES:
                match |= Q(**{f"{name}__icontains": text})
            people = people.filter(match)
        if role := self.cleaned_data["role"]:
            holders = Membership.objects.in_force(timezone.localdate()).filter(role=role)
            people = people.filter(pk__in=holders.values("person"))
        return people


@permitted("people.read")
def people_list(request: HttpRequest) -> HttpResponse:
    form = PeopleFilter(request.GET or None)
    people = (
        form.people()
        .select_related("account")
        .prefetch_related(roles_today(), "affiliations__institution", "affiliations__center")
    )
    page, query = paginate(request, people, PAGE_SIZE)
    today = timezone.localdate()
    return render(
        request,
        "people/list.html",
        {
            "form": form,
            "page": page,
            "rows": [(person, person.affiliation_on(today)) for person in page],
            "query": query,
        },
    )


def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    login_first(request)
    authorize(request, "people.read", hide=True)  # a person's number is internal
    person = get_object_or_404(Person.objects.select_related("account"), pk=pk)
    return render(
        request,
        "people/detail.html",
        {
            "person": person,
            "affiliations": person.affiliations.select_related("institution", "center"),
            "roles": person.memberships.select_related("center"),
            "seat": getattr(person, "committee_seat", None),
            "findings": standing_findings(person),
        },
    )
