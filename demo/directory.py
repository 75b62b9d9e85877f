"""The demo directory: the regions, municipalities and organisations of the sample plans,
a few dozen schools with their flags, and a demo user for every role.

Everything is keyed by natural keys, so running it again updates rather than duplicates.
The demo password is public on purpose (README); never load demo data in production."""

from __future__ import annotations

from dataclasses import dataclass

from schools import access, services
from schools.constants import OrganisationKind as K
from schools.constants import Role, SchoolLevel
from schools.models import CuratorAssignment, Municipality, Organisation, Region, User

DEMO_PASSWORD = "Demo-2026-roadmaps"  # noqa: S105 — public by design, printed in the README


@dataclass(frozen=True)
class Org:
    short: str
    full: str
    kind: str
    level: str = ""
    low: bool = False
    unfavourable: bool = False
    leader: bool = False
    growth: tuple[int, int] | None = None


def school(short, full, level=SchoolLevel.SECONDARY, **flags) -> Org:
    return Org(short, full, K.SCHOOL, level=level, **flags)


REGIONS: dict[str, dict] = {
    "Краснодарский край": {
        "time_zone": "Europe/Moscow",
        "regional": [
            Org(
                "МОН КК",
                "Министерство образования, науки и молодежной политики Краснодарского края",
                K.REGIONAL_AUTHORITY,
            ),
            Org(
                "ИРО КК",
                "Государственное бюджетное образовательное учреждение дополнительного профессионального образования «Институт развития образования» Краснодарского края",
                K.REGIONAL_AUTHORITY,
            ),
        ],
        "municipalities": {
            "Новокубанский район": [
                Org(
                    "УО Новокубанского района",
                    "Управление образования администрации муниципального образования Новокубанский район",
                    K.MUNICIPAL_AUTHORITY,
                ),
                Org(
                    "МБУ «ЦРО»",
                    "Муниципальное бюджетное учреждение «Центр развития образования»",
                    K.METHOD_CENTRE,
                ),
                school(
                    "МОБУ СОШ № 1",
                    "Муниципальное общеобразовательное бюджетное учреждение средняя общеобразовательная школа № 1 г. Новокубанска",
                    leader=True,
                ),
                school(
                    "МОБУ СОШ № 2",
                    "Муниципальное общеобразовательное бюджетное учреждение средняя общеобразовательная школа № 2 г. Новокубанска",
                    leader=True,
                ),
                school(
                    "МОБУ СОШ № 3",
                    "Муниципальное общеобразовательное бюджетное учреждение средняя общеобразовательная школа № 3 г. Новокубанска",
                    low=True,
                ),
                school(
                    "МОБУ СОШ № 5",
                    "Муниципальное общеобразовательное бюджетное учреждение средняя общеобразовательная школа № 5 ст. Прочноокопской",
                    low=True,
                    unfavourable=True,
                ),
                school(
                    "МОБУ СОШ № 8",
                    "Муниципальное общеобразовательное бюджетное учреждение средняя общеобразовательная школа № 8 пос. Прикубанского",
                    low=True,
                ),
                school(
                    "МОБУ ООШ № 12",
                    "Муниципальное общеобразовательное бюджетное учреждение основная общеобразовательная школа № 12 хут. Кирова",
                    level=SchoolLevel.BASIC,
                    low=True,
                    unfavourable=True,
                ),
                school(
                    "МОБУ СОШ № 15",
                    "Муниципальное общеобразовательное бюджетное учреждение средняя общеобразовательная школа № 15 ст. Бесскорбной",
                    growth=(2021, 2022),
                ),
                school(
                    "МОБУ гимназия № 2",
                    "Муниципальное общеобразовательное бюджетное учреждение гимназия № 2 г. Новокубанска",
                    level=SchoolLevel.GYMNASIUM,
                    leader=True,
                ),
                school(
                    "МОБУ СОШ № 19",
                    "Муниципальное общеобразовательное бюджетное учреждение средняя общеобразовательная школа № 19 с. Ковалевского",
                    unfavourable=True,
                ),
            ],
            "город Армавир": [
                Org(
                    "МКУ «ЦРО и ОК»",
                    "Муниципальное казенное учреждение «Центр развития образования и оценки качества» муниципального образования город Армавир",
                    K.METHOD_CENTRE,
                ),
                school(
                    "МАОУ СОШ № 3 г. Армавира",
                    "Муниципальное автономное общеобразовательное учреждение средняя общеобразовательная школа № 3 города Армавира",
                    leader=True,
                ),
                school(
                    "МБОУ СОШ № 11 г. Армавира",
                    "Муниципальное бюджетное общеобразовательное учреждение средняя общеобразовательная школа № 11 города Армавира",
                    low=True,
                ),
            ],
            "Ленинградский район": [
                Org(
                    "МКУ ДПО «ЦРО»",
                    "Муниципальное казенное учреждение дополнительного профессионального образования «Центр развития образования» муниципального образования Ленинградский район",
                    K.METHOD_CENTRE,
                ),
                school(
                    "МБОУ СОШ № 4 ст. Ленинградской",
                    "Муниципальное бюджетное общеобразовательное учреждение средняя общеобразовательная школа № 4 станицы Ленинградской",
                    low=True,
                ),
            ],
            "Тихорецкий район": [
                Org(
                    "МКУ СО «ЦРО»",
                    "Муниципальное казенное учреждение «Центр развития образования» муниципального образования Тихорецкий район",
                    K.METHOD_CENTRE,
                ),
                school(
                    "МБОУ СОШ № 6 г. Тихорецка",
                    "Муниципальное бюджетное общеобразовательное учреждение средняя общеобразовательная школа № 6 города Тихорецка",
                    low=True,
                ),
            ],
            "Успенский район": [
                Org(
                    "МКУ ДПО «Методический кабинет»",
                    "Муниципальное казенное учреждение дополнительного профессионального образования «Методический кабинет» муниципального образования Успенский район",
                    K.METHOD_CENTRE,
                ),
                school(
                    "МБОУ СОШ № 1 с. Успенского",
                    "Муниципальное бюджетное общеобразовательное учреждение средняя общеобразовательная школа № 1 села Успенского",
                    leader=True,
                ),
            ],
            "Кавказский район": [
                Org(
                    "МКУ «Организационно-методический центр РО»",
                    "Муниципальное казенное учреждение «Организационно-методический центр развития образования» муниципального образования Кавказский район",
                    K.METHOD_CENTRE,
                ),
                school(
                    "МБОУ СОШ № 9 ст. Кавказской",
                    "Муниципальное бюджетное общеобразовательное учреждение средняя общеобразовательная школа № 9 станицы Кавказской",
                    low=True,
                    growth=(2022, 2022),
                ),
            ],
        },
    },
    "Оренбургская область": {
        "time_zone": "Asia/Yekaterinburg",
        "regional": [
            Org(
                "Минобр Оренбургской области",
                "Министерство образования Оренбургской области",
                K.REGIONAL_AUTHORITY,
            ),
            Org(
                "ГБУ «РЦРО»",
                "Государственное бюджетное учреждение «Региональный центр развития образования Оренбургской области»",
                K.REGIONAL_AUTHORITY,
            ),
        ],
        "municipalities": {
            "Пономаревский район": [
                Org(
                    "Отдел образования",
                    "Отдел образования администрации Пономаревского района",
                    K.MUNICIPAL_AUTHORITY,
                ),
                Org(
                    "МКУ «ЦМТО»",
                    "Муниципальное казенное учреждение «Центр методического и технического обеспечения» Пономаревского района",
                    K.METHOD_CENTRE,
                ),
                school(
                    "МБОУ «Пономаревская СОШ»",
                    "Муниципальное бюджетное общеобразовательное учреждение «Пономаревская средняя общеобразовательная школа»",
                    leader=True,
                ),
                school(
                    "МБОУ «Ефимовская СОШ»",
                    "Муниципальное бюджетное общеобразовательное учреждение «Ефимовская средняя общеобразовательная школа»",
                    low=True,
                ),
                school(
                    "МБОУ «Романовская СОШ»",
                    "Муниципальное бюджетное общеобразовательное учреждение «Романовская средняя общеобразовательная школа»",
                    low=True,
                    unfavourable=True,
                ),
                school(
                    "МБОУ «Дюсьметьевская СОШ»",
                    "Муниципальное бюджетное общеобразовательное учреждение «Дюсьметьевская средняя общеобразовательная школа»",
                    low=True,
                ),
                school(
                    "МБОУ «Фадеевская ООШ»",
                    "Муниципальное бюджетное общеобразовательное учреждение «Фадеевская основная общеобразовательная школа»",
                    level=SchoolLevel.BASIC,
                    unfavourable=True,
                ),
                school(
                    "МБОУ «Наурузовская СОШ»",
                    "Муниципальное бюджетное общеобразовательное учреждение «Наурузовская средняя общеобразовательная школа»",
                    growth=(2021, 2022),
                ),
                school(
                    "МБОУ «Воздвиженская СОШ»",
                    "Муниципальное бюджетное общеобразовательное учреждение «Воздвиженская средняя общеобразовательная школа»",
                    low=True,
                ),
            ],
        },
    },
    "Новосибирская область": {
        "time_zone": "Asia/Novosibirsk",
        "regional": [
            Org(
                "Минобрнауки НСО",
                "Министерство образования Новосибирской области",
                K.REGIONAL_AUTHORITY,
            ),
            # A partner of the district's schools (an agreement «с вузом» in the demo).
            Org(
                "ФГБОУ ВО «НГПУ»",
                "Федеральное государственное бюджетное образовательное учреждение высшего образования «Новосибирский государственный педагогический университет»",
                K.OTHER,
            ),
        ],
        "municipalities": {
            "Новосибирский район": [
                Org(
                    "Управление образования",
                    "Управление образования администрации Новосибирского района Новосибирской области",
                    K.MUNICIPAL_AUTHORITY,
                ),
                Org(
                    "МКОУ «ИМЦ»",
                    "Муниципальное казенное образовательное учреждение «Информационно-методический центр» Новосибирского района",
                    K.METHOD_CENTRE,
                ),
                Org(
                    "МКОУ «ЦДиК»",
                    "Муниципальное казенное образовательное учреждение «Центр диагностики и консультирования» Новосибирского района",
                    K.OTHER,
                ),
                school(
                    "МКОУ «Алексеевская ОШ № 4»",
                    "Муниципальное казенное общеобразовательное учреждение Новосибирского района Новосибирской области «Алексеевская основная школа № 4»",
                    level=SchoolLevel.BASIC,
                    low=True,
                    unfavourable=True,
                ),
                school(
                    "МБОУ «Барышевская СОШ № 9»",
                    "Муниципальное бюджетное общеобразовательное учреждение Новосибирского района Новосибирской области «Барышевская средняя школа № 9»",
                    leader=True,
                ),
                school(
                    "МКОУ «Криводановская СОШ № 20»",
                    "Муниципальное казенное общеобразовательное учреждение Новосибирского района Новосибирской области «Криводановская средняя школа № 20»",
                    low=True,
                ),
                school(
                    "МКОУ «Ярковская СОШ № 1»",
                    "Муниципальное казенное общеобразовательное учреждение Новосибирского района Новосибирской области «Ярковская средняя школа № 1»",
                    low=True,
                ),
                school(
                    "МКОУ «Сенчанская ОШ № 42»",
                    "Муниципальное казенное общеобразовательное учреждение Новосибирского района Новосибирской области «Сенчанская основная школа № 42»",
                    level=SchoolLevel.BASIC,
                    unfavourable=True,
                ),
            ],
        },
    },
}


@dataclass(frozen=True)
class DemoUser:
    username: str
    last_name: str
    first_name: str
    middle_name: str
    position: str
    organisation: str  # short name
    role: str


USERS = [
    DemoUser(
        "regional",
        "Сидоренко",
        "Наталья",
        "Андреевна",
        "Главный специалист отдела общего образования",
        "МОН КК",
        Role.REGIONAL_COORDINATOR,
    ),
    DemoUser(
        "coordinator",
        "Лысенко",
        "Ирина",
        "Викторовна",
        "Муниципальный координатор, главный специалист",
        "УО Новокубанского района",
        Role.MUNICIPAL_COORDINATOR,
    ),
    DemoUser(
        "methodologist",
        "Карпенко",
        "Ольга",
        "Николаевна",
        "Методист, куратор группы школ",
        "МБУ «ЦРО»",
        Role.METHODOLOGIST,
    ),
    DemoUser("head", "Давыденко", "Светлана", "Васильевна", "Директор", "МБУ «ЦРО»", Role.HEAD),
    # The head of the authority approves the municipal plans (the centre's head agrees them).
    DemoUser(
        "chief",
        "Кравченко",
        "Елена",
        "Николаевна",
        "Начальник управления образования",
        "УО Новокубанского района",
        Role.HEAD,
    ),
    DemoUser(
        "director",
        "Гончаренко",
        "Андрей",
        "Петрович",
        "Директор",
        "МОБУ СОШ № 3",
        Role.SCHOOL_DIRECTOR,
    ),
    DemoUser(
        "deputy",
        "Мельник",
        "Елена",
        "Сергеевна",
        "Заместитель директора по УВР, ответственный за качество образования",
        "МОБУ СОШ № 3",
        Role.SCHOOL_DEPUTY,
    ),
    # The deputies of the other schools of the demo plan in execution: their marks wait
    # for the methodologist (СОШ № 5, ООШ № 12) or the coordinator (СОШ № 8).
    DemoUser(
        "deputy5",
        "Руденко",
        "Марина",
        "Алексеевна",
        "Заместитель директора по УВР",
        "МОБУ СОШ № 5",
        Role.SCHOOL_DEPUTY,
    ),
    DemoUser(
        "deputy8",
        "Бондаренко",
        "Игорь",
        "Владимирович",
        "Заместитель директора по УВР",
        "МОБУ СОШ № 8",
        Role.SCHOOL_DEPUTY,
    ),
    DemoUser(
        "deputy12",
        "Шевченко",
        "Галина",
        "Петровна",
        "Заместитель директора по УВР",
        "МОБУ ООШ № 12",
        Role.SCHOOL_DEPUTY,
    ),
    DemoUser(
        "admin",
        "Ткаченко",
        "Павел",
        "Игоревич",
        "Администратор системы",
        "УО Новокубанского района",
        Role.ADMINISTRATOR,
    ),
    DemoUser(
        "partner", "Мартынова", "Оксана", "Владимировна", "Директор", "МКУ «ЦРО и ОК»", Role.HEAD
    ),
    DemoUser(
        "ponomarevka",
        "Бахмутов",
        "Виктор",
        "Александрович",
        "Муниципальный координатор",
        "Отдел образования",
        Role.MUNICIPAL_COORDINATOR,
    ),
    DemoUser(
        "novosibirsk",
        "Кузнецова",
        "Татьяна",
        "Михайловна",
        "Муниципальный координатор",
        "Управление образования",
        Role.MUNICIPAL_COORDINATOR,
    ),
]
CURATED = {"methodologist": ["МОБУ СОШ № 3", "МОБУ СОШ № 5", "МОБУ ООШ № 12"]}


def seed_directory() -> dict[str, Organisation]:
    """Create or update the demo directory and people; returns organisations by short name."""
    by_short: dict[str, Organisation] = {}
    for region_name, spec in REGIONS.items():
        region, _ = Region.objects.update_or_create(
            name=region_name, defaults={"time_zone": spec["time_zone"]}
        )
        for org in spec["regional"]:
            by_short[org.short] = _organisation(region, None, org)
        for municipality_name, orgs in spec["municipalities"].items():
            municipality, _ = Municipality.objects.get_or_create(
                region=region, name=municipality_name
            )
            for org in orgs:
                by_short[org.short] = _organisation(region, municipality, org)
    for demo in USERS:
        user, _ = User.objects.update_or_create(
            username=demo.username,
            defaults={
                "last_name": demo.last_name,
                "first_name": demo.first_name,
                "middle_name": demo.middle_name,
                "position": demo.position,
                "email": f"{demo.username}@demo.example",
                "is_active": True,
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        # The seed is trusted work: the kind rule binds it, the grant rule does not.
        services.membership_grant(
            user=user,
            organisation=by_short[demo.organisation],
            role=demo.role,
            position=demo.position,
            acting_user=access.SYSTEM,
        )
    for username, schools in CURATED.items():
        curator = User.objects.get(username=username)
        for short in schools:
            CuratorAssignment.objects.get_or_create(curator=curator, school=by_short[short])
    root, created = User.objects.get_or_create(
        username="root",
        defaults={"last_name": "Суперпользователь", "is_staff": True, "is_superuser": True},
    )
    root.set_password(DEMO_PASSWORD)
    root.save(update_fields=["password"])
    return by_short


def _organisation(region: Region, municipality: Municipality | None, org: Org) -> Organisation:
    organisation, _ = Organisation.objects.update_or_create(
        region=region,
        municipality=municipality,
        full_name=org.full,
        defaults={
            "short_name": org.short,
            "kind": org.kind,
            "level": org.level,
            "is_low_results": org.low,
            "is_unfavourable": org.unfavourable,
            "is_leader": org.leader,
            "growth_year_from": org.growth[0] if org.growth else None,
            "growth_year_to": org.growth[1] if org.growth else None,
        },
    )
    organisation.full_clean()
    return organisation
