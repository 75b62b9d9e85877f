"""One vocabulary of columns: the plan, the export and the import say the same thing."""

import json
from dataclasses import fields

from roadmaps import constants, exports
from roadmaps.importing import columns, structure
from roadmaps.importing.model import ParsedMeasure, ParsedPlan
from roadmaps.models import Measure


def test_every_column_is_a_measure_field():
    fields = {field.name for field in Measure._meta.get_fields()}
    assert {column.key for column in columns.TABLE} <= fields


def test_plan_export_and_import_share_keys_and_labels():
    assert [(c.key, c.label) for c in columns.TABLE] == constants.COLUMNS
    assert dict(constants.COLUMNS) == exports.LABELS
    # The importer speaks the field names, under the same labels.
    assert structure.COLUMN_LABELS == exports.LABELS
    assert structure.COLUMN_LABELS["result"] == "Предполагаемый результат"
    assert {f.name for f in fields(ParsedMeasure)} >= set(exports.LABELS)


def test_header_words_cover_every_column_in_match_order():
    keys = [key for key, _ in structure.COLUMN_WORDS]
    assert sorted(keys) == sorted(structure.COLUMN_LABELS)
    # Responsibility is tried before the audience, the broad title words last.
    assert keys.index("responsible_text") < keys.index("audience")
    assert keys[-1] == "title"


def test_default_columns_leave_out_only_the_status():
    assert constants.DEFAULT_COLUMNS == [
        "number",
        "title",
        "deadline_text",
        "audience",
        "responsible_text",
        "result",
    ]


def test_a_header_is_recognised_with_the_shared_words():
    cells = [
        "№ п/п",
        "Наименование мероприятия",
        "Срок",
        "Целевая аудитория, исполнители",
        "Ответственный исполнитель",
        "Ожидаемый результат",
    ]
    mapping = structure.classify_header(cells)
    assert [mapping[i] for i in range(len(cells))] == [
        "number",
        "title",
        "deadline_text",
        "audience",
        "responsible_text",
        "result",
    ]
    assert list(mapping.values()) == constants.DEFAULT_COLUMNS


def test_a_preview_stored_with_the_old_importer_key_still_loads():
    plan = ParsedPlan(columns=["number", "title", "responsible_text"])
    plan.mapping = {0: "number", 1: "title", 2: "responsible_text"}
    plan.children.append(ParsedMeasure("1.", "Семинар", responsible_text="МБУ «ЦРО»", row=3))
    stored = json.loads(json.dumps(plan.to_stored()))
    assert stored["children"][0]["responsible_text"] == "МБУ «ЦРО»"
    # As an import job stored it before the importer spoke the field names.
    stored["columns"][2] = "responsible"
    stored["mapping"][2][1] = "responsible"
    stored["children"][0]["responsible"] = stored["children"][0].pop("responsible_text")
    section = {"section": True, "number": "2.", "title": "Раздел", "is_group": False, "row": 4}
    section["children"] = [{**stored["children"][0], "number": "2.1.", "row": 5}]
    stored["children"].append(section)
    loaded = ParsedPlan.from_stored(stored)
    assert loaded.columns == ["number", "title", "responsible_text"]
    assert loaded.mapping == {0: "number", 1: "title", 2: "responsible_text"}
    assert [m.responsible_text for m in loaded.all_measures()] == ["МБУ «ЦРО»"] * 2
    assert loaded.to_stored()["children"][0] == plan.to_stored()["children"][0]
