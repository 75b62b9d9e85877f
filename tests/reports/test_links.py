"""The execution pages offer their reports as files — only to people whose request the
report views accept: every button shown leads to a report, none to «Нет прав»."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from reports.constants import ReportKind
from reports.models import Report
from tests.conftest import PERSONAS
from tests.execution.conftest import build_live

pytestmark = pytest.mark.django_db


class _Forms(HTMLParser):
    """The report forms of a page: their action, hidden fields and submit buttons."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and "/reports/" in (attrs.get("action") or ""):
            self.forms.append({"action": attrs["action"], "fields": {}, "buttons": []})
        elif not self.forms or self.forms[-1].get("closed"):
            return
        elif (
            tag == "input"
            and attrs.get("type") == "hidden"
            and attrs["name"] != "csrfmiddlewaretoken"
        ):
            self.forms[-1]["fields"][attrs["name"]] = attrs.get("value", "")
        elif tag == "button" and attrs.get("type") == "submit":
            self.forms[-1]["buttons"].append((attrs.get("name"), attrs.get("value")))

    def handle_endtag(self, tag):
        if tag == "form" and self.forms:
            self.forms[-1]["closed"] = True


def report_forms(html: str) -> list[dict]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def _post_every_button(client, forms) -> list[int]:
    codes = []
    for form in forms:
        for name, value in form["buttons"]:
            data = {**form["fields"], **({name: value} if name else {})}
            codes.append(client.post(form["action"], data).status_code)
    return codes


def test_the_plan_execution_page_offers_the_plan_and_the_chosen_school_report(world, client):
    live = build_live(world)
    client.force_login(world.user("municipal_coordinator"))
    url = reverse("roadmap_execution", kwargs={"pk": live.plan.pk})
    forms = report_forms(client.get(url).content.decode())
    assert [form["fields"] for form in forms] == [{"kind": "plan_execution"}]
    assert forms[0]["buttons"] == [("format", "pdf"), ("format", "xlsx")]

    page = client.get(url, {"organisation": world.school.pk}).content.decode()
    forms = report_forms(page)
    assert [form["fields"] for form in forms] == [
        {"kind": "plan_execution"},
        {"kind": "plan_execution", "organisation": str(world.school.pk)},
    ]
    assert "Отчёт по «МБОУ СОШ № 3»" in page
    response = client.post(forms[1]["action"], {**forms[1]["fields"], "format": "xlsx"})
    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("report_detail", kwargs={"pk": report.pk})
    assert (report.kind, report.format, report.organisation) == (
        ReportKind.PLAN_EXECUTION,
        "xlsx",
        world.school,
    )


def test_a_plan_not_in_execution_offers_no_execution_report(world, client):
    from tests.roadmaps.factories import RoadmapFactory

    draft = RoadmapFactory(owner=world.authority)
    client.force_login(world.user("municipal_coordinator"))
    page = client.get(reverse("roadmap_execution", kwargs={"pk": draft.pk})).content.decode()
    assert report_forms(page) == []


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "anonymous"])
@pytest.mark.parametrize("school", ["school", "second_school"])
def test_every_report_button_of_the_execution_pages_leads_to_a_report(
    world, client, persona, school
):
    live = build_live(world)
    world.grant_partner(live.plan)
    client.force_login(world.user(persona))
    organisation = getattr(world, school)
    pages = [
        reverse("roadmap_execution", kwargs={"pk": live.plan.pk})
        + f"?organisation={organisation.pk}",
        reverse("organisation_execution", kwargs={"pk": organisation.pk}),
    ]
    for url in pages:
        response = client.get(url)
        if response.status_code != 200:
            assert response.status_code in {403, 404}, url
            continue
        forms = report_forms(response.content.decode())
        codes = _post_every_button(client, forms)
        assert codes == [302] * len(codes), (url, forms, codes)
        print("DBG", persona, school, url.split("/")[1:3], len(codes))


def test_the_municipal_overview_links_each_plan_and_school_to_its_reports(world, client):
    live = build_live(world)
    client.force_login(world.user("municipal_coordinator"))
    page = client.get(
        reverse("execution_overview"), {"municipality": world.municipality.pk}
    ).content.decode()
    assert reverse("roadmap_reports", kwargs={"pk": live.plan.pk}) in page
    assert reverse("organisation_reports", kwargs={"pk": world.school.pk}) in page
