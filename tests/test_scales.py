import math

import numpy as np
import pandas as pd
import pytest

from analysis.catalogue import parse_catalogue
from analysis.survey.scales import (
    DJG6,
    DJG11,
    EENZAAM_ZELF,
    MANTELZORG,
    RONDKOMEN,
    SCALES,
    AnswerError,
    ScaleValueError,
    all_scales,
    answer_code,
    rivm_counterparts,
    score_scale,
    score_survey,
    survey_indicators,
    voorziening_scale,
)

NAN = math.nan
JA, MOM, NEE = "ja", "min of meer", "nee"
CODE = {JA: 1, MOM: 2, NEE: 3, None: NAN}


def _codes(scale, answers):
    """Return a one-respondent code frame from answer labels (None = missing)."""
    return pd.DataFrame([[CODE[a] for a in answers]], columns=list(scale.columns), dtype=float)


def _same(got, expected):
    """Compare lists that may hold NaN."""
    assert len(got) == len(expected), (got, expected)
    for g, e in zip(got, expected, strict=True):
        if isinstance(e, float) and math.isnan(e):
            assert isinstance(g, float) and math.isnan(g), (got, expected)
        else:
            assert g == e, (got, expected)


# ------------------------------------------------------------------------------------------
# The registry
# ------------------------------------------------------------------------------------------


def test_djg11_items_in_standard_order_and_subscales():
    assert DJG11.columns == tuple(f"djg11_{i}" for i in range(1, 12))
    emotional = DJG11.subscales[0]
    social = DJG11.subscales[1]
    assert emotional.columns == tuple(f"djg11_{i}" for i in (2, 3, 5, 6, 9, 10))
    assert social.columns == tuple(f"djg11_{i}" for i in (1, 4, 7, 8, 11))
    assert DJG11.item("djg11_1").wording.startswith("Er is altijd wel iemand")
    assert DJG11.item("djg11_10").wording == "Vaak voel ik me in de steek gelaten."


def test_djg6_items_in_standard_order_and_subscales():
    assert DJG6.columns == tuple(f"djg6_{i}" for i in range(1, 7))
    assert DJG6.subscales[0].columns == ("djg6_1", "djg6_4", "djg6_6")
    assert DJG6.subscales[1].columns == ("djg6_2", "djg6_3", "djg6_5")
    assert DJG6.item("djg6_1").wording == DJG11.item("djg11_3").wording  # leegte


@pytest.mark.parametrize("scale", [*SCALES, voorziening_scale("buurthuis")], ids=lambda s: s.id)
def test_every_scale_cites_its_source_and_rules(scale):
    assert scale.source and scale.scoring and scale.missing_rule and scale.name


def test_loneliness_instruments_never_share_an_indicator_id():
    ids = {s.id: {i.id for i in s.indicators} for s in (DJG11, DJG6, EENZAAM_ZELF)}
    assert ids == {
        "djg11": {"eenzaam", "ernstig_eenzaam"},
        "djg6": {"eenzaam_djg6", "sterk_eenzaam_djg6"},
        "eenzaam_zelf": {"eenzaam_zelf"},
    }


def test_survey_indicators_ids_and_shape():
    rows = survey_indicators()
    assert [r["id"] for r in rows] == [
        "eenzaam",
        "ernstig_eenzaam",
        "eenzaam_djg6",
        "sterk_eenzaam_djg6",
        "eenzaam_zelf",
        "moeite_rondkomen",
        "grote_moeite_rondkomen",
        "mantelzorg",
        "vrijwilligerswerk",
        *[
            f"vz_{n}_{k}"
            for n in ("buurthuis", "huisarts", "bibliotheek", "wijkteam", "sportvereniging")
            for k in ("gebruikt", "onbekend")
        ],
    ]
    # One decimal for survey percentages (issue #12).
    assert {(r["unit"], r["decimals"], r["kind"]) for r in rows} == {("%", 1, "eigen enquête")}


def test_survey_indicators_are_accepted_by_the_catalogue():
    catalogue = parse_catalogue({"sources": {}, "indicators": survey_indicators()})
    assert catalogue.indicator("eenzaam").definition.startswith("Percentage respondenten")
    assert "score 3 of hoger" in catalogue.indicator("eenzaam").definition


def test_rivm_counterparts():
    assert rivm_counterparts() == {
        "eenzaam": "eenzaam",
        "ernstig_eenzaam": "ernstig_eenzaam",
        "moeite_rondkomen": "moeite_rondkomen",
        "mantelzorg": "mantelzorger",
        "vrijwilligerswerk": "vrijwilligerswerk",
    }


@pytest.mark.parametrize(
    ("naam", "message"),
    [
        ("Buurt Huis", "Voorziening 'Buurt Huis': gebruik kleine letters, cijfers en _"),
        ("", "Voorziening '': gebruik kleine letters"),
    ],
)
def test_voorziening_names_are_validated(naam, message):
    with pytest.raises(ValueError, match=message):
        voorziening_scale(naam)


def test_a_voorziening_listed_twice_is_an_error():
    with pytest.raises(ValueError, match="'vz_buurthuis_gebruikt' komt twee keer voor"):
        all_scales(voorzieningen=("buurthuis", "buurthuis"))


# ------------------------------------------------------------------------------------------
# Answers to codes
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scale", "raw", "expected"),
    [
        (DJG11, 1, 1),
        (DJG11, 2.0, 2),
        (DJG11, np.int64(3), 3),
        (DJG11, np.float64(1.0), 1),
        (DJG11, "1", 1),
        (DJG11, " 2.0 ", 2),
        (DJG11, "Ja", 1),
        (DJG11, "JA", 1),
        (DJG11, " min of meer ", 2),
        (DJG11, "Min of meer", 2),
        (DJG11, "MIN-OF-MEER", 2),
        (DJG11, "min  of  meer", 2),
        (DJG11, "NEE", 3),
        (DJG11, "Nee ", 3),
        (DJG11, "ja!", 1),  # the manual's 5-point answers fold into the 3-point codes
        (DJG11, None, None),
        (DJG11, NAN, None),
        (DJG11, pd.NA, None),
        (DJG11, "", None),
        (DJG11, "   ", None),
        (DJG11, "Geen antwoord", None),
        (EENZAAM_ZELF, 9, None),  # weet niet = missing
        (EENZAAM_ZELF, "Weet niet", None),
        (EENZAAM_ZELF, "Heel vaak", 1),
        (EENZAAM_ZELF, "VAAK", 2),
        (EENZAAM_ZELF, 5, 5),
        (RONDKOMEN, "Grote moeite", 1),
        (RONDKOMEN, "met enige moeite", 2),
        (voorziening_scale("huisarts"), "Kent, maar gebruikt niet", 2),
        (voorziening_scale("huisarts"), "kent niet", 3),
        (MANTELZORG, "Nee", 2),
    ],
)
def test_answer_code(scale, raw, expected):
    assert answer_code(scale, raw) == expected


@pytest.mark.parametrize(
    ("scale", "raw", "message"),
    [
        (
            DJG11.item("djg11_3"),
            "misschien",
            "kolom 'djg11_3': 'misschien' is geen geldig antwoord (verwacht: ja, min of meer, nee)",
        ),
        (
            DJG11.item("djg11_3"),
            4,
            "kolom 'djg11_3': '4' is geen geldig antwoord (verwacht: ja, min of meer, nee)",
        ),
        (
            DJG11.item("djg11_3"),
            1.5,
            "kolom 'djg11_3': '1.5' is geen geldig antwoord (verwacht: ja, min of meer, nee)",
        ),
        (
            DJG11.item("djg11_3"),
            True,
            "kolom 'djg11_3': 'True' is geen geldig antwoord (verwacht: ja, min of meer, nee)",
        ),
        (
            EENZAAM_ZELF,
            6,
            "kolom 'eenzaam_zelf': '6' is geen geldig antwoord "
            "(verwacht: heel vaak, vaak, soms, zelden, nooit, weet niet)",
        ),
        (
            MANTELZORG,
            "soms",
            "kolom 'mantelzorg': 'soms' is geen geldig antwoord (verwacht: ja, nee)",
        ),
    ],
)
def test_answer_outside_the_codebook_names_column_value_and_expected(scale, raw, message):
    with pytest.raises(ScaleValueError) as info:
        answer_code(scale, raw)
    assert str(info.value) == message
    assert info.value.value == raw


@pytest.mark.parametrize(
    ("raw", "labels", "expected"),
    [
        # A file coded the manual's way round (1 = nee): read by label, not by number.
        (1.0, {1.0: "Nee", 2.0: "Min of meer", 3.0: "Ja"}, 3),
        (3, {1.0: "Nee", 2.0: "Min of meer", 3.0: "Ja"}, 1),
        (2.0, {1.0: "Nee", 2.0: "Min of meer", 3.0: "Ja"}, 2),
        (9.0, {1.0: "Ja", 2.0: "Min of meer", 3.0: "Nee", 9.0: "Geen antwoord"}, None),
        ("b", {"a": "ja", "b": "nee"}, 3),  # string-coded SPSS variable
        (1.0, {9.0: "geen antwoord"}, 1),  # a code without a label is read as a code
    ],
)
def test_answer_code_reads_spss_value_labels(raw, labels, expected):
    assert answer_code(DJG11, raw, value_labels=labels) == expected


def test_an_unknown_spss_label_is_an_error_naming_the_raw_value():
    with pytest.raises(ScaleValueError, match="'7' is geen geldig antwoord"):
        answer_code(DJG11.item("djg11_1"), 7.0, value_labels={7.0: "Misschien"})


# ------------------------------------------------------------------------------------------
# De Jong Gierveld, 11 items
# ------------------------------------------------------------------------------------------

DJG11_SCORES = ["djg11_totaal", "djg11_emotioneel", "djg11_sociaal", "djg11_categorie"]


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        # Never lonely: ja on the positive (social) items, nee on the negative (emotional) ones.
        ([JA, NEE, NEE, JA, NEE, NEE, JA, JA, NEE, NEE, JA], [0, 0, 0, "niet eenzaam", 0, 0]),
        # "min of meer" always counts as lonely, on positive and negative items alike.
        ([MOM] * 11, [11, 6, 5, "zeer ernstig eenzaam", 1, 1]),
        # All "ja": the 6 negative items score, the 5 positive ones do not.
        ([JA] * 11, [6, 6, 0, "matig eenzaam", 1, 0]),
        # All "nee": the 5 positive items score.
        ([NEE] * 11, [5, 0, 5, "matig eenzaam", 1, 0]),
        # Mixed, by hand (S = social/positive: nee or mom = 1; E = emotional/negative: ja or
        # mom = 1):
        #  1 S nee 1 | 2 E ja 1 | 3 E mom 1 | 4 S ja 0 | 5 E nee 0 | 6 E mom 1
        #  7 S nee 1 | 8 S mom 1 | 9 E ja 1 | 10 E nee 0 | 11 S ja 0
        # emotional (2,3,5,6,9,10) = 1+1+0+1+1+0 = 4; social (1,4,7,8,11) = 1+0+1+1+0 = 3;
        # total 7 → matig eenzaam (3–8): eenzaam, not ernstig.
        ([NEE, JA, MOM, JA, NEE, MOM, NEE, MOM, JA, NEE, JA], [7, 4, 3, "matig eenzaam", 1, 0]),
        # Cut-off boundaries: 2 | 3 and 8 | 9 and 10 | 11.
        ([JA, JA, JA, JA, NEE, NEE, JA, JA, NEE, NEE, JA], [2, 2, 0, "niet eenzaam", 0, 0]),
        ([JA, JA, JA, JA, JA, NEE, JA, JA, NEE, NEE, JA], [3, 3, 0, "matig eenzaam", 1, 0]),
        ([MOM, MOM, MOM, JA, MOM, MOM, MOM, JA, MOM, MOM, JA], [8, 6, 2, "matig eenzaam", 1, 0]),
        ([MOM, MOM, MOM, JA, MOM, MOM, MOM, MOM, MOM, MOM, JA], [9, 6, 3, "ernstig eenzaam", 1, 1]),
        ([MOM] * 10 + [JA], [10, 6, 4, "ernstig eenzaam", 1, 1]),
    ],
)
def test_djg11_hand_worked(answers, expected):
    out = score_scale(DJG11, _codes(DJG11, answers)).iloc[0]
    _same([*out[DJG11_SCORES].tolist(), out["eenzaam"], out["ernstig_eenzaam"]], expected)


@pytest.mark.parametrize(
    ("missing", "expected"),
    [
        # Conservative rule (the manual's section 7 could not be consulted offline): only
        # complete item sets are scored. Exactly at the limit (0 missing) vs one more.
        ((), [11, 6, 5, "zeer ernstig eenzaam", 1, 1]),
        ((2,), [NAN, NAN, 5, NAN, NAN, NAN]),  # emotional item missing: social still scored
        ((11,), [NAN, 6, NAN, NAN, NAN, NAN]),  # social item missing
        (tuple(range(1, 12)), [NAN, NAN, NAN, NAN, NAN, NAN]),
    ],
)
def test_djg11_missing_items(missing, expected):
    answers = [None if i in missing else MOM for i in range(1, 12)]
    out = score_scale(DJG11, _codes(DJG11, answers)).iloc[0]
    got = [*out[DJG11_SCORES].tolist(), out["eenzaam"], out["ernstig_eenzaam"]]
    got[3] = NAN if pd.isna(got[3]) else got[3]
    _same(got, expected)


def test_djg11_scoring_rule_is_stated_where_the_missing_rule_is():
    assert DJG11.max_missing == 0
    assert all(s.max_missing == 0 for s in DJG11.subscales)
    assert "Alleen volledig ingevulde" in DJG11.missing_rule


# ------------------------------------------------------------------------------------------
# De Jong Gierveld, 6 items
# ------------------------------------------------------------------------------------------

DJG6_SCORES = ["djg6_totaal", "djg6_emotioneel", "djg6_sociaal", "djg6_categorie"]


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ([MOM] * 6, [6, 3, 3, "sterk eenzaam", 1, 1]),
        ([NEE, JA, JA, NEE, JA, NEE], [0, 0, 0, "niet eenzaam", 0, 0]),
        # By hand (E items 1, 4, 6: ja or mom = 1; S items 2, 3, 5: nee or mom = 1):
        # 1 E nee 0 | 2 S ja 0 | 3 S mom 1 | 4 E ja 1 | 5 S ja 0 | 6 E nee 0
        # emotional 0+1+0 = 1, social 0+1+0 = 1, total 2 → matig eenzaam (2–4): eenzaam.
        ([NEE, JA, MOM, JA, JA, NEE], [2, 1, 1, "matig eenzaam", 1, 0]),
        ([JA, JA, JA, NEE, JA, NEE], [1, 1, 0, "niet eenzaam", 0, 0]),  # 1 | 2 boundary
        ([MOM, MOM, MOM, MOM, JA, MOM], [5, 3, 2, "sterk eenzaam", 1, 1]),  # 4 | 5 boundary
        ([MOM, MOM, JA, MOM, JA, MOM], [4, 3, 1, "matig eenzaam", 1, 0]),
    ],
)
def test_djg6_hand_worked(answers, expected):
    out = score_scale(DJG6, _codes(DJG6, answers)).iloc[0]
    got = [*out[DJG6_SCORES].tolist(), out["eenzaam_djg6"], out["sterk_eenzaam_djg6"]]
    _same(got, expected)


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        # Manual, section 8: total missing when MORE than one item is missing; a subscale is
        # missing when any of its items is. Exactly one missing: the total counts the 5
        # answered items (here 0+1+1+0+0 = 2); the emotional subscale (item 1) is missing.
        ([None, JA, MOM, JA, JA, NEE], [2, NAN, 1, "matig eenzaam", 1, 0]),
        ([MOM, MOM, None, MOM, MOM, MOM], [5, 3, NAN, "sterk eenzaam", 1, 1]),
        # One more (two missing): total missing; here both are emotional items (1 and 4),
        # so the social subscale (2, 3, 5: 0+1+0) is still scored.
        ([None, JA, MOM, None, JA, NEE], [NAN, NAN, 1, NAN, NAN, NAN]),
        ([None, JA, None, JA, JA, NEE], [NAN, NAN, NAN, NAN, NAN, NAN]),
    ],
)
def test_djg6_missing_items(answers, expected):
    out = score_scale(DJG6, _codes(DJG6, answers)).iloc[0]
    got = [*out[DJG6_SCORES].tolist(), out["eenzaam_djg6"], out["sterk_eenzaam_djg6"]]
    got[3] = NAN if pd.isna(got[3]) else got[3]
    _same(got, expected)


# ------------------------------------------------------------------------------------------
# Single questions
# ------------------------------------------------------------------------------------------


def _single(scale, raws, **kwargs):
    """Score one column of raw answers through score_survey; return the indicator columns."""
    frame = pd.DataFrame({scale.columns[0]: raws})
    scored = score_survey(frame, scales=(scale,), voorzieningen=(), **kwargs)
    return {i: scored.frame[i].tolist() for i in scored.indicators}


def test_eenzaam_zelf_heel_vaak_or_vaak_and_weet_niet_missing():
    got = _single(EENZAAM_ZELF, [1, 2, 3, 4, 5, 9, "weet niet", None])
    _same(got["eenzaam_zelf"], [1, 1, 0, 0, 0, NAN, NAN, NAN])


def test_rondkomen():
    got = _single(RONDKOMEN, ["grote moeite", "Enige moeite", "geen moeite", None])
    _same(got["moeite_rondkomen"], [1, 1, 0, NAN])
    _same(got["grote_moeite_rondkomen"], [1, 0, 0, NAN])


def test_voorziening_shares_of_those_who_answered():
    got = _single(voorziening_scale("bibliotheek"), [1, 2, 3, None])
    _same(got["vz_bibliotheek_gebruikt"], [1, 0, 0, NAN])
    _same(got["vz_bibliotheek_onbekend"], [0, 0, 1, NAN])


def test_mantelzorg_and_vrijwilligerswerk_are_ja():
    frame = pd.DataFrame({"mantelzorg": ["Ja", "nee", None], "vrijwilligerswerk": [2, 1, 1]})
    out = score_survey(frame, voorzieningen=()).frame
    _same(out["mantelzorg"].tolist(), [1, 0, NAN])
    _same(out["vrijwilligerswerk"].tolist(), [0, 1, 1])


# ------------------------------------------------------------------------------------------
# score_survey
# ------------------------------------------------------------------------------------------


def _survey():
    """Return a small survey in the canonical column names, answers as texts and codes."""
    return pd.DataFrame(
        {
            "respondent_id": ["r1", "r2", "r3"],
            "gebied": ["WK036301", "WK036302", "WK036301"],
            "gewicht": [1.0, 2.0, 0.5],
            **{f"djg6_{i}": ["Min of meer", 2, "NEE"] for i in range(1, 7)},
            "eenzaam_zelf": ["vaak", "misschien", 9],
            "vz_buurthuis": [1, 3, "kent niet"],
            "mantelzorg": ["ja", "ja", 7],
        }
    )


def test_score_survey_leaves_its_input_unmodified():
    survey = _survey()
    before = survey.copy()
    score_survey(survey)
    pd.testing.assert_frame_equal(survey, before)


def test_score_survey_lists_scored_skipped_and_indicators():
    scored = score_survey(_survey())
    assert scored.scales == ("djg6", "eenzaam_zelf", "mantelzorg", "vz_buurthuis")
    assert scored.skipped == (
        "djg11",
        "rondkomen",
        "vrijwilligerswerk",
        "vz_huisarts",
        "vz_bibliotheek",
        "vz_wijkteam",
        "vz_sportvereniging",
    )
    assert scored.indicators == (
        "eenzaam_djg6",
        "sterk_eenzaam_djg6",
        "eenzaam_zelf",
        "mantelzorg",
        "vz_buurthuis_gebruikt",
        "vz_buurthuis_onbekend",
    )
    assert scored.incomplete == {}


def test_score_survey_keeps_other_columns_and_replaces_answers_by_indicators():
    out = score_survey(_survey()).frame
    assert list(out.columns) == [
        "respondent_id",
        "gebied",
        "gewicht",
        "djg6_totaal",
        "djg6_emotioneel",
        "djg6_sociaal",
        "djg6_categorie",
        "eenzaam_djg6",
        "sterk_eenzaam_djg6",
        "eenzaam_zelf",
        "mantelzorg",
        "vz_buurthuis_gebruikt",
        "vz_buurthuis_onbekend",
    ]
    # r1: all "min of meer" → 6; r2: all code 2 → 6; r3: all "nee" → social items 2, 3, 5.
    assert out["djg6_totaal"].tolist() == [6.0, 6.0, 3.0]
    _same(out["eenzaam_zelf"].tolist(), [1, NAN, NAN])  # 'misschien' is an error; 9 missing
    _same(out["mantelzorg"].tolist(), [1, 1, NAN])
    assert out["vz_buurthuis_onbekend"].tolist() == [0.0, 1.0, 1.0]


def test_score_survey_collects_every_answer_error_with_row_and_column():
    scored = score_survey(_survey())
    assert scored.errors == (
        AnswerError(
            1,
            "eenzaam_zelf",
            "misschien",
            ("heel vaak", "vaak", "soms", "zelden", "nooit", "weet niet"),
        ),
        AnswerError(2, "mantelzorg", 7, ("ja", "nee")),
    )
    assert [e.describe("enquete.csv") for e in scored.errors] == [
        "enquete.csv, rij 3, kolom 'eenzaam_zelf': 'misschien' is geen geldig antwoord "
        "(verwacht: heel vaak, vaak, soms, zelden, nooit, weet niet)",
        "enquete.csv, rij 4, kolom 'mantelzorg': '7' is geen geldig antwoord (verwacht: ja, nee)",
    ]
    assert scored.errors[1].describe("enquete.sav", first_row=1).startswith("enquete.sav, rij 3,")
    assert scored.error_rows == (1, 2)
    assert scored.valid()["respondent_id"].tolist() == ["r1"]


def test_describe_keeps_a_non_positional_index_label():
    frame = pd.DataFrame({"mantelzorg": ["ja", "weet ik veel"]}, index=["r1", "r2"])
    (error,) = score_survey(frame, voorzieningen=()).errors
    assert error.describe("enquete.xlsx") == (
        "enquete.xlsx, rij r2, kolom 'mantelzorg': 'weet ik veel' is geen geldig antwoord "
        "(verwacht: ja, nee)"
    )


def test_a_partly_present_scale_is_scored_and_reported_incomplete():
    frame = pd.DataFrame({f"djg6_{i}": [2] for i in range(1, 6)})  # djg6_6 absent
    scored = score_survey(frame, voorzieningen=())
    assert scored.incomplete == {"djg6": ("djg6_6",)}
    # One item missing for everyone: the 6-item total still counts (5), emotional does not.
    _same(scored.frame.iloc[0][["djg6_totaal", "djg6_emotioneel"]].tolist(), [5.0, NAN])


def test_score_survey_reads_spss_value_labels_per_column():
    frame = pd.DataFrame({"mantelzorg": [1.0, 2.0]})
    labels = {"mantelzorg": {1.0: "Nee", 2.0: "Ja"}}
    out = score_survey(frame, voorzieningen=(), value_labels=labels).frame
    assert out["mantelzorg"].tolist() == [0.0, 1.0]


def test_score_survey_with_custom_voorzieningen():
    frame = pd.DataFrame({"vz_speeltuin": ["gebruikt", "kent maar gebruikt niet"]})
    scored = score_survey(frame, voorzieningen=("speeltuin",))
    assert scored.frame["vz_speeltuin_gebruikt"].tolist() == [1.0, 0.0]
    assert "vz_speeltuin" in scored.scales
    assert "vz_buurthuis" not in scored.scales + scored.skipped


@pytest.mark.parametrize("case", [str.upper, str.lower, str.title, lambda t: f"  {t}  "])
def test_text_answers_in_any_case_or_padding(case):
    frame = pd.DataFrame({c: [case(MOM)] for c in DJG11.columns})
    out = score_survey(frame, voorzieningen=()).frame
    assert out["djg11_totaal"].tolist() == [11.0]


def test_an_input_column_named_like_a_computed_indicator_is_refused():
    frame = pd.DataFrame({"rondkomen": [1], "moeite_rondkomen": ["al berekend"]})
    with pytest.raises(ValueError, match="Kolom 'moeite_rondkomen' staat al in de enquête"):
        score_survey(frame, voorzieningen=())
