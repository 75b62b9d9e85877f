"""RoadmapAgreement (согласование плана, «СОГЛАСОВАНО») becomes PlanConcurrence, so that
"agreement" is free for the partnership agreements (соглашения). A rename: the rows, their
history and the content types stay."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("roadmaps", "0004_import_jobs"),
        ("schools", "0002_membership_role_fits"),
        # core's text cleaning reads the model under its old name; run it first.
        ("core", "0001_clean_control_characters"),
    ]

    operations = [
        migrations.RenameModel(old_name="RoadmapAgreement", new_name="PlanConcurrence"),
        migrations.RenameModel(
            old_name="HistoricalRoadmapAgreement", new_name="HistoricalPlanConcurrence"
        ),
        migrations.AlterField(
            model_name="planconcurrence",
            name="roadmap",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="concurrences",
                to="roadmaps.roadmap",
                verbose_name="план",
            ),
        ),
    ]
