# Each account that held a role gets a person named after it (its first and last name, else
# its user name), who holds the role; a committee member's conflicts of interest become the
# person's. (Changes made by migrations are not in the audit trail.)

from django.db import migrations

NAME_MAX = 100  # people.Person's name fields


def roles_to_people(apps, schema_editor):
    Membership = apps.get_model("accounts", "Membership")
    Person = apps.get_model("people", "Person")
    for membership in Membership.objects.select_related("user").order_by("pk"):
        user = membership.user
        person = Person.objects.filter(account=user).first()
        if person is None:
            person = Person.objects.create(
                family_name_en=(user.last_name or user.username)[:NAME_MAX],
                given_name_en=(user.first_name if user.last_name else "")[:NAME_MAX],
                account=user,
            )
        person.conflicts.add(*membership.conflicts.all())
        membership.person = person
        membership.save(update_fields=["person"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_dated_roles")]

    operations = [migrations.RunPython(roles_to_people, migrations.RunPython.noop)]
