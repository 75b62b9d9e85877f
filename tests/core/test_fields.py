"""core.fields: text is clean whichever way it enters, the schema does not notice, and the
data migration cleans rows written before."""

import importlib

import pytest
from django.apps import apps
from django.db import connection, models

from core.fields import CleanCharField, CleanTextField
from roadmaps.forms import MeasureForm
from roadmaps.models import Measure, Roadmap
from schools.forms import OrganisationForm
from schools.models import Organisation
from tests.roadmaps.factories import MeasureFactory, RoadmapFactory

DIRTY = "Семинар\x0bдля учителей\x01"
CLEAN = "Семинар\nдля учителей"

migration = importlib.import_module("core.migrations.0001_clean_control_characters")
# Models renamed by later migrations: (app, name in the migration) → name now.
RENAMED = {("roadmaps", "RoadmapAgreement"): "PlanConcurrence"}


def _raw_update(model, pk, **values):
    """Write around the fields, as rows written before them were."""
    table = model._meta.db_table
    sets = ", ".join(f"{connection.ops.quote_name(name)} = %s" for name in values)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {sets} WHERE id = %s", [*values.values(), pk])  # noqa: S608


def test_deconstruct_names_the_plain_django_fields():
    _, path, _, kwargs = CleanCharField("x", max_length=10).deconstruct()
    assert path == "django.db.models.CharField"
    assert kwargs["max_length"] == 10
    assert CleanTextField().deconstruct()[1] == "django.db.models.TextField"


def test_free_text_fields_of_the_domain_are_clean_fields():
    """Every free-text field listed by the data migration is a clean field in the model."""
    current = {key: RENAMED.get(key, key[1]) for key in migration.FIELDS}
    for (app_label, model_name), names in migration.FIELDS.items():
        model = apps.get_model(app_label, current[app_label, model_name])
        for name in names:
            field = model._meta.get_field(name)
            assert isinstance(field, (CleanCharField, CleanTextField)), f"{model_name}.{name}"
    # and no plain text field of these apps is left out (choices and checksums excepted)
    listed = {(current[key], f) for key, names in migration.FIELDS.items() for f in names}
    for app_label in ("schools", "roadmaps", "monitoring"):
        for model in apps.get_app_config(app_label).get_models():
            if model.__name__.startswith("Historical"):
                continue
            for field in model._meta.get_fields():
                if (
                    type(field) in (models.CharField, models.TextField)
                    and not field.choices
                    and field.name not in {"sha256", "password", "username"}
                    and model.__name__ in set(current.values())
                ):
                    assert (model.__name__, field.name) in listed, f"{model.__name__}.{field.name}"


def test_save_cleans_the_text_and_the_instance(db):
    measure = MeasureFactory(title=DIRTY, responsible_text="Иванов\x0bПетров")
    assert measure.title == CLEAN
    measure.refresh_from_db()
    assert (measure.title, measure.responsible_text) == (CLEAN, "Иванов\nПетров")


def test_bulk_create_and_update_clean_the_text(db):
    roadmap = RoadmapFactory()
    Measure.objects.bulk_create([Measure(roadmap=roadmap, title=DIRTY, order=1)])
    assert Measure.objects.get(roadmap=roadmap).title == CLEAN
    Measure.objects.filter(roadmap=roadmap).update(result="итог\x0cитог\x00")
    assert Measure.objects.get(roadmap=roadmap).result == "итог\nитог"


def test_model_form_cleans_the_text(db):
    form = MeasureForm(
        {"title": DIRTY, "number": "1.\x0b1.", "version": ""},
        user=_superuser(),
        roadmap=RoadmapFactory(),
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["title"] == CLEAN
    assert form.cleaned_data["number"] == "1.\n1."


def test_organisation_form_cleans_the_text(world):
    form = OrganisationForm(
        {"full_name": "Школа\x0b№ 3", "short_name": "СОШ\x07 № 3"}, instance=world.school
    )
    form.is_valid()
    assert form.cleaned_data["full_name"] == "Школа\n№ 3"
    assert form.cleaned_data["short_name"] == "СОШ № 3"


def _superuser():
    from tests.factories import UserFactory

    return UserFactory(is_superuser=True, is_staff=True)


class _Editor:
    connection = connection


def _migration_apps():
    """The models as the migration sees them: plain Django fields, no cleaning."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(connection)
    state = loader.project_state(("core", "0001_clean_control_characters"))
    # The test database has every later migration applied: a model renamed since keeps its
    # old name in the migration, and its rows are in the table of the new name.
    for (app_label, old), new in RENAMED.items():
        for prefix in ("", "historical"):
            options = state.models[app_label, f"{prefix}{old.lower()}"].options
            options["db_table"] = f"{app_label}_{prefix}{new.lower()}"
    return state.apps


def test_data_migration_cleans_rows_written_before(db):
    roadmap = RoadmapFactory()
    dirty = MeasureFactory(roadmap=roadmap)
    untouched = MeasureFactory(roadmap=roadmap, title="Чистое\nназвание")
    _raw_update(Measure, dirty.pk, title=DIRTY, audience="a\r\nb\x7f")
    _raw_update(Roadmap, roadmap.pk, subtitle="на 2020\x0b2022 годы")
    _raw_update(Organisation, roadmap.owner_id, short_name="МБУ\x1f «ЦРО»")
    dirty.refresh_from_db()
    assert dirty.title == DIRTY  # the raw write went around the field

    migration.clean_rows(_migration_apps(), _Editor())

    dirty.refresh_from_db()
    untouched.refresh_from_db()
    roadmap.refresh_from_db()
    assert (dirty.title, dirty.audience) == (CLEAN, "a\nb")
    assert untouched.title == "Чистое\nназвание"
    assert roadmap.subtitle == "на 2020\n2022 годы"
    assert Organisation.objects.get(pk=roadmap.owner_id).short_name == "МБУ «ЦРО»"


def test_data_migration_cleans_history_rows(db):
    measure = MeasureFactory(title="Семинар")
    history = measure.history.model
    record = history.objects.get(id=measure.pk)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {history._meta.db_table} SET title = %s WHERE history_id = %s",  # noqa: S608
            [DIRTY, record.history_id],
        )
    migration.clean_rows(_migration_apps(), _Editor())
    record.refresh_from_db()
    assert record.title == CLEAN


@pytest.mark.parametrize("vendor", ["postgresql", "sqlite"])
def test_migration_pattern_matches_exactly_what_clean_text_changes(vendor):
    import re

    from core.text import clean_text

    pattern = re.compile(migration._pattern(vendor))
    for code in range(0x00, 0x10000):
        char = chr(code)
        if 0xD800 <= code <= 0xDFFF or (code == 0 and vendor != "sqlite"):
            continue  # neither database can store these
        assert bool(pattern.search(char)) is (clean_text(f"a{char}b") != f"a{char}b"), hex(code)
