"""Proposing, checking, saving and applying the column mapping of a survey file."""

import json

import pandas as pd
import pytest

from analysis.survey.columns import (
    DJG6_OF_DJG11,
    DJG6_TARGETS,
    DJG11_TARGETS,
    REASON_CANONICAL,
    REASON_NONE,
    REASON_USER,
    TARGETS,
    ColumnChoice,
    Mapping,
    MappingError,
    apply_mapping,
    from_json,
    mapping_problems,
    needs_confirmation,
    propose_mapping,
)
from analysis.survey.questionnaire import DJG11_ITEMS

#: The De Jong Gierveld 11 items in standard order, as printed in Dutch questionnaires.
DJG11_WORDING = (
    "Er is altijd wel iemand in mijn omgeving bij wie ik met mijn dagelijkse probleempjes "
    "terecht kan.",
    "Ik mis een echt goede vriend of vriendin.",
    "Ik ervaar een leegte om me heen.",
    "Er zijn genoeg mensen op wie ik in geval van narigheid kan terugvallen.",
    "Ik mis gezelligheid om me heen.",
    "Ik vind mijn kring van kennissen te beperkt.",
    "Ik heb veel mensen op wie ik volledig kan vertrouwen.",
    "Er zijn voldoende mensen met wie ik me nauw verbonden voel.",
    "Ik mis mensen om me heen.",
    "Vaak voel ik me in de steek gelaten.",
    "Wanneer ik daar behoefte aan heb, kan ik altijd bij mijn vrienden terecht.",
)
DJG_ANSWERS = {1.0: "ja", 2.0: "min of meer", 3.0: "nee"}


# --- the template's file: canonical names, no confirmation ------------------------------


def test_canonical_names_map_to_themselves_with_certainty():
    mapping = propose_mapping(list(TARGETS))
    assert mapping.sources == {t: t for t in TARGETS}
    assert {c.confidence for c in mapping.choices} == {1.0}
    assert {c.reason for c in mapping.choices} == {REASON_CANONICAL}
    assert needs_confirmation(mapping) is False
    assert mapping_problems(mapping, list(TARGETS)) == []


def test_canonical_file_applies_as_identity():
    frame = pd.DataFrame({"respondent_id": [1, 2], "gebied": ["WK008010", "Oud-Oost"]})
    frame["djg6_1"] = [1, 3]
    out = apply_mapping(frame, propose_mapping(frame.columns.tolist()))
    pd.testing.assert_frame_equal(out, frame)


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        (["gebied", "djg6_1"], False),
        (["postcode", "djg6_1"], False),  # a postcode is enough as area
        (["Gebied", "DJG6_1"], False),  # the standard name in capitals is as certain
        (["djg6_1", "eenzaam_zelf"], True),  # no area column
        (["gebied", "Lft"], True),  # a guessed column
        (["gebied", "opmerking"], False),  # extra columns are simply not used
    ],
)
def test_needs_confirmation(columns, expected):
    assert needs_confirmation(propose_mapping(columns)) is expected


def test_extra_voorzieningen_in_canonical_form_become_targets():
    mapping = propose_mapping(["gebied", "vz_kerk", "vz_huisarts"])
    assert mapping.targets[-1] == "vz_kerk"
    assert mapping.sources == {
        "gebied": "gebied",
        "vz_huisarts": "vz_huisarts",
        "vz_kerk": "vz_kerk",
    }


# --- names of real exports --------------------------------------------------------------


def test_messy_export():
    columns = [
        "Respondentnummer",
        "Wijk",
        "Weegfactor",
        "Lft",
        *(f"eenz_{i}" for i in range(1, 12)),
        "rondk",
        "opmerking",
    ]
    mapping = propose_mapping(columns)
    assert mapping.sources == {
        "respondent_id": "Respondentnummer",
        "gebied": "Wijk",
        "gewicht": "Weegfactor",
        "leeftijd": "Lft",
        **{f"djg11_{i}": f"eenz_{i}" for i in range(1, 12)},
        "rondkomen": "rondk",
    }
    assert mapping.choice("djg11_3") == ColumnChoice(
        "djg11_3",
        "eenz_3",
        0.85,
        "kolomnaam 'eenz_3': item 3 van de De Jong Gierveld-11-itemschaal",
    )
    assert mapping.choice("postcode") == ColumnChoice("postcode", None, 0.0, REASON_NONE)
    assert needs_confirmation(mapping) is True


@pytest.mark.parametrize(
    ("columns", "target", "source"),
    [
        (["ID", "wijkcode"], "gebied", "wijkcode"),
        (["Buurt", "Wijkcode"], "gebied", "Wijkcode"),  # a wijk code beats a buurt name
        (["Buurtcode"], "gebied", "Buurtcode"),
        (["PC6"], "postcode", "PC6"),
        (["Postcode"], "postcode", "Postcode"),
        (["weging"], "gewicht", "weging"),
        (["weight"], "gewicht", "weight"),
        (["WEEGFACTOR_WIJK"], "gewicht", "WEEGFACTOR_WIJK"),
        (["age"], "leeftijd", "age"),
        (["Leeftijd"], "leeftijd", "Leeftijd"),
        (["lft"], "leeftijd", "lft"),
        (["leeftijdsklasse"], "leeftijd", None),  # a class is not an age in years
        (["lft_cat"], "leeftijd", None),
        (["ID"], "respondent_id", "ID"),
        (["Eenzaam"], "eenzaam_zelf", "Eenzaam"),
        (["vrijwilligerswerk_ja"], "vrijwilligerswerk", "vrijwilligerswerk_ja"),
        (["Mantelzorg"], "mantelzorg", "Mantelzorg"),
        (["gebruik_bieb"], "vz_bibliotheek", "gebruik_bieb"),
        (["sportclub"], "vz_sportvereniging", "sportclub"),
        (["vz_sportclub"], "vz_sportclub", "vz_sportclub"),  # canonical: its own voorziening
        (["Huisarts"], "vz_huisarts", "Huisarts"),
    ],
)
def test_names(columns, target, source):
    assert propose_mapping(columns).choice(target).source == source


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        ([f"DJG{i}" for i in range(1, 12)], DJG11_TARGETS),
        ([f"DJG_{i}" for i in range(1, 12)], DJG11_TARGETS),
        ([f"eenzaam{i}" for i in range(1, 12)], DJG11_TARGETS),
        ([f"eenz{i:02d}" for i in range(1, 12)], DJG11_TARGETS),
        ([f"jg11_{i}" for i in range(1, 12)], DJG11_TARGETS),
        # Six items under a stem: the 6-item scale.
        ([f"eenzaam{i}" for i in range(1, 7)], DJG6_TARGETS),
        ([f"djg6-{i}" for i in range(1, 7)], DJG6_TARGETS),
    ],
)
def test_item_stems(columns, expected):
    assert propose_mapping(columns).sources == dict(zip(expected, columns, strict=True))


def test_numbered_question_block_is_a_weak_guess_without_answer_labels():
    columns = [f"q12_{i}" for i in range(1, 12)]
    weak = propose_mapping(columns).choice("djg11_4")
    assert (weak.source, weak.confidence) == ("q12_4", 0.3)
    labelled = propose_mapping(columns, value_labels={c: DJG_ANSWERS for c in columns})
    strong = labelled.choice("djg11_4")
    assert (strong.source, strong.confidence) == ("q12_4", 0.75)
    assert strong.reason == (
        "11 deelvragen onder 'q12' met antwoord 'min of meer': misschien De Jong Gierveld-item 4"
    )


def test_a_question_block_of_another_size_is_not_a_scale():
    assert propose_mapping([f"q3_{i}" for i in range(1, 9)]).sources == {}


# --- SPSS: q1..q40 identified by their labels -------------------------------------------


def test_label_phrases_identify_the_questionnaires_own_wording():
    assert tuple(w for w, _ in DJG11_ITEMS) == DJG11_WORDING
    labels = {f"v{i}": wording for i, wording in enumerate(DJG11_WORDING, start=1)}
    mapping = propose_mapping(list(labels), column_labels=labels)
    assert {t: mapping.sources.get(t) for t in DJG11_TARGETS} == {
        f"djg11_{i}": f"v{i}" for i in range(1, 12)
    }
    assert DJG6_OF_DJG11 == {3: 1, 4: 2, 7: 3, 9: 4, 8: 5, 10: 6}


def spss_file(order: list[int], wording: tuple[str, ...] = DJG11_WORDING):
    """Create columns q1..q40 and labels with the DJG items in ``order`` from q10 on."""
    columns = [f"q{i}" for i in range(1, 41)]
    labels = {
        "q1": "Respondentnummer",
        "q2": "In welke wijk woont u?",
        "q3": "Wat is uw leeftijd?",
        "q25": "Voelt u zich wel eens eenzaam?",
        "q26": "Hoe moeilijk of makkelijk is het om rond te komen met uw inkomen?",
        "q27": "Gebruikt u het buurthuis?",
        "q28": "Geeft u mantelzorg?",
        "q40": "Weegfactor",
    }
    labels.update({f"q{10 + k}": wording[item - 1] for k, item in enumerate(order)})
    return columns, labels


def test_spss_labels_identify_every_djg_item_whatever_the_order():
    order = [7, 9, 11, 8, 6, 4, 1, 5, 2, 10, 3]
    columns, labels = spss_file(order)
    mapping = propose_mapping(columns, column_labels=labels)
    assert {t: mapping.sources[t] for t in DJG11_TARGETS} == {
        f"djg11_{item}": f"q{10 + k}" for k, item in enumerate(order)
    }
    assert {t: mapping.sources.get(t) for t in ("respondent_id", "gebied", "leeftijd")} == {
        "respondent_id": "q1",
        "gebied": "q2",
        "leeftijd": "q3",
    }
    assert mapping.sources["eenzaam_zelf"] == "q25"
    assert mapping.sources["rondkomen"] == "q26"
    assert mapping.sources["vz_buurthuis"] == "q27"
    assert mapping.sources["mantelzorg"] == "q28"
    assert mapping.sources["gewicht"] == "q40"
    assert mapping.choice("djg11_7").confidence == 0.95
    assert mapping.choice("djg11_7").reason == (
        "label 'Ik heb veel mensen op wie ik volledig kan vertrouwen.' is De Jong Gierveld-item 7 "
        "(11-itemschaal)"
    )


def test_spss_labels_of_only_the_six_shared_items_are_the_6_item_scale():
    six = [3, 4, 7, 9, 8, 10]  # leegte, narigheid, vertrouwen, mis mensen, verbonden, steek
    columns, labels = spss_file(six)
    mapping = propose_mapping(columns, column_labels=labels)
    assert {t: mapping.sources[t] for t in DJG6_TARGETS} == {
        "djg6_1": "q10",
        "djg6_2": "q11",
        "djg6_3": "q12",
        "djg6_4": "q13",
        "djg6_5": "q14",
        "djg6_6": "q15",
    }
    assert not any(t in mapping.sources for t in DJG11_TARGETS)


def test_label_wording_variants_still_identify_the_item():
    labels = {"v1": "Ik ervaar een LEEGTE om mij heen", "v2": "Ik mis een echt goede vriend(in)"}
    mapping = propose_mapping(["v1", "v2"], column_labels=labels)
    assert mapping.sources == {"djg11_3": "v1", "djg11_2": "v2"}


def test_answer_labels_confirm_a_name_guess():
    plain = propose_mapping(["eenzaam"]).choice("eenzaam_zelf")
    answers = {1: "heel vaak", 2: "vaak", 3: "soms", 4: "zelden", 5: "nooit", 9: "weet niet"}
    confirmed = propose_mapping(["eenzaam"], value_labels={"eenzaam": answers})
    assert (plain.confidence, confirmed.choice("eenzaam_zelf").confidence) == (0.75, 0.9)


# --- checks -----------------------------------------------------------------------------


def test_one_column_cannot_feed_two_targets():
    mapping = propose_mapping(["Wijk"]).with_source("postcode", "Wijk")
    assert mapping_problems(mapping) == [
        "kolom 'Wijk' is gekoppeld aan zowel 'gebied' als 'postcode'; een kolom kan maar één "
        "betekenis hebben"
    ]


def test_an_area_column_is_required():
    mapping = propose_mapping(["Wijk", "Lft"]).with_source("gebied", None)
    assert mapping_problems(mapping) == [
        "kies een kolom voor 'gebied' of 'postcode': zonder gebied kunnen de antwoorden niet per "
        "wijk worden getoond"
    ]
    assert needs_confirmation(mapping) is True


def test_user_choice_is_certain():
    mapping = propose_mapping(["Wijk", "Lft"]).with_source("gebied", "Wijk")
    assert mapping.choice("gebied") == ColumnChoice("gebied", "Wijk", 1.0, REASON_USER)
    assert needs_confirmation(mapping.with_source("leeftijd", "Lft")) is False


def test_with_source_rejects_an_unknown_target():
    with pytest.raises(KeyError, match="onbekend doel 'wijk'"):
        propose_mapping(["Wijk"]).with_source("wijk", "Wijk")


# --- apply ------------------------------------------------------------------------------


def test_apply_mapping_renames_and_leaves_the_input_alone():
    frame = pd.DataFrame(
        {"Wijk": ["Binnenstad", "Oud-Oost"], "Lft": [71, 45], "opmerking": ["a", "b"]},
        index=[2, 3],
    )
    before = frame.copy()
    out = apply_mapping(frame, propose_mapping(frame.columns.tolist()))
    expected = pd.DataFrame(
        {"gebied": ["Binnenstad", "Oud-Oost"], "leeftijd": [71, 45]}, index=[2, 3]
    )
    pd.testing.assert_frame_equal(out, expected)
    pd.testing.assert_frame_equal(frame, before)
    out.loc[2, "leeftijd"] = 0
    assert frame.loc[2, "Lft"] == 71  # a copy, not a view


def test_apply_mapping_names_the_missing_column_of_a_later_wave():
    mapping = propose_mapping(["Wijk", "Lft"])
    frame = pd.DataFrame({"Wijknaam": ["Binnenstad"], "Lft": [71]})
    with pytest.raises(MappingError) as err:
        apply_mapping(frame, mapping, file_name="enquete_2026.xlsx")
    assert str(err.value) == (
        "enquete_2026.xlsx: kolom 'Wijk' (voor 'gebied') staat niet in het bestand"
    )


# --- JSON ---------------------------------------------------------------------------------


def test_json_round_trip():
    columns = ["Respondentnummer", "Wijk", "Weegfactor", *(f"eenz_{i}" for i in range(1, 7))]
    mapping = propose_mapping(columns).with_source("postcode", None).with_source("leeftijd", "Wijk")
    text = mapping.to_json()
    assert Mapping.from_json(text) == mapping
    assert from_json(text.encode("utf-8")) == mapping
    payload = json.loads(text)
    assert (payload["kind"], payload["version"]) == ("sociale-basis-kolomkoppeling", 1)


def test_json_of_an_older_file_gets_the_missing_targets_unmapped():
    text = json.dumps(
        {
            "kind": "sociale-basis-kolomkoppeling",
            "version": 1,
            "choices": [{"target": "gebied", "source": "Wijk"}],
        }
    )
    mapping = from_json(text)
    assert mapping.targets == TARGETS
    assert mapping.sources == {"gebied": "Wijk"}
    assert mapping.choice("gebied") == ColumnChoice("gebied", "Wijk", 1.0, REASON_USER)


def _payload(**changes) -> str:
    base = {
        "kind": "sociale-basis-kolomkoppeling",
        "version": 1,
        "choices": [{"target": "gebied", "source": "Wijk", "confidence": 1, "reason": "x"}],
    }
    return json.dumps({**base, **changes})


def _choice(**entry) -> str:
    return _payload(choices=[entry])


NOT_OURS = (
    "k.json: dit is geen koppelbestand van het dashboard "
    "(verwacht 'kind': 'sociale-basis-kolomkoppeling')"
)
UNKNOWN = "is onbekend (verwacht bijv. 'gebied' of 'djg11_1')"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "{",
            "k.json: geen geldig koppelbestand (JSON-fout op regel 1, kolom 2: "
            "Expecting property name enclosed in double quotes)",
        ),
        (b"\xff\xfe{", "k.json: geen geldig koppelbestand (geen UTF-8-tekst)"),
        ("[]", NOT_OURS),
        ('{"gebied": "Wijk"}', NOT_OURS),
        (_payload(version=2), "k.json: versie 2 wordt niet ondersteund (verwacht 1)"),
        (_payload(version="1"), "k.json: versie '1' wordt niet ondersteund (verwacht 1)"),
        (_payload(choices={"gebied": "Wijk"}), "k.json: veld 'choices' ontbreekt of is geen lijst"),
        (
            _payload(choices=["gebied"]),
            "k.json, koppeling 1: 'gebied' is geen object met 'target' en 'source'",
        ),
        (_choice(target="wijk", source="Wijk"), f"k.json, koppeling 1: doel 'wijk' {UNKNOWN}"),
        (_choice(source="Wijk"), f"k.json, koppeling 1: doel None {UNKNOWN}"),
        (
            _choice(target="gebied", source=3),
            "k.json, koppeling 1: bron 3 voor 'gebied' is geen kolomnaam",
        ),
        (
            _choice(target="gebied", source="Wijk", confidence="hoog"),
            "k.json, koppeling 1: zekerheid 'hoog' is geen getal (verwacht 0–1)",
        ),
        (
            _choice(target="gebied", source="Wijk", confidence=True),
            "k.json, koppeling 1: zekerheid True is geen getal (verwacht 0–1)",
        ),
        (
            _choice(target="gebied", source="Wijk", confidence=2),
            "k.json, koppeling 1: zekerheid 2 ligt niet tussen 0 en 1",
        ),
        (
            _choice(target="gebied", source="Wijk", reason=1),
            "k.json, koppeling 1: reden 1 is geen tekst",
        ),
        (
            _payload(choices=[{"target": "gebied", "source": s} for s in ("A", "B")]),
            "k.json, koppeling 2: doel 'gebied' staat er twee keer",
        ),
    ],
)
def test_corrupt_mapping_file_gives_a_dutch_error(text, message):
    with pytest.raises(MappingError) as err:
        from_json(text, file_name="k.json")
    assert str(err.value) == message
