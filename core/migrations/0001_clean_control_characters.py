"""Clean the free text already stored: Word's vertical tab becomes a line break, other
control characters go (see core.text.clean_text). From now on the clean fields of
core.fields keep new text clean; this cleans the rows written before them, history included.
Only rows that hold such characters are read and written."""

from django.db import migrations
from django.db.models import Q

from core.text import clean_text

FIELDS = {
    ("schools", "Region"): ["name", "code"],
    ("schools", "Municipality"): ["name"],
    ("schools", "Organisation"): ["full_name", "short_name", "inn", "address", "phone"],
    ("schools", "User"): ["first_name", "last_name", "middle_name", "position", "phone"],
    ("schools", "Membership"): ["position"],
    ("schools", "CuratorAssignment"): ["note"],
    ("roadmaps", "Roadmap"): [
        "title",
        "subtitle",
        "period_text",
        "approval_word",
        "approval_position",
        "approval_organisation",
        "approval_name",
        "approval_date_text",
        "approval_order",
        "passport_problem",
        "passport_working_group",
        "passport_developer",
        "passport_goal",
        "passport_stages",
        "passport_directions",
        "passport_control_results",
        "passport_financing",
        "passport_indicators",
    ],
    ("roadmaps", "Section"): ["number", "title"],
    ("roadmaps", "Measure"): [
        "number",
        "title",
        "deadline_text",
        "audience",
        "responsible_text",
        "result",
        "indicator_text",
        "status_text",
    ],
    ("roadmaps", "RoadmapAgreement"): [
        "organisation_text",
        "position",
        "name",
        "date_text",
        "comment",
    ],
    ("roadmaps", "RoadmapImport"): ["file_name"],
    ("monitoring", "Indicator"): ["name", "unit"],
}

# What clean_text changes and a database can hold: C0 controls but tab and newline (CR
# included, as CRLF becomes LF), DEL, C1 controls, U+FFFE/U+FFFF. NUL only on SQLite
# (PostgreSQL cannot store it, nor take it in a parameter); lone surrogates cannot be
# stored in UTF-8 by either.
_CLASS = "\x01-\x08\x0b\x0c\r\x0e-\x1f\x7f-\x9f\ufffe\uffff"


def _pattern(vendor: str) -> str:
    return f"[{chr(0) if vendor == 'sqlite' else ''}{_CLASS}]"


def _models(apps, app_label, model_name):
    yield apps.get_model(app_label, model_name)
    history = f"Historical{model_name}"
    if history.lower() in apps.all_models[app_label]:
        yield apps.get_model(app_label, history)


def clean_rows(apps, schema_editor):
    pattern = _pattern(schema_editor.connection.vendor)
    alias = schema_editor.connection.alias
    for (app_label, model_name), fields in FIELDS.items():
        for model in _models(apps, app_label, model_name):
            pk = model._meta.pk.attname
            dirty = Q()
            for field in fields:
                dirty |= Q(**{f"{field}__regex": pattern})
            rows = (
                model._base_manager.using(alias)
                .filter(dirty)
                .order_by(pk)
                .values_list(pk, *fields)
                .iterator(chunk_size=500)
            )
            # Collected first: updating while a server-side cursor is open is not portable.
            changes = []
            for pk_value, *values in rows:
                changed = {
                    field: clean_text(value)
                    for field, value in zip(fields, values, strict=True)
                    if clean_text(value) != value
                }
                if changed:
                    changes.append((pk_value, changed))
            for pk_value, changed in changes:
                model._base_manager.using(alias).filter(**{pk: pk_value}).update(**changed)


class Migration(migrations.Migration):
    dependencies = [
        ("schools", "0001_initial"),
        ("roadmaps", "0003_roadmap_import"),
        ("monitoring", "0001_indicators"),
    ]

    operations = [migrations.RunPython(clean_rows, migrations.RunPython.noop, elidable=True)]
