"""RoadmapAgreement is now PlanConcurrence (согласование плана): a rename that keeps the
rows, their history and the previews stored under the old name."""

from django.db.migrations.loader import MigrationLoader

from roadmaps.importing.model import ParsedConcurrence, ParsedPlan
from roadmaps.models import PlanConcurrence


def test_the_migration_renames_the_model_and_its_history():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    before = loader.project_state(("roadmaps", "0004_import_jobs")).apps
    after = loader.project_state(("roadmaps", "0005_rename_roadmapagreement_planconcurrence")).apps
    before_names = {m._meta.model_name for m in before.get_app_config("roadmaps").get_models()}
    after_names = {m._meta.model_name for m in after.get_app_config("roadmaps").get_models()}
    assert {"roadmapagreement", "historicalroadmapagreement"} <= before_names
    assert {"planconcurrence", "historicalplanconcurrence"} <= after_names
    assert not {"roadmapagreement", "historicalroadmapagreement"} & after_names
    migration = loader.get_migration("roadmaps", "0005_rename_roadmapagreement_planconcurrence")
    # A rename, not a drop and a create: the rows stay.
    assert {type(op).__name__ for op in migration.operations} == {"RenameModel", "AlterField"}
    assert PlanConcurrence._meta.get_field("roadmap").remote_field.related_name == "concurrences"


def test_a_preview_stored_before_the_rename_still_loads():
    stored = ParsedPlan(
        title="План", concurrences=[ParsedConcurrence(position="Начальник", name="Иванов И. И.")]
    ).to_stored()
    assert "concurrences" in stored
    stored["agreements"] = stored.pop("concurrences")
    plan = ParsedPlan.from_stored(stored)
    assert [(c.position, c.name) for c in plan.concurrences] == [("Начальник", "Иванов И. И.")]
