# Who did it and when: the fields of audit.models.Attributed, under one name on every model.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def name_the_uploaders(apps, schema_editor):
    """A plan recorded its uploader's account only: keep the name it has now."""
    Plan = apps.get_model("registry", "Plan")
    for plan in Plan.objects.select_related("actor").order_by(
        "pk"
    ):  # its ordering is renamed below
        plan.actor_label = plan.actor.username if plan.actor else "system"
        plan.save(update_fields=["actor_label"])


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0004_committee_persons"),
    ]

    operations = [
        migrations.RenameField("decision", "recorded_by", "actor"),
        migrations.RenameField("decision", "recorded_by_label", "actor_label"),
        migrations.RenameField("decision", "recorded_at", "at"),
        migrations.RenameField("plan", "uploaded_by", "actor"),
        migrations.RenameField("plan", "uploaded_at", "at"),
        migrations.AlterModelOptions(
            name="plan",
            options={
                "get_latest_by": ["at", "id"],
                "ordering": ["-at", "-id"],
                "verbose_name": "plan",
                "verbose_name_plural": "plans",
            },
        ),
        migrations.AddField(
            "plan",
            "actor_label",
            models.CharField(default="", max_length=200, verbose_name="who (as recorded)"),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="decision",
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
        migrations.AlterField(
            model_name="decision",
            name="actor_label",
            field=models.CharField(max_length=200, verbose_name="who (as recorded)"),
        ),
        migrations.AlterField(
            model_name="decision",
            name="at",
            field=models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="when"),
        ),
        migrations.AlterField(
            model_name="plan",
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
        migrations.AlterField(
            model_name="plan",
            name="at",
            field=models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="when"),
        ),
        # last: PostgreSQL alters no table whose rows this transaction has written
        migrations.RunPython(name_the_uploaders, migrations.RunPython.noop),
    ]
