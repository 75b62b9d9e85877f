"""Benchmarks on generated data of realistic size, run by ``manage.py bench``.

The import benchmark builds its data inside a transaction that is rolled back at the end.
The plan benchmark cannot: the inline edit it times is a durable service (its own
transaction, which refuses to nest), so its data is committed under unique names and
deleted afterwards, history included, whatever happens in between. Either way it can run
against any database (the numbers that count are on PostgreSQL)."""

from __future__ import annotations

import datetime
import secrets
import statistics
import time
import types
from html import escape

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import include, path, reverse

from schools.constants import OrganisationKind, Role
from schools.models import Membership, Municipality, Organisation, Region, User

from .constants import AssignmentMode
from .models import Measure, MeasureWindow, Roadmap, Section
from .schedules import derive

DEADLINES = [
    "Сентябрь 2021",
    "Ежегодно июнь - сентябрь",
    "2 раза в год",
    "В течение периода",
    "1 раз в квартал",
    "по отдельному плану",
    "Март-май",
    "до 1 октября 2021 года",
]


class Rollback(Exception):
    pass


PLAN_SIZES = (30, 300, 3000)


def _measure(fn, repeat: int) -> tuple[float, int, int]:
    """Median milliseconds, the query count and the response size of one call."""
    timings = []
    queries = size = 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = fn()
            timings.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"unexpected status {response.status_code}")
        queries = len(captured.captured_queries)
        size = len(response.content)
    return round(statistics.median(timings), 1), queries, size


def _median_ms(fn, repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(timings), 2)


@login_required
def _bare(request):
    """A logged-in response with nothing in it: the floor every page pays."""
    return HttpResponse(request.user.get_username())


def _bench_urlconf():
    """The project's URLs plus the bare logged-in page, for the "limit" figures."""
    urlconf = types.ModuleType("roadmaps_bench_urls")
    urlconf.urlpatterns = [
        path("__bench__/bare/", _bare, name="bench_bare"),
        path("", include(settings.ROOT_URLCONF)),
    ]
    return urlconf


def _raw_rows(roadmap_id: int) -> list[tuple]:
    """The plan's rows in one raw SQL join: sections, measures and their windows."""
    tables = (Section._meta.db_table, Measure._meta.db_table, MeasureWindow._meta.db_table)
    if tables != ("roadmaps_section", "roadmaps_measure", "roadmaps_measurewindow"):
        raise RuntimeError(f"the raw join names other tables than {tables}")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.id, s.number, s.title, m.id, m.number, m.title, m.deadline_text,"
            " m.audience, m.responsible_text, m.result, m.status_text, w.due_on"
            " FROM roadmaps_measure m LEFT JOIN roadmaps_section s ON s.id = m.section_id"
            " LEFT JOIN roadmaps_measurewindow w ON w.measure_id = m.id"
            ' WHERE m.roadmap_id = %s ORDER BY s."order", s.id, m."order", m.id, w.due_on',
            [roadmap_id],
        )
        return cursor.fetchall()


def _fstring_html(rows: list[tuple]) -> str:
    """The same rows as table HTML written with plain f-strings (no template engine)."""
    out = []
    last_section = last_measure = None
    for (
        s_id,
        s_number,
        s_title,
        m_id,
        number,
        title,
        deadline,
        audience,
        resp,
        result,
        status,
        due,
    ) in rows:
        if s_id != last_section:
            last_section = s_id
            out.append(
                f'<tr id="section-{s_id}" class="plan-section"><th colspan="8">'
                f"{escape(s_number or '')} {escape(s_title or '')}</th></tr>"
            )
        if m_id != last_measure:
            if last_measure is not None:
                out.append("</td></tr>")
            last_measure = m_id
            out.append(
                f'<tr id="measure-{m_id}" class="plan-measure" tabindex="0">'
                f"<td>{escape(number)}</td><td>{escape(title)}</td><td>{escape(deadline)}</td>"
                f"<td>{escape(audience)}</td><td>{escape(resp)}</td><td>{escape(result)}</td>"
                f"<td>{escape(status)}</td><td>"
            )
        if due is not None:
            out.append(f"<div>до {due:%d.%m.%Y}</div>")
    if last_measure is not None:
        out.append("</td></tr>")
    return "".join(out)


def _plan_world(measures: int, schools: int = 30):
    """A municipal plan of ``measures`` measures in sections of about 25, with windows."""
    sections = max(1, measures // 25)
    run = secrets.token_hex(4)  # names are unique: the data lives beside whatever is there
    region = Region.objects.create(name=f"Бенчмарк-регион {measures} {run}")
    municipality = Municipality.objects.create(region=region, name="Бенчмарк-район")
    authority = Organisation.objects.create(
        region=region,
        municipality=municipality,
        kind=OrganisationKind.MUNICIPAL_AUTHORITY,
        full_name="Управление образования (бенчмарк)",
        short_name="УО (бенчмарк)",
    )
    school_rows = Organisation.objects.bulk_create(
        Organisation(
            region=region,
            municipality=municipality,
            kind=OrganisationKind.SCHOOL,
            full_name=f"Школа № {n} (бенчмарк)",
            short_name=f"СОШ № {n}",
            is_low_results=n % 2 == 0,
        )
        for n in range(1, schools + 1)
    )
    user = User.objects.create_user(username=f"bench-coordinator-{measures}-{run}", password=None)
    Membership.objects.create(user=user, organisation=authority, role=Role.MUNICIPAL_COORDINATOR)
    period = (datetime.date(2020, 1, 1), datetime.date(2022, 12, 31))
    roadmap = Roadmap.objects.create(
        owner=authority, title="Бенчмарк-план", period_start=period[0], period_end=period[1]
    )
    roadmap.school_group.set(school_rows)
    section_rows = Section.objects.bulk_create(
        Section(roadmap=roadmap, number=f"{n}.", title=f"Раздел {n}", order=n)
        for n in range(1, sections + 1)
    )
    per_section = measures // sections
    measure_rows = []
    for s_index, section in enumerate(section_rows):
        for m in range(per_section):
            deadline = DEADLINES[(s_index + m) % len(DEADLINES)]
            derived = derive(deadline, *period)
            measure = Measure(
                roadmap=roadmap,
                section=section,
                number=f"{s_index + 1}.{m + 1}.",
                title=f"Мероприятие {s_index + 1}.{m + 1}: семинар для заместителей директоров по качеству образования",
                deadline_text=deadline,
                schedule_kind=derived.kind,
                audience="Заместители директоров",
                responsible_text="МБУ «ЦРО», руководители ОО",
                result="Повышение качества образования",
                assignment_mode=AssignmentMode.PLAN_GROUP,
                order=m + 1,
            )
            measure._derived = derived
            measure_rows.append(measure)
    Measure.objects.bulk_create(measure_rows)
    MeasureWindow.objects.bulk_create(
        MeasureWindow(measure=m, position=position, starts_on=start, due_on=end)
        for m in measure_rows
        for position, (start, end) in enumerate(m._derived.windows)
    )
    return user, roadmap, measure_rows, sections


def _drop_plan_world(region_id: int) -> None:
    """Delete everything ``_plan_world`` built in this region, and its history rows."""
    with transaction.atomic():
        roadmaps = Roadmap.objects.filter(owner__region_id=region_id)
        roadmap_ids = list(roadmaps.values_list("pk", flat=True))
        organisation_ids = list(
            Organisation.objects.filter(region_id=region_id).values_list("pk", flat=True)
        )
        user_ids = list(
            User.objects.filter(memberships__organisation_id__in=organisation_ids)
            .distinct()
            .values_list("pk", flat=True)
        )
        measure_ids = list(
            Measure.objects.filter(roadmap_id__in=roadmap_ids).values_list("pk", flat=True)
        )
        section_ids = list(
            Section.objects.filter(roadmap_id__in=roadmap_ids).values_list("pk", flat=True)
        )
        roadmaps.delete()  # sections, measures and windows go with their plan
        Membership.objects.filter(user_id__in=user_ids).delete()
        User.objects.filter(pk__in=user_ids).delete()
        Organisation.objects.filter(pk__in=organisation_ids).delete()
        Municipality.objects.filter(region_id=region_id).delete()
        Region.objects.filter(pk=region_id).delete()
        Measure.history.filter(id__in=measure_ids).delete()
        Section.history.filter(id__in=section_ids).delete()
        Roadmap.history.filter(id__in=roadmap_ids).delete()
        User.history.filter(id__in=user_ids).delete()
        Organisation.history.filter(id__in=organisation_ids).delete()
        Municipality.history.filter(region_id=region_id).delete()
        Region.history.filter(id=region_id).delete()


def _bench_plan(measures: int, repeat: int) -> dict:
    with transaction.atomic():
        user, roadmap, measure_rows, sections = _plan_world(measures)
    host = next(
        (h for h in settings.ALLOWED_HOSTS if h and not h.startswith((".", "*"))),
        "localhost",
    )
    client = Client(HTTP_HOST=host)
    try:
        client.force_login(user)
        return _bench_plan_pages(client, roadmap, measure_rows, sections, repeat)
    finally:
        client.logout()  # its session goes with it
        _drop_plan_world(roadmap.owner.region_id)


def _bench_plan_pages(client, roadmap, measure_rows, sections: int, repeat: int) -> dict:
    page_url = reverse("roadmap_detail", kwargs={"pk": roadmap.pk})
    client.get(page_url)  # warm up template loading, caches and the session's activity stamp
    page_ms, page_queries, page_bytes = _measure(lambda: client.get(page_url), repeat)

    target = measure_rows[len(measure_rows) // 2]
    edit_url = reverse("measure_edit", kwargs={"pk": target.pk})
    # Each save bumps the version by one: the next save sends it (no read in the timing).
    counter = {"n": 0, "version": Measure.objects.get(pk=target.pk).version}

    def edit():
        counter["n"] += 1
        response = client.post(
            edit_url,
            {
                "version": counter["version"],
                "number": target.number,
                "title": f"{target.title} ({counter['n']})",
                "deadline_text": "Ежегодно июнь - сентябрь",
                "audience": target.audience,
                "responsible_text": target.responsible_text,
                "result": target.result,
                "indicator_text": "",
                "status_text": "",
            },
            headers={"HX-Request": "true"},
        )
        if b"plan-measure editing" in response.content:
            raise RuntimeError("the benchmark's save was refused (form errors or a conflict)")
        counter["version"] += 1
        return response

    edit()
    edit_ms, edit_queries, _ = _measure(edit, repeat)
    form_ms, form_queries, _ = _measure(
        lambda: client.get(edit_url, headers={"HX-Request": "true"}), repeat
    )

    bare_ms = _median_ms(lambda: client.get(reverse("bench_bare")), repeat)
    sql_ms = _median_ms(lambda: _raw_rows(roadmap.pk), repeat)
    raw = _raw_rows(roadmap.pk)
    fstring_ms = _median_ms(lambda: _fstring_html(raw), repeat)
    return {
        "data": {
            "measures": len(measure_rows),
            "sections": sections,
            "windows": MeasureWindow.objects.filter(measure__roadmap=roadmap).count(),
        },
        "plan_page": {"median_ms": page_ms, "queries": page_queries, "html_bytes": page_bytes},
        "inline_edit_post": {"median_ms": edit_ms, "queries": edit_queries},
        "inline_edit_form": {"median_ms": form_ms, "queries": form_queries},
        "limit": {
            "raw_sql_join_ms": sql_ms,
            "bare_logged_in_response_ms": bare_ms,
            "sql_plus_bare_ms": round(sql_ms + bare_ms, 2),
            "fstring_html_ms": fstring_ms,
            "sql_plus_bare_plus_fstring_ms": round(sql_ms + bare_ms + fstring_ms, 2),
            "fstring_html_bytes": len(_fstring_html(raw).encode()),
        },
        "page_over_limit": round(page_ms / max(sql_ms + bare_ms + fstring_ms, 0.01), 1),
    }


def bench_roadmaps(*, sizes: tuple[int, ...] = PLAN_SIZES, repeat: int = 7) -> dict:
    """Plan page and inline edit at each size, beside the "limit" figures of the same rows."""
    result: dict = {
        "vendor": connection.vendor,
        "budget_ms": {"plan_300": 50, "plan_3000": 500, "inline_edit": 20},
        "sizes": {},
    }
    with override_settings(ROOT_URLCONF=_bench_urlconf()):
        for size in sizes:
            # A large plan is slow enough that fewer repeats give a stable median.
            result["sizes"][str(size)] = _bench_plan(
                size, repeat if size < 1000 else max(1, min(repeat, 3))
            )
    return result
