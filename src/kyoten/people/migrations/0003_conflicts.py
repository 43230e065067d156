# Conflicts of interest are recorded for a person, whatever their role.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0002_affiliation_center"),
        ("registry", "0005_attributed"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="conflicts",
            field=models.ManyToManyField(
                blank=True,
                help_text=(
                    "Centers whose internal pages stay closed to the person, whatever their "
                    "role (a committee member's own institution, say)."
                ),
                related_name="conflicted_persons",
                to="registry.center",
                verbose_name="conflicts of interest",
            ),
        ),
    ]
