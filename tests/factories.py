"""factory-boy factories for the whole suite."""

import factory
from factory.django import DjangoModelFactory

from schools.constants import OrganisationKind, Role
from schools.models import CuratorAssignment, Membership, Municipality, Organisation, Region, User

DEFAULT_PASSWORD = "correct-horse-battery-staple"


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Регион {n}")


class MunicipalityFactory(DjangoModelFactory):
    class Meta:
        model = Municipality

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Муниципальный район {n}")


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    municipality = factory.SubFactory(MunicipalityFactory)
    region = factory.LazyAttribute(
        lambda o: o.municipality.region if o.municipality else RegionFactory()
    )
    kind = OrganisationKind.OTHER
    full_name = factory.Sequence(lambda n: f"Муниципальное бюджетное учреждение «Организация {n}»")
    short_name = factory.Sequence(lambda n: f"МБУ «Организация {n}»")


class AuthorityFactory(OrganisationFactory):
    kind = OrganisationKind.MUNICIPAL_AUTHORITY
    full_name = factory.Sequence(lambda n: f"Управление образования администрации района {n}")
    short_name = factory.Sequence(lambda n: f"УО района {n}")


class CentreFactory(OrganisationFactory):
    kind = OrganisationKind.METHOD_CENTRE
    full_name = factory.Sequence(
        lambda n: f"Муниципальное бюджетное учреждение «Центр развития образования {n}»"
    )
    short_name = factory.Sequence(lambda n: f"МБУ «ЦРО {n}»")


class RegionalAuthorityFactory(OrganisationFactory):
    municipality = None
    region = factory.SubFactory(RegionFactory)
    kind = OrganisationKind.REGIONAL_AUTHORITY
    full_name = factory.Sequence(lambda n: f"Министерство образования региона {n}")
    short_name = factory.Sequence(lambda n: f"Минобр {n}")


class SchoolFactory(OrganisationFactory):
    kind = OrganisationKind.SCHOOL
    level = "secondary"
    full_name = factory.Sequence(
        lambda n: (
            f"Муниципальное бюджетное общеобразовательное учреждение средняя общеобразовательная школа № {n}"
        )
    )
    short_name = factory.Sequence(lambda n: f"МБОУ СОШ № {n}")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    last_name = "Иванова"
    first_name = "Мария"
    middle_name = "Петровна"
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(SchoolFactory)
    role = Role.SCHOOL_DEPUTY


class CuratorAssignmentFactory(DjangoModelFactory):
    class Meta:
        model = CuratorAssignment

    curator = factory.SubFactory(UserFactory)
    school = factory.SubFactory(SchoolFactory)


def person(username: str, organisation: Organisation, role: str, **kwargs) -> User:
    """A user with one membership; the membership signal puts them in the role group."""
    user = UserFactory(username=username, **kwargs)
    MembershipFactory(user=user, organisation=organisation, role=role)
    user.refresh_from_db()
    return user
