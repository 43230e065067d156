"""An account's dated roles in the program, and the record of failed logins used for
throttling. What each role may do is decided in :mod:`kyoten.accounts.permissions`."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PROGRAM_OFFICE = "program_office", _("Program office")
    PROGRAM_DIRECTOR = "program_director", _("Program Director")
    DEPUTY_PROGRAM_DIRECTOR = "deputy_program_director", _("Deputy Program Director")
    COMMITTEE = "committee", _("Committee member")
    PROGRAM_OFFICER = "program_officer", _("Program Officer")
    WORKING_GROUP = "working_group", _("Working-group expert")
    CENTER_OFFICE = "center_office", _("Center office")


# Roles held for one center (the others apply to the whole program).
CENTER_ROLES = frozenset({Role.PROGRAM_OFFICER, Role.WORKING_GROUP, Role.CENTER_OFFICE})


class MembershipQuerySet(models.QuerySet):
    def in_force(self, day: datetime.date) -> "MembershipQuerySet":
        """The roles held on ``day``: started on or before it, not ended by it."""
        return self.filter(Q(ends__isnull=True) | Q(ends__gt=day), starts__lte=day)


def roles_today(lookup: str = "memberships") -> models.Prefetch:
    """Prefetch the roles in force today under ``lookup``, as ``roles_today``."""
    in_force = Membership.objects.in_force(timezone.localdate()).select_related("center")
    return models.Prefetch(lookup, queryset=in_force, to_attr="roles_today")


class Membership(models.Model):
    """A role a person holds in the program from ``starts`` until ``ends`` (the first day
    it no longer applies; open while empty). A login account has the rights of its person's
    roles in force; an account without one has the public's."""

    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    starts = models.DateField(_("from"), default=timezone.localdate)
    ends = models.DateField(
        _("until"),
        null=True,
        blank=True,
        help_text=_("The first day the role no longer applies; empty while it does."),
    )
    center = models.ForeignKey(
        "registry.Center",
        verbose_name=_("center"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text=_("Only for a role held for one center: that center."),
    )
    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["person", "-starts", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends__isnull=True) | Q(ends__gte=models.F("starts")),
                name="membership_ends_after_it_starts",
            )
        ]
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self) -> str:
        where = f" ({self.center})" if self.center_id else ""
        return f"{self.person}: {self.get_role_display()}{where}"

    def clean(self) -> None:
        if (self.role in CENTER_ROLES) != (self.center_id is not None):
            raise ValidationError(
                {
                    "center": _(
                        "A center office, a Program Officer and a working-group expert are "
                        "held for exactly one center; the other roles for none."
                    )
                }
            )
        if self.ends is not None and self.starts is not None and self.ends < self.starts:
            raise ValidationError({"ends": _("A role cannot end before it starts.")})


class LoginFailure(models.Model):
    """A failed login, kept for the throttle window (see accounts.forms)."""

    username = models.CharField(max_length=150, db_index=True)
    address = models.CharField(max_length=64)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
