"""Number each measure's windows 0, 1, … in the order of their due dates (the order the
schedules were derived in)."""

from django.db import migrations

BATCH_SIZE = 2000


def number_windows(apps, schema_editor):
    MeasureWindow = apps.get_model("roadmaps", "MeasureWindow")
    batch = []
    measure_id, position = None, 0
    windows = MeasureWindow.objects.order_by("measure_id", "due_on", "starts_on", "pk")
    for window in windows.only("pk", "measure_id").iterator(chunk_size=BATCH_SIZE):
        if window.measure_id != measure_id:
            measure_id, position = window.measure_id, 0
        window.position = position
        position += 1
        batch.append(window)
        if len(batch) >= BATCH_SIZE:
            MeasureWindow.objects.bulk_update(batch, ["position"])
            batch = []
    if batch:
        MeasureWindow.objects.bulk_update(batch, ["position"])


def forget_positions(apps, schema_editor):
    MeasureWindow = apps.get_model("roadmaps", "MeasureWindow")
    MeasureWindow.objects.update(position=None)


class Migration(migrations.Migration):
    dependencies = [
        ("roadmaps", "0006_window_positions"),
    ]

    operations = [
        migrations.RunPython(number_windows, forget_positions),
    ]
