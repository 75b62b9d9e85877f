"""Choices of the roadmaps app."""

from django.db import models

from .importing.columns import DEFAULT_KEYS, LABELS


class RoadmapLevel(models.TextChoices):
    MUNICIPAL = "municipal", "Муниципальный план"
    CENTRE = "centre", "План методического центра"
    NETWORK = "network", "Сетевой план"
    SCHOOL = "school", "План школы"


class RoadmapStatus(models.TextChoices):
    """The plan's life (``roadmaps.workflow`` holds the transitions between them)."""

    DRAFT = "draft", "Черновик"
    CONCURRENCE = "agreement", "На согласовании"  # stored value kept from before the rename
    APPROVED = "approved", "Утверждён"
    EXECUTION = "execution", "Исполняется"
    CLOSED = "closed", "Закрыт"
    # An approved revision whose correction was approved (and, if it was executed, whose
    # execution moved to the correction): readable, printable, no longer in force.
    REPLACED = "replaced", "Заменён новой редакцией"


class PlanEventKind(models.TextChoices):
    """A step of a plan's life, as its timeline shows it."""

    SUBMITTED = "submitted", "Отправлен на согласование"
    WITHDRAWN = "withdrawn", "Отозван с согласования"
    AGREED = "agreed", "Согласован"
    RETURNED = "returned", "Возвращён с замечаниями"
    APPROVED = "approved", "Утверждён"
    REJECTED = "rejected", "Возвращён на доработку при утверждении"
    CLOSED = "closed", "Закрыт"
    CORRECTION = "correction", "Начата корректировка"
    REPLACED = "replaced", "Заменён новой редакцией"
    PUBLISHED = "published", "Опубликован"
    UNPUBLISHED = "unpublished", "Публикация снята"


class ConcurrenceStatus(models.TextChoices):
    """A concurring party's answer on a plan (согласование)."""

    PENDING = "pending", "Ожидает"
    AGREED = "agreed", "Согласовано"
    RETURNED = "returned", "Возвращено с замечаниями"


class ScheduleKind(models.TextChoices):
    ONCE = "once", "Однократно"
    RECURRING = "recurring", "Периодически"
    CONTINUOUS = "continuous", "Постоянно"
    UNSCHEDULED = "unscheduled", "Без срока"


class AssignmentMode(models.TextChoices):
    """To whom a measure applies; execution tracking creates one mark per school."""

    NONE = "none", "Не назначено"
    ORGANISATIONS = "organisations", "Выбранные организации"
    LOW_RESULTS = "low_results", "Все ШНОР муниципалитета"
    PLAN_GROUP = "plan_group", "Группа школ плана"


# Columns a plan may show, in the order of the document; keys match Measure fields. One
# vocabulary with the export and the import (roadmaps/importing/columns.py).
COLUMNS = list(LABELS.items())
DEFAULT_COLUMNS = list(DEFAULT_KEYS)

# The plan's header and passport as a person edits them (form and service share it).
ROADMAP_HEADER_FIELDS = [
    "title",
    "subtitle",
    "level",
    "period_start",
    "period_end",
    "period_text",
    "approval_word",
    "approval_position",
    "approval_organisation",
    "approval_name",
    "approval_date",
    "approval_date_text",
    "approval_order",
    "passport_problem",
    "passport_working_group",
    "passport_developer",
    "passport_goal",
    "passport_stages",
    "passport_directions",
    "passport_control_results",
    "passport_financing",
    "passport_indicators",
    "columns",
]
