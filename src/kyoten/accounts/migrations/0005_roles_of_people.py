# A role belongs to a person; the account and the conflicts it carried are gone from it.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_roles_to_people")]

    operations = [
        migrations.RemoveField(model_name="membership", name="user"),
        migrations.RemoveField(model_name="membership", name="conflicts"),
        migrations.AlterField(
            model_name="membership",
            name="person",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="memberships",
                to="people.person",
                verbose_name="person",
            ),
        ),
    ]
