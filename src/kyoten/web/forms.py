"""Form helpers shared by the apps."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_noop

# Django's forms end a label with the catalogue's ":", which Django's Japanese catalogue keeps
# as the ASCII colon; marked here so that Kyoten's catalogue gives the "：" Japanese forms use.
gettext_noop(":")


def set_choices(form: forms.BaseForm, name: str, choices: Iterable[tuple[Any, Any]]) -> None:
    """Give the choice field ``name`` of ``form`` its choices (known only when the form is
    made: the rulebook's eras, the audit trail's kinds of event in the page's language)."""
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField), name
    field.choices = list(choices)


class PersonChoiceField(forms.ModelChoiceField):
    """A choice of person, each named as the page's language writes them (見本 委員A on a
    Japanese page, Sample Expert A on an English one)."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)
