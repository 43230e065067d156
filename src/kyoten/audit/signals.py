"""Record every save and delete of the application's data: the registry, people, accounts
and roles, users and groups, annual reports and published outcome indicators (not
bookkeeping tables: sessions, migrations, permissions, login throttling).

Before a save the stored row is read, so the entry holds the values before and after.
Password hashes are never copied into the trail, nor fields a model lists in ``audit_omit``.
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Any

from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from kyoten.audit.context import current_actor, current_event, roles_of

AUDITED_APPS = {
    "registry",
    "people",
    "accounts",
    "auth",
    "submissions",
    "outcomes",
    "evaluation",
    "conflicts",
}
NOT_AUDITED = {"auth.permission", "accounts.loginfailure"}
REDACTED = {"password"}


GENERIC_KINDS = {"create": "record.created", "update": "record.changed", "delete": "record.deleted"}

# Saves that record no change of anyone's data: a login stamping the user's last login.
BOOKKEEPING_SAVES = {frozenset({"last_login"})}


def _is_audited(sender: type[models.Model], update_fields: Any = None) -> bool:
    meta = sender._meta
    return (
        sender.__module__ != "__fake__"  # a migration's stand-in: the trail may not exist yet
        and meta.app_label in AUDITED_APPS
        and meta.label_lower not in NOT_AUDITED
        and not meta.auto_created
        and (update_fields is None or frozenset(update_fields) not in BOOKKEEPING_SAVES)
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return value


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The instance's concrete field values, JSON-ready (foreign keys as ids)."""
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if field.name in getattr(instance, "audit_omit", ()):
            continue  # kept in the record itself (e.g. a report version's data)
        if field.name in REDACTED:
            data[field.name] = "(hidden)"
            continue
        data[field.attname] = _jsonable(getattr(instance, field.attname))
    return data


def _before_save(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if not _is_audited(sender, kwargs.get("update_fields")) or kwargs.get("raw"):
        return
    previous = sender._default_manager.filter(pk=instance.pk).first() if instance.pk else None
    instance._audit_before = snapshot(previous) if previous else None  # type: ignore[attr-defined]


def _center_id(instance: models.Model) -> Any:
    """The center a record concerns, where it names one (a center is its own)."""
    if instance._meta.label == "registry.Center":
        return instance.pk
    return getattr(instance, "center_id", None)


def _record(instance: models.Model, action: str, before: Any, after: Any) -> None:
    from kyoten.audit.models import AuditEntry, AuditEvent, ChangeCounter

    ChangeCounter.bump()  # cached pages compute afresh (kyoten.web.pagecache)
    user, label = current_actor()
    event = current_event()
    if event is None:  # a change outside any named action: an event of its own
        event = AuditEvent.objects.create(
            kind=GENERIC_KINDS[action],
            center_id=_center_id(instance),
            data={
                "actor_roles": roles_of(user),
                "model": instance._meta.label,
                "object": str(instance)[:300],
            },
            actor=user,
            actor_label=label,
        )
    AuditEntry.objects.create(
        event=event,
        actor=user,
        actor_label=label,
        action=action,
        model=instance._meta.label,
        object_pk=str(instance.pk),
        object_repr=str(instance)[:300],
        before=before,
        after=after,
    )


def _after_save(
    sender: type[models.Model], instance: models.Model, created: bool, **kwargs: Any
) -> None:
    if not _is_audited(sender, kwargs.get("update_fields")) or kwargs.get("raw"):
        return
    before = getattr(instance, "_audit_before", None)
    after = snapshot(instance)
    if not created and before == after:
        return
    _record(instance, "create" if created else "update", None if created else before, after)


def _after_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if _is_audited(sender):
        _record(instance, "delete", snapshot(instance), None)


def _m2m_field(instance: models.Model, through: type[models.Model]) -> str | None:
    for field in instance._meta.many_to_many:
        if field.remote_field.through is through:
            return field.name
    return None


def _relation_changed(
    sender: type[models.Model], instance: models.Model, action: str, **kwargs: Any
) -> None:
    """A many-to-many change (e.g. a committee member's conflicts, a user's groups)."""
    if kwargs.get("reverse") or not _is_audited(type(instance)):
        return
    name = _m2m_field(instance, sender)
    if name is None:
        return
    current = sorted(getattr(instance, name).values_list("pk", flat=True))
    if action.startswith("pre_"):
        instance._audit_m2m_before = current  # type: ignore[attr-defined]
    elif action.startswith("post_"):
        before = getattr(instance, "_audit_m2m_before", None)
        if before != current:
            _record(instance, "update", {name: before}, {name: current})


def connect() -> None:
    pre_save.connect(_before_save, dispatch_uid="kyoten_audit_pre_save")
    post_save.connect(_after_save, dispatch_uid="kyoten_audit_post_save")
    post_delete.connect(_after_delete, dispatch_uid="kyoten_audit_post_delete")
    m2m_changed.connect(_relation_changed, dispatch_uid="kyoten_audit_m2m_changed")
