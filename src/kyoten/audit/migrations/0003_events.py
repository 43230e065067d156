# The trail in words: events, each holding the changes it made. A change recorded before
# events existed becomes an event of its own (record.created, record.changed, record.deleted).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

GENERIC = {"create": "record.created", "update": "record.changed", "delete": "record.deleted"}


def events_for_earlier_changes(apps, schema_editor):
    AuditEntry = apps.get_model("audit", "AuditEntry")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditEvent._meta.get_field("at").auto_now_add = False  # keep each change's own time
    centers = set(apps.get_model("registry", "Center").objects.values_list("pk", flat=True))
    entries = list(AuditEntry.objects.filter(event__isnull=True).order_by("pk"))
    for start in range(0, len(entries), 500):
        batch = entries[start : start + 500]
        events = AuditEvent.objects.bulk_create(
            AuditEvent(
                kind=GENERIC[entry.action],
                center_id=_center_id(entry, centers),
                data={"actor_roles": [], "model": entry.model, "object": entry.object_repr},
                actor_id=entry.actor_id,
                actor_label=entry.actor_label,
                at=entry.at,
            )
            for entry in batch
        )
        for entry, event in zip(batch, events, strict=True):
            entry.event_id = event.pk
        AuditEntry.objects.bulk_update(batch, ["event"])


def _center_id(entry, centers):
    """The center the change concerned, if it still exists."""
    values = entry.after or entry.before or {}
    center = values.get("center_id") if isinstance(values, dict) else None
    if entry.model == "registry.Center":
        center = int(entry.object_pk) if entry.object_pk.isdigit() else None
    return center if center in centers else None


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_change_counter"),
        ("registry", "0005_attributed"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditEvent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("actor_label", models.CharField(max_length=200, verbose_name="who (as recorded)")),
                ("at", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="when")),
                ("kind", models.CharField(db_index=True, max_length=50, verbose_name="action")),
                ("data", models.JSONField(blank=True, default=dict, verbose_name="details")),
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
                    "center",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="registry.center",
                        verbose_name="center",
                    ),
                ),
            ],
            options={
                "verbose_name": "audit event",
                "verbose_name_plural": "audit events",
                "ordering": ["-at", "-id"],
            },
        ),
        migrations.AddField(
            model_name="auditentry",
            name="event",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="entries",
                to="audit.auditevent",
                verbose_name="event",
            ),
        ),
        migrations.RunPython(events_for_earlier_changes, migrations.RunPython.noop),
    ]
