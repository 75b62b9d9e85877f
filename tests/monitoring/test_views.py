"""Monitoring pages through the test client: the coordinator sends a campaign, the deputy
answers it (a share from its counts), the coordinator returns it with a comment; values,
targets and exam results (entered in the browser or imported from .xlsx). Every refusal
is a Russian message, and nothing is written."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from core.timezones import today_in
from monitoring import services
from monitoring.constants import Exam, ResponseState, TargetLevel, school_year_of
from monitoring.models import (
    Campaign,
    CampaignResponse,
    ExamResult,
    IndicatorTarget,
    IndicatorValue,
)
from tests.monitoring.factories import indicator, subject

pytestmark = pytest.mark.django_db
YEAR = 2025
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def text(response) -> str:
    return response.content.decode()


def send_campaign(world, codes=("staff-training",), schools=None, year=YEAR):
    return services.campaign_create(
        owner=world.authority,
        title="Кадры 2025/2026",
        school_year=year,
        due_on=today_in(world.region) + datetime.timedelta(days=7),
        indicators=[indicator(code) for code in codes],
        schools=schools or [world.school, world.second_school],
        acting_user=world.user("municipal_coordinator"),
    )


def answer_of(campaign, school) -> CampaignResponse:
    return CampaignResponse.objects.get(campaign=campaign, school=school)


# --- The campaign form ----------------------------------------------------------------------


def campaign_data(world, **changes):
    today = today_in(world.region)
    data = {
        "title": "Кадры и безопасность",
        "owner": world.authority.pk,
        "school_year": school_year_of(today),
        "due_on": (today + datetime.timedelta(days=10)).isoformat(),
        "instructions": "Заполните до пятницы.",
        "indicators": [indicator("staff-training").pk, indicator("safe-offences").pk],
        "schools": [world.school.pk, world.second_school.pk],
    }
    data.update(changes)
    return data


def test_the_coordinator_sends_a_campaign_through_the_form(world, login):
    client = login(world.user("municipal_coordinator"))
    page = client.get(reverse("campaign_create"))
    assert page.status_code == 200
    body = text(page)
    assert "Новый мониторинг" in body
    assert world.school.short_name in body
    assert world.neighbour_school.short_name not in body  # outside the coordinator's reach

    response = client.post(reverse("campaign_create"), campaign_data(world))
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("campaign_detail", args=[campaign.pk])
    assert campaign.owner == world.authority
    assert set(campaign.indicators.values_list("code", flat=True)) == {
        "staff-training",
        "safe-offences",
    }
    assert set(campaign.responses.values_list("school_id", "state")) == {
        (world.school.pk, ResponseState.PENDING),
        (world.second_school.pk, ResponseState.PENDING),
    }
    detail = text(client.get(response["Location"]))
    assert "Мониторинг отправлен школам." in detail
    assert "0 из 2" in detail
    assert "ждём ответа" in detail


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"due_on": "2020-01-01"}, "Срок ответа уже прошёл"),
        ({"school_year": "1999"}, "Выберите корректный вариант"),
        ({"indicators": []}, "Обязательное поле"),
        ({"schools": []}, "Обязательное поле"),
        ({"title": ""}, "Обязательное поле"),
    ],
)
def test_a_bad_campaign_form_says_why_in_russian(world, login, changes, message):
    client = login(world.user("municipal_coordinator"))
    response = client.post(reverse("campaign_create"), campaign_data(world, **changes))
    assert response.status_code == 200
    assert message in text(response)
    assert not Campaign.objects.exists()
    assert not CampaignResponse.objects.exists()


def test_a_school_out_of_reach_cannot_be_forged_into_a_campaign(world, login):
    client = login(world.user("municipal_coordinator"))
    response = client.post(
        reverse("campaign_create"),
        campaign_data(world, schools=[world.school.pk, world.neighbour_school.pk]),
    )
    assert response.status_code == 200
    assert "Выберите корректный вариант" in text(response)
    assert not Campaign.objects.exists()


def test_a_school_deputy_may_not_send_campaigns(world, login):
    client = login(world.user("school_deputy"))
    response = client.get(reverse("campaign_create"))
    assert response.status_code == 403
    assert "Мониторинги проводят муниципальные координаторы" in text(response)
    response = client.post(reverse("campaign_create"), campaign_data(world))
    assert response.status_code == 403
    assert not Campaign.objects.exists()


# --- The school's answer --------------------------------------------------------------------


def test_the_deputy_answers_with_counts_and_the_share_is_computed(world, login):
    campaign = send_campaign(world, codes=("staff-training", "safe-offences"))
    answer = answer_of(campaign, world.school)
    training, offences = indicator("staff-training"), indicator("safe-offences")
    client = login(world.user("school_deputy"))

    listing = text(client.get(reverse("campaign_list")))
    assert "Ждут ответа вашей школы" in listing
    assert reverse("response_detail", args=[answer.pk]) in listing

    form = text(client.get(reverse("response_detail", args=[answer.pk])))
    assert "Педагогов повысили квалификацию" in form
    assert "Всего педагогов" in form
    assert f'name="n{training.pk}"' in form
    assert f'name="v{offences.pk}"' in form
    assert "Отправить значения" in form

    response = client.post(
        reverse("response_detail", args=[answer.pk]),
        {f"n{training.pk}": "18", f"d{training.pk}": "21", f"v{offences.pk}": "2"},
    )
    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.state == ResponseState.SUBMITTED
    assert answer.submitted_by == world.user("school_deputy")
    value = IndicatorValue.objects.get(indicator=training, organisation=world.school)
    assert value.value == Decimal("85.71")
    assert (value.numerator, value.denominator, value.school_year) == (18, 21, YEAR)
    assert value.campaign == campaign
    shown = text(client.get(response["Location"]))
    assert "Спасибо! Значения отправлены." in shown
    assert "85,71" in shown or "85.71" in shown
    assert "18 из 21" in shown
    assert "Отправить значения" not in shown  # sent: no form until it is returned


@pytest.mark.parametrize(
    ("codes", "entered", "message"),
    [
        (("fin-bonus",), {"v": "120"}, "Доля не может быть больше 100 %"),
        (("staff-training",), {"n": "25", "d": "21"}, "доля выше 100 % не бывает"),
        (("staff-training",), {"n": "-3", "d": "21"}, "больше либо равно 0"),
        (("staff-training",), {"n": "3", "d": ""}, "укажите оба числа"),
        (("staff-training",), {"n": "3", "d": "0"}, "не может быть нулём"),
        (("staff-vacancies",), {"v": "-2"}, "меньше допустимого"),
        (("staff-vacancies",), {"v": "две"}, "Введите число"),
        (("staff-training",), {}, "Заполните значение."),
    ],
)
def test_bad_answers_are_refused_in_russian_and_nothing_is_written(
    world, login, codes, entered, message
):
    campaign = send_campaign(world, codes=codes)
    answer = answer_of(campaign, world.school)
    [asked] = [indicator(code) for code in codes]
    data = {f"{prefix}{asked.pk}": value for prefix, value in entered.items()}
    response = login(world.user("school_deputy")).post(
        reverse("response_detail", args=[answer.pk]), data
    )
    assert response.status_code == 400
    body = text(response)
    assert "ничего не сохранено" in body
    assert message in body
    assert not IndicatorValue.objects.exists()
    answer.refresh_from_db()
    assert answer.state == ResponseState.PENDING


def test_the_answer_is_of_the_campaigns_school_year_whatever_the_address_says(world, login):
    campaign = send_campaign(world, year=YEAR)
    answer = answer_of(campaign, world.school)
    training = indicator("staff-training")
    url = reverse("response_detail", args=[answer.pk]) + "?year=2019&school_year=2019"
    response = login(world.user("school_deputy")).post(
        url, {f"n{training.pk}": "5", f"d{training.pk}": "10", "school_year": "2019"}
    )
    assert response.status_code == 302
    assert list(IndicatorValue.objects.values_list("school_year", flat=True)) == [YEAR]


def test_the_answer_of_another_school_cannot_be_reached_by_its_id(world, login):
    campaign = send_campaign(world)
    foreign = answer_of(campaign, world.second_school)
    training = indicator("staff-training")
    client = login(world.user("school_deputy"))
    assert client.get(reverse("response_detail", args=[foreign.pk])).status_code == 404
    response = client.post(
        reverse("response_detail", args=[foreign.pk]),
        {f"n{training.pk}": "5", f"d{training.pk}": "10"},
    )
    assert response.status_code == 404
    assert "Страница не найдена" in text(response) or "не найден" in text(response)
    assert not IndicatorValue.objects.exists()
    foreign.refresh_from_db()
    assert foreign.state == ResponseState.PENDING


def test_values_for_a_school_out_of_reach_are_refused(world, login):
    vacancies = indicator("staff-vacancies")
    client = login(world.user("school_deputy"))
    # A school of the same municipality: invisible to the deputy.
    url = reverse("school_values", args=[world.second_school.pk])
    assert client.post(url, {f"v{vacancies.pk}": "1"}).status_code == 404
    # The municipality's authority: visible (it runs the campaigns), but not the deputy's.
    response = client.post(
        reverse("school_values", args=[world.authority.pk]), {f"v{vacancies.pk}": "1"}
    )
    assert response.status_code in (403, 404)
    if response.status_code == 403:
        assert "Нет прав" in text(response)
    assert not IndicatorValue.objects.exists()


def test_a_sent_answer_cannot_be_sent_again(world, login):
    campaign = send_campaign(world)
    answer = answer_of(campaign, world.school)
    training = indicator("staff-training")
    client = login(world.user("school_deputy"))
    url = reverse("response_detail", args=[answer.pk])
    client.post(url, {f"n{training.pk}": "18", f"d{training.pk}": "21"})
    response = client.post(url, {f"n{training.pk}": "1", f"d{training.pk}": "21"})
    assert response.status_code == 400
    assert "Ответ уже отправлен" in text(response)
    assert IndicatorValue.objects.get().numerator == 18


def test_the_coordinator_returns_an_answer_and_the_deputy_sees_the_comment(world, login, client):
    campaign = send_campaign(world)
    answer = answer_of(campaign, world.school)
    training = indicator("staff-training")
    deputy, coordinator = world.user("school_deputy"), world.user("municipal_coordinator")
    client.force_login(deputy)
    client.post(
        reverse("response_detail", args=[answer.pk]),
        {f"n{training.pk}": "18", f"d{training.pk}": "21"},
    )

    # The deputy may not return the school's own answer.
    response = client.post(reverse("response_reopen", args=[answer.pk]), {"comment": "Сам"})
    assert response.status_code == 403
    assert "Вернуть ответ может тот, кто проводит мониторинг." in text(response)

    client.force_login(coordinator)
    detail = text(client.get(reverse("campaign_detail", args=[campaign.pk])))
    assert "1 из 2" in detail
    assert "отправлено" in detail
    assert "18 из 21" in detail
    assert "Вернуть на уточнение" in detail
    # Without a comment: refused, the answer stays sent.
    response = client.post(
        reverse("response_reopen", args=[answer.pk]), {"comment": "  "}, follow=True
    )
    assert "Напишите, что школе нужно уточнить." in text(response)
    answer.refresh_from_db()
    assert answer.state == ResponseState.SUBMITTED

    comment = "Проверьте число педагогов: в отчёте за сентябрь было 23."
    response = client.post(
        reverse("response_reopen", args=[answer.pk]), {"comment": comment}, follow=True
    )
    assert "Ответ возвращён школе на уточнение." in text(response)
    answer.refresh_from_db()
    assert answer.state == ResponseState.REOPENED
    assert answer.reopen_comment == comment

    client.force_login(deputy)
    page = text(client.get(reverse("response_detail", args=[answer.pk])))
    assert "Вернули на уточнение" in page
    assert comment in page
    assert "Отправить значения" in page
    assert 'value="18"' in page  # the values sent before stay in the form
    response = client.post(
        reverse("response_detail", args=[answer.pk]),
        {f"n{training.pk}": "18", f"d{training.pk}": "23"},
    )
    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.state == ResponseState.SUBMITTED
    value = IndicatorValue.objects.get()
    assert (value.denominator, value.value) == (23, Decimal("78.26"))


def test_a_closed_campaign_takes_no_answers(world, login, client):
    campaign = send_campaign(world)
    answer = answer_of(campaign, world.school)
    training = indicator("staff-training")
    client.force_login(world.user("school_deputy"))
    assert client.post(reverse("campaign_close", args=[campaign.pk])).status_code in (403, 404)
    client.force_login(world.user("municipal_coordinator"))
    response = client.post(reverse("campaign_close", args=[campaign.pk]), follow=True)
    assert "Мониторинг завершён: ответы больше не принимаются." in text(response)
    client.force_login(world.user("school_deputy"))
    page = text(client.get(reverse("response_detail", args=[answer.pk])))
    assert "Мониторинг завершён." in page
    assert "Отправить значения" not in page
    response = client.post(
        reverse("response_detail", args=[answer.pk]),
        {f"n{training.pk}": "1", f"d{training.pk}": "2"},
    )
    assert response.status_code == 400
    assert "ответы больше не принимаются" in text(response)
    assert not IndicatorValue.objects.exists()


# --- A school's values outside a campaign ------------------------------------------------------


def test_the_school_enters_its_values_of_a_year(world, login):
    training, vacancies = indicator("staff-training"), indicator("staff-vacancies")
    client = login(world.user("school_deputy"))
    url = reverse("school_values", args=[world.school.pk])
    assert "Значения показателей: МБОУ СОШ № 3" in text(client.get(url))
    response = client.post(
        f"{url}?year={YEAR}",
        {f"n{training.pk}": "9", f"d{training.pk}": "12", f"v{vacancies.pk}": "1"},
    )
    assert response.status_code == 302
    assert "Значения за 2025/2026 учебный год сохранены." in text(client.get(response["Location"]))
    assert dict(IndicatorValue.objects.values_list("indicator__code", "value")) == {
        "staff-training": Decimal("75.00"),
        "staff-vacancies": Decimal("1.00"),
    }
    response = client.post(f"{url}?year={YEAR}", {f"n{training.pk}": "13", f"d{training.pk}": "12"})
    assert response.status_code == 400
    assert "доля выше 100 % не бывает" in text(response)
    assert IndicatorValue.objects.get(indicator=training).numerator == 9


# --- Targets ------------------------------------------------------------------------------


def test_the_coordinator_sets_municipal_targets(world, login):
    training, vacancies = indicator("staff-training"), indicator("staff-vacancies")
    client = login(world.user("municipal_coordinator"))
    url = reverse("targets_municipality", args=[world.municipality.pk])
    page = text(client.get(f"{url}?year={YEAR}"))
    assert "Целевые значения: Новокубанский район" in page
    assert "чем больше, тем лучше" in page

    response = client.post(
        f"{url}?year={YEAR}", {f"t{training.pk}": "140", f"t{vacancies.pk}": "2"}
    )
    assert response.status_code == 400
    assert "Доля не может быть больше 100 %" in text(response)
    assert not IndicatorTarget.objects.exists()

    response = client.post(f"{url}?year={YEAR}", {f"t{vacancies.pk}": "-1"})
    assert response.status_code == 400
    assert "меньше допустимого" in text(response)
    assert not IndicatorTarget.objects.exists()

    response = client.post(f"{url}?year={YEAR}", {f"t{training.pk}": "90,5"})
    assert response.status_code == 302
    target = IndicatorTarget.objects.get()
    assert (target.level, target.school_year, target.value) == (
        TargetLevel.MUNICIPALITY,
        YEAR,
        Decimal("90.5"),
    )
    assert "Целевые значения на 2025/2026 сохранены." in text(client.get(response["Location"]))


def test_targets_of_a_school_and_who_may_set_them(world, login, client):
    training = indicator("staff-training")
    client.force_login(world.user("municipal_coordinator"))
    url = reverse("targets_school", args=[world.school.pk])
    assert client.post(f"{url}?year={YEAR}", {f"t{training.pk}": "80"}).status_code == 302
    assert IndicatorTarget.objects.get().organisation == world.school
    # Not a school: refused.
    assert client.get(reverse("targets_school", args=[world.authority.pk])).status_code == 403
    # The neighbour's coordinator does not see the school at all.
    client.force_login(world.user("neighbour_coordinator"))
    assert client.post(f"{url}?year={YEAR}", {f"t{training.pk}": "10"}).status_code == 404
    # The deputy sees the municipal targets, without a form.
    client.force_login(world.user("school_deputy"))
    municipal = reverse("targets_municipality", args=[world.municipality.pk])
    response = client.post(f"{municipal}?year={YEAR}", {f"t{training.pk}": "10"})
    assert response.status_code in (403, 404)
    assert IndicatorTarget.objects.get().value == Decimal(80)


# --- Exam results ---------------------------------------------------------------------------


def exam_row(pk, participants="20", not_passed="1", low="6", mid="8", high="5", average="67,5"):
    return {
        f"s{pk}_participants": participants,
        f"s{pk}_not_passed": not_passed,
        f"s{pk}_band_low": low,
        f"s{pk}_band_mid": mid,
        f"s{pk}_band_high": high,
        f"s{pk}_average": average,
        f"s{pk}_high_scorers": "4",
    }


def test_exam_results_entered_in_the_browser(world, login):
    russian = subject("Русский язык")
    client = login(world.user("school_deputy"))
    url = reverse("exam_results", args=[world.school.pk]) + f"?exam=ege&year={YEAR}"
    page = text(client.get(url))
    assert "Итоги ЕГЭ 2025" in page
    assert "Русский язык" in page
    assert "81–100 баллов" in page

    response = client.post(url, exam_row(russian.pk))
    assert response.status_code == 302
    result = ExamResult.objects.get()
    assert (result.exam, result.subject, result.year) == (Exam.EGE, russian, YEAR)
    assert (result.participants, result.average, result.high_scorers) == (20, Decimal("67.50"), 4)
    assert "Результаты ЕГЭ 2025 сохранены." in text(client.get(response["Location"]))


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"participants": "10"}, "Ничего не сохранено"),  # 1 + 6 + 8 + 5 is not 10
        ({"average": "101"}, "меньше либо равно 100"),
        ({"participants": "", "average": "60"}, "укажите число участников"),
        ({"not_passed": "-1"}, "больше либо равно 0"),
    ],
)
def test_bad_exam_rows_are_refused_and_nothing_is_written(world, login, row, message):
    russian, physics = subject("Русский язык"), subject("Физика")
    client = login(world.user("school_deputy"))
    url = reverse("exam_results", args=[world.school.pk]) + f"?exam=ege&year={YEAR}"
    data = {**exam_row(physics.pk), **exam_row(russian.pk, **row)}
    response = client.post(url, data)
    assert response.status_code == 400
    assert message in text(response)
    assert not ExamResult.objects.exists()


def test_exam_results_of_a_school_out_of_reach_are_refused(world, login):
    russian = subject("Русский язык")
    client = login(world.user("school_deputy"))
    url = reverse("exam_results", args=[world.second_school.pk]) + f"?exam=ege&year={YEAR}"
    assert client.post(url, exam_row(russian.pk)).status_code == 404
    assert not ExamResult.objects.exists()


def filled_template(client, rows, keep_hints=False) -> bytes:
    import openpyxl

    download = client.get(reverse("exam_template"))
    assert download.status_code == 200
    assert download["Content-Type"] == XLSX
    assert "attachment" in download["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(download.content))
    sheet = book["Результаты"]
    assert [cell.value for cell in sheet[1]][:4] == ["Экзамен", "Предмет", "Год", "Участников"]
    if not keep_hints:
        sheet.delete_rows(2)  # «её можно оставить или удалить» (the sheet «Как заполнять»)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client, school, data: bytes, name="results.xlsx", follow=False):
    return client.post(
        reverse("exam_import", args=[school.pk]),
        {"file": _file(name, data)},
        follow=follow,
    )


def _file(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type=XLSX)


def test_exam_results_imported_from_the_template(world, login):
    client = login(world.user("school_deputy"))
    data = filled_template(
        client,
        [
            ["ЕГЭ", "Русский язык", 2025, 20, 1, 6, 8, 5, 67.5, 4],
            ["ОГЭ", "Математика", 2025, 30, 2, 10, 12, 6, "3,7", None],
        ],
    )
    response = upload(client, world.school, data, follow=True)
    assert "Загружено строк: 2." in text(response)
    assert set(ExamResult.objects.values_list("exam", "subject__name", "year", "average")) == {
        (Exam.EGE, "Русский язык", 2025, Decimal("67.50")),
        (Exam.OGE, "Математика", 2025, Decimal("3.70")),
    }
    assert set(ExamResult.objects.values_list("organisation", flat=True)) == {world.school.pk}


def test_the_template_is_accepted_with_its_hint_line_kept(world, login):
    client = login(world.user("school_deputy"))
    data = filled_template(
        client, [["ЕГЭ", "Русский язык", 2025, 20, 1, 6, 8, 5, 67.5, 4]], keep_hints=True
    )
    response = upload(client, world.school, data, follow=True)
    assert "Загружено строк: 1." in text(response)
    assert ExamResult.objects.count() == 1


def test_an_exam_file_with_unknown_subjects_is_refused_and_lists_them(world, login):
    client = login(world.user("school_deputy"))
    data = filled_template(
        client,
        [
            ["ЕГЭ", "Русский язык", 2025, 20, 1, 6, 8, 5, 67.5, 4],
            ["ЕГЭ", "Астрология", 2025, 10, 0, 5, 5, 0, 55, 0],
            ["ЕГЭ", "Основы магии", 2025, 10, 0, 5, 5, 0, 55, 0],
        ],
    )
    response = upload(client, world.school, data)
    assert response.status_code == 400
    body = text(response)
    assert "Файл не загружен" in body
    assert "Ничего не сохранено" in body
    assert "Строка 3: предмет «Астрология» не найден в перечне предметов" in body
    assert "Строка 4: предмет «Основы магии» не найден" in body
    assert not ExamResult.objects.exists()


def test_a_file_that_is_not_xlsx_is_refused(world, login):
    client = login(world.user("school_deputy"))
    response = upload(client, world.school, b"%PDF-1.4 not a workbook", name="results.pdf")
    assert response.status_code == 400
    assert "Это не файл .xlsx" in text(response)
    response = upload(client, world.school, b"", name="empty.xlsx", follow=True)
    assert "Отправленный файл пуст" in text(response)
    assert not ExamResult.objects.exists()


def test_an_exam_file_for_a_school_out_of_reach_is_refused(world, login):
    client = login(world.user("school_deputy"))
    data = filled_template(client, [["ЕГЭ", "Русский язык", 2025, 20, 1, 6, 8, 5, 67.5, 4]])
    assert upload(client, world.second_school, data).status_code == 404
    assert not ExamResult.objects.exists()
