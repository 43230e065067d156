"""What the busy pages compute, cached as template fragments.

The overview recomputes every center's lifecycle, the funding totals, the charts, the
comparison of every report and the published indicators; a center page its lifecycle,
funding, verdict and report trends. Their templates wrap that work in ``{% cache %}``
fragments (views hand the heavy values over lazily, so a cached fragment computes
nothing) under a key made of everything the fragment shows depends on:

- the change counter (:class:`kyoten.audit.models.ChangeCounter`), bumped with every change
  to the audited data, in the change's transaction: a decision, an upload, an accepted
  report, a publish — any worker process sees the new value on its next request;
- the page's language, its day, the page's own parameters;
- the reader's standing (:meth:`kyoten.accounts.permissions.Standing.key`): roles, their
  centers and conflicts of interest — so a conflicted committee member is never served what another
  member sees.

Forms with a CSRF token stay outside the fragments. Entries expire after
``FRAGMENT_SECONDS`` whatever happens (a change written past the ORM's signals).
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from typing import Any, TypeVar

from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from kyoten.accounts.permissions import standing
from kyoten.audit.models import ChangeCounter

FRAGMENT_SECONDS = 600
Figures = TypeVar("Figures")


def fragment_key(user: Any, *parts: object) -> str:
    """The key of a page's cached fragments for ``user`` and the page's ``parts``."""
    return "|".join(
        str(part)
        for part in (ChangeCounter.current(), get_language(), standing(user).key(), *parts)
    )


def lazily(compute: Callable[[], Figures], shape: type[Figures]) -> dict[str, Any]:
    """The fields of ``shape`` (a dataclass) as template context values computed on first
    use, all by one call of ``compute``: a fragment served from the cache computes nothing."""
    once = functools.cache(compute)
    return {
        field.name: SimpleLazyObject(functools.partial(_field, once, field.name))
        for field in dataclasses.fields(shape)  # type: ignore[arg-type]
    }


def _field(compute: Callable[[], Any], name: str) -> Any:
    return getattr(compute(), name)
