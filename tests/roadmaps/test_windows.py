"""Windows keep their identity when a schedule is derived again (roadmaps.windows)."""

import datetime
import threading
import time
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import IntegrityError, connection, models, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from demo.plans import SAMPLES_DIR as SAMPLES
from roadmaps import services
from roadmaps.models import Measure, MeasureWindow, Roadmap
from roadmaps.windows import recorded_window_ids, sync_windows

D = datetime.date


@pytest.fixture
def coordinator(world):
    return world.user("municipal_coordinator")


@pytest.fixture
def roadmap(world, coordinator):
    return services.roadmap_create(
        acting_user=coordinator,
        owner=world.authority,
        title="Дорожная карта по повышению качества образования",
        period_start=D(2020, 1, 1),
        period_end=D(2021, 12, 31),
    )


def current(measure):
    """(id, position, starts_on, due_on) of the measure's windows in the schedule."""
    return list(
        MeasureWindow.objects.filter(measure=measure, schedule_changed=False)
        .order_by("position")
        .values_list("pk", "position", "starts_on", "due_on")
    )


def ids(measure):
    return [row[0] for row in current(measure)]


def edit_deadline(measure, user, text):
    measure = Measure.objects.get(pk=measure.pk)
    return services.measure_update(
        measure=measure,
        acting_user=user,
        data={"deadline_text": text},
        expected_version=measure.version,
    )


@pytest.fixture
def window_notes(db):
    """A model that records something against a window, like the execution marks that
    come next: a real table and a real reverse relation of MeasureWindow for one test."""
    meta = type("Meta", (), {"app_label": "roadmaps"})
    model = type(
        "TestWindowNote",
        (models.Model,),
        {
            "__module__": __name__,
            "Meta": meta,
            "window": models.ForeignKey(
                MeasureWindow, on_delete=models.CASCADE, related_name="test_notes"
            ),
            "text": models.CharField(max_length=100),
        },
    )
    with connection.schema_editor() as editor:
        editor.create_model(model)
    yield model
    # The table goes with the test's transaction; the model leaves the registry.
    apps.all_models["roadmaps"].pop(model._meta.model_name)
    apps.clear_cache()


def test_deadline_edit_that_keeps_the_number_of_windows_keeps_their_ids(roadmap, coordinator):
    measure = services.measure_create(
        roadmap=roadmap,
        acting_user=coordinator,
        title="Семинар",
        deadline_text="март, сентябрь 2020",
    )
    before = ids(measure)
    assert len(before) == 2
    edit_deadline(measure, coordinator, "май 2020, май 2021")
    assert current(measure) == [
        (before[0], 0, D(2020, 5, 1), D(2020, 5, 31)),
        (before[1], 1, D(2021, 5, 1), D(2021, 5, 31)),
    ]


def test_a_growing_schedule_keeps_the_old_windows_and_adds_the_new(roadmap, coordinator):
    measure = services.measure_create(
        roadmap=roadmap, acting_user=coordinator, title="Семинар", deadline_text="Сентябрь 2020"
    )
    (first,) = ids(measure)
    edit_deadline(measure, coordinator, "ежеквартально")
    after = ids(measure)
    assert len(after) == 8
    assert after[0] == first


def test_a_shrinking_schedule_deletes_the_windows_nothing_is_recorded_against(roadmap, coordinator):
    measure = services.measure_create(
        roadmap=roadmap, acting_user=coordinator, title="Семинар", deadline_text="ежеквартально"
    )
    before = ids(measure)
    edit_deadline(measure, coordinator, "март, июнь, сентябрь 2020")
    assert ids(measure) == before[:3]
    assert not MeasureWindow.objects.filter(pk__in=before[3:]).exists()
    assert MeasureWindow.objects.filter(measure=measure).count() == 3


def test_a_period_change_updates_the_windows_in_place(roadmap, coordinator):
    quarterly = services.measure_create(
        roadmap=roadmap, acting_user=coordinator, title="Совещание", deadline_text="ежеквартально"
    )
    once = services.measure_create(
        roadmap=roadmap, acting_user=coordinator, title="Семинар", deadline_text="Сентябрь 2020"
    )
    quarterly_ids, once_ids = ids(quarterly), ids(once)
    roadmap.refresh_from_db()
    services.roadmap_update(
        roadmap=roadmap,
        acting_user=coordinator,
        data={"period_end": D(2020, 12, 31)},
        expected_version=roadmap.version,
    )
    # One year instead of two: the first four quarters keep their ids, the rest go.
    assert ids(quarterly) == quarterly_ids[:4]
    assert ids(once) == once_ids
    assert not MeasureWindow.objects.filter(pk__in=quarterly_ids[4:]).exists()


def _plan_of(roadmap, coordinator, size):
    for number in range(size):
        services.measure_create(
            roadmap=roadmap,
            acting_user=coordinator,
            title=f"Мероприятие {number}",
            deadline_text="ежеквартально" if number % 2 else "Сентябрь 2020",
        )


def _queries_of_period_change(roadmap, coordinator, period_end):
    roadmap.refresh_from_db()
    with CaptureQueriesContext(connection) as queries:
        services.roadmap_update(
            roadmap=roadmap,
            acting_user=coordinator,
            data={"period_end": period_end},
            expected_version=roadmap.version,
        )
    return len(queries)


def test_a_period_change_takes_as_many_queries_for_a_large_plan_as_for_a_small(
    world, roadmap, coordinator
):
    _plan_of(roadmap, coordinator, 3)
    small = _queries_of_period_change(roadmap, coordinator, D(2020, 12, 31))
    large_plan = services.roadmap_create(
        acting_user=coordinator,
        owner=world.authority,
        title="Большой план",
        period_start=D(2020, 1, 1),
        period_end=D(2021, 12, 31),
    )
    _plan_of(large_plan, coordinator, 40)
    large = _queries_of_period_change(large_plan, coordinator, D(2020, 12, 31))
    assert large == small
    assert MeasureWindow.objects.filter(measure__roadmap=large_plan).count() == 20 * 4 + 20


def test_a_window_with_something_recorded_is_kept_and_flagged(roadmap, coordinator, window_notes):
    measure = services.measure_create(
        roadmap=roadmap,
        acting_user=coordinator,
        title="Семинар",
        deadline_text="март, июнь, сентябрь 2020",
    )
    first, second, third = ids(measure)
    note = window_notes.objects.create(window_id=third, text="Отчёт школы")
    assert recorded_window_ids([first, second, third]) == {third}

    edit_deadline(measure, coordinator, "Сентябрь 2020")

    assert ids(measure) == [first]
    assert not MeasureWindow.objects.filter(pk=second).exists()
    kept = MeasureWindow.objects.get(pk=third)
    assert kept.schedule_changed
    assert window_notes.objects.get(pk=note.pk).window_id == third
    # The schedule may grow back into the flagged window's position: a new window takes
    # it, the flagged one stays until a person resolves it.
    edit_deadline(measure, coordinator, "март, июнь, сентябрь 2020")
    assert ids(measure)[0] == first
    assert len(ids(measure)) == 3
    assert third not in ids(measure)
    assert MeasureWindow.objects.get(pk=third).schedule_changed
    # Once its record is gone, the next derivation removes the flagged window.
    window_notes.objects.filter(pk=note.pk).delete()
    edit_deadline(measure, coordinator, "Сентябрь 2020")
    assert not MeasureWindow.objects.filter(pk=third).exists()
    assert ids(measure) == [first]


def test_the_schedule_page_shows_a_flagged_window_and_the_form_leaves_it_out(
    client, roadmap, coordinator
):
    measure = services.measure_create(
        roadmap=roadmap,
        acting_user=coordinator,
        title="Семинар",
        deadline_text="март, сентябрь 2020",
    )
    first, second = ids(measure)
    with transaction.atomic():
        sync_windows({measure.pk: ((D(2020, 4, 1), D(2020, 4, 30)),)}, recorded={second})
    client.force_login(coordinator)
    html = client.get(reverse("measure_schedule", kwargs={"pk": measure.pk})).content.decode()
    assert "срок изменён" in html
    assert "01.04.2020 – 30.04.2020" in html
    # The hand-edit field holds only the windows in force.
    assert html.count("01.09.2020 – 30.09.2020") == 1


def test_sync_without_recorded_windows_asks_nothing_when_nothing_points_to_windows(
    roadmap, coordinator
):
    measure = services.measure_create(
        roadmap=roadmap, acting_user=coordinator, title="Семинар", deadline_text="ежеквартально"
    )
    window_ids = ids(measure)
    assert recorded_window_ids(window_ids) == set()
    with transaction.atomic():
        result = sync_windows({measure.pk: ()})
    assert (result.deleted, result.flagged) == (8, 0)


def test_two_current_windows_cannot_share_a_position(roadmap, coordinator):
    measure = services.measure_create(
        roadmap=roadmap, acting_user=coordinator, title="Семинар", deadline_text="Сентябрь 2020"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        MeasureWindow.objects.create(
            measure=measure, position=0, starts_on=D(2020, 1, 1), due_on=D(2020, 1, 31)
        )
    # A flagged window keeps its old position beside the current one.
    MeasureWindow.objects.create(
        measure=measure,
        position=0,
        starts_on=D(2020, 1, 1),
        due_on=D(2020, 1, 31),
        schedule_changed=True,
    )


def test_hand_made_schedule_keeps_the_window_ids(roadmap, coordinator):
    measure = services.measure_create(
        roadmap=roadmap, acting_user=coordinator, title="Семинар", deadline_text="Сентябрь 2020"
    )
    (first,) = ids(measure)
    measure.refresh_from_db()
    services.measure_set_schedule(
        measure=measure,
        acting_user=coordinator,
        kind="once",
        windows=[["2020-10-01", "2020-10-15"]],
        expected_version=measure.version,
    )
    assert current(measure) == [(first, 0, D(2020, 10, 1), D(2020, 10, 15))]


def test_imported_windows_are_numbered_in_schedule_order(world):
    call_command(
        "import_roadmap",
        str(SAMPLES / "novokubansky-cro-2019-2022.txt"),
        "--owner",
        str(world.centre.pk),
        stdout=StringIO(),
        stderr=StringIO(),
    )
    rows = list(
        MeasureWindow.objects.order_by("measure_id", "position").values_list(
            "measure_id", "position", "due_on"
        )
    )
    assert rows
    by_measure: dict[int, list] = {}
    for measure_id, position, due_on in rows:
        by_measure.setdefault(measure_id, []).append((position, due_on))
    for windows in by_measure.values():
        assert [position for position, _ in windows] == list(range(len(windows)))
        assert [due for _, due in windows] == sorted(due for _, due in windows)


def _wait_for_a_lock_wait(seconds: float = 10.0) -> None:
    """Until another connection of the test database waits for a row lock."""
    deadline = time.monotonic() + seconds
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.05)
    raise AssertionError("the deadline edit never waited for the period change")


def _period_change_paused_inside(monkeypatch, plan, coordinator, errors):
    """Shorten the plan to 2020 in a thread that stops inside its transaction, after it
    has locked the plan and its measures and re-derived them; returns the thread and the
    event that lets it commit. Errors of the change go to ``errors``."""
    from roadmaps.services import plans as plan_services

    inside, release = threading.Event(), threading.Event()
    real_sync = plan_services.sync_windows

    def paused_sync(schedules, **options):
        result = real_sync(schedules, **options)
        inside.set()
        release.wait(10)
        return result

    monkeypatch.setattr(plan_services, "sync_windows", paused_sync)

    def change_period():
        try:
            services.roadmap_update(
                roadmap=Roadmap.objects.get(pk=plan.pk),
                acting_user=coordinator,
                data={"period_end": D(2020, 12, 31)},
                expected_version=plan.version,
            )
        except Exception as error:  # noqa: BLE001 — reported by the caller's assertion
            errors.append(error)
        finally:
            connection.close()

    period = threading.Thread(target=change_period)
    period.start()
    assert inside.wait(10)
    monkeypatch.setattr(plan_services, "sync_windows", real_sync)
    return period, release


@pytest.mark.django_db(transaction=True)
def test_a_deadline_edit_racing_a_period_change_is_derived_with_the_new_period(world, monkeypatch):
    coordinator = world.user("municipal_coordinator")
    plan = services.roadmap_create(
        acting_user=coordinator,
        owner=world.authority,
        title="План",
        period_start=D(2020, 1, 1),
        period_end=D(2021, 12, 31),
    )
    measure = services.measure_create(
        roadmap=plan, acting_user=coordinator, title="Совещание", deadline_text="Сентябрь 2020"
    )
    (first,) = ids(measure)
    errors = []
    period, release = _period_change_paused_inside(monkeypatch, plan, coordinator, errors)
    # The editor opened the measure before the period changed.
    stale = Measure.objects.get(pk=measure.pk)
    stale.roadmap  # noqa: B018 — the plan as the editor saw it, with the old period

    def edit():
        try:
            services.measure_update(
                measure=stale,
                acting_user=coordinator,
                data={"deadline_text": "ежеквартально"},
                expected_version=stale.version,
            )
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connection.close()

    editor = threading.Thread(target=edit)
    editor.start()
    _wait_for_a_lock_wait()
    release.set()
    period.join(10)
    editor.join(10)
    assert errors == []
    # Four quarters of the new one-year period, the first window still the same row.
    assert [row[3] for row in current(measure)] == [
        D(2020, 3, 31),
        D(2020, 6, 30),
        D(2020, 9, 30),
        D(2020, 12, 31),
    ]
    assert ids(measure)[0] == first


def _measure_with_a_flagged_window(roadmap, coordinator):
    """A measure due 31.03 and 30.09.2020, re-scheduled to one window due 31.12.2020 while
    something is recorded against the September one: September stays, flagged."""
    measure = services.measure_create(
        roadmap=roadmap,
        acting_user=coordinator,
        title="Семинар с изменённым сроком",
        deadline_text="март, сентябрь 2020",
    )
    first, second = ids(measure)
    with transaction.atomic():
        sync_windows({measure.pk: ((D(2020, 10, 1), D(2020, 12, 31)),)}, recorded={second})
    assert MeasureWindow.objects.get(pk=second).schedule_changed
    return measure


@pytest.mark.parametrize(
    ("now", "filters"),
    [
        # 15.10.2020: the flagged 30.09 has passed, the window in force (31.12) has not.
        (datetime.datetime(2020, 10, 15, 9, 0, tzinfo=datetime.UTC), {"overdue": True}),
        # 15.09.2020: only the flagged window falls due this month.
        (datetime.datetime(2020, 9, 15, 9, 0, tzinfo=datetime.UTC), {"due_this_month": True}),
    ],
    ids=["overdue", "due_this_month"],
)
def test_a_flagged_window_is_neither_overdue_nor_due(
    roadmap, coordinator, monkeypatch, now, filters
):
    from django.utils import timezone

    from roadmaps.selectors import PlanFilters, plan_rows

    flagged = _measure_with_a_flagged_window(roadmap, coordinator)
    plain = services.measure_create(
        roadmap=roadmap,
        acting_user=coordinator,
        title="Семинар в срок",
        deadline_text="сентябрь 2020",
    )
    monkeypatch.setattr(timezone, "now", lambda: now)
    shown = [row.obj.pk for row in plan_rows(roadmap, PlanFilters(**filters))]
    assert shown == [plain.pk]
    assert flagged.pk not in shown


def test_the_plan_row_marks_a_flagged_due_date(client, roadmap, coordinator):
    from roadmaps.views.plan_table import CHANGED_BADGE

    measure = _measure_with_a_flagged_window(roadmap, coordinator)
    client.force_login(coordinator)
    page = client.get(reverse("roadmap_detail", kwargs={"pk": roadmap.pk})).content.decode()
    assert "до 30.09.2020" + CHANGED_BADGE in page
    assert "до 31.12.2020</div>" in page  # the window in force has no badge
    assert page.count("срок изменён</span>") == 1
    # The row re-rendered after an inline edit (cancel) shows it too.
    row = client.get(
        reverse("measure_row", kwargs={"pk": measure.pk}), headers={"HX-Request": "true"}
    ).content.decode()
    assert "до 30.09.2020" + CHANGED_BADGE in row


@pytest.mark.django_db(transaction=True)
def test_a_measure_created_while_the_period_changes_is_derived_with_the_new_period(
    world, monkeypatch
):
    """The new measure is not among the rows the period change re-derives (it does not
    exist yet): creating it waits for the plan's lock and reads the period afresh."""
    coordinator = world.user("municipal_coordinator")
    plan = services.roadmap_create(
        acting_user=coordinator,
        owner=world.authority,
        title="План",
        period_start=D(2020, 1, 1),
        period_end=D(2021, 12, 31),
    )
    errors, created = [], []
    period, release = _period_change_paused_inside(monkeypatch, plan, coordinator, errors)
    stale = Roadmap.objects.get(pk=plan.pk)  # the plan as the page saw it: two years

    def create():
        try:
            created.append(
                services.measure_create(
                    roadmap=stale, acting_user=coordinator, title="Отчёт", deadline_text="ежегодно"
                )
            )
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connection.close()

    creator = threading.Thread(target=create)
    creator.start()
    _wait_for_a_lock_wait()
    release.set()
    period.join(10)
    creator.join(10)
    assert errors == []
    # One window: the year 2020 of the new period, not 2020 and 2021 of the old one.
    assert [(row[2], row[3]) for row in current(created[0])] == [(D(2020, 1, 1), D(2020, 12, 31))]


def test_new_dates_are_written_on_sqlite_too(world):
    """``make run`` embeds SQLite: the bulk date update falls back to the ORM there."""
    from unittest import mock

    from roadmaps.windows import _update_dates
    from tests.roadmaps.factories import RoadmapFactory

    plan = RoadmapFactory(owner=world.authority)
    measure = Measure.objects.create(roadmap=plan, title="Семинар", order=1)
    window = MeasureWindow.objects.create(
        measure=measure, position=0, starts_on=D(2020, 3, 1), due_on=D(2020, 3, 31)
    )
    window.starts_on, window.due_on = D(2020, 4, 1), D(2020, 4, 30)
    with mock.patch.object(connection, "vendor", "sqlite"):
        _update_dates([window])
    window.refresh_from_db()
    assert (window.starts_on, window.due_on) == (D(2020, 4, 1), D(2020, 4, 30))
