"""What the demo shows of execution, agreement and approval, written as a script relative
to one day.

Besides the imported samples (whose periods are long past, and which stay drafts), the
plans of Новокубанский район in every state of their life:

* last year's municipal plan: agreed by the centre, approved by the head of the authority,
  executed and closed;
* this period's municipal plan: agreed and approved before its execution started, in
  execution with marks of four schools at every stage, and a correction of it (revision 2,
  a draft: one measure added, one deadline set);
* the centre's plan for the next school year: agreed by the authority, approved by the
  centre's head, published, not yet in execution;
* the authority's model plan for schools (a Word document with its «СОГЛАСОВАНО» blocks),
  handed to four schools: СОШ № 3 sent its copy for agreement (the centre agreed, the
  authority has not answered yet), СОШ № 5's copy came back with remarks and is a draft
  again, the other two are still being filled in.

Every date is counted from ``today`` (the day the demo was first seeded, in the region's
calendar), so the demo always has something overdue, something due this week, marks
waiting for the curator and a plan waiting for an answer.

Data only: nothing here reads or writes the database. ``demo.execution`` and
``demo.workflow`` play the script through the services, as the demo users, each step at its
moment; ``tests/demo`` checks that on any day of the year the script gives the deputy of
СОШ № 3 a record in every status and every plan its life in order.

Who is who: the schools' deputies mark their own records (СОШ № 3 also its director), the
methodologist reviews the schools she curates (СОШ № 3, № 5, ООШ № 12), the municipal
coordinator the others and the centre's own records. The coordinator writes and sends the
municipal plans, the centre's head agrees them for the centre, the authority's head
approves them; the methodologist writes the centre's plan, which the authority agrees and
the centre's head approves; a school's deputy sends the school's plan.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace

from execution.services import reporting_periods
from roadmaps.constants import AssignmentMode, RoadmapLevel

Date = datetime.date
DAY = datetime.timedelta(days=1)

OWNER = "УО Новокубанского района"
CENTRE = "МБУ «ЦРО»"
S3, S5, S8, S12 = "МОБУ СОШ № 3", "МОБУ СОШ № 5", "МОБУ СОШ № 8", "МОБУ ООШ № 12"
SCHOOLS = (S3, S5, S8, S12)
# Who marks an organisation's records, and who reviews them (its curator, or the
# municipal coordinator where the school has no curator among the demo users).
MARKER = {S3: "deputy", S5: "deputy5", S8: "deputy8", S12: "deputy12", CENTRE: "methodologist"}
CURATOR = {S3: "methodologist", S5: "methodologist", S12: "methodologist"}
COORDINATOR = "coordinator"
CENTRE_HEAD = "head"  # agrees for the centre, approves the centre's plans
CHIEF = "chief"  # the head of the authority: approves its plans

# How a later run finds each plan: its owner and the start of its title, which stays the
# same whatever the year.
CURRENT_TITLE = (
    "Дорожная карта по повышению качества образования в школах с низкими образовательными "
    "результатами Новокубанского района"
)
CLOSED_TITLE = (
    "План мероприятий («дорожная карта») по поддержке школ с низкими образовательными "
    "результатами Новокубанского района"
)
CENTRE_TITLE = "План методического сопровождения школ с низкими образовательными результатами"
TEMPLATE_TITLE = "Дорожная карта по переходу школы в эффективный режим функционирования"

# The current plan is created this many days before ``today``: a later run finds the day
# the demo was seeded from the plan itself (``demo.execution.reference_day``).
CURRENT_CREATED_DAYS_AGO = 112

MONTHS = (
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
)


# --- The script's vocabulary --------------------------------------------------------------


@dataclass(frozen=True)
class Mark:
    """A mark through ``execution.services.mark``."""

    at: datetime.datetime
    state: str
    done_on: Date | None
    note: str = ""
    who: str = ""  # empty: the organisation's marker


@dataclass(frozen=True)
class Review:
    """The curator's decision through ``execution.services.review``."""

    at: datetime.datetime
    accept: bool
    comment: str = ""
    who: str = ""  # empty: the organisation's curator


@dataclass(frozen=True)
class Attach:
    """Evidence through ``evidence_add_file`` (a generated PDF or DOCX) or
    ``evidence_add_link``."""

    at: datetime.datetime
    name: str = ""  # a file: its name; the extension says PDF or DOCX
    heading: tuple[str, ...] = ()
    paragraphs: tuple[str, ...] = ()
    signature: tuple[str, ...] = ()
    url: str = ""
    who: str = ""


Step = Mark | Review | Attach


# The plan's life (``roadmaps.services.workflow``), each act by one person at its moment.


@dataclass(frozen=True)
class Submit:
    """``roadmap_submit``: the plan sent for agreement to these organisations."""

    at: datetime.datetime
    who: str
    to: tuple[str, ...]  # short names
    comment: str = ""


@dataclass(frozen=True)
class Answer:
    """``concurrence_answer`` for ``organisation``: agreed, or returned with remarks."""

    at: datetime.datetime
    who: str
    organisation: str
    agree: bool = True
    comment: str = ""


@dataclass(frozen=True)
class Approve:
    """``roadmap_approve``: approved that day, by an order of that day."""

    at: datetime.datetime
    who: str
    order_number: str


@dataclass(frozen=True)
class Publish:
    """``roadmap_publish``: the public page of the approved plan."""

    at: datetime.datetime
    who: str


@dataclass(frozen=True)
class Close:
    """``roadmap_close``: execution is over."""

    at: datetime.datetime
    who: str
    comment: str = ""


@dataclass(frozen=True)
class Correct:
    """``roadmap_correct``, then the new revision edited a few minutes later: measures
    added (section number, measure) and deadlines changed (measure number, new text)."""

    at: datetime.datetime
    who: str
    comment: str
    added: tuple[tuple[str, MeasureSpec], ...] = ()
    deadlines: tuple[tuple[str, str], ...] = ()


Act = Submit | Answer | Approve | Publish | Close | Correct


@dataclass(frozen=True)
class RecordScript:
    """The steps on one record: the ``slot``-th record (by dates) that ``organisation``
    owes for the measure numbered ``measure``."""

    measure: str
    organisation: str
    steps: tuple[Step, ...]
    slot: int = 0


@dataclass(frozen=True)
class MeasureSpec:
    number: str
    title: str
    deadline: str
    audience: str = ""
    responsible: str = ""
    result: str = ""
    assigned: tuple[str, ...] = ()  # short names, for AssignmentMode.ORGANISATIONS
    mode: str = AssignmentMode.NONE


@dataclass(frozen=True)
class SectionSpec:
    number: str
    title: str
    measures: tuple[MeasureSpec, ...]


@dataclass(frozen=True)
class PlanScript:
    """One plan: how it is written, who writes it when, and what happens to it."""

    owner: str
    author: str
    title_start: str  # stable across days and years: how a later run finds the plan
    title: str
    period: tuple[Date, Date]
    header: dict
    sections: tuple[SectionSpec, ...]
    created_at: datetime.datetime
    started_at: datetime.datetime | None = None  # «Начать исполнение», by the author
    records: tuple[RecordScript, ...] = field(default=())
    # Agreement and approval before the start; closing, corrections, publication after.
    life: tuple[Act, ...] = ()

    @property
    def closed_at(self) -> datetime.datetime | None:
        return next((act.at for act in self.life if isinstance(act, Close)), None)


@dataclass(frozen=True)
class SchoolCopyScript:
    """A school's copy of the authority's template: renamed and completed by its deputy
    at ``edited_at`` (measures added: section number, measure), then its life."""

    school: str
    author: str
    title: str
    edited_at: datetime.datetime
    added: tuple[tuple[str, MeasureSpec], ...]
    life: tuple[Act, ...] = ()


@dataclass(frozen=True)
class TemplateScript:
    """The authority's model plan for schools, as its Word document (the «СОГЛАСОВАНО»
    blocks name the parties a school asks), imported, marked a template and handed to
    ``schools`` at ``imported_at`` (a few minutes apart)."""

    owner: str
    author: str
    title_start: str
    file_name: str
    stamps: tuple[tuple[str, ...], ...]
    title_lines: tuple[str, ...]
    period: tuple[Date, Date]
    sections: tuple[SectionSpec, ...]
    imported_at: datetime.datetime
    schools: tuple[str, ...]
    copies: tuple[SchoolCopyScript, ...]


# --- Helpers ------------------------------------------------------------------------------


def dotted(day: Date) -> str:
    return f"{day:%d.%m.%Y}"


def month_year(day: Date) -> str:
    return f"{MONTHS[day.month - 1]} {day.year} г."


def weekday_before(day: Date) -> Date:
    """The day itself, or the Friday before when it falls on a weekend (events)."""
    return day - DAY * max(0, day.weekday() - 4)


def period_of_current_plan(today: Date) -> tuple[Date, Date]:
    """Two calendar years, the first of which began at least 120 days ago: the plan has
    a past to show (four months of marks) and a future (at least eight months)."""
    first = (today - 120 * DAY).year
    return Date(first, 1, 1), Date(first + 1, 12, 31)


def first_of_month(day: Date) -> Date:
    return day.replace(day=1)


class _Clock:
    """Moments of the region's calendar: ``clock(day, 10, 5)`` is 10:05 that day."""

    def __init__(self, zone: datetime.tzinfo) -> None:
        self.zone = zone

    def __call__(self, day: Date, hour: int = 10, minute: int = 0) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=self.zone)


def _record(measure: str, organisation: str, *steps: Step, slot: int = 0) -> RecordScript:
    """The record's steps with their people filled in: marks and evidence by the
    organisation's marker, reviews by its curator (or the coordinator)."""
    marker = MARKER[organisation]
    curator = CURATOR.get(organisation, COORDINATOR)
    filled = tuple(
        step if step.who else replace(step, who=curator if isinstance(step, Review) else marker)
        for step in steps
    )
    return RecordScript(measure, organisation, filled, slot)


def _done_and_accepted(
    clock: _Clock,
    marked: Date,
    accepted: Date,
    *,
    done_on: Date | None = None,
    state: str = "done",
    note: str = "",
) -> tuple[Step, ...]:
    return (
        Mark(clock(marked, 10, 5), state, done_on or marked, note),
        Review(clock(accepted, 15, 20), True),
    )


# --- The plans ----------------------------------------------------------------------------


def plans(today: Date, zone: datetime.tzinfo) -> list[PlanScript]:
    """The demo's plans relative to ``today``, in the order they are played."""
    return [closed_plan(today, zone), current_plan(today, zone), centre_plan(today, zone)]


def current_plan(today: Date, zone: datetime.tzinfo) -> PlanScript:
    """This period's municipal plan, in execution for three and a half months."""
    clock = _Clock(zone)
    start, end = period_of_current_plan(today)

    def ago(days: int) -> Date:
        return today - days * DAY

    created = ago(CURRENT_CREATED_DAYS_AGO)
    approved = ago(106)
    friday = today + DAY * (4 - today.weekday())
    due_this_week = max(today, friday)
    gia_year = today.year if today.month >= 8 else today.year - 1
    seminar = weekday_before(ago(45))
    progress = (
        (ago(77), ago(70)),
        (today + 30 * DAY, today + 37 * DAY),
        (today + 120 * DAY, today + 127 * DAY),
    )
    tutoring_from = first_of_month(ago(100))
    half_year_report = first_of_month(today + 50 * DAY)
    after_half_year_report = first_of_month(half_year_report + 31 * DAY)

    every = SCHOOLS
    sections = (
        SectionSpec(
            "1.",
            "Организационно-управленческие мероприятия",
            (
                MeasureSpec(
                    "1.1.",
                    "Назначение в каждой школе заместителя директора, ответственного за работу по "
                    "повышению качества образования",
                    f"до {dotted(ago(92))}",
                    "Руководители ОО",
                    "Руководители ОО",
                    "Приказ ОО о назначении ответственного",
                    every,
                    AssignmentMode.ORGANISATIONS,
                ),
                MeasureSpec(
                    "1.2.",
                    "Разработка и утверждение программы перехода школы в эффективный режим "
                    "функционирования и дорожной карты её реализации",
                    f"до {dotted(ago(60))}",
                    "Руководящие и педагогические работники ОО",
                    "Руководители ОО, МБУ «ЦРО»",
                    "Программа и дорожная карта школы утверждены приказом ОО",
                    every,
                    AssignmentMode.ORGANISATIONS,
                ),
                MeasureSpec(
                    "1.3.",
                    "Заключение договоров о сетевом взаимодействии со школами-лидерами (МОБУ СОШ "
                    "№ 1, МОБУ СОШ № 2, МОБУ гимназия № 2)",
                    f"до {dotted(ago(30))}",
                    "Руководители ОО",
                    "Руководители ОО, УО Новокубанского района",
                    "Подписаны договоры о сетевом взаимодействии",
                    every,
                    AssignmentMode.ORGANISATIONS,
                ),
                MeasureSpec(
                    "1.4.",
                    "Муниципальный семинар для руководителей ОО «Управленческие решения по "
                    "повышению качества образования в школах с низкими результатами обучения»",
                    dotted(seminar),
                    "Руководители и заместители руководителей ОО",
                    "МБУ «ЦРО»",
                    "Программа семинара, лист регистрации участников",
                    (CENTRE,),
                    AssignmentMode.ORGANISATIONS,
                ),
            ),
        ),
        SectionSpec(
            "2.",
            "Аналитическая и диагностическая деятельность",
            (
                MeasureSpec(
                    "2.1.",
                    f"Анализ результатов ГИА-{gia_year} (ОГЭ, ЕГЭ), выявление проблемных зон по "
                    "предметам, рассмотрение на педагогическом совете",
                    f"до {dotted(ago(15))}",
                    "Педагогические работники ОО",
                    "Руководители ОО",
                    "Протокол педагогического совета, план коррекционной работы",
                    every,
                    AssignmentMode.ORGANISATIONS,
                ),
                MeasureSpec(
                    "2.2.",
                    "Диагностика профессиональных дефицитов педагогов, составление "
                    "индивидуальных образовательных маршрутов",
                    f"с {dotted(ago(21))} по {dotted(ago(8))}",
                    "Педагогические работники ОО",
                    "Руководители ОО, МБУ «ЦРО»",
                    "Аналитическая справка, индивидуальные образовательные маршруты педагогов",
                    every,
                    AssignmentMode.ORGANISATIONS,
                ),
                MeasureSpec(
                    "2.3.",
                    "Пробный экзамен в форме ОГЭ по русскому языку и математике в 9-х классах, "
                    "анализ результатов",
                    f"с {dotted(ago(12))} по {dotted(ago(5))}",
                    "Обучающиеся 9-х классов, учителя-предметники",
                    "Руководители ОО",
                    "Аналитическая справка по результатам пробного экзамена",
                    every,
                    AssignmentMode.ORGANISATIONS,
                ),
                MeasureSpec(
                    "2.4.",
                    "Мониторинг индивидуального прогресса обучающихся 9-х и 11-х классов "
                    "(входная, промежуточная и итоговая диагностика)",
                    ", ".join(f"с {dotted(a)} по {dotted(b)}" for a, b in progress[:2])
                    + f" и с {dotted(progress[2][0])} по {dotted(progress[2][1])}",
                    "Обучающиеся 9-х и 11-х классов",
                    "Руководители ОО",
                    "Карты индивидуального прогресса обучающихся",
                    every,
                    AssignmentMode.ORGANISATIONS,
                ),
                # Due tomorrow and in a week, marked by nobody yet: on the day the demo is
                # seeded, the reminders (7 and 1 days before) have something to tell every
                # school (notifications, ``send_reminders``).
                MeasureSpec(
                    "2.5.",
                    "Сводка о пропусках уроков обучающимися 9-х и 11-х классов без "
                    "уважительной причины",
                    f"с {dotted(ago(6))} по {dotted(today + DAY)} и с {dotted(today + 2 * DAY)} "
                    f"по {dotted(today + 7 * DAY)}",
                    "Классные руководители 9-х и 11-х классов",
                    "Заместители директоров",
                    "Сводка в УО по установленной форме",
                    every,
                    AssignmentMode.ORGANISATIONS,
                ),
            ),
        ),
        SectionSpec(
            "3.",
            "Кадровое обеспечение и методическое сопровождение",
            (
                MeasureSpec(
                    "3.1.",
                    "Повышение квалификации учителей математики и русского языка по программам "
                    "ИРО Краснодарского края для школ с низкими результатами обучения",
                    f"до {dotted(ago(40))}",
                    "Учителя-предметники",
                    "Руководители ОО, МБУ «ЦРО»",
                    "Удостоверения о повышении квалификации",
                    every,
                    AssignmentMode.ORGANISATIONS,
                ),
                MeasureSpec(
                    "3.2.",
                    "Закрепление наставников из школ-лидеров за педагогами с профессиональными "
                    "дефицитами",
                    "по отдельному плану",
                    "Молодые педагоги, педагоги с профессиональными дефицитами",
                    "МБУ «ЦРО», руководители ОО",
                    "Приказы о наставничестве",
                    every,
                    AssignmentMode.ORGANISATIONS,
                ),
                MeasureSpec(
                    "3.3.",
                    "Тьюторское сопровождение педагогов школы специалистами школ-лидеров "
                    "(посещение уроков, консультации)",
                    f"с {dotted(tutoring_from)} г.",
                    "Педагогические работники ОО",
                    "Руководители ОО, МОБУ СОШ № 1, МОБУ гимназия № 2",
                    "Отчёт о тьюторском сопровождении за квартал",
                    every,
                    AssignmentMode.ORGANISATIONS,
                ),
            ),
        ),
        SectionSpec(
            "4.",
            "Контроль и отчётность",
            (
                MeasureSpec(
                    "4.1.",
                    "Информация о текущей успеваемости обучающихся 9-х и 11-х классов по "
                    "предметам ГИА",
                    f"до {dotted(due_this_week)}",
                    "Заместители директоров",
                    "Руководители ОО",
                    "Информация в УО по установленной форме",
                    every,
                    AssignmentMode.ORGANISATIONS,
                ),
                MeasureSpec(
                    "4.2.",
                    "Отчёт о реализации школьной дорожной карты за полугодие",
                    month_year(half_year_report),
                    "Заместители директоров",
                    "Руководители ОО",
                    "Отчёт, рассмотренный на совещании при начальнике УО",
                    every,
                    AssignmentMode.ORGANISATIONS,
                ),
            ),
        ),
    )

    # Reporting periods of the tutoring (3.3; the plan reports quarterly, the default):
    # every one over is reported by the schools that keep up; СОШ № 8 and ООШ № 12 fall
    # behind after the first.
    tutoring = [
        (slot, due)
        for slot, (_, due) in enumerate(reporting_periods(tutoring_from, end, 3))
        if due < today
    ]

    def tutoring_reports(school: str, *, late_first: bool = False, only_first: bool = False):
        note = "Отчёт тьютора за квартал приложен к журналу посещения уроков."
        scripts = []
        for slot, due in tutoring[:1] if only_first else tutoring:
            if late_first and slot == 0:
                steps = _done_and_accepted(clock, due + 4 * DAY, due + 6 * DAY, note=note)
            else:
                steps = (
                    Mark(clock(due - 2 * DAY, 11, 30), "done", due - 2 * DAY, note),
                    Review(clock(min(due + DAY, ago(1)), 16, 10), True),
                )
            scripts.append(_record("3.3.", school, *steps, slot=slot))
        return scripts

    records = (
        # МОБУ СОШ № 3: a record in every status (the deputy's page).
        _record(
            "1.1.",
            S3,
            Attach(
                clock(ago(97), 9, 40),
                name=f"Приказ № 112 от {dotted(ago(97))} о назначении ответственного.docx",
                heading=("МОБУ СОШ № 3 г. Новокубанска", "ПРИКАЗ", f"{dotted(ago(97))} № 112"),
                paragraphs=(
                    "О назначении ответственного за работу по повышению качества образования",
                    "В целях реализации муниципальной дорожной карты по повышению качества "
                    "образования приказываю:",
                    "1. Назначить Мельник Елену Сергеевну, заместителя директора по УВР, "
                    "ответственной за работу по повышению качества образования.",
                    "2. Контроль за исполнением приказа оставляю за собой.",
                ),
                signature=("Директор ________ А. П. Гончаренко",),
                who="director",
            ),
            Mark(
                clock(ago(97), 9, 45),
                "done",
                ago(97),
                f"Приказ от {dotted(ago(97))} № 112",
                who="director",
            ),
            Review(clock(ago(95), 14, 10), True),
        ),
        _record(
            "1.2.",
            S3,
            *_done_and_accepted(
                clock,
                ago(55),
                ago(53),
                note="Программа перехода в эффективный режим и дорожная карта утверждены "
                f"приказом от {dotted(ago(55))} № 131.",
            ),
        ),
        _record(
            "1.3.",
            S3,
            *_done_and_accepted(
                clock,
                ago(31),
                ago(29),
                state="partly",
                note="Договор с МОБУ гимназия № 2 подписан; договор с МОБУ СОШ № 1 на "
                "согласовании у юриста УО.",
            ),
        ),
        _record(
            "2.1.",
            S3,
            Attach(
                clock(ago(4), 9, 40),
                name=f"Протокол педсовета № 2 от {dotted(ago(18))}.pdf",
                heading=(
                    "МОБУ СОШ № 3 г. Новокубанска",
                    "ПРОТОКОЛ № 2",
                    "заседания педагогического совета",
                ),
                paragraphs=(
                    f"Дата проведения: {dotted(ago(18))}. Присутствовали: 34 человека.",
                    f"Повестка: 1. Результаты ГИА-{gia_year} (ОГЭ, ЕГЭ): проблемные зоны по "
                    "предметам «математика», «русский язык», «обществознание». 2. План "
                    "коррекционной работы на учебный год.",
                    "Слушали: заместителя директора по УВР — анализ результатов по предметам и "
                    "классам, сравнение с результатами района и края.",
                    "Решили: 1. Утвердить план коррекционной работы (приложение 1). 2. Учителям-"
                    "предметникам включить в рабочие программы задания по проблемным темам. "
                    "3. Провести пробный экзамен в форме ОГЭ в 9-х классах.",
                ),
                signature=(
                    "Председатель ________ А. П. Гончаренко",
                    "Секретарь ________ Е. С. Мельник",
                ),
            ),
            Attach(
                clock(ago(4), 9, 42),
                url="https://sosh3-novokubansk.example/svedeniya/kachestvo/pedsovet-gia",
            ),
            Mark(
                clock(ago(4), 9, 45),
                "done",
                ago(18),
                "Результаты ГИА рассмотрены на педагогическом совете, план коррекционной работы "
                "утверждён. Протокол приложен, он же на сайте школы.",
            ),
        ),
        _record(
            "2.2.",
            S3,
            Attach(
                clock(ago(9), 16, 0),
                name="Аналитическая справка по итогам диагностики.docx",
                heading=("МОБУ СОШ № 3 г. Новокубанска", "АНАЛИТИЧЕСКАЯ СПРАВКА"),
                paragraphs=(
                    "по итогам диагностики профессиональных дефицитов педагогов",
                    "В диагностике участвовали 18 педагогов. Дефициты в оценивании "
                    "образовательных результатов выявлены у 7 педагогов, в работе с "
                    "обучающимися с трудностями в обучении — у 5.",
                ),
                signature=("Заместитель директора по УВР ________ Е. С. Мельник",),
            ),
            Mark(clock(ago(9), 16, 5), "done", ago(9), "Диагностика проведена, справка приложена."),
            Review(
                clock(ago(7), 11, 30),
                False,
                "В справке нет результатов по учителям математики и физики, а маршруты "
                "составлены не для всех педагогов с дефицитами. Дополните справку и приложите "
                "индивидуальные маршруты.",
            ),
        ),
        # 2.3: the trial exam is over and nothing is marked — overdue.
        _record(
            "2.4.",
            S3,
            *_done_and_accepted(clock, ago(71), ago(69), note="Входная диагностика проведена."),
        ),
        _record(
            "3.1.",
            S3,
            Mark(
                clock(ago(38), 12, 0),
                "not_done",
                None,
                "Курсы ИРО КК для учителей математики перенесены на следующий квартал; заявка "
                "на обучение 3 педагогов подана.",
            ),
        ),
        # 3.2 (по отдельному плану) stays without a date, 4.1 is due this week, 4.2 later.
        *tutoring_reports(S3),
        # МОБУ СОШ № 5: keeps up; three marks wait for the curator, one of them sent again.
        _record("1.1.", S5, *_done_and_accepted(clock, ago(94), ago(93))),
        _record("1.2.", S5, *_done_and_accepted(clock, ago(63), ago(61))),
        _record("1.3.", S5, *_done_and_accepted(clock, ago(33), ago(32))),
        _record("2.1.", S5, *_done_and_accepted(clock, ago(16), ago(14))),
        _record(
            "2.2.",
            S5,
            Mark(clock(ago(12), 14, 0), "done", ago(12), "Диагностика проведена."),
            Review(
                clock(ago(10), 9, 50),
                False,
                "Приложите индивидуальные образовательные маршруты педагогов.",
            ),
            Attach(
                clock(ago(5), 13, 0),
                name="Индивидуальные образовательные маршруты педагогов.pdf",
                heading=(
                    "МОБУ СОШ № 5 ст. Прочноокопской",
                    "ИНДИВИДУАЛЬНЫЕ ОБРАЗОВАТЕЛЬНЫЕ МАРШРУТЫ",
                ),
                paragraphs=(
                    "педагогов с профессиональными дефицитами по итогам диагностики",
                    "1. Учитель математики — курсы ИРО КК «Формирующее оценивание», посещение "
                    "уроков наставника из МОБУ гимназия № 2 (2 урока в месяц).",
                    "2. Учитель русского языка — участие в муниципальном методическом "
                    "объединении, открытый урок в IV четверти.",
                ),
                signature=("Заместитель директора по УВР ________ М. А. Руденко",),
            ),
            Mark(
                clock(ago(5), 13, 5),
                "done",
                ago(12),
                "Диагностика проведена, маршруты педагогов приложены.",
            ),
        ),
        _record(
            "2.3.",
            S5,
            Mark(clock(ago(6), 15, 0), "done", ago(7), "Пробный экзамен проведён, справка готова."),
        ),
        _record("2.4.", S5, *_done_and_accepted(clock, ago(72), ago(70))),
        _record("3.1.", S5, *_done_and_accepted(clock, ago(42), ago(41))),
        _record(
            "3.2.",
            S5,
            *_done_and_accepted(
                clock, ago(20), ago(18), note=f"Приказ о наставничестве от {dotted(ago(20))} № 58."
            ),
        ),
        *tutoring_reports(S5),
        _record(
            "4.1.",
            S5,
            Mark(clock(ago(2), 10, 30), "done", ago(2), "Информация направлена в УО."),
        ),
        # МОБУ СОШ № 8: a mixed picture, reviewed by the municipal coordinator.
        _record("1.1.", S8, *_done_and_accepted(clock, ago(93), ago(90))),
        _record(
            "1.2.",
            S8,
            *_done_and_accepted(
                clock,
                ago(58),
                ago(55),
                state="partly",
                note="Программа утверждена, дорожная карта на доработке.",
            ),
        ),
        _record(
            "1.3.",
            S8,
            Mark(
                clock(ago(29), 11, 0),
                "not_done",
                None,
                "Школа-лидер не подтвердила участие; вопрос вынесен на совещание в УО.",
            ),
        ),
        _record(
            "2.1.", S8, Mark(clock(ago(14), 12, 40), "done", ago(16), "Протокол педсовета № 3.")
        ),
        _record("2.2.", S8, *_done_and_accepted(clock, ago(8), ago(6))),
        _record("2.4.", S8, *_done_and_accepted(clock, ago(66), ago(64))),
        _record("3.1.", S8, *_done_and_accepted(clock, ago(35), ago(33))),
        *tutoring_reports(S8, only_first=True),
        # МОБУ ООШ № 12: behind — late, partly, overdue; two marks wait for the curator.
        _record("1.1.", S12, *_done_and_accepted(clock, ago(86), ago(84))),
        _record("1.2.", S12, *_done_and_accepted(clock, ago(41), ago(40))),
        _record(
            "2.1.",
            S12,
            Attach(
                clock(ago(15), 16, 40),
                url="https://oosh12-kirova.example/dokumenty/pedsovet-gia",
            ),
            Mark(
                clock(ago(15), 16, 45),
                "done",
                ago(15),
                "Протокол педсовета размещён на сайте школы.",
            ),
        ),
        _record(
            "2.3.",
            S12,
            Mark(
                clock(ago(3), 14, 20),
                "partly",
                ago(5),
                "Пробный экзамен проведён только по математике: учитель русского языка на "
                "больничном.",
            ),
        ),
        _record(
            "3.1.",
            S12,
            *_done_and_accepted(
                clock,
                ago(39),
                ago(37),
                state="partly",
                note="Курсы прошёл 1 педагог из 2.",
            ),
        ),
        *tutoring_reports(S12, late_first=True, only_first=True),
        # МБУ «ЦРО» holds the seminar itself.
        _record(
            "1.4.",
            CENTRE,
            Attach(
                clock(seminar, 16, 50),
                name=f"Программа семинара {dotted(seminar)}.pdf",
                heading=("МБУ «ЦРО» Новокубанского района", "ПРОГРАММА СЕМИНАРА"),
                paragraphs=(
                    "«Управленческие решения по повышению качества образования в школах с "
                    "низкими результатами обучения»",
                    f"Дата: {dotted(seminar)}, 10:00. Место: МОБУ гимназия № 2, актовый зал.",
                    "10:00 — Открытие. 10:15 — Анализ результатов ГИА по школам района. "
                    "11:00 — Опыт школ-лидеров. 12:00 — Работа в группах. 13:00 — Итоги.",
                ),
                signature=("Методист ________ О. Н. Карпенко",),
            ),
            Mark(
                clock(seminar, 17, 0),
                "done",
                seminar,
                "Семинар проведён, участвовали 23 руководителя и заместителя из 12 школ.",
            ),
            Review(clock(seminar + DAY, 9, 30), True),
        ),
    )
    return PlanScript(
        owner=OWNER,
        author=COORDINATOR,
        title_start=CURRENT_TITLE,
        title=f"{CURRENT_TITLE} на {start.year}–{end.year} годы",
        period=(start, end),
        header={
            "level": RoadmapLevel.MUNICIPAL,
            "period_text": f"на {start.year}–{end.year} годы",
        },
        sections=sections,
        created_at=clock(created, 10, 0),
        started_at=clock(ago(105), 11, 0),
        records=records,
        life=(
            Submit(
                clock(ago(111), 11, 0),
                COORDINATOR,
                (CENTRE,),
                "Прошу согласовать проект дорожной карты: мероприятия ЦРО — 1.4, 2.2, 3.1, 3.2.",
            ),
            Answer(
                clock(ago(109), 16, 20),
                CENTRE_HEAD,
                CENTRE,
                comment="Сроки семинара и диагностики согласованы с планом работы ЦРО.",
            ),
            Approve(clock(approved, 12, 0), CHIEF, f"01-13/{approved.timetuple().tm_yday}"),
            # A correction under way: the earlier revision stays in force (and in execution)
            # until this one is agreed, approved and started.
            Correct(
                clock(ago(3), 10, 0),
                COORDINATOR,
                "По итогам совещания руководителей: план наставничества принят — срок "
                "закрепления наставников установлен; добавлено совещание по итогам полугодия.",
                added=(
                    (
                        "4.",
                        MeasureSpec(
                            "4.3.",
                            "Совещание при начальнике управления образования «Итоги реализации "
                            "школьных дорожных карт за полугодие»",
                            month_year(after_half_year_report),
                            "Руководители ОО",
                            "УО Новокубанского района, МБУ «ЦРО»",
                            "Протокол совещания, решения по каждой школе",
                        ),
                    ),
                ),
                # «по отдельному плану» gets its date.
                deadlines=(("3.2.", f"до {dotted(weekday_before(today + 45 * DAY))}"),),
            ),
        ),
    )


def closed_plan(today: Date, zone: datetime.tzinfo) -> PlanScript:
    """Last year's municipal plan: executed by the same four schools and closed in January."""
    clock = _Clock(zone)
    year = period_of_current_plan(today)[0].year - 1
    every = SCHOOLS

    def measure(number, title, deadline, result) -> MeasureSpec:
        return MeasureSpec(
            number,
            title,
            deadline,
            "Руководящие и педагогические работники ОО",
            "Руководители ОО",
            result,
            every,
            AssignmentMode.ORGANISATIONS,
        )

    sections = (
        SectionSpec(
            "1.",
            "Управленческие и методические мероприятия",
            (
                measure(
                    "1.1.",
                    "Разработка школьных программ повышения качества образования и дорожных "
                    "карт их реализации",
                    f"февраль – март {year} г.",
                    "Программы и дорожные карты школ",
                ),
                measure(
                    "1.2.",
                    "Участие педагогов в региональных семинарах ИРО Краснодарского края для "
                    "школ с низкими результатами обучения",
                    f"апрель – май {year} г.",
                    "Сертификаты участников",
                ),
            ),
        ),
        SectionSpec(
            "2.",
            "Оценка результатов",
            (
                measure(
                    "2.1.",
                    "Пробные экзамены в форме ОГЭ и ЕГЭ по русскому языку и математике",
                    f"март, ноябрь {year} г.",
                    "Аналитические справки",
                ),
                measure(
                    "2.2.",
                    f"Анализ результатов ГИА-{year}, корректировка школьных дорожных карт",
                    f"август – сентябрь {year} г.",
                    "Скорректированные дорожные карты",
                ),
                measure(
                    "2.3.",
                    f"Отчёт о реализации школьной дорожной карты за {year} год",
                    f"декабрь {year} г.",
                    "Отчёт",
                ),
            ),
        ),
    )
    # (measure, slot, due day) of every window of the plan.
    windows = [
        ("1.1.", 0, Date(year, 3, 31)),
        ("1.2.", 0, Date(year, 5, 31)),
        ("2.1.", 0, Date(year, 3, 31)),
        ("2.1.", 1, Date(year, 11, 30)),
        ("2.2.", 0, Date(year, 9, 30)),
        ("2.3.", 0, Date(year, 12, 31)),
    ]
    late = {(S12, "1.1."), (S12, "2.2."), (S3, "2.1.", 1)}
    records = []
    for school in SCHOOLS:
        for number, slot, due in windows:
            if (school, number) == (S8, "1.2."):
                steps = (
                    Mark(
                        clock(due - 3 * DAY, 11),
                        "not_done",
                        None,
                        "Педагоги не направлены: семинары совпали с ВПР.",
                    ),
                )
            elif (school, number) == (S8, "2.3."):
                steps = _done_and_accepted(
                    clock,
                    due - 5 * DAY,
                    due + 3 * DAY,
                    state="partly",
                    note="Отчёт без раздела о повышении квалификации.",
                )
            elif (school, number) in late or (school, number, slot) in late:
                steps = _done_and_accepted(clock, due + 10 * DAY, due + 12 * DAY)
            else:
                steps = _done_and_accepted(clock, due - 5 * DAY, due + 3 * DAY)
            records.append(_record(number, school, *steps, slot=slot))
    approved = Date(year, 1, 17)
    return PlanScript(
        owner=OWNER,
        author=COORDINATOR,
        title_start=CLOSED_TITLE,
        title=f"{CLOSED_TITLE} на {year} год",
        period=(Date(year, 1, 1), Date(year, 12, 31)),
        header={
            "level": RoadmapLevel.MUNICIPAL,
            "period_text": f"на {year} год",
        },
        sections=sections,
        created_at=clock(Date(year, 1, 10), 10),
        started_at=clock(Date(year, 1, 20), 11),
        records=tuple(records),
        life=(
            Submit(clock(Date(year, 1, 12), 11), COORDINATOR, (CENTRE,)),
            Answer(clock(Date(year, 1, 14), 15, 30), CENTRE_HEAD, CENTRE),
            Approve(clock(approved, 12), CHIEF, "01-13/27"),
            Close(
                clock(Date(year + 1, 1, 25), 12),
                COORDINATOR,
                f"План на {year} год исполнен; итоги подведены на совещании руководителей ОО.",
            ),
        ),
    )


def coming_school_year(today: Date) -> tuple[Date, Date]:
    """The school year that starts on the next 1 September (or today)."""
    first = today.year if today.month < 9 else today.year + 1
    return Date(first, 9, 1), Date(first + 1, 8, 31)


def centre_plan(today: Date, zone: datetime.tzinfo) -> PlanScript:
    """The centre's plan for the next school year: written by the methodologist, agreed by
    the authority, approved by the centre's head and published; its year has not begun."""
    clock = _Clock(zone)

    def ago(days: int) -> Date:
        return today - days * DAY

    period = coming_school_year(today)
    first = period[0].year
    approved = ago(23)
    low = AssignmentMode.LOW_RESULTS
    sections = (
        SectionSpec(
            "1.",
            "Методическое сопровождение",
            (
                MeasureSpec(
                    "1.1.",
                    "Выездные консультации методистов МБУ «ЦРО» в школах с низкими результатами "
                    "обучения",
                    "ежемесячно",
                    "Заместители директоров, учителя-предметники",
                    "МБУ «ЦРО»",
                    "Протоколы консультаций",
                    mode=low,
                ),
                MeasureSpec(
                    "1.2.",
                    "Семинар-практикум «Работа с обучающимися, испытывающими трудности в обучении»",
                    "октябрь",
                    "Учителя-предметники",
                    "МБУ «ЦРО», МОБУ гимназия № 2",
                    "Методические рекомендации",
                    mode=low,
                ),
                MeasureSpec(
                    "1.3.",
                    "Заседания муниципальных методических объединений учителей математики и "
                    "русского языка с участием педагогов школ с низкими результатами",
                    "ноябрь, январь, март",
                    "Учителя математики и русского языка",
                    "МБУ «ЦРО»",
                    "Протоколы заседаний",
                ),
            ),
        ),
        SectionSpec(
            "2.",
            "Мониторинг",
            (
                MeasureSpec(
                    "2.1.",
                    "Входная диагностика обучающихся 5-х и 9-х классов",
                    "сентябрь – октябрь",
                    "Обучающиеся 5-х и 9-х классов",
                    "МБУ «ЦРО», руководители ОО",
                    "Аналитическая справка",
                ),
                MeasureSpec(
                    "2.2.",
                    "Мониторинг реализации школьных дорожных карт",
                    "декабрь, май",
                    "Заместители директоров",
                    "МБУ «ЦРО»",
                    "Справка для совещания руководителей",
                ),
                MeasureSpec(
                    "2.3.",
                    "Муниципальная конференция «Школа роста: эффективные практики»",
                    "по отдельному плану",
                    "Руководящие и педагогические работники ОО",
                    "МБУ «ЦРО», УО Новокубанского района",
                    "Сборник практик",
                ),
            ),
        ),
    )
    return PlanScript(
        owner=CENTRE,
        author="methodologist",
        title_start=CENTRE_TITLE,
        title=f"{CENTRE_TITLE} на {first}/{first + 1} учебный год",
        period=period,
        header={"level": RoadmapLevel.CENTRE, "period_text": f"на {first}/{first + 1} учебный год"},
        sections=sections,
        created_at=clock(ago(30), 11, 0),
        life=(
            Submit(
                clock(ago(27), 10, 0),
                "methodologist",
                (OWNER,),
                f"Просим согласовать план методического сопровождения на {first}/{first + 1} "
                "учебный год.",
            ),
            Answer(clock(ago(25), 14, 40), COORDINATOR, OWNER),
            Approve(clock(approved, 11, 0), CENTRE_HEAD, f"{approved.timetuple().tm_yday}-од"),
            Publish(clock(approved, 11, 30), "methodologist"),
        ),
    )


def school_template(today: Date, zone: datetime.tzinfo) -> TemplateScript:
    """The authority's model plan for schools for the next school year, typed in Word with
    «СОГЛАСОВАНО» for the authority and the centre, imported and handed to the four schools
    of the municipal plan; what became of each copy."""
    clock = _Clock(zone)

    def ago(days: int) -> Date:
        return today - days * DAY

    period = coming_school_year(today)
    first = period[0].year
    year_text = f"на {first}/{first + 1} учебный год"
    deputy_head = "Заместитель директора по УВР"
    sections = (
        SectionSpec(
            "1.",
            "Управленческие мероприятия",
            (
                MeasureSpec(
                    "1.1.",
                    "Анализ результатов ГИА и ВПР прошлого учебного года, определение проблемных "
                    "зон по предметам и классам",
                    "сентябрь",
                    responsible=deputy_head,
                    result="Аналитическая справка",
                ),
                MeasureSpec(
                    "1.2.",
                    "Рассмотрение программы перехода школы в эффективный режим функционирования "
                    "на педагогическом совете",
                    "октябрь",
                    responsible="Директор",
                    result="Протокол педагогического совета, приказ об утверждении программы",
                ),
                MeasureSpec(
                    "1.3.",
                    "Мониторинг реализации дорожной карты школы",
                    "декабрь, май",
                    responsible=deputy_head,
                    result="Справка на совещании при директоре",
                ),
            ),
        ),
        SectionSpec(
            "2.",
            "Работа с педагогами",
            (
                MeasureSpec(
                    "2.1.",
                    "Диагностика профессиональных дефицитов педагогов, индивидуальные "
                    "образовательные маршруты",
                    "октябрь – ноябрь",
                    responsible=f"{deputy_head}, МБУ «ЦРО»",
                    result="Индивидуальные образовательные маршруты педагогов",
                ),
                MeasureSpec(
                    "2.2.",
                    "Взаимопосещение уроков с педагогами школ-лидеров",
                    "ежемесячно",
                    responsible="Руководители школьных методических объединений",
                    result="Листы посещения уроков",
                ),
            ),
        ),
        SectionSpec(
            "3.",
            "Работа с обучающимися и родителями",
            (
                MeasureSpec(
                    "3.1.",
                    "Консультации для обучающихся 9-х и 11-х классов по подготовке к ГИА",
                    "в течение учебного года",
                    responsible="Учителя-предметники",
                    result="График консультаций, журнал посещаемости",
                ),
                MeasureSpec(
                    "3.2.",
                    "Пробные экзамены в форме ОГЭ и ЕГЭ по русскому языку и математике",
                    "декабрь, март",
                    responsible=deputy_head,
                    result="Аналитические справки по результатам",
                ),
                MeasureSpec(
                    "3.3.",
                    "Родительские собрания по вопросам подготовки к ГИА",
                    "октябрь, февраль",
                    responsible="Классные руководители",
                    result="Протоколы родительских собраний",
                ),
            ),
        ),
    )
    handed = ago(24)
    return TemplateScript(
        owner=OWNER,
        author=COORDINATOR,
        title_start=TEMPLATE_TITLE,
        file_name=f"Типовая дорожная карта школы {first}-{first + 1}.docx",
        stamps=(
            (
                "СОГЛАСОВАНО",
                "Начальник УО Новокубанского района",
                "________ Е. Н. Кравченко",
                f"«___» ____________ {first} г.",
            ),
            (
                "СОГЛАСОВАНО",
                "Директор",
                "МБУ «ЦРО»",
                "________ С. В. Давыденко",
                f"«___» ____________ {first} г.",
            ),
        ),
        title_lines=(
            "ДОРОЖНАЯ КАРТА",
            "по переходу школы в эффективный режим функционирования",
            year_text,
        ),
        period=period,
        sections=sections,
        imported_at=clock(handed, 9, 30),
        schools=SCHOOLS,
        copies=(
            # СОШ № 5 sent first; the centre agreed, the authority returned it with remarks.
            SchoolCopyScript(
                S5,
                "deputy5",
                f"Дорожная карта по переходу МОБУ СОШ № 5 в эффективный режим функционирования "
                f"{year_text}",
                clock(ago(21), 14, 0),
                added=(
                    (
                        "3.",
                        MeasureSpec(
                            "3.4.",
                            "Адаптационные занятия для обучающихся, для которых русский язык не "
                            "является родным",
                            "в течение учебного года",
                            responsible=deputy_head,
                            result="Программа занятий, списки групп",
                        ),
                    ),
                ),
                life=(
                    Submit(
                        clock(ago(18), 10, 0),
                        "deputy5",
                        (OWNER, CENTRE),
                        "Направляем дорожную карту школы на согласование.",
                    ),
                    Answer(clock(ago(16), 11, 0), CENTRE_HEAD, CENTRE),
                    Answer(
                        clock(ago(14), 15, 10),
                        COORDINATOR,
                        OWNER,
                        agree=False,
                        comment="Пробный ОГЭ по математике нужен и в феврале: в декабре и марте "
                        "мало для школы с низкими результатами. В 3.4 укажите, кто ведёт занятия "
                        "и сколько часов в неделю.",
                    ),
                ),
            ),
            # СОШ № 3 sent its copy later: the centre agreed, the authority has not answered.
            SchoolCopyScript(
                S3,
                "deputy",
                f"Дорожная карта по переходу МОБУ СОШ № 3 в эффективный режим функционирования "
                f"{year_text}",
                clock(ago(13), 10, 0),
                added=(
                    (
                        "2.",
                        MeasureSpec(
                            "2.3.",
                            "Закрепление наставников из МОБУ гимназия № 2 за учителями математики "
                            "и физики",
                            "сентябрь",
                            responsible="Директор, МОБУ гимназия № 2",
                            result="Приказ о наставничестве",
                        ),
                    ),
                    (
                        "3.",
                        MeasureSpec(
                            "3.4.",
                            "Занятия по формированию функциональной грамотности в 5–7-х классах",
                            "еженедельно",
                            responsible="Учителя-предметники",
                            result="Рабочая программа курса",
                        ),
                    ),
                ),
                life=(
                    Submit(
                        clock(ago(9), 9, 30),
                        "deputy",
                        (OWNER, CENTRE),
                        "Дорожная карта рассмотрена на педагогическом совете, просим согласовать.",
                    ),
                    Answer(
                        clock(ago(6), 16, 0),
                        CENTRE_HEAD,
                        CENTRE,
                        comment="Наставников гимназии № 2 включим в план методического "
                        "сопровождения ЦРО.",
                    ),
                ),
            ),
        ),
    )
