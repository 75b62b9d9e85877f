"""The demo plans: the public sample plans of ``demo/samples`` imported for their owners,
and the partner centre's grant on the network plan."""

from __future__ import annotations

import hashlib
from pathlib import Path

from guardian.shortcuts import assign_perm

from roadmaps.importing import parse_plan
from roadmaps.importing.service import roadmap_import
from roadmaps.models import Roadmap, RoadmapImport
from schools.models import Organisation, User

# Public plans of Russian municipalities (see samples/README.md), carried in the repository
# so that the demo and the tests never depend on files beside it.
SAMPLES_DIR = Path(__file__).resolve().parent / "samples"
SAMPLE_OWNERS = {
    "novokubansky-cro-2019-2022.docx": "МБУ «ЦРО»",
    "ponomarevsky-order-2020.docx": "Отдел образования",
    "municipal-resources-2020.docx": "Управление образования",
}


def seed_plans(by_short: dict[str, Organisation]) -> list[Roadmap]:
    """The sample plans, imported once each (by file checksum); the partner centre of
    Армавир may view and agree the network plan of Новокубанский ЦРО."""
    plans = []
    for file_name, owner_short in SAMPLE_OWNERS.items():
        data = (SAMPLES_DIR / file_name).read_bytes()
        owner = by_short[owner_short]
        existing = RoadmapImport.objects.filter(
            sha256=hashlib.sha256(data).hexdigest(), roadmap__owner=owner
        ).first()
        roadmap = (
            existing.roadmap
            if existing
            else roadmap_import(
                plan=parse_plan(data, file_name), owner=owner, file_name=file_name, data=data
            )
        )
        if file_name.startswith("novokubansky"):
            partner = User.objects.get(username="partner")
            for perm in ("roadmaps.view_roadmap", "roadmaps.agree_roadmap"):
                assign_perm(perm, partner, roadmap)
        plans.append(roadmap)
    return plans
