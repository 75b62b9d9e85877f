"""``seed_demo``: the whole demo world, idempotent.

The directory and the sample plans are written in one transaction. The execution demo
follows step by step through the services (each owns a durable transaction, which cannot
nest in the seed's); every step checks first whether it was done (``demo.execution``)."""

from __future__ import annotations

from django.db import transaction

from execution.models import ExecutionRecord
from monitoring.models import (
    Campaign,
    CampaignResponse,
    ExamResult,
    IndicatorTarget,
    IndicatorValue,
)
from partnerships.models import Agreement
from roadmaps.models import Roadmap
from schools.models import Municipality, Organisation, Region, User

from .directory import seed_directory
from .execution import seed_execution
from .monitoring import seed_monitoring
from .partnerships import seed_partnerships
from .plans import seed_plans
from .signing import seed_signing


def seed_demo() -> dict[str, int]:
    """Create or update the demo world; returns counts of what is there."""
    with transaction.atomic():
        by_short = seed_directory()
        seed_plans(by_short)
    seed_execution(by_short)
    # The partnership agreements the samples speak of (after the records they complete).
    seed_partnerships(by_short)
    # Indicator values, targets, exam results and campaigns of the demo schools.
    seed_monitoring(by_short)
    # The demo CA, a certificate per organisation, the approved plans signed.
    seed_signing()
    return {
        "regions": Region.objects.count(),
        "municipalities": Municipality.objects.count(),
        "organisations": Organisation.objects.count(),
        "schools": Organisation.objects.schools().count(),
        "users": User.objects.count(),
        "plans": Roadmap.objects.count(),
        "execution records": ExecutionRecord.objects.count(),
        "agreements": Agreement.objects.count(),
        "indicator values": IndicatorValue.objects.count(),
        "indicator targets": IndicatorTarget.objects.count(),
        "exam results": ExamResult.objects.count(),
        "campaigns": Campaign.objects.count(),
        "campaign responses": CampaignResponse.objects.count(),
    }
