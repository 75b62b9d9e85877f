"""A membership's role is one the access model knows (a database check). Which roles an
organisation's kind may hold needs the organisation's row, so that rule lives in
``Membership.clean`` and ``schools.access``; ``manage.py check_roles`` reports rows that
break it."""

from django.db import migrations, models

KNOWN_ROLES = [
    "regional_coordinator",
    "municipal_coordinator",
    "methodologist",
    "head",
    "school_director",
    "school_deputy",
    "administrator",
]


def refuse_unknown_roles(apps, schema_editor):
    """Name the rows the constraint would reject, instead of an opaque IntegrityError."""
    Membership = apps.get_model("schools", "Membership")
    bad = list(Membership.objects.exclude(role__in=KNOWN_ROLES).values_list("pk", "role")[:20])
    if bad:
        rows = ", ".join(f"#{pk} ({role!r})" for pk, role in bad)
        raise RuntimeError(
            f"Членства с неизвестной ролью: {rows}. Исправьте или удалите их и повторите migrate."
        )


class Migration(migrations.Migration):
    dependencies = [
        ("schools", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(refuse_unknown_roles, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="membership",
            constraint=models.CheckConstraint(
                condition=models.Q(role__in=KNOWN_ROLES), name="membership_role_known"
            ),
        ),
    ]
