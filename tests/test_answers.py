"""The answer step and the area proposals of issue 11: pure functions, hand-made inputs."""

import pandas as pd
import pytest

from analysis.survey import answers, area_keys, columns
from analysis.survey.scales import INVALID, answer_code


@pytest.mark.parametrize(
    ("target", "typed", "code"),
    [
        # GGD standaardvraagstelling for rondkomen, and a plain "Nee".
        ("rondkomen", "Nee, geen moeite", 3),
        ("rondkomen", "Ja, enige moeite", 2),
        ("rondkomen", "JA, GROTE MOEITE.", 1),
        ("rondkomen", "Nee", 3),
        # Burgerpeiling wording of the loneliness question.
        ("eenzaam_zelf", "Ja, vaak", 2),
        ("eenzaam_zelf", "Ja, soms", 3),
        ("eenzaam_zelf", "Nee, (bijna) nooit", 5),
        ("eenzaam_zelf", "Ja, heel vaak", 1),
        ("eenzaam_zelf", "weet niet / geen antwoord", None),
        # Voorzieningen as the Burgerpeiling asks them.
        ("vz_bibliotheek", "Ja", 1),
        ("vz_bibliotheek", "Nee, maar ik ken het wel", 2),
        ("vz_bibliotheek", "Nee, ken ik niet", 3),
        ("vz_moskee", "nee, ken ik niet", 3),
    ],
)
def test_file_wordings_are_proposed_as_their_category(target, typed, code):
    assert answer_code(answers.item_for(target), typed) == code


def test_distinct_answers_count_and_propose_with_spss_labels():
    item = answers.item_for("rondkomen")
    values = pd.Series([1.0, 2.0, 2.0, 9.0, 7.0, None, 2.0])
    labels = {1.0: "Nee, geen moeite", 2.0: "Ja, enige moeite", 9.0: "Weet niet"}
    rows = answers.distinct_answers(values, item, labels)
    assert [(r.key, r.label, r.count, r.proposed) for r in rows] == [
        ("2", "Ja, enige moeite", 3, 2),
        ("1", "Nee, geen moeite", 1, 3),
        ("9", "Weet niet", 1, None),
        ("7", "", 1, INVALID),
    ]
    assert [answers.choice_text(item, c) for c in answers.choice_options(item)] == [
        "grote moeite (1)",
        "enige moeite (2)",
        "geen moeite (3)",
        "ontbrekend (weet niet / geen antwoord)",
        "ongeldig (telt niet mee voor deze vraag)",
    ]


def test_columns_and_answers_are_saved_and_loaded_as_one_file():
    mapping = (
        columns.propose_mapping(["Wijk", "Rondkomen"])
        .with_answers("rondkomen", {"Ja": 2, "wn": None, "??": INVALID})
        .with_source("gebied", "Wijk")
    )
    loaded = columns.from_json(mapping.to_json())
    assert loaded == mapping
    assert loaded.answers == {"rondkomen": {"Ja": 2, "wn": None, "??": "ongeldig"}}


@pytest.mark.parametrize(
    ("answers_part", "message"),
    [
        ({"onbekend": {"Ja": 1}}, "antwoorden van 'onbekend': onbekende vraag"),
        ({"rondkomen": {"Ja": "veel"}}, "antwoord 'Ja' heeft 'veel' \\(verwacht een code"),
        ({"rondkomen": {"Ja": True}}, "antwoord 'Ja' heeft True"),
    ],
)
def test_a_koppelbestand_with_bad_answers_is_refused_naming_the_entry(answers_part, message):
    import json

    payload = json.loads(columns.propose_mapping(["rondkomen"]).to_json())
    payload["answers"] = answers_part
    with pytest.raises(columns.MappingError, match=message):
        columns.from_json(json.dumps(payload), "k.json")


REGIONS = pd.DataFrame(
    {
        "code": ["WK008010", "WK008011", "BU00801001", "BU00801002", "WK034401"],
        "name": ["Binnenstad", "Potmargezone", "De Waag", "Nieuwestad", "West"],
        "level": ["wijk", "wijk", "buurt", "buurt", "wijk"],
        "gemeente_code": ["GM0080"] * 4 + ["GM0344"],
    }
)


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("8011", "WK008011"),  # wijk digits without prefix and zeros
        (8011.0, "WK008011"),  # as SPSS stores them
        (801001, "BU00801001"),  # buurt digits without the leading zeros
        ("008011", "WK008011"),
        ("0080", "GM0080"),  # the gemeente itself stays a gemeente
        ("0344", "GM0344"),  # another gemeente's code stays that gemeente
        ("34401", None),  # another gemeente's wijk without its zero: not ours, no guess
        ("10", "WK008010"),
    ],
)
def test_digits_are_read_in_the_context_of_the_chosen_gemeente(typed, code):
    assert area_keys.normalise_code(typed, "GM0080") == code


def test_the_level_is_proposed_from_what_the_area_values_are():
    wijken = pd.Series(["Binnenstad", "WK008011", "8011", "De Waag"])
    buurten = pd.Series(["BU00801001", 801002, "nieuwestad", "Binnenstad"])
    assert area_keys.propose_level(wijken, REGIONS, "GM0080") == "wijk"
    assert area_keys.propose_level(buurten, REGIONS, "GM0080") == "buurt"


def test_the_gemeente_is_proposed_from_codes_and_names_and_bare_digits_do_not_vote():
    index = area_keys.gemeente_name_index(REGIONS, {"GM0080": "Leeuwarden"})
    values = pd.Series(["WK008010", "Potmargezone", "Leeuwarden", "West", "8011", "x"])
    assert area_keys.propose_gemeenten(values, index) == [("GM0080", 3), ("GM0344", 1)]
