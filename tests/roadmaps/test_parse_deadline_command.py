import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command


def run(*args):
    out = StringIO()
    call_command("parse_deadline", *args, stdout=out)
    return json.loads(out.getvalue())


def test_prints_the_schedule_as_json():
    assert run("Ежегодно июнь - сентябрь", "--period", "2020-02-01:2022-12-31") == {
        "kind": "recurring",
        "windows": [
            ["2020-06-01", "2020-09-30"],
            ["2021-06-01", "2021-09-30"],
            ["2022-06-01", "2022-09-30"],
        ],
    }


def test_unscheduled_carries_the_reason():
    result = run("по отдельному плану", "--period", "2020-01-01:2020-12-31")
    assert result["kind"] == "unscheduled"
    assert result["windows"] == []
    assert result["reason"]


@pytest.mark.parametrize(
    "period", ["2020-01-01", "2020-13-01:2020-12-31", "2021-01-01:2020-01-01", "вчера:завтра"]
)
def test_bad_period_is_a_russian_error(period):
    with pytest.raises(CommandError, match="Период"):
        run("Сентябрь", "--period", period)
