"""Query budgets of the execution pages: the same number of queries for a small world and a
larger one (more measures, a second plan, more marks and evidence). Timings are for
``manage.py bench execution``, never for tests."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from execution import services
from execution.models import ExecutionRecord
from tests.execution.conftest import build_live

pytestmark = pytest.mark.django_db

# Per size: measures added to the plan (each owed by both home schools), an extra plan in
# execution, marks sent by the school (each with a link) and of those, marks returned.
SIZES = {
    "small": {"extra_measures": 1, "second_plan": 0, "marks": 2, "returned": 1},
    "larger": {"extra_measures": 12, "second_plan": 6, "marks": 9, "returned": 3},
}


@dataclass
class Data:
    plan: object
    world: object


def _build(world, size: str) -> Data:
    spec = SIZES[size]
    live = build_live(world, extra_measures=spec["extra_measures"])
    plans = [live.plan]
    if spec["second_plan"]:
        second = build_live(world, title="Сетевой план", extra_measures=spec["second_plan"])
        plans.append(second.plan)
    deputy, curator = world.user("school_deputy"), world.user("methodologist")
    owed = ExecutionRecord.objects.filter(
        organisation=world.school, measure__roadmap__in=plans, due_on__isnull=False
    ).order_by("due_on", "pk")
    marked = list(owed.values_list("pk", flat=True)[: spec["marks"]])
    for n, pk in enumerate(marked):
        services.report(
            records=[pk],
            acting_user=deputy,
            state="done",
            note="Проведено",
            links=[f"https://disk.example.ru/protocol-{n}.pdf"],
        )
    services.review(
        records=marked[: spec["returned"]],
        acting_user=curator,
        accept=False,
        comment="Приложите протокол с подписями",
    )
    return Data(live.plan, world)


# Every page pays 3: user, the access version (the person's memberships and role
# permissions come from the cache under it), the unread notifications (the menu). The
# session comes from the cache; the first request after the login stamps its activity
# and is not counted.
FRAME = 3

# Page → (persona, URL, queries beyond the frame).
PAGES = {
    # 5: the person's organisations, the facts of every record owed (status and tab
    #    counts in Python), the records of the tab shown, their plans (owner, region),
    #    their evidence.
    "my_measures": ("school_deputy", lambda d: reverse("my_measures"), 5),
    # 4: waiting counts per school and plan, the page of records, their plans (owner,
    #    region), their evidence (the curated schools come with the person's reach).
    "review_queue": ("methodologist", lambda d: reverse("review_queue"), 4),
    # 14: plan+owner (visible), the person's grants on the plan (the buttons), sections,
    #     the plan's region (today), roll-ups per measure, roll-ups per organisation, the
    #     organisations, measures, due dates; the agreement block: concurrences, events,
    #     revisions, the public link; the partnerships column (one UNION: the plan's
    #     «sign the agreements» measures, the agreements per measure, those naming it).
    "plan_page": (
        "municipal_coordinator",
        lambda d: reverse("roadmap_detail", args=[d.plan.pk]),
        14,
    ),
    # 17: the plan page of a school that sees only its own rows: as above, with its
    #     records and their evidence instead of bars (the plan is the page's), and the
    #     plan read twice: plainly, then — its owner being outside the school's reach —
    #     through the access engine (the plan is owed by the school).
    "plan_page_own_rows": (
        "school_deputy",
        lambda d: reverse("roadmap_detail", args=[d.plan.pk]),
        17,
    ),
    # 4: municipality+region, roll-ups per (organisation, plan), the plans, the
    #    organisations.
    "municipal_overview": (
        "municipal_coordinator",
        lambda d: f"{reverse('execution_overview')}?municipality={d.world.municipality.pk}",
        4,
    ),
    # 11: plan+owner+region, roll-ups per measure, roll-ups per organisation, the
    #     organisations, section order, measure order, the measures (number, title), ids
    #     and sort keys of the records, the records of the page (the plan is the page's),
    #     their evidence, which of them the person may mark.
    "roadmap_execution": (
        "municipal_coordinator",
        lambda d: reverse("roadmap_execution", args=[d.plan.pk]),
        11,
    ),
}


def _tables(queries: list[dict]) -> list[str]:
    """A readable list for a failing budget: the first table each query reads."""
    return [
        (re.search(r'FROM "(\w+)"', q["sql"]) or re.search(r"^\w+", q["sql"])).group(
            1 if "FROM" in q["sql"] else 0
        )
        for q in queries
    ]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("page", PAGES)
def test_query_budget_does_not_grow_with_the_data(world, client, page, size):
    data = _build(world, size)
    persona, url_of, budget = PAGES[page]
    client.force_login(world.user(persona))
    url = url_of(data)
    assert client.get(url).status_code == 200  # stamps the session's activity
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    assert len(captured.captured_queries) == FRAME + budget, " ".join(
        _tables(captured.captured_queries)
    )


def test_the_larger_size_shows_more(world, client):
    """The two sizes differ where it counts: rows, marks waiting, plans, evidence."""
    _build(world, "larger")
    client.force_login(world.user("methodologist"))
    queue = client.get(reverse("review_queue")).content.decode()
    assert queue.count('id="review-') == SIZES["larger"]["marks"] - SIZES["larger"]["returned"]
    assert "Сетевой план" in queue
    client.force_login(world.user("school_deputy"))
    todo = client.get(reverse("my_measures")).content.decode()
    assert todo.count("Приложите протокол с подписями") == SIZES["larger"]["returned"]
    assert "Ссылка: https://disk.example.ru/protocol-0.pdf" in todo
