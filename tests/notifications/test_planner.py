"""The pure rules of who hears what in a digest (notifications.planner), as tables."""

import datetime

import pytest

from notifications import planner
from notifications.planner import Member, Org, Recipient, Record

D = datetime.date(2026, 3, 10)
DAY = datetime.timedelta(days=1)
MSK = datetime.timezone(datetime.timedelta(hours=3))
NSK = datetime.timezone(datetime.timedelta(hours=7))
ROLES = planner.Roles(
    deputy="school_deputy",
    director="school_director",
    head="head",
    coordinator="municipal_coordinator",
    marking=frozenset(
        {"school_deputy", "school_director", "municipal_coordinator", "methodologist"}
    ),
)
ALL = frozenset(
    {planner.DUE_SOON, planner.OVERDUE, planner.RETURNED, planner.WAITING, planner.ESCALATION}
)

# Municipality 1: school 10 (deputy 1, director 2, curator 3), school 11 (director 4 only),
# school 12 (nobody; no curator), the authority 20 (coordinator 5, head 6), the centre 21
# (methodologist 3, 7). Municipality 2: school 30 (deputy 8; coordinator 9 of authority 40).
ORGS = {
    10: Org(10, "СОШ № 3", True, 1),
    11: Org(11, "СОШ № 5", True, 1),
    12: Org(12, "ООШ № 12", True, 1),
    20: Org(20, "УО", False, 1),
    21: Org(21, "ЦРО", False, 1),
    30: Org(30, "СОШ № 1", True, 2),
    40: Org(40, "УО района 2", False, 2),
}
MEMBERS = [
    Member(1, "school_deputy", 10),
    Member(2, "school_director", 10),
    Member(4, "school_director", 11),
    Member(5, "municipal_coordinator", 20),
    Member(6, "head", 20),
    Member(3, "methodologist", 21),
    Member(7, "methodologist", 21),
    Member(8, "school_deputy", 30),
    Member(9, "municipal_coordinator", 40),
]
CURATORS = [(3, 10)]
WHO = planner.audience(MEMBERS, ORGS, CURATORS, ROLES)


def rules(municipality):
    return ((7, 1), 7) if municipality != 2 else ((3,), 2)


def people(*ids, since=D - DAY, zone=MSK, kinds=ALL):
    return {pk: Recipient(pk, since, zone, kinds) for pk in ids}


EVERYONE = people(*range(1, 10))


def record(pk, org, due, **kwargs):
    return Record(pk, org, due, 100, "План", "1.1.", "Семинар", **kwargs)


def told(plan):
    """(person, kind, record id or 0) of every line, sorted."""
    return sorted(
        (person, item.kind, item.record or 0)
        for person, items in plan.items.items()
        for item in items
    )


@pytest.mark.parametrize(
    ("org", "markers", "reviewers", "escalation"),
    [
        pytest.param(10, [1], [3], [2, 3, 5], id="school-with-deputy-and-curator"),
        pytest.param(11, [4], [5], [4, 5], id="school-with-director-only"),
        pytest.param(12, None, [5], [5], id="school-with-nobody"),
        pytest.param(20, [5], [5], [6, 5], id="authority"),
        pytest.param(21, [3, 7], [5], [5], id="centre"),
        pytest.param(30, [8], [9], [9], id="school-of-another-municipality"),
    ],
)
def test_audience(org, markers, reviewers, escalation):
    assert WHO.markers.get(org) == markers
    assert WHO.reviewers.get(org) == reviewers
    assert WHO.escalation.get(org) == escalation


def test_a_curator_replaces_the_coordinator_as_reviewer_only_where_assigned():
    assert 5 not in WHO.reviewers[10]
    assert WHO.reviewers[11] == [5]


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        pytest.param(D + 7 * DAY, [(1, "due_soon", 1)], id="in-7-days"),
        pytest.param(D + DAY, [(1, "due_soon", 1)], id="tomorrow"),
        pytest.param(D + 3 * DAY, [], id="in-3-days-no-offset"),
        pytest.param(D, [], id="today-no-offset-0"),
        pytest.param(D - DAY, [(1, "overdue", 1)], id="due-yesterday"),
        pytest.param(D - 2 * DAY, [], id="overdue-since-two-days-told-yesterday"),
        pytest.param(
            D - 8 * DAY,
            [(2, "escalation", 1), (3, "escalation", 1), (5, "escalation", 1)],
            id="grace-7-passed-yesterday",
        ),
        pytest.param(D - 7 * DAY, [], id="grace-not-passed"),
        pytest.param(D - 9 * DAY, [], id="escalated-yesterday"),
    ],
)
def test_unmarked_records_of_a_school(due, expected):
    plan = planner.plan_day(D, EVERYONE, WHO, ORGS, rules, unmarked=[record(1, 10, due)])
    assert told(plan) == expected


def test_the_municipality_s_own_offsets_and_grace():
    unmarked = [record(1, 30, D + 3 * DAY), record(2, 30, D + 7 * DAY), record(3, 30, D - 3 * DAY)]
    plan = planner.plan_day(D, EVERYONE, WHO, ORGS, rules, unmarked=unmarked)
    assert told(plan) == [(8, "due_soon", 1), (9, "escalation", 3)]


def test_escalation_counts_records_escalated():
    plan = planner.plan_day(D, EVERYONE, WHO, ORGS, rules, unmarked=[record(1, 10, D - 8 * DAY)])
    assert plan.escalated == {1}
    assert plan.count(planner.ESCALATION) == 3


def test_a_missed_day_is_caught_up_once():
    """The previous digest was two days ago: the events of yesterday and today, each once."""
    recipients = people(1, since=D - 2 * DAY)
    unmarked = [
        record(1, 10, D + 7 * DAY),  # told today
        record(2, 10, D + 6 * DAY),  # was due in 7 days yesterday
        record(3, 10, D - 2 * DAY),  # became overdue yesterday
        record(4, 10, D - DAY),  # became overdue today
        record(5, 10, D + DAY),  # due tomorrow (7 and 1 days: one line)
    ]
    plan = planner.plan_day(D, recipients, WHO, ORGS, rules, unmarked=unmarked)
    assert told(plan) == [
        (1, "due_soon", 1),
        (1, "due_soon", 2),
        (1, "due_soon", 5),
        (1, "overdue", 3),
        (1, "overdue", 4),
    ]


def test_an_overdue_record_is_not_also_due_soon_in_a_catch_up():
    recipients = people(1, since=D - 3 * DAY)
    plan = planner.plan_day(D, recipients, WHO, ORGS, rules, unmarked=[record(1, 10, D - DAY)])
    assert told(plan) == [(1, "overdue", 1)]


def test_returned_marks_are_told_the_day_after_in_the_person_s_zone():
    late_evening_msk = datetime.datetime(2026, 3, 9, 23, 30, tzinfo=MSK)
    returned = [record(1, 10, D, reviewed_at=late_evening_msk, review_comment="Нет протокола")]
    in_moscow = planner.plan_day(D, people(1), WHO, ORGS, rules, returned=returned)
    assert told(in_moscow) == [(1, "returned", 1)]
    assert "Нет протокола" in in_moscow.items[1][0].text
    # In Novosibirsk 23:30 Moscow is already 03:30 of D: told tomorrow, not today.
    in_novosibirsk = planner.plan_day(D, people(1, zone=NSK), WHO, ORGS, rules, returned=returned)
    assert told(in_novosibirsk) == []


def test_waiting_marks_new_ones_and_the_count_to_the_reviewers():
    marked = datetime.datetime(2026, 3, 9, 10, 0, tzinfo=MSK)
    waiting = [record(1, 10, D, marked_at=marked), record(2, 11, D, marked_at=marked - 3 * DAY)]
    plan = planner.plan_day(
        D, EVERYONE, WHO, ORGS, rules, waiting=waiting, waiting_counts={10: 4, 11: 2}
    )
    assert told(plan) == [(3, "waiting", 0), (3, "waiting", 1), (5, "waiting", 0)]
    summaries = {p: i.text for p, items in plan.items.items() for i in items if i.record is None}
    assert summaries == {
        3: "Всего в очереди проверки: 4 отметки.",
        5: "Всего в очереди проверки: 2 отметки.",
    }
    assert all(i.target == "queue" for i in plan.items[5])


def test_muted_kinds_and_absent_people_are_not_told():
    recipients = people(1, kinds=ALL - {planner.DUE_SOON})
    unmarked = [record(1, 10, D + 7 * DAY), record(2, 10, D - DAY)]
    plan = planner.plan_day(D, recipients, WHO, ORGS, rules, unmarked=unmarked)
    assert told(plan) == [(1, "overdue", 2)]


def test_texts_name_the_measure_the_school_and_the_date():
    plan = planner.plan_day(D, people(1), WHO, ORGS, rules, unmarked=[record(1, 10, D + DAY)])
    (item,) = plan.items[1]
    assert item.text == "п. 1.1. «Семинар» — СОШ № 3: срок завтра (до 11.03.2026)."
    assert (item.roadmap, item.plan_title, item.target) == (100, "План", "record")


def test_long_titles_are_shortened():
    long = Record(1, 10, D + DAY, 100, "План", "", "Очень длинное название " * 20)
    title = planner.title_of(long)
    assert len(title) <= planner.TITLE_CHARS + 2
    assert title.endswith("…»")


def test_due_dates_cover_every_rule():
    assert planner.due_dates(D, D - DAY, {7, 1}, {7}) == {
        D + 7 * DAY,
        D + DAY,
        D - DAY,
        D - 8 * DAY,
    }
    caught_up = planner.due_dates(D, D - 2 * DAY, {1}, {2})
    assert caught_up == {D, D + DAY, D - DAY, D - 2 * DAY, D - 3 * DAY, D - 4 * DAY}
