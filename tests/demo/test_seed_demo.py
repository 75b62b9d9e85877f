"""The demo world: idempotent, a user for every role, each seeing only its own tenant;
execution in use — the demo people find their work at every stage, done by them through
the services — and seeding again changes nothing."""

import datetime
import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.timezones import today_in
from demo import scenario
from demo.directory import DEMO_PASSWORD, USERS
from demo.execution import as_of, reference_day
from execution.models import Evidence, EvidenceKind, ExecutionRecord, ReviewState
from execution.querysets import MARK, REVIEW
from execution.status import RecordFacts, Status, due_this_week, status
from roadmaps.constants import RoadmapStatus
from roadmaps.models import Measure, Roadmap, Section
from schools.constants import Role
from schools.models import Membership, Municipality, Organisation, User


def seed() -> None:
    call_command("seed_demo", stdout=io.StringIO())


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker):
    """The demo, seeded once for the module (it plays months of execution through the
    services, which takes seconds) inside a transaction rolled back at the end."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        # As TestCase's class-wide transaction: the services' durable blocks run inside it.
        atomic._from_testcase = True
        atomic.__enter__()
        try:
            seed()
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def demo(demo_world, db):
    """Each test in a savepoint of the seeded demo."""


def counts() -> dict[str, int]:
    return {
        "organisations": Organisation.objects.count(),
        "users": User.objects.count(),
        "memberships": Membership.objects.count(),
        "plans": Roadmap.objects.count(),
        "plan history": Roadmap.history.count(),
        "sections": Section.objects.count(),
        "measures": Measure.objects.count(),
        "measure history": Measure.history.count(),
        "records": ExecutionRecord.objects.count(),
        "record history": ExecutionRecord.history.count(),
        "evidence": Evidence.objects.count(),
        "evidence history": Evidence.history.count(),
    }


def test_running_twice_creates_no_duplicates(demo):
    before = counts()
    seed()
    assert counts() == before


def test_running_weeks_later_counts_from_the_first_day(demo):
    """A demo database kept for weeks ages: a later run finds the day it was first seeded
    from the plan and plays nothing again."""
    before = counts()
    first_day = today()
    with as_of(timezone.now() + datetime.timedelta(days=40)):
        assert reference_day(Organisation.objects.get(short_name=scenario.OWNER)) == first_day
        seed()
    assert counts() == before


def test_the_sample_organisations_are_there(demo):
    names = set(Organisation.objects.values_list("short_name", flat=True))
    assert {
        "МБУ «ЦРО»",
        "МКУ «ЦМТО»",
        "Отдел образования",
        "МКОУ «ИМЦ»",
        "МКОУ «ЦДиК»",
        "МКОУ «Алексеевская ОШ № 4»",
    } <= names
    assert {
        "МКУ «ЦРО и ОК»",
        "МКУ ДПО «ЦРО»",
        "МКУ СО «ЦРО»",
        "МКУ ДПО «Методический кабинет»",
        "МКУ «Организационно-методический центр РО»",
    } <= names
    assert Organisation.objects.schools().count() >= 24
    assert Organisation.objects.schools().filter(is_low_results=True).count() >= 10


def test_every_role_has_a_demo_user(demo):
    assert {user.role for user in USERS} == set(Role.values)


@pytest.mark.parametrize("demo_user", USERS, ids=lambda u: u.username)
def test_demo_user_logs_in_and_sees_only_its_own_tenant(client, demo, demo_user):
    response = client.post(
        reverse("login"), {"username": demo_user.username, "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == reverse("home")
    user = User.objects.get(username=demo_user.username)
    own = Organisation.objects.get(short_name=demo_user.organisation)
    visible = Organisation.objects.for_user(user, "view")
    assert own in visible
    if demo_user.role == Role.REGIONAL_COORDINATOR:
        assert set(visible.values_list("region_id", flat=True)) == {own.region_id}
    else:
        municipalities = set(
            Municipality.objects.for_user(user, "view").values_list("pk", flat=True)
        )
        assert municipalities == {own.municipality_id} | set(
            visible.exclude(municipality=own.municipality).values_list("municipality_id", flat=True)
        )
        # Nobody outside the region's coordinators sees another municipality's schools,
        # except a curator's assigned schools (none of them are elsewhere in the demo).
        assert not visible.exclude(municipality=own.municipality).exists()


@pytest.mark.parametrize("demo_user", USERS, ids=lambda u: u.username)
def test_every_object_url_of_another_tenant_is_404_for_demo_users(client, demo, demo_user):
    user = User.objects.get(username=demo_user.username)
    client.force_login(user)
    visible = set(Organisation.objects.for_user(user, "view").values_list("pk", flat=True))
    foreign = Organisation.objects.exclude(pk__in=visible)
    # One foreign organisation per municipality (and regional bodies) keeps the run short.
    probes = {}
    for organisation in foreign.order_by("municipality_id", "pk"):
        probes.setdefault((organisation.region_id, organisation.municipality_id), organisation)
    assert probes, "the demo world has other tenants"
    for organisation in probes.values():
        for name in ("organisation_detail", "organisation_edit"):
            response = client.get(reverse(name, kwargs={"pk": organisation.pk}))
            assert response.status_code == 404, (name, organisation.short_name)
    foreign_municipalities = Municipality.objects.exclude(
        pk__in=Municipality.objects.for_user(user, "view").values("pk")
    )
    for municipality in foreign_municipalities:
        assert (
            client.get(reverse("municipality_detail", kwargs={"pk": municipality.pk})).status_code
            == 404
        )
    for person in User.objects.exclude(pk__in=User.objects.for_user(user, "view").values("pk"))[
        :10
    ]:
        assert client.get(reverse("person_detail", kwargs={"pk": person.pk})).status_code == 404


def test_every_demo_role_fits_its_organisation(demo, capsys):
    call_command("check_roles")
    assert "Все роли подходят" in capsys.readouterr().out


def test_the_seed_grants_roles_through_the_kind_rule(demo, monkeypatch):
    from django.core.exceptions import ValidationError

    from demo import directory as demo_module

    misplaced = demo_module.DemoUser(
        "misplaced",
        "Ошибкина",
        "Ольга",
        "",
        "Директор",
        "МБУ «ЦРО»",
        Role.SCHOOL_DIRECTOR,
    )
    monkeypatch.setattr(demo_module, "USERS", [*USERS, misplaced])
    with pytest.raises(ValidationError):
        call_command("seed_demo", verbosity=0)
    assert not User.objects.filter(username="misplaced").exists()


# --- Execution in use -------------------------------------------------------------------


def facts(record: ExecutionRecord) -> RecordFacts:
    return RecordFacts(record.due_on, record.starts_on, record.state, record.done_on, record.review)


def today() -> datetime.date:
    return today_in(Organisation.objects.get(short_name=scenario.OWNER).region)


def statuses(records) -> Counter:
    day = today()
    return Counter(status(facts(record), day) for record in records)


def current_plan() -> Roadmap:
    return Roadmap.objects.get(title__startswith=scenario.CURRENT_TITLE)


def deputy_records():
    deputy = User.objects.get(username="deputy")
    return (
        ExecutionRecord.objects.for_user(deputy, MARK)
        .filter(measure__roadmap=current_plan())
        .select_related("measure")
    )


def test_the_deputy_has_a_record_in_every_status(demo):
    found = statuses(deputy_records())
    assert set(found) == set(Status), found
    assert found[Status.RETURNED] == 1
    assert found[Status.WAITING] == 1
    assert found[Status.DONE] >= 2


def test_the_deputy_has_something_due_this_week_and_something_overdue(demo):
    day = today()
    records = list(deputy_records())
    assert [r for r in records if due_this_week(facts(r), day)]
    assert [r for r in records if status(facts(r), day) == Status.OVERDUE]
    returned = next(r for r in records if r.review == ReviewState.RETURNED)
    assert returned.reviewed_by.username == "methodologist"
    assert "Дополните справку" in returned.review_comment


def test_the_deputys_waiting_mark_carries_a_pdf_and_a_link(demo):
    waiting = next(r for r in deputy_records() if status(facts(r), today()) == Status.WAITING)
    evidence = {e.kind: e for e in Evidence.objects.filter(record=waiting)}
    assert set(evidence) == {EvidenceKind.FILE, EvidenceKind.LINK}
    pdf = evidence[EvidenceKind.FILE]
    assert pdf.content_type == "application/pdf"
    assert pdf.original_name.startswith("Протокол педсовета")
    with pdf.file.open("rb") as stored:
        assert stored.read().startswith(b"%PDF-")
    assert pdf.uploaded_by.username == "deputy"
    assert evidence[EvidenceKind.LINK].url.startswith("https://")


def test_the_methodologist_has_a_review_queue(demo):
    methodologist = User.objects.get(username="methodologist")
    queue = ExecutionRecord.objects.for_user(methodologist, REVIEW).filter(
        review=ReviewState.WAITING
    )
    found = statuses(queue)
    assert found[Status.WAITING] >= 5, found
    assert {r.organisation.short_name for r in queue} == set(scenario.CURATOR)


def test_marks_are_the_demo_peoples_and_in_the_past(demo):
    now = timezone.now()
    plan = current_plan()
    marked = ExecutionRecord.objects.filter(measure__roadmap=plan, marked_at__isnull=False)
    assert marked.count() >= 30
    assert {r.marked_by.username for r in marked} == {
        "deputy",
        "director",
        "deputy5",
        "deputy8",
        "deputy12",
        "methodologist",
    }
    assert all(r.marked_at < now - datetime.timedelta(days=1) for r in marked)
    assert plan.created_at < now - datetime.timedelta(days=100)
    history = ExecutionRecord.history.filter(id__in=marked.values("pk"), history_type="~")
    assert not history.filter(history_user__isnull=True).exists()
    assert all(h.history_date < now - datetime.timedelta(days=1) for h in history)


def test_the_schools_progress_differs(demo):
    plan = current_plan()
    per_school = {
        school: statuses(
            ExecutionRecord.objects.filter(measure__roadmap=plan, organisation__short_name=school)
        )
        for school in scenario.SCHOOLS
    }
    completed = {s: c[Status.DONE] + c[Status.DONE_LATE] for s, c in per_school.items()}
    assert len(set(completed.values())) >= 3, completed


def test_plans_in_other_states_for_contrast(demo):
    by_title = {
        title: Roadmap.objects.get(title__startswith=title)
        for title in (scenario.CLOSED_TITLE, scenario.CURRENT_TITLE, scenario.DRAFT_TITLE)
    }
    assert by_title[scenario.CURRENT_TITLE].status == RoadmapStatus.EXECUTION
    assert by_title[scenario.DRAFT_TITLE].status == RoadmapStatus.DRAFT
    assert by_title[scenario.DRAFT_TITLE].measures.count() == 6
    closed = by_title[scenario.CLOSED_TITLE]
    assert closed.status == RoadmapStatus.CLOSED
    assert set(statuses(ExecutionRecord.objects.filter(measure__roadmap=closed))) == {
        Status.DONE,
        Status.DONE_LATE,
        Status.PARTLY,
        Status.NOT_DONE,
    }
    assert closed.history.first().history_user.username == "coordinator"
    # The samples stay as imported.
    assert (
        not Roadmap.objects.filter(imports__isnull=False)
        .exclude(status=RoadmapStatus.DRAFT)
        .exists()
    )
