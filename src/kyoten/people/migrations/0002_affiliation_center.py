# Where a person works may be a WPI center (a PI, say).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0001_people"),
        ("registry", "0005_attributed"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="affiliation",
            name="affiliation_names_where",
        ),
        migrations.AddField(
            model_name="affiliation",
            name="center",
            field=models.ForeignKey(
                blank=True,
                help_text="Where the person works at a WPI center (as a PI, say).",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="affiliations",
                to="registry.center",
                verbose_name="center",
            ),
        ),
        migrations.AddConstraint(
            model_name="affiliation",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("institution__isnull", False),
                    ("center__isnull", False),
                    models.Q(("organisation_en", ""), _negated=True),
                    _connector="OR",
                ),
                name="affiliation_names_where",
            ),
        ),
    ]
