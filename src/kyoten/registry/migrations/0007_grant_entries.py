# Grants decided are dated entries with amendments: each entry keeps who entered it and when.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def attribute_earlier_grants(apps, schema_editor):
    """A grant entered before this release (in the back office) is the grant decided of its
    year; who entered it and when come from the audit trail where it holds them."""
    Grant = apps.get_model("registry", "Grant")
    AuditEntry = apps.get_model("audit", "AuditEntry")
    for grant in Grant.objects.order_by("pk"):
        created = (
            AuditEntry.objects.filter(
                model="registry.Grant", object_pk=str(grant.pk), action="create"
            )
            .order_by("at", "pk")
            .first()
        )
        if created is not None:
            grant.actor_id, grant.actor_label, grant.at = (
                created.actor_id,
                created.actor_label,
                created.at,
            )
        else:
            grant.actor_label = "back office"
        grant.save(update_fields=["actor", "actor_label", "at"])


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0006_decision_corrections"),
        ("audit", "0003_events"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="grant", name="unique_grant_year"),
        migrations.AddField(
            model_name="grant",
            name="number",
            field=models.PositiveSmallIntegerField(
                default=1,
                help_text="1: the grant decided; 2 and later: amendments.",
                verbose_name="entry",
            ),
        ),
        migrations.AddField(
            model_name="grant",
            name="decided_on",
            field=models.DateField(blank=True, null=True, verbose_name="decided on"),
        ),
        migrations.AddField(
            model_name="grant",
            name="note",
            field=models.TextField(blank=True, verbose_name="note"),
        ),
        migrations.AddField(
            model_name="grant",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="who",
            ),
        ),
        migrations.AddField(
            model_name="grant",
            name="actor_label",
            field=models.CharField(default="", max_length=200, verbose_name="who (as recorded)"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="grant",
            name="at",
            field=models.DateTimeField(
                auto_now_add=True,
                db_index=True,
                default=django.utils.timezone.now,
                verbose_name="when",
            ),
            preserve_default=False,
        ),
        migrations.AlterModelOptions(
            name="grant",
            options={
                "ordering": ["center", "fiscal_year", "number"],
                "verbose_name": "grant",
                "verbose_name_plural": "grants",
            },
        ),
        migrations.AddConstraint(
            model_name="grant",
            constraint=models.UniqueConstraint(
                fields=("center", "fiscal_year", "number"), name="unique_grant_entry"
            ),
        ),
        # last: PostgreSQL alters no table whose rows this transaction has written
        migrations.RunPython(attribute_earlier_grants, migrations.RunPython.noop),
    ]
