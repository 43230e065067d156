"""Who is acting — the logged-in user of the request being handled, or a named process —
and what they are doing: the event (:func:`recording`) the changes made now belong to."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any

Actor = tuple[Any, str]
_actor: ContextVar[Callable[[], Actor] | None] = ContextVar("kyoten_audit_actor", default=None)
_event: ContextVar[Any] = ContextVar("kyoten_audit_event", default=None)


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


def current_event() -> Any:
    """The :class:`~kyoten.audit.models.AuditEvent` being recorded now, if any."""
    return _event.get()


@contextlib.contextmanager
def recording(
    kind: str, center: Any = None, *, by: Any = None, if_changed: bool = False, **data: Any
) -> Iterator[Any]:
    """Record the block as the event ``kind`` (see :mod:`kyoten.audit.sentences`) about
    ``center``, with ``data`` for its sentence; the changes made inside are its details.
    The block runs in a transaction with the event: both are kept, or neither. With
    ``if_changed``, an event that changed nothing is not kept (loading the same data again).
    The event and its changes are the acting user's, or ``by``'s where a service names the
    user it acts for."""
    from django.db import transaction

    from kyoten.audit.models import AuditEvent

    as_named = acting_as(by) if by is not None else contextlib.nullcontext()
    with as_named, transaction.atomic():
        user, label = current_actor()
        event = AuditEvent.objects.create(
            kind=kind,
            center=center,
            data={
                "actor_roles": roles_of(user),
                **({"center": center.short_name} if center is not None else {}),
                **data,
            },
            actor=user,
            actor_label=label,
        )
        token = _event.set(event)
        try:
            yield event
        finally:
            _event.reset(token)
        if if_changed and not event.entries.exists():
            event.delete()


def roles_of(user: Any) -> list[str]:
    """The roles ``user`` holds now (the sentence names the actor by them)."""
    from kyoten.accounts.permissions import standing

    return sorted({role for role, _ in standing(user).roles}) if user is not None else []
