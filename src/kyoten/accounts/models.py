"""A user's role in the program, and the record of failed logins used for throttling."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PROGRAM_OFFICE = "program_office", _("Program office")
    COMMITTEE = "committee", _("Committee member")
    CENTER_OFFICE = "center_office", _("Center office")


class Membership(models.Model):
    """What a user may see and do. A user without one has the public's rights."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="membership",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    center = models.ForeignKey(
        "registry.Center",
        verbose_name=_("center"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text=_("Only for a center office: the one center it belongs to."),
    )
    conflicts = models.ManyToManyField(
        "registry.Center",
        verbose_name=_("conflicts of interest"),
        blank=True,
        related_name="+",
        help_text=_("Only for a committee member: centers whose internal pages stay closed."),
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        where = f" ({self.center})" if self.center_id else ""
        return f"{self.user}: {self.get_role_display()}{where}"

    def clean(self) -> None:
        if (self.role == Role.CENTER_OFFICE) != (self.center_id is not None):
            raise ValidationError(
                {"center": _("A center office belongs to exactly one center; other roles to none.")}
            )


class LoginFailure(models.Model):
    """A failed login, kept for the throttle window (see accounts.forms)."""

    username = models.CharField(max_length=150, db_index=True)
    address = models.CharField(max_length=64)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
