"""Each region lives in its own time zone: "today", "overdue" and "due this month" of a plan
are days of its region's calendar; stored instants stay UTC."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core.timezones import today_in, validate_time_zone
from roadmaps import services
from roadmaps.models import Roadmap
from roadmaps.selectors import PlanFilters, plan_rows, plan_today
from schools.models import Region

D = datetime.date
UTC = datetime.UTC


def at(*args):
    return datetime.datetime(*args, tzinfo=UTC)


def plan_with_dates(world, owner, *, user=None):
    """A 2026 plan of ``owner`` with a measure due 25.11.2026 and one due 30.11.2026."""
    user = user or world.user("superuser")
    roadmap = services.roadmap_create(
        acting_user=user,
        owner=owner,
        title="План на 2026 год",
        period_start=D(2026, 1, 1),
        period_end=D(2026, 12, 31),
    )
    for title, deadline in [("Семинар", "25.11.2026"), ("Отчёт", "30.11.2026")]:
        services.measure_create(
            roadmap=roadmap, acting_user=user, title=title, deadline_text=deadline
        )
    # As a request loads it: the owner's region as it is now.
    return Roadmap.objects.get(pk=roadmap.pk)


@pytest.fixture
def plans(world):
    """A plan in Moscow time (Краснодарский край) and one in Novosibirsk time."""
    Region.objects.filter(pk=world.other_region.pk).update(time_zone="Asia/Novosibirsk")
    return {
        "Europe/Moscow": plan_with_dates(world, world.authority),
        "Asia/Novosibirsk": plan_with_dates(world, world.other_authority),
    }


def titles(roadmap, **filters) -> list[str]:
    return [row.obj.title for row in plan_rows(roadmap, PlanFilters(**filters))]


def freeze(monkeypatch, instant):
    monkeypatch.setattr(timezone, "now", lambda: instant)


def test_today_in_a_region_is_its_own_calendar_day():
    evening = at(2026, 11, 25, 20, 0)
    assert today_in("Europe/Moscow", evening) == D(2026, 11, 25)
    assert today_in("Asia/Novosibirsk", evening) == D(2026, 11, 26)
    assert today_in(
        Region(name="Оренбургская область", time_zone="Asia/Yekaterinburg"), evening
    ) == D(2026, 11, 26)


def test_plan_today_follows_plan_owner_region(plans, monkeypatch):
    freeze(monkeypatch, at(2026, 11, 25, 20, 0))
    assert plan_today(plans["Europe/Moscow"]) == D(2026, 11, 25)
    assert plan_today(plans["Asia/Novosibirsk"]) == D(2026, 11, 26)


def test_due_on_the_25th_is_overdue_in_novosibirsk_and_not_yet_in_moscow(plans, monkeypatch):
    # 20:00 UTC: 23:00 of 25 November in Moscow, already 03:00 of 26 November in Novosibirsk.
    freeze(monkeypatch, at(2026, 11, 25, 20, 0))
    assert titles(plans["Asia/Novosibirsk"], overdue=True) == ["Семинар"]
    assert titles(plans["Europe/Moscow"], overdue=True) == []


def test_due_this_month_turns_over_at_the_regions_midnight(plans, monkeypatch):
    # 30 November 20:00 UTC is 1 December in Novosibirsk: nothing is due "this month" there.
    freeze(monkeypatch, at(2026, 11, 30, 20, 0))
    assert titles(plans["Europe/Moscow"], due_this_month=True) == ["Семинар", "Отчёт"]
    assert titles(plans["Asia/Novosibirsk"], due_this_month=True) == []


def test_overdue_filter_on_the_plan_page_uses_the_plans_region(client, world, monkeypatch):
    Region.objects.filter(pk=world.region.pk).update(time_zone="Asia/Novosibirsk")
    coordinator = world.user("municipal_coordinator")
    roadmap = plan_with_dates(world, world.authority, user=coordinator)
    freeze(monkeypatch, at(2026, 11, 25, 20, 0))
    client.force_login(coordinator)  # signed in at the frozen instant: the session is fresh
    response = client.get(reverse("roadmap_detail", kwargs={"pk": roadmap.pk}), {"due": "overdue"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Семинар" in html
    assert "Отчёт" not in html


def test_unknown_time_zone_is_refused_in_russian(db):
    with pytest.raises(ValidationError) as error:
        validate_time_zone("Europe/Novosibirsk")
    assert "Неизвестный часовой пояс" in str(error.value)
    region = Region(name="Регион", time_zone="UTC+7")
    with pytest.raises(ValidationError) as error:
        region.full_clean()
    assert "time_zone" in error.value.message_dict


@pytest.mark.django_db
def test_known_regions_get_their_time_zones_and_back():
    migration = importlib.import_module("schools.migrations.0004_region_time_zone_known_regions")
    novosibirsk = Region.objects.create(name="Новосибирская область")
    krasnodar = Region.objects.create(name="Краснодарский край")
    assert novosibirsk.time_zone == "Europe/Moscow"
    migration.set_known(apps, None)
    novosibirsk.refresh_from_db()
    krasnodar.refresh_from_db()
    assert (novosibirsk.time_zone, krasnodar.time_zone) == ("Asia/Novosibirsk", "Europe/Moscow")
    migration.unset_known(apps, None)
    novosibirsk.refresh_from_db()
    assert novosibirsk.time_zone == "Europe/Moscow"
