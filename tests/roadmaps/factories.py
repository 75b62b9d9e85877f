"""Factories of plans for the roadmaps tests."""

import datetime

import factory
from factory.django import DjangoModelFactory

from roadmaps.models import Measure, Roadmap, Section
from tests.factories import CentreFactory


class RoadmapFactory(DjangoModelFactory):
    class Meta:
        model = Roadmap

    owner = factory.SubFactory(CentreFactory)
    title = factory.Sequence(lambda n: f"Дорожная карта № {n}")
    period_start = datetime.date(2020, 1, 1)
    period_end = datetime.date(2022, 12, 31)


class SectionFactory(DjangoModelFactory):
    class Meta:
        model = Section

    roadmap = factory.SubFactory(RoadmapFactory)
    number = factory.Sequence(lambda n: f"{n + 1}.")
    title = factory.Sequence(lambda n: f"Раздел {n + 1}")
    order = factory.Sequence(lambda n: n + 1)


class MeasureFactory(DjangoModelFactory):
    class Meta:
        model = Measure

    roadmap = factory.SubFactory(RoadmapFactory)
    number = factory.Sequence(lambda n: f"1.{n + 1}.")
    title = factory.Sequence(lambda n: f"Мероприятие {n + 1}")
    order = factory.Sequence(lambda n: n + 1)
