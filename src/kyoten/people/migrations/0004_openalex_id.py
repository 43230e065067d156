# A person's OpenAlex author id: matches their works in the publication data.

from django.db import migrations, models

import kyoten.people.models


class Migration(migrations.Migration):
    dependencies = [("people", "0003_conflicts")]

    operations = [
        migrations.AddField(
            model_name="person",
            name="openalex_id",
            field=models.CharField(
                blank=True,
                help_text=(
                    "For example A5023888391; the address on openalex.org is accepted. Matches "
                    "the person's works in the publication data where they have no ORCID iD there."
                ),
                max_length=20,
                validators=[kyoten.people.models.validate_openalex_author],
                verbose_name="OpenAlex author id",
            ),
        ),
    ]
