"""One instrument: questionnaire, data file, scoring, mapping hints and example agree.

Each test here fails when one of the places that use `analysis.survey.instrument` could drift
from another (issue 15, item 1).
"""

import io
import re

import numpy as np
import pandas as pd
import pytest

from analysis.catalogue import load_catalogue
from analysis.survey import columns, example, instrument, questionnaire, scales

ALL = scales.all_scales()
ITEMS = {item.column: item for scale in ALL for item in scale.items}


def normalised(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.casefold()))


def test_the_data_file_columns_are_the_id_columns_then_every_scored_item():
    canonical = questionnaire.canonical_columns()
    assert canonical[: len(instrument.ID_COLUMNS)] == instrument.ID_COLUMNS
    assert set(canonical[len(instrument.ID_COLUMNS) :]) == set(ITEMS)
    assert len(canonical) == len(set(canonical))


def test_the_empty_data_file_has_exactly_the_canonical_columns():
    csv = questionnaire.empty_data_file("csv").decode("utf-8-sig").strip().split(";")
    assert tuple(csv) == questionnaire.canonical_columns()
    xlsx = pd.read_excel(io.BytesIO(questionnaire.empty_data_file("xlsx")), sheet_name=None)
    assert tuple(xlsx["enquete"].columns) == questionnaire.canonical_columns()
    assert tuple(xlsx["codes"]["kolom"]) == questionnaire.canonical_columns()


@pytest.mark.parametrize("column", sorted(ITEMS))
def test_what_the_respondent_reads_is_what_the_scorer_checks(column):
    item = ITEMS[column]
    question = {q.column: q for q in questionnaire.codebook()}[column]
    assert question.text == (item.printed or item.wording)
    assert question.codes == tuple((a.code, a.label) for a in item.answers)
    assert question.hint == item.hint
    # Every printed answer, and every accepted variant, scores as its own code.
    for answer in item.answers:
        expected = None if answer.missing else answer.code
        for spelling in (answer.label, *answer.variants, answer.code):
            assert scales.answer_code(item, spelling) == expected, (column, spelling)


def test_the_de_jong_gierveld_wording_order_and_split_come_from_one_place():
    djg11 = [scales.DJG11.item(f"djg11_{i}") for i in range(1, 12)]
    assert [i.wording for i in djg11] == [
        instrument.DJG_WORDING[key] for key, _ in instrument.DJG11_ORDER
    ]
    assert [i.subscale for i in djg11] == [sub for _, sub in instrument.DJG11_ORDER]
    djg6 = [scales.DJG6.item(f"djg6_{i}") for i in range(1, 7)]
    assert [i.wording for i in djg6] == [djg11[p - 1].wording for p in instrument.DJG6_FROM_DJG11]
    assert questionnaire.DJG11_ITEMS == tuple((i.wording, i.subscale) for i in djg11)
    # The subscale columns of each scale are exactly its items of that kind.
    for scale in (scales.DJG11, scales.DJG6):
        for sub in scale.subscales:
            assert sub.columns == tuple(i.column for i in scale.items if i.subscale == sub.id)


def test_each_mapping_phrase_is_in_the_wording_of_its_own_item_only():
    for key, phrases in instrument.DJG_PHRASES.items():
        for phrase in phrases:
            holders = [
                k for k, text in instrument.DJG_WORDING.items() if phrase in normalised(text)
            ]
            if phrase == "volledig vertrouwen":  # a shortened form people write; not verbatim
                continue
            assert holders == [key], (phrase, holders)
    assert columns.DJG11_PHRASES[3] == instrument.DJG_PHRASES["leegte"]


def test_mapping_targets_and_hints_name_only_columns_of_the_data_file():
    assert columns.TARGETS == questionnaire.canonical_columns()
    assert set(instrument.NAME_RULES) <= set(columns.TARGETS)
    assert set(instrument.LABEL_RULES) <= set(columns.TARGETS)
    kinds = {
        "djg": {a.label for a in instrument.JA_MIN_NEE},
        "eenzaam_zelf": {a.label for a in instrument.HOE_VAAK},
        "rondkomen": {a.label for a in instrument.MOEITE},
        "vz": {a.label for a in instrument.GEBRUIK},
    }
    for phrase, kind in columns._VALUE_LABEL_HINTS.items():
        assert phrase in kinds[kind], (phrase, kind)


def test_default_voorzieningen_are_the_declared_ones_everywhere():
    names = instrument.DEFAULT_VOORZIENINGEN
    assert names == scales.DEFAULT_VOORZIENINGEN == questionnaire.DEFAULT_VOORZIENINGEN
    assert tuple(c.removeprefix("vz_") for c in columns.TARGETS if c.startswith("vz_")) == names
    assert tuple(example._VOORZIENING_PROBS) == names
    for name in names:
        assert scales.voorziening_scale(name).items[0].printed == instrument.voorziening(name).label


def test_every_scale_is_printed_in_a_declared_block():
    keys = [b.key for b in instrument.BLOCKS]
    assert {s.block for s in ALL} == set(keys)
    printed = [b.key for b in questionnaire.questionnaire_blocks()]
    assert printed == ["over_u", *keys, "onderzoeker"]


def test_rivm_links_point_at_catalogue_indicators_and_anchor_the_example():
    catalogue_ids = {i.id for i in load_catalogue().indicators}
    linked = scales.rivm_counterparts()
    assert linked == instrument.RIVM_LINKS
    assert set(linked.values()) <= catalogue_ids
    assert set(instrument.SUBSCALE_RIVM.values()) <= catalogue_ids
    assert set(example.ANCHOR_INDICATORS) == set(linked.values()) | set(
        instrument.SUBSCALE_RIVM.values()
    )


def test_the_fictitious_example_answers_only_with_printed_codes():
    rivm = pd.DataFrame(
        {
            "code": ["WK008010"] * 7 + ["WK008011"] * 7,
            "indicator": list(example.ANCHOR_INDICATORS) * 2,
            "value": [40.0, 10.0, 25.0, 30.0, 20.0, 15.0, 30.0] * 2,
        }
    )
    areas = pd.DataFrame(
        {"code": ["WK008010", "WK008011"], "name": ["A", "B"], "level": "wijk"}
    ).assign(gemeente_code="GM0080")
    frame = example.generate_example(rivm, areas, gemeente_code="GM0080", respondents_per_area=40)
    assert set(frame.columns) <= set(questionnaire.canonical_columns())
    for column in frame.columns:
        if column in ITEMS:
            printed = {a.code for a in ITEMS[column].answers}
            assert set(np.unique(frame[column])) <= printed, column
    scored = scales.score_survey(frame)
    assert scored.errors == ()
