"""Monitoring services: values (shares from counts, ranges), targets, campaigns and their
answers, exam results — every refusal in Russian, nothing written."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.timezones import today_in
from monitoring import services
from monitoring.constants import Exam, ResponseState, TargetLevel
from monitoring.models import CampaignResponse, ExamResult, IndicatorTarget, IndicatorValue
from monitoring.services import Entry, ResultRow
from tests.monitoring.factories import ege_figures, indicator, subject

pytestmark = pytest.mark.django_db
YEAR = 2025


def test_the_default_catalogue_holds_the_five_tables():
    from monitoring.models import Indicator

    categories = set(
        Indicator.objects.filter(owner__isnull=True).values_list("category", flat=True)
    )
    assert categories == {"financial", "staff", "methodical", "teaching", "safety"}
    assert Indicator.objects.filter(owner__isnull=True, is_share=True).count() >= 10


def test_a_share_is_computed_from_its_counts(world):
    [value] = services.indicator_values_report(
        organisation=world.school,
        school_year=YEAR,
        entries=[Entry(indicator("staff-training"), numerator=18, denominator=21)],
        acting_user=world.user("school_deputy"),
    )
    assert value.value == Decimal("85.71")
    assert (value.numerator, value.denominator) == (18, 21)
    assert value.reported_by == world.user("school_deputy")
    assert value.reported_at is not None
    assert value.history.count() == 1


def test_a_second_report_updates_the_same_row(world):
    deputy = world.user("school_deputy")
    entries = [Entry(indicator("staff-vacancies"), value=Decimal(3))]
    [first] = services.indicator_values_report(
        organisation=world.school, school_year=YEAR, entries=entries, acting_user=deputy
    )
    entries = [Entry(indicator("staff-vacancies"), value=Decimal(1))]
    [second] = services.indicator_values_report(
        organisation=world.school, school_year=YEAR, entries=entries, acting_user=deputy
    )
    assert first.pk == second.pk
    assert second.value == 1


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (lambda: Entry(indicator("fin-bonus"), value=Decimal("120")), "больше 100 %"),
        (lambda: Entry(indicator("staff-training"), numerator=25, denominator=21), "больше, чем"),
        (lambda: Entry(indicator("staff-training"), numerator=-1, denominator=21), "отрицательным"),
        (lambda: Entry(indicator("staff-training"), numerator=3), "оба числа"),
        (lambda: Entry(indicator("staff-vacancies"), value=Decimal("-2")), "меньше допустимого"),
        (lambda: Entry(indicator("edu-ege-russian"), value=Decimal("101")), "больше допустимого"),
    ],
)
def test_bad_values_are_refused_in_russian_and_nothing_is_written(world, entry, message):
    with pytest.raises(ValidationError) as error:
        services.indicator_values_report(
            organisation=world.school,
            school_year=YEAR,
            entries=[Entry(indicator("staff-young"), numerator=3, denominator=21), entry()],
            acting_user=world.user("school_deputy"),
        )
    assert message in " ".join(error.value.messages)
    assert not IndicatorValue.objects.exists()


def test_values_for_a_school_out_of_reach_are_refused(world):
    with pytest.raises(PermissionDenied):
        services.indicator_values_report(
            organisation=world.second_school,
            school_year=YEAR,
            entries=[Entry(indicator("staff-vacancies"), value=Decimal(1))],
            acting_user=world.user("school_deputy"),
        )
    assert not IndicatorValue.objects.exists()


def test_targets_are_set_updated_and_cleared(world):
    coordinator = world.user("municipal_coordinator")
    vacancies, training = indicator("staff-vacancies"), indicator("staff-training")
    services.targets_set(
        level=TargetLevel.MUNICIPALITY,
        municipality=world.municipality,
        school_year=YEAR,
        values={vacancies: Decimal(2), training: Decimal(90)},
        acting_user=coordinator,
    )
    services.targets_set(
        level=TargetLevel.MUNICIPALITY,
        municipality=world.municipality,
        school_year=YEAR,
        values={vacancies: None, training: Decimal(95)},
        acting_user=coordinator,
    )
    assert dict(IndicatorTarget.objects.values_list("indicator__code", "value")) == {
        "staff-training": Decimal(95)
    }
    with pytest.raises(ValidationError, match="100 %"):
        services.targets_set(
            level=TargetLevel.SCHOOL,
            organisation=world.school,
            school_year=YEAR,
            values={training: Decimal(140)},
            acting_user=coordinator,
        )


def test_a_deputy_cannot_set_targets(world):
    with pytest.raises(PermissionDenied):
        services.targets_set(
            level=TargetLevel.SCHOOL,
            organisation=world.school,
            school_year=YEAR,
            values={indicator("staff-training"): Decimal(90)},
            acting_user=world.user("school_deputy"),
        )
    assert not IndicatorTarget.objects.exists()


def _campaign(world, **kwargs):
    return services.campaign_create(
        owner=world.authority,
        title="Мониторинг кадровых показателей",
        school_year=YEAR,
        due_on=today_in(world.region) + datetime.timedelta(days=7),
        indicators=[indicator("staff-training"), indicator("staff-vacancies")],
        schools=[world.school, world.second_school],
        acting_user=world.user("municipal_coordinator"),
        **kwargs,
    )


def test_a_campaign_asks_each_school_and_tells_its_people(world):
    from notifications.models import Notification

    campaign = _campaign(world)
    assert campaign.responses.count() == 2
    assert set(campaign.responses.values_list("state", flat=True)) == {ResponseState.PENDING}
    told = set(Notification.objects.values_list("person__username", flat=True))
    assert {"deputy", "director"} <= told


def test_a_school_answers_and_the_coordinator_reopens(world):
    campaign = _campaign(world)
    response = CampaignResponse.objects.get(campaign=campaign, school=world.school)
    deputy = world.user("school_deputy")
    with pytest.raises(ValidationError) as missing:
        services.campaign_response_submit(
            response=response,
            entries=[Entry(indicator("staff-training"), numerator=18, denominator=21)],
            acting_user=deputy,
        )
    assert "Заполните значение." in missing.value.messages
    entries = [
        Entry(indicator("staff-training"), numerator=18, denominator=21),
        Entry(indicator("staff-vacancies"), value=Decimal(2)),
    ]
    services.campaign_response_submit(response=response, entries=entries, acting_user=deputy)
    response.refresh_from_db()
    assert response.state == ResponseState.SUBMITTED
    assert IndicatorValue.objects.filter(campaign=campaign, school_year=YEAR).count() == 2
    with pytest.raises(ValidationError, match="уже отправлен"):
        services.campaign_response_submit(response=response, entries=entries, acting_user=deputy)
    with pytest.raises(PermissionDenied):
        services.campaign_response_reopen(
            response=response, comment="Проверьте", acting_user=deputy
        )
    services.campaign_response_reopen(
        response=response,
        comment="Педагогов 22, а не 21",
        acting_user=world.user("municipal_coordinator"),
    )
    response.refresh_from_db()
    assert response.state == ResponseState.REOPENED
    entries[0] = Entry(indicator("staff-training"), numerator=18, denominator=22)
    services.campaign_response_submit(response=response, entries=entries, acting_user=deputy)
    assert IndicatorValue.objects.get(indicator__code="staff-training").value == Decimal("81.82")


def test_a_campaign_refuses_an_indicator_it_does_not_ask_for(world):
    campaign = _campaign(world)
    response = CampaignResponse.objects.get(campaign=campaign, school=world.school)
    with pytest.raises(ValidationError, match="не спрашивает"):
        services.campaign_response_submit(
            response=response,
            entries=[
                Entry(indicator("staff-training"), numerator=1, denominator=2),
                Entry(indicator("staff-vacancies"), value=Decimal(2)),
                Entry(indicator("safe-offences"), value=Decimal(0)),
            ],
            acting_user=world.user("school_deputy"),
        )
    assert not IndicatorValue.objects.exists()


def test_a_campaign_for_a_school_out_of_reach_is_refused(world):
    with pytest.raises(PermissionDenied):
        services.campaign_create(
            owner=world.authority,
            title="Чужая школа",
            school_year=YEAR,
            due_on=today_in(world.region),
            indicators=[indicator("staff-training")],
            schools=[world.neighbour_school],
            acting_user=world.user("municipal_coordinator"),
        )
    assert not CampaignResponse.objects.exists()


def _row(exam=Exam.EGE, name="Русский язык", year=YEAR, **figures):
    return ResultRow(exam, subject(name), year, {**ege_figures(), **figures}, name)


def test_exam_results_are_saved_and_updated_in_place(world):
    deputy = world.user("school_deputy")
    [first] = services.exam_results_save(
        organisation=world.school, rows=[_row()], acting_user=deputy
    )
    [second] = services.exam_results_save(
        organisation=world.school, rows=[_row(average=Decimal("70.1"))], acting_user=deputy
    )
    assert first.pk == second.pk
    assert second.average == Decimal("70.10")


@pytest.mark.parametrize(
    ("figures", "message"),
    [
        ({"not_passed": 30}, "больше, чем участников"),
        ({"band_low": 1}, "дают"),
        ({"band_mid": None}, "все три группы"),
        ({"average": Decimal("120")}, "от 0 до 100"),
        ({"high_scorers": 40}, "80 баллов и выше"),
    ],
)
def test_exam_figures_that_do_not_add_up_are_refused(world, figures, message):
    with pytest.raises(ValidationError) as error:
        services.exam_results_save(
            organisation=world.school,
            rows=[_row(name="Физика"), _row(**figures)],
            acting_user=world.user("school_deputy"),
        )
    assert message in " ".join(error.value.messages)
    assert not ExamResult.objects.exists()


def test_oge_has_marks_and_no_high_scorers(world):
    with pytest.raises(ValidationError, match="только для ЕГЭ"):
        services.exam_results_save(
            organisation=world.school,
            rows=[_row(exam=Exam.OGE, name="Математика", average=Decimal("3.9"))],
            acting_user=world.user("school_deputy"),
        )
    services.exam_results_save(
        organisation=world.school,
        rows=[_row(exam=Exam.OGE, name="Математика", average=Decimal("3.9"), high_scorers=None)],
        acting_user=world.user("school_deputy"),
    )
