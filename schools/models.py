"""Tenants and people.

Glossary: Region (субъект РФ), Municipality (муниципальное образование), Organisation
(организация: орган управления, методический центр, школа), Membership (должность
человека в организации с ролью), CuratorAssignment (закрепление куратора за школой).
"""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from core.fields import CleanCharField
from core.timezones import DEFAULT_TIME_ZONE, validate_time_zone

from .constants import OrganisationKind, Role, SchoolLevel
from .querysets import (
    CuratorAssignmentQuerySet,
    MembershipQuerySet,
    MunicipalityQuerySet,
    OrganisationQuerySet,
    RegionQuerySet,
    UserManager,
)


class Region(models.Model):
    """A subject of the Russian Federation (Краснодарский край, Оренбургская область)."""

    name = CleanCharField("название", max_length=200, unique=True)
    code = CleanCharField("код", max_length=10, blank=True)
    # "Today", "overdue" and due dates of the region's plans are days of this zone.
    time_zone = CleanCharField(
        "часовой пояс",
        max_length=64,
        default=DEFAULT_TIME_ZONE,
        validators=[validate_time_zone],
        help_text="Название по базе IANA: Europe/Moscow, Asia/Yekaterinburg, Asia/Novosibirsk.",
    )

    objects = RegionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "регион"
        verbose_name_plural = "регионы"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    """A municipal district or city (Новокубанский район)."""

    region = models.ForeignKey(
        Region, verbose_name="регион", on_delete=models.PROTECT, related_name="municipalities"
    )
    name = CleanCharField("название", max_length=200)

    objects = MunicipalityQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "муниципалитет"
        verbose_name_plural = "муниципалитеты"
        ordering = ["region__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="municipality_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    """An organisation as it is named in the documents: an education authority, a
    methodological centre or a school. Regional organisations have no municipality."""

    region = models.ForeignKey(
        Region, verbose_name="регион", on_delete=models.PROTECT, related_name="organisations"
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name="муниципалитет",
        on_delete=models.PROTECT,
        related_name="organisations",
        null=True,
        blank=True,
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="вышестоящая организация",
        on_delete=models.SET_NULL,
        related_name="children",
        null=True,
        blank=True,
    )
    kind = models.CharField("тип", max_length=20, choices=OrganisationKind.choices)
    full_name = CleanCharField("полное наименование", max_length=500)
    short_name = CleanCharField("краткое наименование", max_length=200)
    inn = CleanCharField("ИНН", max_length=12, blank=True)
    address = CleanCharField("адрес", max_length=500, blank=True)
    email = models.EmailField("электронная почта", blank=True)
    phone = CleanCharField("телефон", max_length=50, blank=True)

    # School attributes (DOMAIN.md, «School flags that matter»).
    level = models.CharField(
        "уровень образования", max_length=20, choices=SchoolLevel.choices, blank=True
    )
    is_low_results = models.BooleanField(
        "ШНОР", default=False, help_text="Школа с низкими образовательными результатами"
    )
    is_unfavourable = models.BooleanField(
        "ШНСУ",
        default=False,
        help_text="Школа, функционирующая в неблагоприятных социальных условиях",
    )
    is_leader = models.BooleanField("базовая школа / школа-лидер", default=False)
    growth_year_from = models.PositiveSmallIntegerField(
        "«школа роста» с года", null=True, blank=True
    )
    growth_year_to = models.PositiveSmallIntegerField("«школа роста» по год", null=True, blank=True)

    is_active = models.BooleanField("действует", default=True)

    objects = OrganisationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "организация"
        verbose_name_plural = "организации"
        ordering = ["short_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "municipality", "full_name"], name="organisation_unique_full_name"
            ),
            models.CheckConstraint(
                condition=models.Q(growth_year_from__isnull=True)
                | models.Q(growth_year_to__isnull=True)
                | models.Q(growth_year_to__gte=models.F("growth_year_from")),
                name="organisation_growth_years_ordered",
            ),
        ]
        permissions = [
            ("import_directory", "Импорт справочника организаций и людей"),
            ("export_directory", "Экспорт справочника организаций и людей"),
        ]

    def __str__(self) -> str:
        return self.short_name

    @property
    def is_school(self) -> bool:
        return self.kind == OrganisationKind.SCHOOL

    @property
    def is_growth_school(self) -> bool:
        return self.growth_year_from is not None

    @property
    def flag_labels(self) -> list[str]:
        labels = []
        if self.is_low_results:
            labels.append("ШНОР")
        if self.is_unfavourable:
            labels.append("ШНСУ")
        if self.is_leader:
            labels.append("Школа-лидер")
        if self.is_growth_school:
            years = str(self.growth_year_from)
            if self.growth_year_to and self.growth_year_to != self.growth_year_from:
                years += f"–{self.growth_year_to}"
            labels.append(f"Школа роста ({years})")
        return labels

    @classmethod
    def from_db(cls, db, field_names, values, *args, **kwargs):
        instance = super().from_db(db, field_names, values, *args, **kwargs)
        # What the flags were when loaded: ``schools.signals`` tells the apps that derive
        # rows from them (execution: the records of «все ШНОР» measures) when they change.
        instance._loaded_flags = instance.__dict__.get("is_low_results")
        return instance

    def clean(self) -> None:
        errors = {}
        if (
            self.municipality_id
            and self.region_id
            and self.municipality.region_id != self.region_id
        ):
            errors["municipality"] = "Муниципалитет относится к другому региону."
        if (
            self.kind in {OrganisationKind.MUNICIPAL_AUTHORITY, OrganisationKind.SCHOOL}
            and not self.municipality_id
        ):
            errors["municipality"] = (
                "Для муниципального органа управления и школы укажите муниципалитет."
            )
        if self.kind == OrganisationKind.REGIONAL_AUTHORITY and self.municipality_id:
            errors["municipality"] = "Региональная организация не относится к муниципалитету."
        if self.kind != OrganisationKind.SCHOOL and (
            self.level
            or self.is_low_results
            or self.is_unfavourable
            or self.is_leader
            or self.growth_year_from
        ):
            errors["kind"] = (
                "Уровень и признаки ШНОР/ШНСУ/лидер/«школа роста» бывают только у школ."
            )
        if self.growth_year_to and not self.growth_year_from:
            errors["growth_year_from"] = "Укажите, с какого года школа — «школа роста»."
        if (
            self.growth_year_from
            and self.growth_year_to
            and self.growth_year_to < self.growth_year_from
        ):
            errors["growth_year_to"] = "Год окончания раньше года начала."
        if self.parent_id and self.parent_id == self.pk:
            errors["parent"] = "Организация не может быть вышестоящей для самой себя."
        if errors:
            raise ValidationError(errors)


class User(AbstractUser):
    """A person with an account. Names are kept as people write them in documents."""

    # The inherited name fields, redeclared only to clean their text (same schema).
    first_name = CleanCharField(_("first name"), max_length=150, blank=True)
    last_name = CleanCharField(_("last name"), max_length=150, blank=True)
    middle_name = CleanCharField("отчество", max_length=150, blank=True)
    position = CleanCharField("должность", max_length=300, blank=True)
    phone = CleanCharField("телефон", max_length=50, blank=True)

    objects = UserManager()
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta(AbstractUser.Meta):
        verbose_name = "пользователь"
        verbose_name_plural = "пользователи"
        ordering = ["last_name", "first_name"]
        swappable = "AUTH_USER_MODEL"

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_full_name(self) -> str:
        return " ".join(
            part for part in (self.last_name, self.first_name, self.middle_name) if part
        )

    def get_short_name(self) -> str:
        initials = "".join(f"{part[0]}." for part in (self.first_name, self.middle_name) if part)
        return f"{initials} {self.last_name}".strip() if self.last_name else self.username


class Membership(models.Model):
    """A person's role in an organisation. Memberships are the only source of a person's
    tenant scope (see ``schools.access``)."""

    user = models.ForeignKey(
        User, verbose_name="пользователь", on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="организация",
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField("роль", max_length=30, choices=Role.choices)
    position = CleanCharField("должность в организации", max_length=300, blank=True)
    is_active = models.BooleanField("действует", default=True)
    created_at = models.DateTimeField("создано", auto_now_add=True)

    objects = MembershipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "членство"
        verbose_name_plural = "членства (роли в организациях)"
        ordering = ["organisation__short_name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            ),
            # The kind rule needs the organisation's row, which a check cannot see; what
            # the database can hold is that the role is one the access model knows.
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="membership_role_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_role_display()}, {self.organisation}"

    def clean(self) -> None:
        """The kind rule of ``schools.access``: the organisation may hold this role."""
        from . import access

        if self.organisation_id and self.role:
            error = access.role_kind_error(self.role, self.organisation)
            if error:
                raise ValidationError({"role": error})


class CuratorAssignment(models.Model):
    """A methodologist (curator) who looks after a school: accepts or returns the
    school's completion marks. Curators of another municipality's centre see the
    school through this assignment."""

    curator = models.ForeignKey(
        User, verbose_name="куратор", on_delete=models.CASCADE, related_name="curated_schools"
    )
    school = models.ForeignKey(
        Organisation,
        verbose_name="школа",
        on_delete=models.CASCADE,
        related_name="curators",
        limit_choices_to={"kind": OrganisationKind.SCHOOL},
    )
    since = models.DateField("с даты", null=True, blank=True)
    note = CleanCharField("примечание", max_length=300, blank=True)

    objects = CuratorAssignmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "закрепление куратора"
        verbose_name_plural = "закрепления кураторов"
        ordering = ["school__short_name"]
        constraints = [
            models.UniqueConstraint(fields=["curator", "school"], name="curator_unique_school"),
        ]

    def __str__(self) -> str:
        return f"{self.curator} → {self.school}"

    def clean(self) -> None:
        if self.school_id and self.school.kind != OrganisationKind.SCHOOL:
            raise ValidationError({"school": "Куратора закрепляют только за школой."})


class OrganisationUserObjectPermission(UserObjectPermissionBase):
    """Direct-FK guardian grant on one organisation (an outside expert on one school)."""

    content_object = models.ForeignKey(Organisation, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = "право на организацию"
        verbose_name_plural = "права на отдельные организации"


class AccessVersion(models.Model):
    """The version of what a person's reach is computed from: memberships, curator
    assignments, organisations, the role groups and their permissions. One row, whose
    token is replaced in the transaction of any change to them (``schools.signals``, the
    bulk writes of ``schools.querysets``); ``schools.access`` keeps a person's memberships
    and verbs in the cache under it, so that a change (a revoked membership above all)
    holds from the next request on."""

    token = models.CharField("метка", max_length=32)

    class Meta:
        verbose_name = "версия прав доступа"
        verbose_name_plural = "версии прав доступа"

    def __str__(self) -> str:
        return self.token
