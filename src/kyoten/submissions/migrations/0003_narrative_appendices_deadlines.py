# A version is the whole report: its tables (none before the first upload), its narrative and
# its appendices; the due dates of each fiscal year's reports.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("submissions", "0002_attributed"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Deadline",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "fiscal_year",
                    models.PositiveIntegerField(
                        unique=True, verbose_name="fiscal year of the reports"
                    ),
                ),
                ("due", models.DateField(verbose_name="due date")),
            ],
            options={
                "verbose_name": "report deadline",
                "verbose_name_plural": "report deadlines",
                "ordering": ["-fiscal_year"],
            },
        ),
        migrations.AddField(
            model_name="reportversion",
            name="narrative",
            field=models.JSONField(blank=True, default=dict, verbose_name="narrative"),
        ),
        migrations.AlterField(
            model_name="reportevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("upload", "uploaded a version"),
                    ("submit", "submitted"),
                    ("accept", "accepted"),
                    ("return", "returned with comments"),
                    ("load_sample", "loaded sample data"),
                    ("write", "saved the narrative"),
                    ("attach", "attached an appendix"),
                    ("detach", "removed an appendix"),
                ],
                max_length=12,
                verbose_name="action",
            ),
        ),
        migrations.AlterField(
            model_name="reportversion",
            name="data",
            field=models.JSONField(blank=True, null=True, verbose_name="report data"),
        ),
        migrations.AlterField(
            model_name="reportversion",
            name="sha256",
            field=models.CharField(
                blank=True, max_length=64, verbose_name="SHA-256 of the report data"
            ),
        ),
        migrations.AlterField(
            model_name="reportversion",
            name="source_name",
            field=models.CharField(blank=True, max_length=255, verbose_name="file name"),
        ),
        migrations.CreateModel(
            name="Appendix",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("actor_label", models.CharField(max_length=200, verbose_name="who (as recorded)")),
                ("at", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="when")),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                ("name", models.CharField(max_length=255, verbose_name="file name")),
                ("content", models.BinaryField(verbose_name="content")),
                ("size", models.PositiveIntegerField(verbose_name="size in bytes")),
                ("sha256", models.CharField(max_length=64, verbose_name="SHA-256 of the file")),
                (
                    "actor",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="who",
                    ),
                ),
                (
                    "report",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="appendix_files",
                        to="submissions.annualreport",
                        verbose_name="report",
                    ),
                ),
            ],
            options={
                "verbose_name": "appendix",
                "verbose_name_plural": "appendices",
                "ordering": ["report", "pk"],
            },
        ),
        migrations.AddField(
            model_name="reportversion",
            name="appendices",
            field=models.ManyToManyField(
                blank=True,
                related_name="versions",
                to="submissions.appendix",
                verbose_name="appendices",
            ),
        ),
    ]
