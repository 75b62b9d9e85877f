"""The demo's partnership agreements (``partnerships``): the ones the sample plans speak of,
recorded through the services by the demo people at their moments (``as_of``), with scans
made in code (``demo.documents``).

* Новокубанский ЦРО, the network leader of its network plan (sample measure 1.4), with the
  centres of Армавир, Ленинградский, Тихорецкий, Успенский and Кавказский районов: five
  agreements «центр — центр» naming the network plan, so that the centres' staff see it
  (``partner`` — the head of Армавир's centre — sees the plan and its agreement, nothing
  else of Новокубанский район). The one with Кавказский район ends in 30 days: the
  digest of the day tells of it.
* Новокубанский район's schools (measure 1.3 of the municipal plan in execution, «договоры
  о сетевом взаимодействии со школами-лидерами»): СОШ № 5 with СОШ № 2 and the centre
  (three-party), ООШ № 12 with гимназия № 2 — signing them completed their records, the
  agreement is the evidence; СОШ № 8's agreement with СОШ № 1 is a draft (the leader has not
  confirmed); СОШ № 3 signed nothing yet (it records one in the checks); an expired and a
  terminated agreement of earlier years.
* Армавир, and the one-school networks of the other Кубань districts with their centres.
* Пономаревский район: its «Список сетевого партнерства» (appendix 4 of the order) as a
  Word table built here, imported by ``ponomarevka`` through the import of lists.
* Новосибирский район: a leader school with two supported ones, a three-party agreement
  with the ИМЦ and one with the pedagogical university.

Every agreement is found by its registrar and number: a later run adds only what is
missing (and moves what ended to «Истёк срок»).
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field

from django.core.files.base import ContentFile

from partnerships import resources, services
from partnerships.constants import AgreementKind, AgreementStatus, PartyRole
from partnerships.models import Agreement
from partnerships.services import AgreementInput, PartyInput
from roadmaps.constants import RoadmapStatus
from roadmaps.models import Measure, Roadmap, RoadmapImport
from schools.access import SYSTEM
from schools.models import Organisation, User

from . import scenario
from .documents import pdf_document
from .execution import reference_day
from .timeshift import as_of

DAY = datetime.timedelta(days=1)
NETWORK_SAMPLE = "novokubansky-cro-2019-2022.docx"
PONOMAREVKA_SAMPLE = "ponomarevsky-order-2020.docx"

# What the kinds say in a scan's heading.
HEADINGS = {
    AgreementKind.CENTRE_CENTRE: "о сетевом взаимодействии территориальных методических служб",
    AgreementKind.THREE_PARTY: "о сетевом партнёрстве (трёхстороннее)",
    AgreementKind.SCHOOL_SCHOOL: "о сетевом взаимодействии образовательных организаций",
    AgreementKind.CENTRE_SCHOOL: "о методическом сопровождении",
    AgreementKind.UNIVERSITY: "о сотрудничестве",
}


@dataclass(frozen=True)
class Spec:
    number: str
    kind: str
    parties: tuple[tuple[str, str, str], ...]  # (short name, role, signatory)
    subject: str
    support_form: str
    signed: int | None  # days before the reference day (None: a draft)
    valid_days: int | None = 3 * 365  # from signing; None: without end
    who: str = ""  # a demo user; "" — the system (no demo user in that municipality)
    measures: tuple[tuple[str, str], ...] = ()  # (plan key, measure number)
    plans: tuple[str, ...] = ()  # plan keys
    scan: bool = True
    terminated: tuple[int, str] | None = None  # (days ago, reason)
    valid_to_in: int | None = None  # the end of validity, days after the reference day
    extra: dict = field(default_factory=dict)


CENTRE = scenario.CENTRE
PARTNER_CENTRES = (
    ("МКУ «ЦРО и ОК»", "О. В. Мартынова", "Армавир"),
    ("МКУ ДПО «ЦРО»", "Е. С. Ивасенко", "Ленинградский район"),
    ("МКУ СО «ЦРО»", "Н. С. Полякова", "Тихорецкий район"),
    ("МКУ ДПО «Методический кабинет»", "Ю. В. Зубоватю", "Успенский район"),
    ("МКУ «Организационно-методический центр РО»", "Е. В. Риккер", "Кавказский район"),
)
NETWORK_SUBJECT = (
    "Сетевое взаимодействие территориальных методических служб по методическому "
    "сопровождению школ с низкими результатами обучения: совместные семинары, обмен "
    "методическими материалами, тьюторское сопровождение"
)


def specs() -> list[Spec]:
    found = [
        Spec(
            number=f"СВ-{index}",
            kind=AgreementKind.CENTRE_CENTRE,
            parties=(
                (CENTRE, PartyRole.NETWORK_LEADER, "С. В. Давыденко"),
                (short, PartyRole.PARTNER, signatory),
            ),
            subject=NETWORK_SUBJECT,
            support_form="методическая, консультационная",
            signed=200 - index,
            who="coordinator",
            measures=(("network", "1.4."),),
            plans=("network",),
            valid_to_in=30 if index == 5 else None,
        )
        for index, (short, signatory, _) in enumerate(PARTNER_CENTRES, 1)
    ]
    found += [
        Spec(
            number="ШП-5",
            kind=AgreementKind.THREE_PARTY,
            parties=(
                (CENTRE, PartyRole.CURATOR_CENTRE, "С. В. Давыденко"),
                ("МОБУ СОШ № 2", PartyRole.LEADER_SCHOOL, "Л. А. Сорокина"),
                (scenario.S5, PartyRole.SUPPORTED, "В. И. Онищенко"),
            ),
            subject="Тьюторское сопровождение педагогов МОБУ СОШ № 5 педагогами школы-лидера, "
            "взаимопосещение уроков, совместные методические объединения",
            support_form="тьюторская, методическая",
            signed=34,
            valid_days=365,
            who="coordinator",
            measures=(("current", "1.3."), ("network", "1.7.")),
        ),
        Spec(
            number="ШП-12",
            kind=AgreementKind.SCHOOL_SCHOOL,
            parties=(
                ("МОБУ гимназия № 2", PartyRole.LEADER_SCHOOL, "Т. Н. Гречко"),
                (scenario.S12, PartyRole.SUPPORTED, "Н. П. Литвин"),
            ),
            subject="Консультационная помощь по подготовке к ОГЭ, совместные педагогические "
            "советы, доступ к ресурсам гимназии",
            support_form="консультационная, организационная",
            signed=33,
            valid_days=365,
            who="coordinator",
            measures=(("current", "1.3."), ("network", "1.7.")),
        ),
        Spec(
            number="ШП-8",
            kind=AgreementKind.SCHOOL_SCHOOL,
            parties=(
                ("МОБУ СОШ № 1", PartyRole.LEADER_SCHOOL, ""),
                (scenario.S8, PartyRole.SUPPORTED, ""),
            ),
            subject="Сетевое взаимодействие школы-лидера и школы с низкими результатами",
            support_form="методическая",
            signed=None,
            who="coordinator",
            measures=(("current", "1.3."),),
            scan=False,
        ),
        Spec(
            number="ШП-19",
            kind=AgreementKind.SCHOOL_SCHOOL,
            parties=(
                ("МОБУ гимназия № 2", PartyRole.LEADER_SCHOOL, "Т. Н. Гречко"),
                ("МОБУ СОШ № 19", PartyRole.SUPPORTED, "А. В. Бойко"),
            ),
            subject="Сетевое взаимодействие по подготовке к ГИА",
            support_form="консультационная",
            signed=500,
            valid_days=365,
            who="coordinator",
        ),
        Spec(
            number="ШП-15",
            kind=AgreementKind.SCHOOL_SCHOOL,
            parties=(
                ("МОБУ СОШ № 1", PartyRole.LEADER_SCHOOL, "И. Г. Кривошеева"),
                ("МОБУ СОШ № 15", PartyRole.SUPPORTED, "Р. С. Мирошниченко"),
            ),
            subject="Методическая поддержка школы с низкими результатами",
            support_form="методическая",
            signed=420,
            who="coordinator",
            terminated=(
                90,
                "Соглашение сторон: школа вышла из группы ШНОР и стала «школой роста».",
            ),
        ),
        Spec(
            number="А-1",
            kind=AgreementKind.THREE_PARTY,
            parties=(
                ("МКУ «ЦРО и ОК»", PartyRole.CURATOR_CENTRE, "О. В. Мартынова"),
                ("МАОУ СОШ № 3 г. Армавира", PartyRole.LEADER_SCHOOL, ""),
                ("МБОУ СОШ № 11 г. Армавира", PartyRole.SUPPORTED, ""),
            ),
            subject="Сетевое партнёрство школы-лидера и школы с низкими результатами",
            support_form="тьюторская",
            signed=150,
            valid_days=2 * 365,
        ),
    ]
    for number, centre, school, role in (
        ("Л-1", "МКУ ДПО «ЦРО»", "МБОУ СОШ № 4 ст. Ленинградской", PartyRole.SUPPORTED),
        ("Т-1", "МКУ СО «ЦРО»", "МБОУ СОШ № 6 г. Тихорецка", PartyRole.SUPPORTED),
        (
            "У-1",
            "МКУ ДПО «Методический кабинет»",
            "МБОУ СОШ № 1 с. Успенского",
            PartyRole.LEADER_SCHOOL,
        ),
        (
            "К-1",
            "МКУ «Организационно-методический центр РО»",
            "МБОУ СОШ № 9 ст. Кавказской",
            PartyRole.SUPPORTED,
        ),
    ):
        found.append(
            Spec(
                number=number,
                kind=AgreementKind.CENTRE_SCHOOL,
                parties=((centre, PartyRole.CURATOR_CENTRE, ""), (school, role, "")),
                subject="Методическое сопровождение школы территориальной методической службой",
                support_form="методическая",
                signed=140,
                valid_days=2 * 365,
                scan=False,
            )
        )
    found += [
        Spec(
            number="НР-1",
            kind=AgreementKind.SCHOOL_SCHOOL,
            parties=(
                ("МБОУ «Барышевская СОШ № 9»", PartyRole.LEADER_SCHOOL, ""),
                ("МКОУ «Криводановская СОШ № 20»", PartyRole.SUPPORTED, ""),
                ("МКОУ «Ярковская СОШ № 1»", PartyRole.SUPPORTED, ""),
            ),
            subject="Сетевое взаимодействие школы-лидера со школами с низкими результатами",
            support_form="методическая, тьюторская",
            signed=120,
            valid_days=2 * 365,
            who="novosibirsk",
        ),
        Spec(
            number="НР-2",
            kind=AgreementKind.THREE_PARTY,
            parties=(
                ("МКОУ «ИМЦ»", PartyRole.CURATOR_CENTRE, ""),
                ("МБОУ «Барышевская СОШ № 9»", PartyRole.LEADER_SCHOOL, ""),
                ("МКОУ «Алексеевская ОШ № 4»", PartyRole.SUPPORTED, ""),
            ),
            subject="Адресная помощь основной школе в неблагоприятных социальных условиях",
            support_form="консультационная, методическая",
            signed=118,
            valid_days=2 * 365,
            who="novosibirsk",
        ),
        Spec(
            number="НР-3",
            kind=AgreementKind.UNIVERSITY,
            parties=(
                ("ФГБОУ ВО «НГПУ»", PartyRole.PARTNER, ""),
                ("Управление образования", PartyRole.PARTNER, ""),
            ),
            subject="Повышение квалификации педагогов школ с низкими результатами, "
            "практика студентов в школах района",
            support_form="научно-методическая",
            signed=100,
            valid_days=3 * 365,
            who="novosibirsk",
            scan=False,
        ),
    ]
    return found


def _scan(spec: Spec, signed_on: datetime.date, names: dict[str, Organisation]) -> ContentFile:
    parties = [names[short] for short, _, _ in spec.parties]
    paragraphs = [
        f"Дата: {signed_on:%d.%m.%Y}.",
        "Стороны: " + "; ".join(org.full_name for org in parties) + ".",
        f"Предмет соглашения: {spec.subject}.",
        f"Форма поддержки: {spec.support_form}.",
        "Стороны обязуются обмениваться методическими материалами, проводить совместные "
        "мероприятия и информировать друг друга о результатах работы.",
    ]
    signatures = [
        f"{org.short_name} ________ {signatory}".rstrip()
        for org, (_, _, signatory) in zip(parties, spec.parties, strict=True)
    ]
    data = pdf_document(
        heading=("СОГЛАШЕНИЕ", f"№ {spec.number}", HEADINGS[spec.kind]),
        paragraphs=paragraphs,
        signature=signatures,
    )
    return ContentFile(data, name=f"Соглашение № {spec.number}.pdf")


def _plans(by_short: dict[str, Organisation]) -> dict[str, Roadmap]:
    plans: dict[str, Roadmap] = {}
    current = (
        Roadmap.objects.filter(
            owner=by_short[scenario.OWNER],
            title__startswith=scenario.CURRENT_TITLE,
            status=RoadmapStatus.EXECUTION,
        )
        .order_by("pk")
        .first()
    )
    if current is not None:
        plans["current"] = current
    for key, name in (("network", NETWORK_SAMPLE), ("ponomarevka", PONOMAREVKA_SAMPLE)):
        imported = (
            RoadmapImport.objects.filter(file_name=name)
            .select_related("roadmap")
            .order_by("pk")
            .first()
        )
        if imported is not None:
            plans[key] = imported.roadmap
    return plans


def _measures(spec: Spec, plans: dict[str, Roadmap]) -> list[Measure]:
    found = []
    for key, number in spec.measures:
        plan = plans.get(key)
        if plan is None:
            continue
        measure = Measure.objects.filter(roadmap=plan, number=number).order_by("pk").first()
        if measure is not None:
            found.append(measure)
    return found


def seed_partnerships(by_short: dict[str, Organisation]) -> int:
    """The demo agreements (the module docstring); returns how many were added."""
    owner = by_short[scenario.OWNER]
    day = reference_day(owner)
    plans = _plans(by_short)
    names = dict(by_short)
    people = {
        u.username: u
        for u in User.objects.filter(username__in=["coordinator", "novosibirsk", "ponomarevka"])
    }
    added = 0
    for spec in specs():
        registrar = names[spec.parties[0][0]]
        agreement = Agreement.objects.filter(registrar=registrar, number=spec.number).first()
        who = people.get(spec.who, SYSTEM) if spec.who else SYSTEM
        if agreement is None:
            signed_on = day - DAY * spec.signed if spec.signed is not None else None
            start = signed_on or day - DAY * 10
            if spec.valid_to_in is not None:
                valid_to = day + DAY * spec.valid_to_in
            elif spec.valid_days is not None:
                valid_to = start + DAY * spec.valid_days
            else:
                valid_to = None
            data = AgreementInput(
                kind=spec.kind,
                subject=spec.subject,
                support_form=spec.support_form,
                number=spec.number,
                valid_from=start,
                valid_to=valid_to,
                parties=[
                    PartyInput(names[short], role, signatory_name=signatory)
                    for short, role, signatory in spec.parties
                ],
                roadmaps=[plans[key] for key in spec.plans if key in plans],
                measures=_measures(spec, plans),
            )
            moment = datetime.datetime.combine(start, datetime.time(11, 30), tzinfo=datetime.UTC)
            with as_of(moment):
                agreement = services.agreement_create(
                    acting_user=who,
                    data=data,
                    signed_on=signed_on,
                    scan=_scan(spec, signed_on, names) if signed_on and spec.scan else None,
                )
            added += 1
        if spec.terminated and agreement.status == AgreementStatus.SIGNED:
            days_ago, reason = spec.terminated
            terminated_on = day - DAY * days_ago
            moment = datetime.datetime.combine(
                terminated_on, datetime.time(12, 0), tzinfo=datetime.UTC
            )
            with as_of(moment):
                services.agreement_terminate(
                    agreement=agreement, acting_user=who, terminated_on=terminated_on, reason=reason
                )
    added += _import_ponomarevka(names, plans, people.get("ponomarevka"), day)
    services.agreements_expire(today=day)
    return added


# --- Пономаревский район: the list of the order, imported ----------------------------------

PONOMAREVKA_LIST = (
    (
        "МБОУ «Ефимовская СОШ»",
        ("МБОУ «Пономаревская СОШ»", "МКУ «ЦМТО»"),
        "консультационная, методическая",
    ),
    ("МБОУ «Романовская СОШ»", ("МБОУ «Пономаревская СОШ»",), "методическая, организационная"),
    ("МБОУ «Дюсьметьевская СОШ»", ("МБОУ «Пономаревская СОШ»",), "консультационная"),
    ("МБОУ «Воздвиженская СОШ»", ("МКУ «ЦМТО»",), "методическая (базовая площадка — МКУ «ЦМТО»)"),
)


def ponomarevka_docx(rows=PONOMAREVKA_LIST) -> bytes:
    """Appendix 4 of the Пономаревский order as its authority would write it: a heading and
    a table «№ п/п · ОО с низкими результатами · ОО-партнёр · форма поддержки»."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = Document()
    for text in (
        "Приложение № 4 к приказу отдела образования",
        "администрации Пономаревского района",
    ):
        document.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading.add_run(
        "Список сетевого партнерства образовательных организаций с низкими образовательными "
        "результатами и образовательных организаций-партнеров"
    ).bold = True
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells,
        (
            "№ п/п",
            "Образовательная организация с низкими образовательными результатами",
            "Образовательная организация-партнер",
            "Форма поддержки",
        ),
        strict=True,
    ):
        cell.text = text
    for number, (school, partners, form) in enumerate(rows, 1):
        cells = table.add_row().cells
        cells[0].text = f"{number}."
        cells[1].text = school
        cells[2].text = "; ".join(partners)
        cells[3].text = form
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _import_ponomarevka(names, plans, user, day: datetime.date) -> int:
    """The list imported by the municipality's coordinator, once (its agreements found by
    their supported school, which the list names once)."""
    if user is None:
        return 0
    ponomarevka = names["Отдел образования"]
    if Agreement.objects.filter(
        parties__organisation__municipality=ponomarevka.municipality
    ).exists():
        return 0
    year = day.year if day.month >= 9 else day.year - 1
    start = datetime.date(year, 9, 1)
    if start > day:
        start = day
    plan = plans.get("ponomarevka")
    measures = (
        list(Measure.objects.filter(roadmap=plan, number__in=["6.", "22."]).order_by("order"))
        if plan
        else []
    )
    from partnerships import selectors

    content = ponomarevka_docx()
    rows = resources.read_list(content, "Приложение 4.docx")
    options = resources.ImportOptions(
        valid_from=start,
        valid_to=datetime.date(year + 1, 8, 31),
        signed=True,
        signed_on=start,
        roadmaps=[plan] if plan else [],
        measures=measures,
    )
    moment = datetime.datetime.combine(start, datetime.time(9, 0), tzinfo=datetime.UTC)
    with as_of(moment):
        preview = resources.preview(rows, selectors.party_candidates(user), options)
        if preview.has_errors:
            raise RuntimeError(f"The demo list does not import: {preview.rows}")
        created = services.agreements_import(acting_user=user, items=preview.items)
    return len(created)
