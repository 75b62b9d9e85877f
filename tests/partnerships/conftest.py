"""Agreements of the cast (tests/conftest.py) recorded through the services."""

from __future__ import annotations

import datetime

import pytest

from partnerships import services
from partnerships.constants import AgreementKind, PartyRole
from partnerships.services import AgreementInput, PartyInput

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def three_party(world, **overrides) -> AgreementInput:
    """The home centre, the leader school (СОШ № 5) and the supported school (СОШ № 3)."""
    data = {
        "kind": AgreementKind.THREE_PARTY,
        "subject": "Сетевое взаимодействие по повышению качества образования",
        "support_form": "методическая, тьюторская",
        "number": "12",
        "valid_from": datetime.date(2025, 9, 1),
        "valid_to": datetime.date(2027, 8, 31),
        "parties": [
            PartyInput(world.centre, PartyRole.CURATOR_CENTRE, "Давыденко С. В.", "Директор"),
            PartyInput(world.second_school, PartyRole.LEADER_SCHOOL),
            PartyInput(world.school, PartyRole.SUPPORTED),
        ],
    }
    data.update(overrides)
    return AgreementInput(**data)


def centres(world, **overrides) -> AgreementInput:
    """The home centre (network leader) and Армавир's centre (partner)."""
    data = {
        "kind": AgreementKind.CENTRE_CENTRE,
        "subject": "Сетевое взаимодействие ТМС",
        "number": "1-С",
        "valid_from": datetime.date(2025, 8, 1),
        "parties": [
            PartyInput(world.centre, PartyRole.NETWORK_LEADER),
            PartyInput(world.neighbour_centre, PartyRole.PARTNER),
        ],
    }
    data.update(overrides)
    return AgreementInput(**data)


@pytest.fixture
def coordinator(world):
    return world.user("municipal_coordinator")


def record(world, data, *, acting_user=None, signed_on=None, scan=None):
    return services.agreement_create(
        acting_user=acting_user or world.user("municipal_coordinator"),
        data=data,
        signed_on=signed_on,
        scan=scan,
    )
