"""core.converters and core.params: ids are checked before the ORM sees them."""

import pytest
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from core.converters import IdConverter
from core.params import MAX_ID, id_param, int_param, page_param, text_param


@pytest.mark.parametrize("value", ["1", "42", "0", str(MAX_ID), "0009"])
def test_id_converter_takes_ids_in_range(value):
    converter = IdConverter()
    assert converter.to_python(value) == int(value)
    assert converter.to_url(int(value)) == str(int(value))


def test_id_converter_refuses_an_overflowing_id():
    with pytest.raises(ValueError, match="out of the id range"):
        IdConverter().to_python(str(MAX_ID + 1))


@pytest.mark.parametrize(
    "path",
    [
        f"/roadmaps/{MAX_ID + 1}/",
        f"/roadmaps/{10**25}/",
        "/roadmaps/-1/",
        "/roadmaps/١٢٣/",
        "/roadmaps/1e5/",
        "/directory/organisations/99999999999999999999/",
        f"/roadmaps/measures/{MAX_ID + 1}/edit/",
    ],
)
def test_urls_do_not_resolve_out_of_range_ids(path):
    with pytest.raises(Resolver404):
        resolve(path)


def test_urls_resolve_the_largest_id():
    match = resolve(f"/roadmaps/{MAX_ID}/")
    assert match.url_name == "roadmap_detail"
    assert match.kwargs == {"pk": MAX_ID}


def test_every_object_url_uses_the_id_converter():
    with pytest.raises(NoReverseMatch):
        reverse("roadmap_detail", kwargs={"pk": "abc"})


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12", 12),
        (" 12 ", 12),
        ("-3", -3),
        (7, 7),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
        (str(10**25), None),
        ("1e5", None),
        ("١٢", None),
        ("NaN", None),
        ("12\x00", None),
        ("", None),
        (None, None),
        (True, None),
        (1.5, None),
        ("+5", None),
    ],
)
def test_int_param(value, expected):
    assert int_param(value) == expected


def test_int_param_range():
    assert int_param("5", min=0, max=4) is None
    assert int_param("-1", min=0) is None
    assert int_param("4", min=0, max=4) == 4


@pytest.mark.parametrize(
    ("value", "expected"), [("3", 3), ("0", None), ("-1", None), (str(MAX_ID + 1), None)]
)
def test_id_param(value, expected):
    assert id_param(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"), [("3", 3), ("0", 1), ("x", 1), (str(10**25), 1), (None, 1)]
)
def test_page_param(value, expected):
    assert page_param(value) == expected


def test_text_param():
    assert text_param("  школа\x00 №\x0b3 ") == "школа №\n3"
    assert text_param("я" * 300) == "я" * 200
    assert text_param(None) == ""
