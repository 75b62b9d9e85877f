"""Each region has its time zone: "today", "overdue" and due dates of its plans are days of
that zone. Every existing region starts in Moscow time; 0004 sets the known ones."""

from django.db import migrations, models

import core.timezones


def _field():
    return models.CharField(
        default="Europe/Moscow",
        help_text="Название по базе IANA: Europe/Moscow, Asia/Yekaterinburg, Asia/Novosibirsk.",
        max_length=64,
        validators=[core.timezones.validate_time_zone],
        verbose_name="часовой пояс",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("schools", "0002_membership_role_fits"),
    ]

    operations = [
        migrations.AddField(model_name="historicalregion", name="time_zone", field=_field()),
        migrations.AddField(model_name="region", name="time_zone", field=_field()),
    ]
