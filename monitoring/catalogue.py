"""The default catalogue: the five indicator tables of the regional template of a school's
roadmap (финансовая, кадровая, информационно-методическая поддержка, организация учебного
процесса, безопасность) and the school subjects the exam results name.

``install(apps)`` writes them, matched by code (indicators) and name (subjects): run by
the data migration, safe to run again — what is there is brought in line, nothing is
deleted (values may point at it)."""

from __future__ import annotations

from decimal import Decimal

from .constants import Direction as D
from .constants import IndicatorCategory as C

PERCENT = "%"

# (code, category, name, unit, direction, share counts (numerator, denominator) or None,
# (min, max) or None)
INDICATORS: list[tuple] = [
    # 1. Финансовая поддержка
    ("fin-mtb", C.FINANCIAL, "Объём средств, направленных на развитие материально-технической базы", "тыс. руб.", D.HIGHER, None, (0, None)),
    ("fin-grants", C.FINANCIAL, "Количество проектов и грантов, в которых участвует школа", "ед.", D.HIGHER, None, (0, None)),
    ("fin-rooms", C.FINANCIAL, "Доля учебных кабинетов, оснащённых современным оборудованием", PERCENT, D.HIGHER, ("кабинетов оснащено", "всего учебных кабинетов"), None),
    ("fin-bonus", C.FINANCIAL, "Доля стимулирующих выплат педагогам за качество образования в фонде стимулирования", PERCENT, D.HIGHER, None, (0, 100)),
    # 2. Кадровая поддержка
    ("staff-training", C.STAFF, "Доля педагогов, повысивших квалификацию по программам, направленным на повышение качества образования", PERCENT, D.HIGHER, ("педагогов повысили квалификацию", "всего педагогов"), None),
    ("staff-deficits", C.STAFF, "Доля педагогов, прошедших диагностику профессиональных дефицитов", PERCENT, D.HIGHER, ("педагогов прошли диагностику", "всего педагогов"), None),
    ("staff-category", C.STAFF, "Доля педагогов с высшей и первой квалификационной категорией", PERCENT, D.HIGHER, ("педагогов с категорией", "всего педагогов"), None),
    ("staff-young", C.STAFF, "Доля педагогов в возрасте до 35 лет", PERCENT, D.HIGHER, ("педагогов до 35 лет", "всего педагогов"), None),
    ("staff-vacancies", C.STAFF, "Количество вакансий педагогических работников", "чел.", D.LOWER, None, (0, None)),
    # 3. Информационно-методическая поддержка
    ("meth-events", C.METHODICAL, "Количество методических мероприятий (семинаров, вебинаров) с участием педагогов школы", "ед.", D.HIGHER, None, (0, None)),
    ("meth-communities", C.METHODICAL, "Доля педагогов, участвующих в работе профессиональных сообществ", PERCENT, D.HIGHER, ("педагогов в сообществах", "всего педагогов"), None),
    ("meth-tutors", C.METHODICAL, "Количество педагогов-наставников школ-лидеров, работающих со школой", "чел.", D.HIGHER, None, (0, None)),
    ("meth-digital", C.METHODICAL, "Доля педагогов, использующих цифровые образовательные ресурсы на уроках", PERCENT, D.HIGHER, ("педагогов используют ресурсы", "всего педагогов"), None),
    # 4. Организация учебного процесса
    ("edu-quality", C.TEACHING, "Доля обучающихся, успевающих на «4» и «5» (качество знаний)", PERCENT, D.HIGHER, ("обучающихся на «4» и «5»", "всего обучающихся"), None),
    ("edu-no-basic", C.TEACHING, "Доля выпускников 9 классов, не получивших аттестат об основном общем образовании", PERCENT, D.LOWER, ("выпускников без аттестата", "всего выпускников 9 классов"), None),
    ("edu-no-secondary", C.TEACHING, "Доля выпускников 11 классов, не получивших аттестат о среднем общем образовании", PERCENT, D.LOWER, ("выпускников без аттестата", "всего выпускников 11 классов"), None),
    ("edu-ege-fail", C.TEACHING, "Доля выпускников, не преодолевших минимальный порог ЕГЭ хотя бы по одному предмету", PERCENT, D.LOWER, ("выпускников ниже порога", "всего участников ЕГЭ"), None),
    ("edu-ege-russian", C.TEACHING, "Средний балл ЕГЭ по русскому языку", "балл", D.HIGHER, None, (0, 100)),
    ("edu-olympiads", C.TEACHING, "Доля обучающихся, участвующих в олимпиадах и конкурсах", PERCENT, D.HIGHER, ("участников олимпиад и конкурсов", "всего обучающихся"), None),
    ("edu-extra", C.TEACHING, "Доля обучающихся, охваченных дополнительным образованием", PERCENT, D.HIGHER, ("охвачено", "всего обучающихся"), None),
    # 5. Безопасность
    ("safe-offences", C.SAFETY, "Количество правонарушений, совершённых обучающимися", "ед.", D.LOWER, None, (0, None)),
    ("safe-register", C.SAFETY, "Доля обучающихся, состоящих на профилактическом учёте", PERCENT, D.LOWER, ("на учёте", "всего обучающихся"), None),
    ("safe-truancy", C.SAFETY, "Доля обучающихся, пропускающих занятия без уважительной причины", PERCENT, D.LOWER, ("пропускают занятия", "всего обучающихся"), None),
    ("safe-orders", C.SAFETY, "Количество неисполненных предписаний надзорных органов", "ед.", D.LOWER, None, (0, None)),
]  # fmt: skip

# (name, other spellings met in files)
SUBJECTS: list[tuple[str, tuple[str, ...]]] = [
    ("Русский язык", ("русский",)),
    ("Математика (профильный уровень)", ("математика профильная", "математика (профиль)", "профильная математика", "математика п")),
    ("Математика (базовый уровень)", ("математика базовая", "математика (база)", "базовая математика", "математика б")),
    ("Математика", ()),
    ("Физика", ()),
    ("Химия", ()),
    ("Информатика", ("информатика и икт",)),
    ("Биология", ()),
    ("История", ()),
    ("География", ()),
    ("Обществознание", ()),
    ("Литература", ()),
    ("Английский язык", ("английский",)),
    ("Немецкий язык", ("немецкий",)),
    ("Французский язык", ("французский",)),
    ("Испанский язык", ("испанский",)),
    ("Китайский язык", ("китайский",)),
    ("Окружающий мир", ()),
]  # fmt: skip


def install(apps) -> None:
    """Write the default catalogue (idempotent; ``apps`` of a migration or the real one)."""
    Indicator = apps.get_model("monitoring", "Indicator")
    Subject = apps.get_model("monitoring", "Subject")
    for order, (code, category, name, unit, direction, share, bounds) in enumerate(
        INDICATORS, start=1
    ):
        low, high = bounds or (None, None)
        Indicator.objects.update_or_create(
            code=code,
            defaults={
                "owner": None,
                "category": category,
                "name": name,
                "unit": unit,
                "direction": direction,
                "is_share": share is not None,
                "numerator_label": share[0] if share else "",
                "denominator_label": share[1] if share else "",
                "min_value": None if low is None else Decimal(low),
                "max_value": None if high is None else Decimal(high),
                "order": order,
                "is_active": True,
            },
        )
    for order, (name, aliases) in enumerate(SUBJECTS, start=1):
        Subject.objects.update_or_create(
            name=name, defaults={"aliases": "\n".join(aliases), "order": order}
        )
