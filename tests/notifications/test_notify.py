"""``notify``: the public door other apps use to tell people about an event."""

from __future__ import annotations

import pytest

from notifications import services
from notifications.constants import Kind
from notifications.models import Notification, NotificationPreference

pytestmark = pytest.mark.django_db


def test_recipients_are_told_once_each(world, reminders):
    deputy, director = world.user("school_deputy"), world.user("school_director")
    rows = services.notify(
        recipients=[deputy, director, deputy.pk],
        kind=Kind.APPROVAL,
        text="  План  «План напоминаний»\x0bутверждён. ",
        url=f"/roadmaps/{reminders.plan.pk}/",
        roadmap=reminders.plan,
    )
    assert sorted(n.person_id for n in rows) == sorted([deputy.pk, director.pk])
    note = Notification.objects.get(person=deputy)
    assert note.text == "План «План напоминаний» утверждён."
    assert (note.plan_title, note.digest, note.read_at) == ("План напоминаний", None, None)


def test_people_who_cannot_see_the_plan_are_not_told(world, reminders, caplog):
    rows = services.notify(
        recipients=[world.user("school_deputy"), world.user("neighbour_coordinator")],
        kind=Kind.APPROVAL,
        text="План утверждён.",
        url="/roadmaps/",
        roadmap=reminders.plan,
    )
    assert [n.person for n in rows] == [world.user("school_deputy")]
    assert "cannot see" in caplog.text


def test_a_record_is_told_only_to_those_who_see_it(world, reminders):
    record = reminders.record("week", world.school)
    rows = services.notify(
        recipients=[
            world.user("school_deputy"),
            world.user("other_deputy") or world.user("outsider"),
        ],
        kind=Kind.MESSAGE,
        text="Уточните срок.",
        url=f"/execution/records/{record.pk}/",
        record=record,
    )
    assert [n.person for n in rows] == [world.user("school_deputy")]
    assert rows[0].roadmap == reminders.plan


def test_a_muted_kind_and_an_inactive_person_are_skipped(world):
    deputy, director = world.user("school_deputy"), world.user("school_director")
    NotificationPreference.objects.create(person=deputy, muted_kinds=[Kind.APPROVAL])
    director.is_active = False
    director.save(update_fields=["is_active"])
    assert (
        services.notify(recipients=[deputy, director], kind=Kind.APPROVAL, text="Т.", url="/") == []
    )
    assert len(services.notify(recipients=[deputy], kind=Kind.MESSAGE, text="Т.", url="/")) == 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "overdue"}, "not an event kind"),
        ({"kind": "nonsense"}, "not an event kind"),
        ({"text": "   "}, "text must be"),
        ({"text": "я" * 2001}, "text must be"),
        ({"url": "https://evil.example/"}, "url must be a path"),
        ({"url": "//evil.example/"}, "url must be a path"),
        ({"url": "roadmaps/5/"}, "url must be a path"),
    ],
)
def test_what_a_caller_must_never_send(world, kwargs, message):
    call = {"kind": Kind.MESSAGE, "text": "Текст", "url": "/", **kwargs}
    with pytest.raises(ValueError, match=message):
        services.notify(recipients=[world.user("school_deputy")], **call)


def test_rolled_back_with_the_caller(world):
    from django.db import transaction

    def caller():
        with transaction.atomic():
            services.notify(
                recipients=[world.user("school_deputy")], kind=Kind.MESSAGE, text="Т.", url="/"
            )
            raise RuntimeError("the caller's change failed")

    with pytest.raises(RuntimeError):
        caller()
    assert not Notification.objects.exists()


@pytest.mark.parametrize("url", ["/\\evil.example/", "/\\/evil.example"])
def test_backslash_tricks_are_not_paths(world, url):
    with pytest.raises(ValueError, match="url must be a path"):
        services.notify(
            recipients=[world.user("school_deputy")], kind=Kind.MESSAGE, text="Т.", url=url
        )


def test_steps_of_a_plan_s_life_are_told_to_who_acts_next(world):
    """The approval workflow's signal: a plan sent for agreement reaches the parties."""
    import datetime

    from roadmaps import services as roadmaps
    from schools.constants import Role
    from tests.factories import person

    coordinator = world.user("municipal_coordinator")
    plan = roadmaps.roadmap_create(
        acting_user=coordinator,
        owner=world.authority,
        title="Сетевой план",
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2027, 12, 31),
    )
    roadmaps.measure_create(
        roadmap=plan, acting_user=coordinator, title="Семинар", deadline_text="март 2026"
    )
    centre_head = person("centre-head", world.centre, Role.HEAD)
    roadmaps.roadmap_submit(
        roadmap=plan, acting_user=coordinator, organisations=[world.centre], comment="Просим"
    )
    (told,) = Notification.objects.filter(person=centre_head)
    assert told.kind == Kind.APPROVAL
    assert told.url == f"/roadmaps/{plan.pk}/"
    assert told.plan_title == "Сетевой план"
    assert told.digest is None  # in the next digest
    assert not Notification.objects.filter(person=coordinator).exists()
