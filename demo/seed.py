"""``seed_demo``: the whole demo world, in one transaction, idempotent."""

from __future__ import annotations

from django.db import transaction

from roadmaps.models import Roadmap
from schools.models import Municipality, Organisation, Region, User

from .directory import seed_directory
from .plans import seed_plans


@transaction.atomic
def seed_demo() -> dict[str, int]:
    """Create or update the demo world; returns counts of what is there."""
    by_short = seed_directory()
    seed_plans(by_short)
    return {
        "regions": Region.objects.count(),
        "municipalities": Municipality.objects.count(),
        "organisations": Organisation.objects.count(),
        "schools": Organisation.objects.schools().count(),
        "users": User.objects.count(),
        "plans": Roadmap.objects.count(),
    }
