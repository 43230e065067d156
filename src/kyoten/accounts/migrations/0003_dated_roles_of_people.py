# Roles become dated and belong to persons (kyoten.people); each account that held a role
# gets a person named after it (its first and last name, else its user name), with the role.

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


def people_for_accounts(apps, schema_editor):
    Membership = apps.get_model("accounts", "Membership")
    Person = apps.get_model("people", "Person")
    for membership in Membership.objects.select_related("user"):
        user = membership.user
        person = Person.objects.filter(account=user).first()
        if person is None:
            person = Person.objects.create(
                family_name_en=user.last_name or user.username,
                given_name_en=user.first_name if user.last_name else "",
                account=user,
            )
        membership.person = person
        membership.save(update_fields=["person"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_membership_conflicts"),
        ("audit", "0002_change_counter"),  # the persons made here are audited
        ("people", "0001_people"),
        ("registry", "0003_institution_names"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="membership",
            options={
                "ordering": ["person", "-starts", "-id"],
                "verbose_name": "membership",
                "verbose_name_plural": "memberships",
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
            name="person",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="memberships",
                to="people.person",
                verbose_name="person",
            ),
        ),
        migrations.AddField(
            model_name="membership",
            name="starts",
            field=models.DateField(default=django.utils.timezone.localdate, verbose_name="from"),
        ),
        migrations.RunPython(people_for_accounts, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="membership",
            name="user",
        ),
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
