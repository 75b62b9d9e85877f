"""The access version: one row whose token changes with everything a person's reach is
computed from; the cached memberships and verbs of ``schools.access`` are keyed on it.
No data: the first change, or the next ``migrate``, writes the row; until then nothing is
cached."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("schools", "0004_region_time_zone_known_regions"),
    ]

    operations = [
        migrations.CreateModel(
            name="AccessVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("token", models.CharField(max_length=32, verbose_name="метка")),
            ],
            options={
                "verbose_name": "версия прав доступа",
                "verbose_name_plural": "версии прав доступа",
            },
        ),
    ]
