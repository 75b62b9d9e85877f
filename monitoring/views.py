"""Monitoring pages: campaigns (the coordinator's list, form and answers; a school's one
form, which fits a phone), a school's values, targets of a school, a municipality or a
plan, exam results (the table of one exam and year, the .xlsx import and its template),
the catalogue. Views parse, call one service, render; objects come through the access
model (missing and foreign: 404; visible without the verb: 403)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from core.params import int_param
from core.timezones import today_in
from roadmaps.models import Roadmap
from schools.access import get_object_for_user, has_verb, member_organisations
from schools.constants import OrganisationKind
from schools.models import Municipality, Organisation

from . import selectors, services
from .constants import (
    EXAM_BANDS,
    FIRST_YEAR,
    LAST_YEAR,
    Exam,
    TargetLevel,
    school_year_label,
    school_year_of,
)
from .forms import (
    CampaignForm,
    ExamFileForm,
    ExamTableForm,
    TargetsForm,
    ValuesForm,
    exam_subjects,
    year_choices,
)
from .models import Campaign, CampaignResponse

REPORT = services.REPORT
TARGETS = services.TARGETS
CAMPAIGNS = services.CAMPAIGNS
EXAMS = services.EXAMS
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _year(request, default: int) -> int:
    return int_param(request.GET.get("year"), min=FIRST_YEAR, max=LAST_YEAR) or default


def _current_year(organisation) -> int:
    return school_year_of(today_in(organisation.region))


def _posted(request):
    """The submitted data of a POST (bound even when every field is empty), else None."""
    return request.POST if request.method == "POST" else None


def _forbid_unless(user, model, pk, verb) -> None:
    """403 unless the person holds ``verb`` over this object (it is visible already)."""
    get_object_for_user(model, user, pk, verb)


# --- Catalogue -----------------------------------------------------------------------------


@login_required
def indicator_list(request):
    return render(
        request, "monitoring/indicator_list.html", {"indicators": selectors.catalogue(request.user)}
    )


# --- Campaigns -----------------------------------------------------------------------------


@login_required
def campaign_list(request):
    return render(
        request, "monitoring/campaign_list.html", {"page": selectors.campaign_list(request.user)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_create(request):
    if not has_verb(request.user, "monitoring.add_campaign"):
        raise PermissionDenied("Мониторинги проводят муниципальные координаторы и методисты.")
    owners = member_organisations(request.user, "monitoring.add_campaign")
    home = Organisation.objects.for_user(request.user, "view").filter(pk__in=owners).first()
    region = home.region if home else None
    today = today_in(region) if region else today_in("Europe/Moscow")
    form = CampaignForm(
        _posted(request),
        user=request.user,
        today=today,
        current_year=school_year_of(today),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = services.campaign_create(
                owner=data["owner"],
                title=data["title"],
                school_year=data["school_year"],
                due_on=data["due_on"],
                indicators=list(data["indicators"]),
                schools=list(data["schools"]),
                instructions=data["instructions"],
                acting_user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Мониторинг отправлен школам.")
            return redirect("campaign_detail", pk=campaign.pk)
    return render(request, "monitoring/campaign_form.html", {"form": form})


@login_required
def campaign_detail(request, pk: int):
    campaign = get_object_for_user(Campaign, request.user, pk, select_related=("owner",))
    may_manage = Campaign.objects.for_user(request.user, CAMPAIGNS).filter(pk=campaign.pk).exists()
    return render(
        request,
        "monitoring/campaign_detail.html",
        {"page": selectors.campaign_detail(request.user, campaign), "may_manage": may_manage},
    )


@login_required
@require_POST
def campaign_close(request, pk: int):
    campaign = get_object_for_user(Campaign, request.user, pk, CAMPAIGNS)
    services.campaign_close(campaign=campaign, acting_user=request.user)
    messages.success(request, "Мониторинг завершён: ответы больше не принимаются.")
    return redirect("campaign_detail", pk=campaign.pk)


@login_required
@require_http_methods(["GET", "POST"])
def response_detail(request, pk: int):
    """A school's answer: the form while it is open (the school), the values once sent."""
    response = get_object_for_user(
        CampaignResponse, request.user, pk, select_related=("campaign__owner", "school__region")
    )
    campaign = response.campaign
    may_answer = (
        Organisation.objects.for_user(request.user, REPORT).filter(pk=response.school_id).exists()
    )
    if request.method == "POST" and not may_answer:
        raise PermissionDenied("Отвечает на мониторинг школа (заместитель директора или директор).")
    indicators = list(campaign.indicators.order_by("category", "order", "name"))
    current = selectors.current_values(response.school, campaign.school_year, indicators)
    form = ValuesForm(
        _posted(request), indicators=indicators, initial_values=current, required=False
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_response_submit(
                response=response, entries=form.entries(), acting_user=request.user
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Спасибо! Значения отправлены.")
            return redirect("response_detail", pk=response.pk)
    may_reopen = Campaign.objects.for_user(request.user, CAMPAIGNS).filter(pk=campaign.pk).exists()
    return render(
        request,
        "monitoring/response_detail.html",
        {
            "response": response,
            "campaign": campaign,
            "form": form,
            "current": current,
            "may_answer": may_answer and response.is_open,
            "may_reopen": may_reopen,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def response_reopen(request, pk: int):
    response = get_object_for_user(CampaignResponse, request.user, pk)
    if not Campaign.objects.for_user(request.user, CAMPAIGNS).filter(pk=response.campaign_id):
        raise PermissionDenied("Вернуть ответ может тот, кто проводит мониторинг.")
    try:
        services.campaign_response_reopen(
            response=response, comment=request.POST.get("comment", ""), acting_user=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Ответ возвращён школе на уточнение.")
    return redirect("campaign_detail", pk=response.campaign_id)


# --- A school's values and targets ------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def school_values(request, pk: int):
    organisation = get_object_for_user(Organisation, request.user, pk, select_related=("region",))
    if request.method == "POST":
        _forbid_unless(request.user, Organisation, organisation.pk, REPORT)
    current_year = _current_year(organisation)
    year = _year(
        request, current_year - 1 if today_in(organisation.region).month < 9 else current_year
    )
    indicators = list(selectors.catalogue(request.user))
    current = selectors.current_values(organisation, year, indicators)
    form = ValuesForm(_posted(request), indicators=indicators, initial_values=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_values_report(
                organisation=organisation,
                school_year=year,
                entries=form.entries(),
                acting_user=request.user,
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request, f"Значения за {school_year_label(year)} учебный год сохранены."
            )
            return redirect(f"{reverse('school_values', args=[organisation.pk])}?year={year}")
    return render(
        request,
        "monitoring/values_form.html",
        {
            "organisation": organisation,
            "form": form,
            "year": year,
            "years": year_choices(current_year),
            "current": current,
            "may_edit": Organisation.objects.for_user(request.user, REPORT).filter(pk=pk).exists(),
        },
        status=400 if request.method == "POST" else 200,
    )


def _targets(
    request, *, level: str, obj, region, title: str, back: str, verb_model, indicators, target
):
    if request.method == "POST":
        _forbid_unless(request.user, verb_model, obj.pk, TARGETS)
    current_year = school_year_of(today_in(region))
    year = _year(request, current_year)
    where = selectors.target_where(level, obj)
    current = selectors.current_targets(level=level, school_year=year, where=where)
    form = TargetsForm(_posted(request), indicators=indicators, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.targets_set(
                level=level,
                school_year=year,
                values=form.values(),
                acting_user=request.user,
                **target,
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Целевые значения на {school_year_label(year)} сохранены.")
            return redirect(f"{request.path}?year={year}")
    return render(
        request,
        "monitoring/targets_form.html",
        {
            "title": title,
            "back": back,
            "form": form,
            "year": year,
            "years": year_choices(current_year, back=3, ahead=2),
            "may_edit": verb_model.objects.for_user(request.user, TARGETS)
            .filter(pk=obj.pk)
            .exists(),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def targets_school(request, pk: int):
    school = get_object_for_user(Organisation, request.user, pk, select_related=("region",))
    if school.kind != OrganisationKind.SCHOOL:
        raise PermissionDenied("Целевые значения школы задаются для школы.")
    return _targets(
        request,
        level=TargetLevel.SCHOOL,
        obj=school,
        region=school.region,
        title=f"Целевые значения: {school.short_name}",
        back=reverse("dashboard_school", args=[school.pk]),
        verb_model=Organisation,
        indicators=list(selectors.catalogue(request.user)),
        target={"organisation": school},
    )


@login_required
@require_http_methods(["GET", "POST"])
def targets_municipality(request, pk: int):
    municipality = get_object_for_user(Municipality, request.user, pk, select_related=("region",))
    return _targets(
        request,
        level=TargetLevel.MUNICIPALITY,
        obj=municipality,
        region=municipality.region,
        title=f"Целевые значения: {municipality.name}",
        back=reverse("dashboard_municipality", args=[municipality.pk]),
        verb_model=Municipality,
        indicators=list(selectors.catalogue(request.user)),
        target={"municipality": municipality},
    )


@login_required
@require_http_methods(["GET", "POST"])
def targets_plan(request, pk: int):
    roadmap = get_object_for_user(Roadmap, request.user, pk, select_related=("owner__region",))
    indicators = list(selectors.catalogue(request.user))
    return _targets(
        request,
        level=TargetLevel.PLAN,
        obj=roadmap,
        region=roadmap.owner.region,
        title=f"Целевые значения плана: {roadmap.title[:120]}",
        back=reverse("roadmap_detail", args=[roadmap.pk]),
        verb_model=Roadmap,
        indicators=indicators,
        target={"roadmap": roadmap},
    )


# --- Exam results ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def exam_results(request, pk: int):
    school = get_object_for_user(Organisation, request.user, pk, select_related=("region",))
    if school.kind != OrganisationKind.SCHOOL:
        raise PermissionDenied("Результаты экзаменов вносятся для школы.")
    if request.method == "POST":
        _forbid_unless(request.user, Organisation, school.pk, EXAMS)
    exam = request.GET.get("exam") if request.GET.get("exam") in Exam.values else Exam.EGE
    this_year = today_in(school.region).year
    year = _year(request, this_year if today_in(school.region).month >= 7 else this_year - 1)
    subjects = list(exam_subjects(exam))
    form = ExamTableForm(
        _posted(request),
        exam=exam,
        year=year,
        subjects=subjects,
        current=selectors.exam_results(school, exam, year),
    )
    if request.method == "POST" and form.is_valid():
        rows = form.result_rows()
        if form.is_valid():
            try:
                services.exam_results_save(organisation=school, rows=rows, acting_user=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"Результаты {Exam(exam).label} {year} сохранены.")
                return redirect(f"{request.path}?exam={exam}&year={year}")
    may_edit = Organisation.objects.for_user(request.user, EXAMS).filter(pk=school.pk).exists()
    return render(
        request,
        "monitoring/exam_results.html",
        {
            "school": school,
            "form": form,
            "exam": exam,
            "exam_label": Exam(exam).label,
            "exams": Exam.choices,
            "year": year,
            "years": list(range(this_year, this_year - 6, -1)),
            "bands": EXAM_BANDS[exam],
            "entered": selectors.exam_years(school),
            "may_edit": may_edit,
            "file_form": ExamFileForm(),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def exam_import(request, pk: int):
    school = get_object_for_user(Organisation, request.user, pk)
    _forbid_unless(request.user, Organisation, school.pk, "monitoring.import_examresult")
    form = ExamFileForm(request.POST, request.FILES)
    back = reverse("exam_results", args=[school.pk])
    if not form.is_valid():
        for error in form.errors.get("file", []):
            messages.error(request, error)
        return redirect(back)
    try:
        saved = services.exam_results_import(
            organisation=school, data=form.cleaned_data["file"].read(), acting_user=request.user
        )
    except ValidationError as error:
        return render(
            request,
            "monitoring/exam_import_refused.html",
            {"school": school, "errors": error.messages, "back": back},
            status=400,
        )
    messages.success(request, f"Загружено строк: {len(saved)}.")
    return redirect(back)


@login_required
def exam_template(request):
    from .resources import template_xlsx

    response = HttpResponse(template_xlsx(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="exam-results-template.xlsx"'
    return response
