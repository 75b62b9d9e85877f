"""core.forms: an id that is no id is a form error, before any query (issue 7, gap 5)."""

import pytest
from django import forms
from django.urls import reverse

from core.forms import (
    INVALID_CHOICE,
    CleanCharField,
    HardenedFormMixin,
    SafeModelChoiceField,
    SafeModelMultipleChoiceField,
)
from roadmaps.forms import SchoolsForm, SectionForm
from schools.models import Organisation
from tests.roadmaps.factories import RoadmapFactory

HOSTILE_IDS = ["1" * 25, "9223372036854775808", "-1", "1e5", "١٢", "NaN", "1\x00", "😀", " "]


@pytest.mark.parametrize("value", HOSTILE_IDS)
def test_school_group_form_refuses_hostile_ids(world, value):
    form = SchoolsForm({"schools": [value]}, user=world.user("municipal_coordinator"))
    assert not form.is_valid()
    assert form.errors["schools"]


@pytest.mark.parametrize("value", HOSTILE_IDS[:-1])
def test_hostile_ids_get_the_russian_message(world, value):
    form = SchoolsForm({"schools": [value]}, user=world.user("municipal_coordinator"))
    form.is_valid()
    assert form.errors["schools"] == [INVALID_CHOICE]


def test_a_real_id_is_still_accepted(world):
    form = SchoolsForm(
        {"schools": [str(world.school.pk)]}, user=world.user("municipal_coordinator")
    )
    assert form.is_valid(), form.errors
    assert list(form.cleaned_data["schools"]) == [world.school]


@pytest.mark.parametrize("value", HOSTILE_IDS[:-1])
def test_model_choice_field_refuses_hostile_ids(db, value):
    roadmap = RoadmapFactory()
    form = SectionForm({"title": "Раздел", "parent": value}, roadmap=roadmap)
    assert not form.is_valid()
    assert form.errors["parent"] == [INVALID_CHOICE]


def test_school_group_page_answers_a_form_error(client, world):
    from roadmaps.models import Roadmap

    roadmap = RoadmapFactory(owner=world.school)
    client.force_login(world.user("municipal_coordinator"))
    response = client.post(
        reverse("roadmap_group", kwargs={"pk": roadmap.pk}), {"schools": ["1" * 25]}
    )
    assert response.status_code == 200
    assert INVALID_CHOICE in response.content.decode()
    assert not Roadmap.objects.get(pk=roadmap.pk).school_group.exists()


def test_mixin_swaps_plain_fields_for_their_twins(db):
    class Plain(HardenedFormMixin, forms.Form):
        text = forms.CharField()
        one = forms.ModelChoiceField(queryset=Organisation.objects.all())
        many = forms.ModelMultipleChoiceField(queryset=Organisation.objects.all())
        number = forms.IntegerField()

    form = Plain({"text": "a\x0bb", "one": "1" * 25, "many": ["-1"], "number": "1" * 25})
    assert type(form.fields["text"]) is CleanCharField
    assert type(form.fields["one"]) is SafeModelChoiceField
    assert type(form.fields["many"]) is SafeModelMultipleChoiceField
    assert not form.is_valid()
    assert form.cleaned_data["text"] == "a\nb"
    assert set(form.errors) == {"one", "many", "number"}
    # the class-level fields are untouched: each form instance has its own copies
    assert type(Plain.base_fields["one"]) is forms.ModelChoiceField
