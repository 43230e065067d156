"""Who is acting: the logged-in user in a request, or a named process (a command)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

_actor: ContextVar[tuple[Any, str] | None] = ContextVar("kyoten_audit_actor", default=None)


def current_actor() -> tuple[Any, str]:
    """(user or None, label) of whoever is making the change now."""
    return _actor.get() or (None, "system")


@contextlib.contextmanager
def acting_as(user: Any, label: str | None = None) -> Iterator[None]:
    """Attribute the changes made inside the block to ``user`` (or to ``label``)."""
    token = _actor.set((user, label or (user.get_username() if user else "system")))
    try:
        yield
    finally:
        _actor.reset(token)
