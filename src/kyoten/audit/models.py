"""The audit trail: what someone did, in words (:class:`AuditEvent`), and every change to an
audited record it made (:class:`AuditEntry`, the row-level trail)."""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kyoten.audit.context import current_actor


def acting_user(verbose_name: Any) -> models.ForeignKey:
    """The account that did something (recorded, uploaded, changed).

    Deleting the account keeps the record: the field becomes empty, and the model's
    ``*_label`` field keeps the name as it was recorded.
    """
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )


class Attributed(models.Model):
    """Who did it (an account, or a named process such as ``kyoten load-reference``), under
    what name, and when. The name stays as recorded when the account is gone; left empty,
    it is taken from whoever is acting (:func:`kyoten.audit.context.current_actor`)."""

    actor = acting_user(_("who"))
    actor_label = models.CharField(_("who (as recorded)"), max_length=200)
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.actor_label:
            user, label = current_actor()
            self.actor_id = self.actor_id or getattr(user, "pk", None)
            self.actor_label = label
        super().save(*args, **kwargs)


def by(user: Any, label: str | None = None) -> dict[str, Any]:
    """The :class:`Attributed` fields for ``user`` (or a process named ``label``)."""
    return {"actor": user, "actor_label": label or (user.get_username() if user else "system")}


class AuditEvent(Attributed):
    """An action named like ``report.accepted``, with the data its sentence needs
    (:mod:`kyoten.audit.sentences`), the center it concerns and the changes it made. The
    services write one per action (:func:`kyoten.audit.context.recording`); a change made
    outside any (in the back office, say) gets one of its own, ``record.changed`` and such.
    """

    kind = models.CharField(_("action"), max_length=50, db_index=True)
    center = models.ForeignKey(
        "registry.Center",
        verbose_name=_("center"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        at = timezone.localtime(self.at)
        return f"{at:%Y-%m-%d %H:%M} {self.actor_label} {self.kind}"

    def note(self, **data: Any) -> None:
        """Add to the data of the sentence (what is known only once the action is done)."""
        self.data = {**self.data, **data}
        self.save(update_fields=["data"])


class AuditEntry(Attributed):
    """A change: who (a user, or a named process), when, what, and the values before/after."""

    class Action(models.TextChoices):
        CREATE = "create", pgettext_lazy("audit action", "created")
        UPDATE = "update", pgettext_lazy("audit action", "changed")
        DELETE = "delete", pgettext_lazy("audit action", "deleted")

    event = models.ForeignKey(
        AuditEvent,
        verbose_name=_("event"),
        null=True,
        on_delete=models.CASCADE,
        related_name="entries",
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    model = models.CharField(_("record type"), max_length=100)
    object_pk = models.CharField(_("record id"), max_length=64)
    object_repr = models.CharField(_("record"), max_length=300)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        at = timezone.localtime(self.at)  # Japan time, as on every page
        return f"{at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"

    def changes(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for each field whose value differs."""
        before = self.before or {}
        after = self.after or {}
        names = sorted(set(before) | set(after))
        return [(n, before.get(n), after.get(n)) for n in names if before.get(n) != after.get(n)]


class ChangeCounter(models.Model):
    """One row counting every change to the audited data, bumped in the same transaction as
    the change (audit.signals): pages cache what they compute under its value
    (:mod:`kyoten.web.pagecache`), so that any decision, accepted report or publish makes
    them compute afresh — in every worker process."""

    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("change counter")
        verbose_name_plural = _("change counters")

    def __str__(self) -> str:
        return f"{self.value}"

    @classmethod
    def current(cls) -> int:
        return cls.objects.filter(pk=1).values_list("value", flat=True).first() or 0

    @classmethod
    def bump(cls) -> None:
        if not cls.objects.filter(pk=1).update(value=models.F("value") + 1):
            cls.objects.get_or_create(pk=1, defaults={"value": 1})
