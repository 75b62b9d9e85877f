"""Choices of the schools app, with the Russian terms people use."""

from django.db import models


class OrganisationKind(models.TextChoices):
    REGIONAL_AUTHORITY = "regional", "Региональный орган управления / институт"
    MUNICIPAL_AUTHORITY = "municipal", "Муниципальный орган управления образованием"
    METHOD_CENTRE = "centre", "Методический центр"
    SCHOOL = "school", "Школа"
    OTHER = "other", "Другая организация"


class SchoolLevel(models.TextChoices):
    PRIMARY = "primary", "Начальная (НОШ)"
    BASIC = "basic", "Основная (ООШ)"
    SECONDARY = "secondary", "Средняя (СОШ)"
    GYMNASIUM = "gymnasium", "Гимназия / лицей"
    BOARDING = "boarding", "Школа-интернат"


class Role(models.TextChoices):
    """A person's role in one organisation. What a role may do is the permission set of
    its group (see ``schools.roles``); where it may do it is the scope below."""

    REGIONAL_COORDINATOR = "regional_coordinator", "Региональный координатор"
    MUNICIPAL_COORDINATOR = "municipal_coordinator", "Муниципальный координатор"
    METHODOLOGIST = "methodologist", "Методист / куратор"
    HEAD = "head", "Руководитель организации"
    SCHOOL_DIRECTOR = "school_director", "Директор школы"
    SCHOOL_DEPUTY = "school_deputy", "Заместитель директора школы"
    ADMINISTRATOR = "administrator", "Администратор"
