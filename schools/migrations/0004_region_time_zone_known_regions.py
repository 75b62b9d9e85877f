"""The time zones of the regions already known by name (the rest stay in Moscow time and
are set in the admin). Reversed, they go back to Moscow time, the default of 0003."""

from django.db import migrations

KNOWN = {
    "Оренбургская область": "Asia/Yekaterinburg",
    "Новосибирская область": "Asia/Novosibirsk",
}


def set_known(apps, schema_editor):
    Region = apps.get_model("schools", "Region")
    for name, time_zone in KNOWN.items():
        Region.objects.filter(name=name, time_zone="Europe/Moscow").update(time_zone=time_zone)


def unset_known(apps, schema_editor):
    Region = apps.get_model("schools", "Region")
    Region.objects.filter(name__in=KNOWN, time_zone__in=KNOWN.values()).update(
        time_zone="Europe/Moscow"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("schools", "0003_region_time_zone"),
    ]

    operations = [migrations.RunPython(set_known, unset_known)]
