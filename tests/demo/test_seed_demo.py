"""The demo world: idempotent, a user for every role, each seeing only its own tenant;
execution in use — the demo people find their work at every stage, done by them through
the services —, plans in every state of agreement and approval, and seeding again changes
nothing."""

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
from execution.services import AGREEMENT_REASON
from execution.status import RecordFacts, Status, due_this_week, status
from roadmaps import compare
from roadmaps.constants import ConcurrenceStatus, PlanEventKind, RoadmapStatus
from roadmaps.models import Measure, PlanConcurrence, PlanEvent, PublicLink, Roadmap, Section
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
        "plan events": PlanEvent.objects.count(),
        "concurrences": PlanConcurrence.objects.count(),
        "concurrence history": PlanConcurrence.history.count(),
        "public links": PublicLink.objects.count(),
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
    return Roadmap.objects.get(title__startswith=scenario.CURRENT_TITLE, revision=1)


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
    # The coordinator who recorded a signed partnership agreement marks its schools'
    # «sign the agreements» records; every other mark is a school's or its curator's.
    by_agreement = set(
        ExecutionRecord.history.filter(history_change_reason=AGREEMENT_REASON).values_list(
            "id", flat=True
        )
    )
    assert {r.marked_by.username for r in marked if r.pk not in by_agreement} == {
        "deputy",
        "director",
        "deputy5",
        "deputy8",
        "deputy12",
        "methodologist",
    }
    assert {r.marked_by.username for r in marked if r.pk in by_agreement} <= {"coordinator"}
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
        title: Roadmap.objects.get(title__startswith=title, revision=1)
        for title in (scenario.CLOSED_TITLE, scenario.CURRENT_TITLE, scenario.CENTRE_TITLE)
    }
    assert by_title[scenario.CURRENT_TITLE].status == RoadmapStatus.EXECUTION
    assert by_title[scenario.CENTRE_TITLE].status == RoadmapStatus.APPROVED
    assert by_title[scenario.CENTRE_TITLE].measures.count() == 6
    closed = by_title[scenario.CLOSED_TITLE]
    assert closed.status == RoadmapStatus.CLOSED
    assert set(statuses(ExecutionRecord.objects.filter(measure__roadmap=closed))) == {
        Status.DONE,
        Status.DONE_LATE,
        Status.PARTLY,
        Status.NOT_DONE,
    }
    assert closed.history.first().history_user.username == "coordinator"
    # The samples stay as imported (the authority's model plan for schools is a template).
    assert (
        not Roadmap.objects.filter(imports__isnull=False)
        .exclude(status=RoadmapStatus.DRAFT)
        .exists()
    )


# --- Agreement and approval --------------------------------------------------------------


def timeline(plan: Roadmap) -> list[tuple[str, str, str]]:
    """(kind, who, for which organisation) of the plan's events, in order."""
    return [
        (
            event.kind,
            event.actor.username,
            event.organisation.short_name if event.organisation else "",
        )
        for event in PlanEvent.objects.filter(roadmap=plan).select_related("actor", "organisation")
    ]


def started_at(plan: Roadmap) -> datetime.datetime:
    return plan.history.filter(status=RoadmapStatus.EXECUTION).earliest("history_date").history_date


def school_plan(school: str) -> Roadmap:
    return Roadmap.objects.get(owner__short_name=school, template__isnull=False)


def page(client, username: str, plan: Roadmap) -> str:
    client.force_login(User.objects.get(username=username))
    response = client.get(reverse("roadmap_detail", args=[plan.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_there_are_plans_in_every_state(demo):
    states = set(Roadmap.objects.values_list("status", flat=True))
    assert {
        RoadmapStatus.DRAFT,
        RoadmapStatus.CONCURRENCE,
        RoadmapStatus.APPROVED,
        RoadmapStatus.EXECUTION,
        RoadmapStatus.CLOSED,
    } <= states


@pytest.mark.parametrize("title", [scenario.CURRENT_TITLE, scenario.CLOSED_TITLE])
def test_the_municipal_plans_were_agreed_and_approved_before_execution(demo, title):
    plan = Roadmap.objects.get(title__startswith=title, revision=1)
    authority, centre = scenario.OWNER, scenario.CENTRE
    assert timeline(plan)[:3] == [
        (PlanEventKind.SUBMITTED, "coordinator", ""),
        (PlanEventKind.AGREED, "head", centre),
        (PlanEventKind.APPROVED, "chief", ""),
    ]
    events = list(PlanEvent.objects.filter(roadmap=plan))
    assert plan.created_at < events[0].at < events[1].at < events[2].at < started_at(plan)
    assert plan.approved_by.username == "chief"
    assert plan.approval_date == timezone.localtime(plan.approved_at).date()
    assert plan.approval_date < timezone.localtime(started_at(plan)).date()
    assert plan.approval_order.startswith(f"приказ от {plan.approval_date:%d.%m.%Y} № 01-13/")
    assert plan.approval_name == plan.approved_by.get_short_name()
    assert plan.approval_organisation == Organisation.objects.get(short_name=authority).full_name
    party = PlanConcurrence.objects.get(roadmap=plan, requested=True)
    assert (party.organisation.short_name, party.status) == (centre, ConcurrenceStatus.AGREED)
    # The marks came after the start.
    first_mark = (
        ExecutionRecord.history.filter(
            measure__roadmap=plan, history_type="~", history_user__isnull=False
        )
        .earliest("history_date")
        .history_date
    )
    assert started_at(plan) < first_mark


def test_last_years_plan_was_closed_through_the_workflow(demo):
    plan = Roadmap.objects.get(title__startswith=scenario.CLOSED_TITLE)
    kind, who, _ = timeline(plan)[-1]
    assert (kind, who) == (PlanEventKind.CLOSED, "coordinator")
    assert PlanEvent.objects.filter(roadmap=plan).last().comment


def test_the_school_plan_waits_for_the_authority(demo, client):
    plan = school_plan(scenario.S3)
    assert plan.status == RoadmapStatus.CONCURRENCE
    assert plan.submitted_by.username == "deputy"
    answers = {
        row.organisation.short_name: row.status
        for row in PlanConcurrence.objects.filter(roadmap=plan, requested=True)
    }
    assert answers == {
        scenario.CENTRE: ConcurrenceStatus.AGREED,
        scenario.OWNER: ConcurrenceStatus.PENDING,
    }
    for username in ("coordinator", "chief"):
        assert f"Ваше решение от имени {scenario.OWNER}" in page(client, username, plan)
    assert "Ваше решение от имени" not in page(client, "head", plan)
    assert "Ваше решение от имени" not in page(client, "deputy", plan)


def test_a_school_plan_was_returned_with_remarks_and_is_a_draft_again(demo, client):
    plan = school_plan(scenario.S5)
    assert plan.status == RoadmapStatus.DRAFT
    assert timeline(plan) == [
        (PlanEventKind.SUBMITTED, "deputy5", ""),
        (PlanEventKind.AGREED, "head", scenario.CENTRE),
        (PlanEventKind.RETURNED, "coordinator", scenario.OWNER),
    ]
    remark = PlanEvent.objects.get(roadmap=plan, kind=PlanEventKind.RETURNED).comment
    assert "Пробный ОГЭ по математике" in remark
    text = page(client, "deputy5", plan)
    assert "Возвращено с замечаниями" in text
    assert "Пробный ОГЭ по математике" in text
    assert "Отправить на согласование" in text


def test_the_other_schools_have_the_model_plan_to_fill_in(demo):
    template = Roadmap.objects.get(title__startswith=scenario.TEMPLATE_TITLE, is_template=True)
    assert set(template.copies.values_list("owner__short_name", flat=True)) == set(scenario.SCHOOLS)
    for school in (scenario.S8, scenario.S12):
        plan = school_plan(school)
        assert plan.status == RoadmapStatus.DRAFT
        assert not PlanEvent.objects.filter(roadmap=plan).exists()


def test_the_centre_plan_is_approved_and_published_before_its_year(demo, client):
    plan = Roadmap.objects.get(title__startswith=scenario.CENTRE_TITLE)
    assert plan.status == RoadmapStatus.APPROVED
    assert [kind for kind, _, _ in timeline(plan)] == [
        PlanEventKind.SUBMITTED,
        PlanEventKind.AGREED,
        PlanEventKind.APPROVED,
        PlanEventKind.PUBLISHED,
    ]
    assert plan.approved_by.username == "head"
    assert today() < plan.period_start
    assert not ExecutionRecord.objects.filter(measure__roadmap=plan).exists()
    link = PublicLink.objects.get(roadmap=plan, withdrawn_at__isnull=True)
    client.logout()
    public = client.get(reverse("public_roadmap", args=[link.token]))
    assert public.status_code == 200
    assert "Выездные консультации методистов" in public.content.decode()


def test_the_correction_differs_by_one_added_measure_and_one_deadline(demo, client):
    plan = current_plan()
    revision = Roadmap.objects.get(previous_revision=plan)
    assert (revision.revision, revision.status) == (2, RoadmapStatus.DRAFT)
    comparison = compare.compare_revisions(plan, revision)
    assert comparison.summary == "добавлено 1, изменено 1"
    changed = next(c for c in comparison.changes if "changed" in c.kinds)
    assert [label for label, _, _ in changed.fields] == ["Сроки"]
    client.force_login(User.objects.get(username="coordinator"))
    text = client.get(reverse("roadmap_compare", args=[revision.pk])).content.decode()
    assert "добавлено 1" in text
    assert "Совещание при начальнике управления образования" in text


def test_the_network_plan_stays_a_draft_for_the_checker_to_send(demo, client):
    plan = Roadmap.objects.get(owner__short_name=scenario.CENTRE, imports__isnull=False)
    assert plan.status == RoadmapStatus.DRAFT
    assert not PlanEvent.objects.filter(roadmap=plan).exists()
    assert not PlanConcurrence.objects.filter(roadmap=plan, requested=True).exists()
    partner = User.objects.get(username="partner")
    assert Roadmap.objects.for_user(partner, "roadmaps.agree_roadmap").filter(pk=plan.pk).exists()
    assert "Отправить на согласование" in page(client, "coordinator", plan)
    form = client.get(reverse("roadmap_submit", args=[plan.pk])).content.decode()
    for centre in ("МКУ «ЦРО и ОК»", "МКУ ДПО «ЦРО»", "МКУ «Организационно-методический центр РО»"):
        assert centre in form


def test_the_demo_has_monitoring_values_exams_and_campaigns(demo):
    from monitoring.constants import Exam, ResponseState, TargetLevel, school_year_of
    from monitoring.models import (
        Campaign,
        CampaignResponse,
        ExamResult,
        Indicator,
        IndicatorTarget,
        IndicatorValue,
    )

    owner = Organisation.objects.get(short_name=scenario.OWNER)
    day = reference_day(owner)
    current = school_year_of(day)
    catalogue = Indicator.objects.filter(owner__isnull=True).count()
    for short in scenario.SCHOOLS:
        for year in range(current - 3, current):
            values = IndicatorValue.objects.filter(organisation__short_name=short, school_year=year)
            assert values.count() == catalogue, (short, year)
        # Shares are computed from their counts.
        share = IndicatorValue.objects.filter(
            organisation__short_name=short, indicator__is_share=True
        ).first()
        assert share.numerator <= share.denominator
        assert {
            year
            for year in ExamResult.objects.filter(organisation__short_name=short).values_list(
                "year", flat=True
            )
        } == {day.year - n - (0 if day.month >= 7 else 1) for n in range(3)}
    assert set(ExamResult.objects.values_list("exam", flat=True)) == set(Exam.values)
    assert IndicatorTarget.objects.filter(
        level=TargetLevel.MUNICIPALITY, school_year=current
    ).exists()
    assert IndicatorTarget.objects.filter(
        level=TargetLevel.SCHOOL, school_year=current, organisation__short_name=scenario.S3
    ).exists()

    campaign = Campaign.objects.get(owner=owner, school_year=current, closed_at__isnull=True)
    assert campaign.created_by.username == "coordinator"
    assert 0 < (campaign.due_on - day).days <= 7
    states = dict(campaign.responses.values_list("school__short_name", "state"))
    assert states[scenario.S3] == ResponseState.PENDING  # the deputy answers in the browser
    assert states[scenario.S5] == states[scenario.S8] == ResponseState.SUBMITTED
    reopened = CampaignResponse.objects.get(campaign=campaign, school__short_name=scenario.S12)
    assert reopened.state == ResponseState.REOPENED
    assert reopened.reopen_comment
    closed = Campaign.objects.get(owner=owner, school_year=current - 1)
    assert closed.closed_at is not None
    assert closed.responses.filter(state=ResponseState.SUBMITTED).count() == 4
