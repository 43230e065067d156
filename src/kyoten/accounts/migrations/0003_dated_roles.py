# Roles become dated and belong to persons (kyoten.people), in three steps — the schema,
# the data (0004), the old columns gone (0005) — so that PostgreSQL never alters a table
# whose rows the same transaction has just written.

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_membership_conflicts"),
        ("people", "0003_conflicts"),
        ("registry", "0003_institution_names"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="membership",
            options={
                "ordering": ["person", "-starts", "-id"],
                "verbose_name": "role",
                "verbose_name_plural": "roles",
            },
        ),
        migrations.AddField(
            model_name="membership",
            name="ends",
            field=models.DateField(
                blank=True,
                help_text="The first day the role no longer applies; empty while it does.",
                null=True,
                verbose_name="until",
            ),
        ),
        migrations.AddField(
            model_name="membership",
            name="starts",
            field=models.DateField(default=django.utils.timezone.localdate, verbose_name="from"),
        ),
        migrations.AddField(
            model_name="membership",
            name="person",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="memberships",
                to="people.person",
                verbose_name="person",
            ),
        ),
        migrations.AlterField(
            model_name="membership",
            name="center",
            field=models.ForeignKey(
                blank=True,
                help_text="Only for a role held for one center: that center.",
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                to="registry.center",
                verbose_name="center",
            ),
        ),
        migrations.AlterField(
            model_name="membership",
            name="role",
            field=models.CharField(
                choices=[
                    ("program_office", "Program office"),
                    ("program_director", "Program Director"),
                    ("deputy_program_director", "Deputy Program Director"),
                    ("committee", "Committee member"),
                    ("program_officer", "Program Officer"),
                    ("working_group", "Working-group expert"),
                    ("center_office", "Center office"),
                ],
                max_length=30,
                verbose_name="role",
            ),
        ),
        migrations.AddConstraint(
            model_name="membership",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("ends__isnull", True), ("ends__gte", models.F("starts")), _connector="OR"
                ),
                name="membership_ends_after_it_starts",
            ),
        ),
    ]
