# Each conflict of interest recorded on a person before findings existed becomes a confirmed
# finding of the rule "recorded by the program office", so that nothing recorded is lost and
# enforcement reads one place.

import datetime

from django.db import migrations

NOTE = "Recorded on the person before Kyoten kept conflict-of-interest findings."


def forward(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    Finding = apps.get_model("conflicts", "Finding")
    today = datetime.date.today()
    for through in Person.conflicts.through.objects.all():
        Finding.objects.get_or_create(
            rule="recorded",
            person_id=through.person_id,
            center_id=through.center_id,
            defaults={
                "rules_version": "coi-2026@1",
                "status": "confirmed",
                "identified_by": "declaration",
                "evidence": [
                    {"kind": "declaration", "note": NOTE, "on": today.isoformat(), "by": ""}
                ],
                "found_on": today,
                "decided_at": datetime.datetime.now(datetime.UTC),
                "decided_by_label": "migration",
            },
        )


def backward(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    Finding = apps.get_model("conflicts", "Finding")
    for finding in Finding.objects.filter(status="confirmed"):
        Person.objects.get(pk=finding.person_id).conflicts.add(finding.center_id)


class Migration(migrations.Migration):
    dependencies = [
        ("conflicts", "0001_initial"),
        ("people", "0004_openalex_id"),
        ("accounts", "0005_roles_of_people"),  # which moved the memberships' conflicts to persons
    ]

    operations = [migrations.RunPython(forward, backward)]
