"""Links from other apps' pages to the reports (``{% load reports %}``): the execution
pages offer their reports as files, to whoever the report pages would serve (the checks
are ``reports.selectors``'; the buttons post to the report views, which check again)."""

from django import template

from reports import selectors
from reports.constants import ReportFormat

register = template.Library()


def _user(context):
    request = context.get("request")
    return getattr(request, "user", None)


@register.simple_tag(takes_context=True)
def may_report_execution(context) -> bool:
    """``{% may_report_execution as may_report %}``."""
    return selectors.may_report_execution(_user(context))


@register.inclusion_tag("reports/_plan_execution_reports.html", takes_context=True)
def plan_execution_reports(context, roadmap, organisation_id=None):
    """``{% plan_execution_reports roadmap filters.organisation_id %}``: the plan's
    execution report (PDF, Excel) and, when the page is narrowed to an organisation,
    that organisation's."""
    return {
        "offer": selectors.plan_execution_offer(_user(context), roadmap, organisation_id),
        "formats": ReportFormat.choices,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("reports/_organisation_execution_reports.html", takes_context=True)
def organisation_execution_reports(context, organisation):
    """``{% organisation_execution_reports organisation %}``: the organisation's report
    over all its plans (PDF, Excel)."""
    return {
        "organisation": organisation,
        "may_report": selectors.may_report_execution(_user(context)),
        "formats": ReportFormat.choices,
        "csrf_token": context.get("csrf_token"),
    }
