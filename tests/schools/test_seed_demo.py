"""The demo world: idempotent, a user for every role, each seeing only its own tenant."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from demo.directory import DEMO_PASSWORD, USERS
from schools.constants import Role
from schools.models import Membership, Municipality, Organisation, User


@pytest.fixture
def demo(db):
    call_command("seed_demo", verbosity=0)


def test_running_twice_creates_no_duplicates(demo):
    counts = (Organisation.objects.count(), User.objects.count(), Membership.objects.count())
    call_command("seed_demo", verbosity=0)
    assert (
        Organisation.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
    ) == counts


def test_the_sample_organisations_are_there(demo):
    names = set(Organisation.objects.values_list("short_name", flat=True))
    assert {
        "МБУ «ЦРО»",
        "МКУ «ЦМТО»",
        "Отдел образования",
        "МКОУ «ИМЦ»",
        "МКОУ «ЦДиК»",
        "МКОУ «Алексеевская ОШ № 4»",
    } <= names
    assert {
        "МКУ «ЦРО и ОК»",
        "МКУ ДПО «ЦРО»",
        "МКУ СО «ЦРО»",
        "МКУ ДПО «Методический кабинет»",
        "МКУ «Организационно-методический центр РО»",
    } <= names
    assert Organisation.objects.schools().count() >= 24
    assert Organisation.objects.schools().filter(is_low_results=True).count() >= 10


def test_every_role_has_a_demo_user(demo):
    assert {user.role for user in USERS} == set(Role.values)


@pytest.mark.parametrize("demo_user", USERS, ids=lambda u: u.username)
def test_demo_user_logs_in_and_sees_only_its_own_tenant(client, demo, demo_user):
    response = client.post(
        reverse("login"), {"username": demo_user.username, "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == reverse("home")
    user = User.objects.get(username=demo_user.username)
    own = Organisation.objects.get(short_name=demo_user.organisation)
    visible = Organisation.objects.for_user(user, "view")
    assert own in visible
    if demo_user.role == Role.REGIONAL_COORDINATOR:
        assert set(visible.values_list("region_id", flat=True)) == {own.region_id}
    else:
        municipalities = set(
            Municipality.objects.for_user(user, "view").values_list("pk", flat=True)
        )
        assert municipalities == {own.municipality_id} | set(
            visible.exclude(municipality=own.municipality).values_list("municipality_id", flat=True)
        )
        # Nobody outside the region's coordinators sees another municipality's schools,
        # except a curator's assigned schools (none of them are elsewhere in the demo).
        assert not visible.exclude(municipality=own.municipality).exists()


@pytest.mark.parametrize("demo_user", USERS, ids=lambda u: u.username)
def test_every_object_url_of_another_tenant_is_404_for_demo_users(client, demo, demo_user):
    user = User.objects.get(username=demo_user.username)
    client.force_login(user)
    visible = set(Organisation.objects.for_user(user, "view").values_list("pk", flat=True))
    foreign = Organisation.objects.exclude(pk__in=visible)
    # One foreign organisation per municipality (and regional bodies) keeps the run short.
    probes = {}
    for organisation in foreign.order_by("municipality_id", "pk"):
        probes.setdefault((organisation.region_id, organisation.municipality_id), organisation)
    assert probes, "the demo world has other tenants"
    for organisation in probes.values():
        for name in ("organisation_detail", "organisation_edit"):
            response = client.get(reverse(name, kwargs={"pk": organisation.pk}))
            assert response.status_code == 404, (name, organisation.short_name)
    foreign_municipalities = Municipality.objects.exclude(
        pk__in=Municipality.objects.for_user(user, "view").values("pk")
    )
    for municipality in foreign_municipalities:
        assert (
            client.get(reverse("municipality_detail", kwargs={"pk": municipality.pk})).status_code
            == 404
        )
    for person in User.objects.exclude(pk__in=User.objects.for_user(user, "view").values("pk"))[
        :10
    ]:
        assert client.get(reverse("person_detail", kwargs={"pk": person.pk})).status_code == 404


def test_every_demo_role_fits_its_organisation(demo, capsys):
    call_command("check_roles")
    assert "Все роли подходят" in capsys.readouterr().out


def test_the_seed_grants_roles_through_the_kind_rule(demo, monkeypatch):
    from django.core.exceptions import ValidationError

    from demo import directory as demo_module

    misplaced = demo_module.DemoUser(
        "misplaced",
        "Ошибкина",
        "Ольга",
        "",
        "Директор",
        "МБУ «ЦРО»",
        Role.SCHOOL_DIRECTOR,
    )
    monkeypatch.setattr(demo_module, "USERS", [*USERS, misplaced])
    with pytest.raises(ValidationError):
        call_command("seed_demo", verbosity=0)
    assert not User.objects.filter(username="misplaced").exists()
