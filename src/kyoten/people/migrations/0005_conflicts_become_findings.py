# The conflicts recorded on a person are findings of the conflicts app now (its migration
# 0002 copies them): the field goes.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0004_openalex_id"),
        ("conflicts", "0002_findings_from_recorded_conflicts"),
    ]

    operations = [migrations.RemoveField(model_name="person", name="conflicts")]
