# A run computed from a synthetic snapshot at start-up is marked as sample data.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("outcomes", "0002_attributed"),
    ]

    operations = [
        migrations.AddField(
            model_name="indicatorrun",
            name="is_sample",
            field=models.BooleanField(default=False, verbose_name="sample data"),
        ),
    ]
