"""import_roadmap on the samples: JSON shape, dry run, atomic commit with a record."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from demo.plans import SAMPLES_DIR as SAMPLES
from roadmaps.models import (
    Measure,
    MeasureWindow,
    PlanConcurrence,
    Roadmap,
    RoadmapImport,
    Section,
)


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_roadmap", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_json_of_the_network_plan(world):
    out, _ = run(
        str(SAMPLES / "novokubansky-cro-2019-2022.docx"),
        "--owner",
        str(world.centre.pk),
        "--dry-run",
        "--json",
    )
    data = json.loads(out)
    assert data["title"].startswith("Дорожная карта деятельности МБУ «Центр развития образования»")
    assert data["period"] == ["2019-01-01", "2022-12-31"]
    assert data["approval"]["name"] == "С.В. Давыденко"
    assert len(data["concurrences"]) == 5
    first = data["sections"][0]
    assert (first["number"], first["title"]) == ("1.", "Организационные мероприятия")
    measure = first["measures"][0]
    assert measure["schedule"] == {"kind": "once", "windows": [["2019-08-01", "2019-09-30"]]}
    assert {
        "number",
        "title",
        "deadline_text",
        "schedule",
        "audience",
        "responsible_text",
        "result",
        "status_text",
    } <= set(measure)
    assert not Roadmap.objects.exists()  # dry run


def test_import_writes_the_whole_plan_once(world):
    _, err = run(str(SAMPLES / "novokubansky-cro-2019-2022.txt"), "--owner", str(world.centre.pk))
    roadmap = Roadmap.objects.get()
    assert f"id={roadmap.pk}" in err
    assert roadmap.owner == world.centre
    assert Section.objects.filter(roadmap=roadmap).count() == 6
    assert Measure.objects.filter(roadmap=roadmap).count() == 39
    assert Measure.objects.filter(roadmap=roadmap, number="4.14.").count() == 2
    assert MeasureWindow.objects.filter(measure__roadmap=roadmap).exists()
    assert PlanConcurrence.objects.filter(roadmap=roadmap).count() == 5
    record = RoadmapImport.objects.get(roadmap=roadmap)
    assert record.file_name == "novokubansky-cro-2019-2022.txt"
    assert len(record.sha256) == 64
    assert Measure.history.filter(roadmap_id=roadmap.pk).count() == 39


def test_bad_file_and_unknown_owner_are_russian_errors(world, tmp_path):
    bad = tmp_path / "plan.docx"
    bad.write_text("не документ")
    with pytest.raises(CommandError, match="не соответствует расширению"):
        run(str(bad), "--owner", str(world.centre.pk))
    with pytest.raises(CommandError, match="не найдена"):
        run(str(SAMPLES / "ponomarevsky-order-2020.docx"), "--owner", "999999")
    assert not Roadmap.objects.exists()


def test_demo_imports_the_samples_and_grants_the_partner_one_plan(db):
    from schools.models import User

    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)
    # The three samples, and the authority's model plan for schools (a Word file the demo
    # writes, demo/documents.py) — once each, however often the demo is seeded.
    assert Roadmap.objects.filter(imports__isnull=False).distinct().count() == 4
    assert RoadmapImport.objects.count() == 4
    partner = User.objects.get(username="partner")
    network = "Дорожная карта деятельности МБУ «Центр развития образования»"
    assert [r.title[: len(network)] for r in Roadmap.objects.for_user(partner, "view")] == [network]
    assert [
        r.title[: len(network)] for r in Roadmap.objects.for_user(partner, "roadmaps.agree_roadmap")
    ] == [network]
    assert not Roadmap.objects.for_user(partner, "change").exists()


def test_import_links_the_organisations_it_recognises(world):
    from schools.models import Organisation

    centre = Organisation.objects.get(pk=world.centre.pk)  # «МБУ «ЦРО»», as in the sample
    run(str(SAMPLES / "novokubansky-cro-2019-2022.docx"), "--owner", str(centre.pk))
    measure = Measure.objects.get(number="1.1.")
    assert measure.responsible_text == "МБУ «ЦРО»"
    assert list(measure.responsible_organisations.all()) == [centre]


def test_a_docx_unpacking_to_100_mb_is_refused_within_the_limits(world, tmp_path):
    import time

    from tests.roadmaps.test_importing_errors import streamed_docx

    bomb = tmp_path / "plan.docx"
    bomb.write_bytes(streamed_docx(500_000))
    started = time.monotonic()
    with pytest.raises(CommandError, match="предел распакованного размера — 50 МБ"):
        run(str(bomb), "--owner", str(world.centre.pk))
    assert time.monotonic() - started < 10
    assert not Roadmap.objects.exists()


def test_the_command_parses_in_the_bounded_sandbox(world, tmp_path, monkeypatch):
    from roadmaps.importing import sandbox

    plan = tmp_path / "plan.txt"
    plan.write_text("№ п/п\tМероприятия\tСроки\n1.\tСеминар\tМай 2021\n")
    # No CPU time for the child: it is killed at once, and the command says which limit.
    monkeypatch.setattr(
        sandbox.parse_bounded,
        "__kwdefaults__",
        {**sandbox.parse_bounded.__kwdefaults__, "cpu_seconds": 0},
    )
    with pytest.raises(CommandError, match="превысил пределы: 0 с процессорного времени"):
        run(str(plan), "--owner", str(world.centre.pk), "--dry-run")
