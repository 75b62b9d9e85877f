"""Lineage: a copied section or measure points to the one it was copied from. Nullable
(0010 fills it for the existing school copies of templates); a row can never be its own
origin, which holds for the empty column already."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("roadmaps", "0008_window_positions_constrain"),
    ]

    operations = [
        migrations.AddField(
            model_name="section",
            name="origin",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="copies",
                to="roadmaps.section",
                verbose_name="исходный раздел",
            ),
        ),
        migrations.AddField(
            model_name="historicalsection",
            name="origin",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="roadmaps.section",
                verbose_name="исходный раздел",
            ),
        ),
        migrations.AddField(
            model_name="measure",
            name="origin",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="copies",
                to="roadmaps.measure",
                verbose_name="исходное мероприятие",
            ),
        ),
        migrations.AddField(
            model_name="historicalmeasure",
            name="origin",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="roadmaps.measure",
                verbose_name="исходное мероприятие",
            ),
        ),
        migrations.AddConstraint(
            model_name="section",
            constraint=models.CheckConstraint(
                condition=models.Q(("origin", models.F("pk")), _negated=True),
                name="section_origin_not_self",
            ),
        ),
        migrations.AddConstraint(
            model_name="measure",
            constraint=models.CheckConstraint(
                condition=models.Q(("origin", models.F("pk")), _negated=True),
                name="measure_origin_not_self",
            ),
        ),
    ]
