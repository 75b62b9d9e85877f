"""Windows get their place in the schedule and a flag for a window that no longer belongs
to it but is kept because something is recorded against it («срок изменён»). Nullable
first; 0007 fills the positions, 0008 constrains them."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("roadmaps", "0005_rename_roadmapagreement_planconcurrence"),
    ]

    operations = [
        migrations.AddField(
            model_name="measurewindow",
            name="position",
            field=models.PositiveIntegerField(null=True, verbose_name="место в графике"),
        ),
        migrations.AddField(
            model_name="measurewindow",
            name="schedule_changed",
            field=models.BooleanField(default=False, verbose_name="срок изменён"),
        ),
    ]
