# Who did it and when: the fields of audit.models.Attributed, under one name on every model.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("submissions", "0001_initial")]

    operations = [
        migrations.RenameField("reportversion", "uploaded_by", "actor"),
        migrations.RenameField("reportversion", "uploaded_by_label", "actor_label"),
        migrations.RenameField("reportversion", "uploaded_at", "at"),
        migrations.AlterField(
            model_name="reportevent",
            name="at",
            field=models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="when"),
        ),
        migrations.AlterField(
            model_name="reportversion",
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
            model_name="reportversion",
            name="actor_label",
            field=models.CharField(max_length=200, verbose_name="who (as recorded)"),
        ),
        migrations.AlterField(
            model_name="reportversion",
            name="at",
            field=models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="when"),
        ),
    ]
