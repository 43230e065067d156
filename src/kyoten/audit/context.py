"""Who is acting: the logged-in user of the request being handled, or a named process."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any

Actor = tuple[Any, str]
_actor: ContextVar[Callable[[], Actor] | None] = ContextVar("kyoten_audit_actor", default=None)


def current_actor() -> Actor:
    """(user or None, label) of whoever is making the change now."""
    resolve = _actor.get()
    return resolve() if resolve else (None, "system")


@contextlib.contextmanager
def acting(resolve: Callable[[], Actor]) -> Iterator[None]:
    """Attribute the changes made inside the block to whoever ``resolve()`` names then."""
    token = _actor.set(resolve)
    try:
        yield
    finally:
        _actor.reset(token)


def acting_as(user: Any, label: str | None = None) -> contextlib.AbstractContextManager[None]:
    """Attribute the changes made inside the block to ``user`` (or to ``label``)."""
    name = label or (user.get_username() if user else "system")
    return acting(lambda: (user, name))
