"""Best effort lineage for the school copies made before it was recorded: each section and
measure of a plan made from a template is matched to the template's by number and title,
then by title, then by number, then by place in the written order (each template row is
matched at most once). Rows that match nothing stay without an origin."""

from django.db import migrations


def _key_functions():
    def number(row):
        return (row.number or "").strip()

    def title(row):
        return " ".join((row.title or "").split()).lower()

    return [
        lambda row: (number(row), title(row)),
        title,
        lambda row: number(row) or None,
        lambda row: row.order,
    ]


def _match(copies, originals) -> list:
    """(copy, original) pairs, each row used once, the most exact key first."""
    pairs = []
    copies = list(copies)
    originals = list(originals)
    used: set[int] = set()
    for key in _key_functions():
        free: dict = {}
        for original in originals:
            value = key(original)
            if original.pk not in used and value is not None and value != "":
                free.setdefault(value, []).append(original)
        rest = []
        for copy in copies:
            candidates = free.get(key(copy))
            if candidates:
                original = candidates.pop(0)
                pairs.append((copy, original))
                used.add(original.pk)
            else:
                rest.append(copy)
        copies = rest
    return pairs


def link_copies(apps, schema_editor):
    Roadmap = apps.get_model("roadmaps", "Roadmap")
    Section = apps.get_model("roadmaps", "Section")
    Measure = apps.get_model("roadmaps", "Measure")
    for plan in Roadmap.objects.filter(template__isnull=False).only("pk", "template_id"):
        for model in (Section, Measure):
            copies = model.objects.filter(roadmap_id=plan.pk, origin__isnull=True).order_by(
                "order", "pk"
            )
            originals = model.objects.filter(roadmap_id=plan.template_id).order_by("order", "pk")
            changed = []
            for copy, original in _match(copies, originals):
                copy.origin_id = original.pk
                changed.append(copy)
            model.objects.bulk_update(changed, ["origin"], batch_size=1000)


def unlink_copies(apps, schema_editor):
    for name in ("Section", "Measure"):
        apps.get_model("roadmaps", name).objects.update(origin=None)


class Migration(migrations.Migration):
    dependencies = [
        ("roadmaps", "0009_lineage"),
    ]

    operations = [
        migrations.RunPython(link_copies, unlink_copies),
    ]
