"""Reads of the monitoring pages, already scoped, in a constant number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q

from schools.access import has_verb, scope_for

from .constants import ResponseState, TargetLevel
from .models import (
    Campaign,
    CampaignResponse,
    ExamResult,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
)

CAMPAIGN_VERB = "monitoring.add_campaign"


def catalogue(user):
    """The indicators the person sees (the default catalogue and those of their reach)."""
    return (
        Indicator.objects.for_user(user, "view")
        .filter(is_active=True)
        .select_related("owner")
        .order_by("category", "order", "name")
    )


@dataclass
class CampaignList:
    campaigns: list  # campaigns run within reach, with counts
    responses: list  # the answers of the person's schools
    may_create: bool


def campaign_list(user) -> CampaignList:
    """Campaigns run within the person's reach (with the answers counted) and the answers
    their schools owe (a school's people see only these). Queries: 2."""
    campaigns = list(
        Campaign.objects.for_user(user, "view")
        .select_related("owner")
        .annotate(
            total=Count("responses"),
            submitted=Count("responses", filter=Q(responses__state=ResponseState.SUBMITTED)),
            reopened=Count("responses", filter=Q(responses__state=ResponseState.REOPENED)),
        )
        .order_by("-due_on", "-pk")[:100]
    )
    own = scope_for(user, "monitoring.change_indicatorvalue").organisations
    responses = (
        list(
            CampaignResponse.objects.for_user(user, "view")
            .filter(school_id__in=own)
            .select_related("campaign", "school")
            .order_by("state", "-campaign__due_on")[:100]
        )
        if own
        else []
    )
    return CampaignList(campaigns, responses, has_verb(user, CAMPAIGN_VERB))


@dataclass
class CampaignDetail:
    campaign: Campaign
    indicators: list
    responses: list  # (response, {indicator id: value})
    counts: dict


def campaign_detail(user, campaign: Campaign) -> CampaignDetail:
    """Each asked school's answer (those the person sees) with its values of the campaign's
    year. Queries: indicators, answers, values (3)."""
    indicators = list(campaign.indicators.order_by("category", "order", "name"))
    responses = list(
        CampaignResponse.objects.for_user(user, "view")
        .filter(campaign=campaign)
        .select_related("school", "submitted_by", "reopened_by")
        .order_by("school__short_name")
    )
    values: dict = defaultdict(dict)
    for value in IndicatorValue.objects.filter(
        organisation_id__in=[r.school_id for r in responses],
        school_year=campaign.school_year,
        indicator__in=indicators,
    ):
        values[value.organisation_id][value.indicator_id] = value
    counts = {state: 0 for state in ResponseState.values}
    for response in responses:
        counts[response.state] += 1
    return CampaignDetail(
        campaign,
        indicators,
        [(r, [values[r.school_id].get(i.pk) for i in indicators]) for r in responses],
        counts,
    )


def current_values(organisation, school_year: int, indicators) -> dict:
    """The organisation's values of the year, by indicator id (one query)."""
    return {
        value.indicator_id: value
        for value in IndicatorValue.objects.filter(
            organisation=organisation, school_year=school_year, indicator__in=list(indicators)
        ).select_related("reported_by")
    }


def current_targets(*, level: str, school_year: int, where: dict) -> dict:
    return dict(
        IndicatorTarget.objects.filter(level=level, school_year=school_year, **where).values_list(
            "indicator_id", "value"
        )
    )


def target_where(level: str, obj) -> dict:
    return {
        TargetLevel.SCHOOL: {"organisation": obj},
        TargetLevel.MUNICIPALITY: {"municipality": obj},
        TargetLevel.PLAN: {"roadmap": obj},
    }[level]


def exam_results(organisation, exam: str, year: int) -> dict:
    """The school's results of one exam and year, by subject id (one query)."""
    return {
        result.subject_id: result
        for result in ExamResult.objects.filter(organisation=organisation, exam=exam, year=year)
    }


def exam_years(organisation) -> list[tuple[str, int, int]]:
    """(exam, year, subjects) of everything entered for the school, latest first."""
    return list(
        ExamResult.objects.filter(organisation=organisation)
        .order_by()
        .values("exam", "year")
        .annotate(n=Count("pk"))
        .order_by("-year", "exam")
        .values_list("exam", "year", "n")
    )
