"""Form helpers shared by the apps."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms


def set_choices(form: forms.BaseForm, name: str, choices: Iterable[tuple[Any, Any]]) -> None:
    """Give the choice field ``name`` of ``form`` its choices (known only when the form is
    made: the rulebook's eras, the audit trail's kinds of event in the page's language)."""
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField), name
    field.choices = list(choices)
