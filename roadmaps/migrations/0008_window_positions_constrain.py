"""Every window has a position, and a position is held by one current window of a measure
(windows flagged «срок изменён» keep the position they had)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("roadmaps", "0007_window_positions_backfill"),
    ]

    operations = [
        migrations.AlterField(
            model_name="measurewindow",
            name="position",
            field=models.PositiveIntegerField(verbose_name="место в графике"),
        ),
        migrations.AddConstraint(
            model_name="measurewindow",
            constraint=models.UniqueConstraint(
                condition=models.Q(("schedule_changed", False)),
                fields=("measure", "position"),
                name="window_position_unique",
            ),
        ),
    ]
