import io
import math
import re

import numpy as np
import pandas as pd
import pyreadstat
import pytest
from pandas.testing import assert_frame_equal

from analysis.survey.example import (
    default_sample_sizes,
    generate_example,
    generate_messy_example,
    score_distribution,
    wijk_anchors,
)
from data.survey_files import ExampleFileError, example_bytes, write_example_files

GM = "GM0999"

#: A made-up gemeente: eight wijken, a few buurten; buurt "Centrum" shares its wijk's name.
AREAS = pd.DataFrame(
    [
        ("GM0999", "Fictiefdorp", "gemeente"),
        ("WK099901", "Centrum", "wijk"),
        ("WK099902", "Oosterpark", "wijk"),
        ("WK099903", "De Weide", "wijk"),
        ("WK099904", "Noord", "wijk"),
        ("WK099905", "Havenkwartier", "wijk"),
        ("WK099906", "Zuid", "wijk"),
        ("WK099907", "Buitengebied", "wijk"),
        ("WK099908", "Het Dorp", "wijk"),
        ("BU09990101", "Centrum", "buurt"),
        ("BU09990102", "Stationsbuurt", "buurt"),
        ("BU09990401", "Noord-Oost", "buurt"),
        ("WK012301", "Elders", "wijk"),  # another gemeente: ignored
    ],
    columns=["code", "name", "level"],
)

#: eenzaam, ernstig_eenzaam, emotioneel, sociaal, moeite_rondkomen, mantelzorger, vrijwilligers
ANCHORS = {
    "WK099901": (30.0, 5.0, 18.0, 20.0, 10.0, 12.0, 35.0),
    "WK099902": (38.0, 7.0, 22.0, 24.0, 15.0, 13.0, 30.0),
    "WK099903": (44.0, 9.0, 26.0, 27.0, 18.0, 14.0, 27.0),
    "WK099904": (50.0, 11.0, 32.0, 30.0, 22.0, 15.0, 24.0),
    "WK099905": (56.0, 14.0, 36.0, 34.0, 28.0, 16.0, 20.0),
    "WK099906": (62.0, 18.0, 41.0, 38.0, 35.0, 17.0, 18.0),
    "WK099907": (41.0, 8.0, 24.0, 26.0, 12.0, 20.0, 40.0),
    "WK099908": (47.0, 10.0, 29.0, 28.0, math.nan, 14.0, 28.0),
}
INDICATORS = (
    "eenzaam",
    "ernstig_eenzaam",
    "emotioneel_eenzaam",
    "sociaal_eenzaam",
    "moeite_rondkomen",
    "mantelzorger",
    "vrijwilligerswerk",
)
RIVM = pd.DataFrame(
    [
        (code, indicator, value)
        for code, values in ANCHORS.items()
        for indicator, value in zip(INDICATORS, values, strict=True)
        if not math.isnan(value)
    ],
    columns=["code", "indicator", "value"],
)

EXAMPLE_COLUMNS = [
    "respondent_id",
    "gebied",
    "postcode",
    "gewicht",
    "leeftijd",
    *(f"djg11_{i}" for i in range(1, 12)),
    "eenzaam_zelf",
    "rondkomen",
    "vz_buurthuis",
    "vz_huisarts",
    "vz_bibliotheek",
    "vz_wijkteam",
    "vz_sportvereniging",
    "mantelzorg",
    "vrijwilligerswerk",
]

VALID_CODES = {
    **{f"djg11_{i}": {1, 2, 3} for i in range(1, 12)},
    "eenzaam_zelf": {1, 2, 3, 4, 5, 9},
    "rondkomen": {1, 2, 3},
    **{f"vz_{n}": {1, 2, 3} for n in ("buurthuis", "huisarts", "bibliotheek", "wijkteam")},
    "vz_sportvereniging": {1, 2, 3},
    "mantelzorg": {1, 2},
    "vrijwilligerswerk": {1, 2},
}

# The scoring rule, written out here on purpose (not imported): "min of meer" always counts;
# negative items count ja / min of meer, positive items nee / min of meer; lonely = 3+.
NEGATIVE_ITEMS = (2, 3, 5, 6, 9, 10)
POSITIVE_ITEMS = (1, 4, 7, 8, 11)

WIJK_NAMES = dict(AREAS.loc[AREAS["code"].str.startswith("WK0999"), ["name", "code"]].to_numpy())


def djg11_score(frame: pd.DataFrame) -> pd.Series:
    negative = sum(frame[f"djg11_{i}"].isin([1, 2]).astype(int) for i in NEGATIVE_ITEMS)
    positive = sum(frame[f"djg11_{i}"].isin([2, 3]).astype(int) for i in POSITIVE_ITEMS)
    return negative + positive


def wijk_of(gebied: str) -> str:
    if re.fullmatch(r"WK\d{6}", gebied):
        return gebied
    if re.fullmatch(r"BU\d{8}", gebied):
        return "WK" + gebied[2:8]
    if found := re.fullmatch(r"(\d{4})-(\d{2})", gebied):
        return f"WK{found[1]}{found[2]}"
    return WIJK_NAMES[gebied]


def per_wijk(frame: pd.DataFrame) -> pd.DataFrame:
    score = djg11_score(frame)
    return (
        frame.assign(wijk=frame["gebied"].map(wijk_of), lonely=score >= 3, severe=score >= 9)
        .groupby("wijk")
        .agg(n=("lonely", "size"), p3=("lonely", "mean"), p9=("severe", "mean"))
    )


@pytest.fixture(scope="module")
def example() -> pd.DataFrame:
    """Return the default fictitious survey of the made-up gemeente."""
    return generate_example(RIVM, AREAS, gemeente_code=GM)


@pytest.fixture(scope="module")
def large() -> pd.DataFrame:
    """Return 3000 respondents per wijk: sampling noise small enough to check calibration."""
    return generate_example(RIVM, AREAS, gemeente_code=GM, respondents_per_area=3000)


# --- the score distribution ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("p_lonely", "p_severe", "expected_first", "expected_last"),
    [
        # P(0) = 0.5 * (1 - p_lonely); P(11) = 0.22 * p_severe (the band shapes)
        (0.5, 0.1, 0.25, 0.022),
        (0.0, 0.0, 0.5, 0.0),
        (1.0, 1.0, 0.0, 0.22),
        (0.4, 0.0, 0.3, 0.0),
    ],
)
def test_score_distribution_hits_both_anchors(p_lonely, p_severe, expected_first, expected_last):
    probs = score_distribution(p_lonely, p_severe)
    assert probs.shape == (12,)
    assert probs.min() >= 0
    assert probs.sum() == pytest.approx(1.0)
    assert probs[3:].sum() == pytest.approx(p_lonely)
    assert probs[9:].sum() == pytest.approx(p_severe)
    assert (probs[0], probs[11]) == pytest.approx((expected_first, expected_last))


@pytest.mark.parametrize(("p_lonely", "p_severe"), [(0.1, 0.2), (1.2, 0.1), (0.3, -0.1)])
def test_score_distribution_refuses_impossible_shares(p_lonely, p_severe):
    with pytest.raises(ValueError, match="verwacht 0 <= ernstig <= eenzaam <= 1"):
        score_distribution(p_lonely, p_severe)


# --- anchors --------------------------------------------------------------------------------


def test_anchors_fill_a_gap_with_the_mean_of_the_other_wijken():
    anchors = wijk_anchors(RIVM, AREAS, GM).set_index("code")
    assert list(anchors.index) == [f"WK09990{i}" for i in range(1, 9)]
    # moeite_rondkomen is missing for WK099908: (10 + 15 + 18 + 22 + 28 + 35 + 12) / 7 = 20
    assert anchors.loc["WK099908", "moeite_rondkomen"] == pytest.approx(20.0)
    assert anchors.loc["WK099908", "aangevuld"] == 1
    assert anchors.loc["WK099901", "aangevuld"] == 0
    assert anchors.loc["WK099905", "eenzaam"] == 56.0


def test_anchors_use_fallbacks_without_any_figure_and_cap_severe_at_lonely():
    rivm = pd.DataFrame(
        {"code": ["WK099901", "WK099901"], "indicator": ["eenzaam", "ernstig_eenzaam"]}
    ).assign(value=[8.0, 12.0])
    anchors = wijk_anchors(rivm, AREAS, GM).set_index("code")
    assert anchors.loc["WK099901", ["eenzaam", "ernstig_eenzaam"]].tolist() == [8.0, 8.0]
    assert anchors.loc["WK099902", ["eenzaam", "ernstig_eenzaam"]].tolist() == [8.0, 8.0]
    assert anchors.loc["WK099902", "mantelzorger"] == 14.0  # FALLBACK_ANCHORS
    assert anchors.loc["WK099902", "aangevuld"] == 7


# --- the clean example ----------------------------------------------------------------------


def test_same_seed_gives_the_same_frame_and_another_seed_another(example):
    again = generate_example(RIVM, AREAS, gemeente_code=GM, seed=2025)
    assert_frame_equal(example, again)
    other = generate_example(RIVM, AREAS, gemeente_code=GM, seed=7)
    assert not other.equals(example)
    answers = [f"djg11_{i}" for i in range(1, 12)]
    assert not other[answers].head(50).equals(example[answers].head(50))


def test_the_frame_says_loudly_it_is_fictitious(example):
    assert example.attrs == {"fictief": True, "seed": 2025, "gemeente_code": GM}
    assert example["respondent_id"].str.fullmatch(r"FICTIEF-\d{5}").all()
    assert example["respondent_id"].is_unique
    assert example["respondent_id"].iloc[0] == "FICTIEF-00001"


def test_columns_are_the_canonical_schema_without_the_short_scale(example):
    assert list(example.columns) == EXAMPLE_COLUMNS
    assert example["postcode"].isna().all()
    numeric = EXAMPLE_COLUMNS[4:]
    assert (example[numeric].dtypes == "int64").all()
    assert example["gewicht"].dtype == "float64"


@pytest.mark.parametrize("column", sorted(VALID_CODES))
def test_every_answer_is_a_valid_code(example, column):
    assert set(example[column].unique()) <= VALID_CODES[column]


def test_age_and_weight_are_plausible(example):
    assert example["leeftijd"].between(18, 95).all()
    assert example["gewicht"].between(0.4, 2.5).all()
    assert example["gewicht"].mean() == pytest.approx(1.0, abs=0.05)
    # Young people respond less, so they weigh more.
    young = example.loc[example["leeftijd"] < 35, "gewicht"].mean()
    old = example.loc[example["leeftijd"] >= 65, "gewicht"].mean()
    assert young > 1.2 * old


def test_areas_come_in_the_forms_people_use_and_all_resolve(example):
    gebied = example["gebied"]
    forms = pd.Series(
        np.select(
            [
                gebied.str.fullmatch(r"WK\d{6}"),
                gebied.str.fullmatch(r"\d{4}-\d{2}"),
                gebied.str.fullmatch(r"BU\d{8}"),
            ],
            ["wijkcode", "gemeente-wijk", "buurtcode"],
            "naam",
        )
    ).value_counts(normalize=True)
    assert forms["wijkcode"] > 0.6
    assert 0.04 < forms["gemeente-wijk"] < 0.2
    assert 0.04 < forms["naam"] < 0.2
    assert 0 < forms["buurtcode"] < 0.06
    assert set(gebied.map(wijk_of)) == set(WIJK_NAMES.values())
    # "Centrum" names both a wijk and one of its buurten: ambiguous, so never used as a name.
    assert "Centrum" not in set(gebied)


def test_buurt_codes_lie_in_the_wijk_of_the_respondent(example):
    buurt = example.loc[example["gebied"].str.startswith("BU"), "gebied"]
    assert set(buurt) <= {"BU09990101", "BU09990102", "BU09990401"}


def test_some_wijken_are_suppressed_and_some_indicative(example):
    counts = per_wijk(example)["n"]
    assert (counts < 30).sum() >= 1
    assert counts.between(30, 49).sum() >= 1
    assert (counts >= 60).sum() >= 5


def test_lonely_shares_of_large_wijken_are_near_the_anchor_at_the_default_size(example):
    table = per_wijk(example)
    large = table[table["n"] >= 60]
    for code, row in large.iterrows():
        p = ANCHORS[code][0] / 100
        se = math.sqrt(p * (1 - p) / row["n"])
        assert abs(row["p3"] - p) <= 3.5 * se, (code, row["p3"], p)


@pytest.mark.parametrize("code", sorted(ANCHORS))
def test_lonely_and_severe_shares_are_calibrated_on_the_anchor(large, code):
    row = per_wijk(large).loc[code]
    assert row["n"] == 3000
    assert 100 * row["p3"] == pytest.approx(ANCHORS[code][0], abs=2.5)
    assert 100 * row["p9"] == pytest.approx(ANCHORS[code][1], abs=1.5)


@pytest.mark.parametrize(
    ("column", "codes", "anchor_index"),
    [("rondkomen", [1, 2], 4), ("mantelzorg", [1], 5), ("vrijwilligerswerk", [1], 6)],
)
def test_other_answers_follow_their_anchor(large, column, codes, anchor_index):
    wijk = large["gebied"].map(wijk_of)
    share = large[column].isin(codes).groupby(wijk).mean() * 100
    for code, values in ANCHORS.items():
        expected = 20.0 if math.isnan(values[anchor_index]) else values[anchor_index]
        assert share[code] == pytest.approx(expected, abs=2.5), code


def test_the_single_item_goes_with_the_scale(large):
    score = djg11_score(large)
    often = large["eenzaam_zelf"].isin([1, 2])
    assert often[score >= 9].mean() > 3 * often[score < 3].mean()
    assert large["eenzaam_zelf"].eq(9).mean() == pytest.approx(0.02, abs=0.005)


def test_emotional_items_count_more_where_emotional_loneliness_is_higher():
    rivm = RIVM[~RIVM["indicator"].isin(["emotioneel_eenzaam", "sociaal_eenzaam"])]
    tilted = pd.concat(
        [
            rivm,
            pd.DataFrame(
                {
                    "code": ["WK099901", "WK099901", "WK099902", "WK099902"],
                    "indicator": ["emotioneel_eenzaam", "sociaal_eenzaam"] * 2,
                    "value": [40.0, 10.0, 10.0, 40.0],
                }
            ),
        ]
    )
    sizes = {"WK099901": 2000, "WK099902": 2000}
    frame = generate_example(tilted, AREAS, gemeente_code=GM, respondents_per_area=sizes)
    wijk = frame["gebied"].map(wijk_of)
    negative = sum(frame[f"djg11_{i}"].isin([1, 2]).astype(int) for i in NEGATIVE_ITEMS)
    positive = sum(frame[f"djg11_{i}"].isin([2, 3]).astype(int) for i in POSITIVE_ITEMS)
    ratio = (negative.groupby(wijk).sum() / positive.groupby(wijk).sum()).to_dict()
    assert ratio["WK099901"] > 2 * ratio["WK099902"]


@pytest.mark.parametrize(
    ("n_wijken", "expected_small", "expected_middle"),
    [(3, 1, 1), (8, 1, 1), (22, 3, 3), (2, 0, 0)],
)
def test_default_sample_sizes(n_wijken, expected_small, expected_middle):
    codes = tuple(f"WK0999{i:02d}" for i in range(n_wijken))
    sizes = pd.Series(default_sample_sizes(codes, np.random.default_rng(5)))
    assert sorted(sizes.index) == list(codes)
    assert (sizes < 30).sum() == expected_small
    assert sizes.between(30, 49).sum() == expected_middle
    assert sizes[sizes >= 50].between(60, 240).all()


def test_respondents_per_area_as_a_mapping_leaves_other_wijken_out():
    frame = generate_example(
        RIVM, AREAS, gemeente_code=GM, respondents_per_area={"WK099903": 7, "WK099904": 5}
    )
    assert frame["gebied"].map(wijk_of).value_counts().to_dict() == {"WK099903": 7, "WK099904": 5}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"rivm": RIVM.drop(columns="value")}, "rivm: kolom 'value' ontbreekt"),
        ({"areas": AREAS.drop(columns="name")}, "areas: kolom 'name' ontbreekt"),
        ({"gemeente_code": "GM0888"}, "areas: geen wijken (WK-codes) van gemeente 'GM0888'"),
        (
            {"areas": pd.concat([AREAS, AREAS.iloc[[1]]])},
            "areas: wijkcode 'WK099901' staat er meer dan eens in",
        ),
        (
            {"rivm": pd.concat([RIVM, RIVM.iloc[[0]]])},
            "rivm: 'WK099901' heeft meer dan een waarde voor 'eenzaam'",
        ),
        (
            {"respondents_per_area": {"WK012301": 10}},
            "respondents_per_area: 'WK012301' is geen wijk van deze gemeente",
        ),
        (
            {"respondents_per_area": {"WK099901": -1}},
            "respondents_per_area: -1 voor 'WK099901' is geen aantal",
        ),
        ({"respondents_per_area": 0}, "geen enkele wijk krijgt respondenten"),
    ],
)
def test_bad_input_is_refused_naming_what_was_expected(kwargs, message):
    arguments = {"rivm": RIVM, "areas": AREAS, "gemeente_code": GM} | kwargs
    with pytest.raises(ValueError, match=re.escape(message)):
        generate_example(arguments.pop("rivm"), arguments.pop("areas"), **arguments)


# --- the messy example ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def messy() -> pd.DataFrame:
    """Return the messy variant of the default example."""
    return generate_messy_example(RIVM, AREAS, gemeente_code=GM)


def test_messy_has_exactly_the_four_problems_and_is_otherwise_the_clean_frame(example, messy):
    problems = {p["kolom"] + ":" + p["probleem"].split(" ")[0]: p for p in messy.attrs["problemen"]}
    assert len(messy.attrs["problemen"]) == 4
    assert messy.attrs["fictief"] is True
    rows = [p["rij"] - 2 for p in messy.attrs["problemen"]]
    assert rows == sorted(rows) and len(set(rows)) == 4
    untouched = ~messy.index.isin(rows)
    assert_frame_equal(messy[untouched], example[untouched])

    bad = problems["djg11_3:antwoord"]
    assert messy.loc[bad["rij"] - 2, "djg11_3"] == 4 and bad["waarde"] == 4

    missing = problems["gebied:geen"]
    assert messy.loc[missing["rij"] - 2, ["gebied", "postcode"]].isna().all()

    unknown = problems["gebied:onbekende"]
    assert unknown["waarde"] == "WK099999"
    assert messy.loc[unknown["rij"] - 2, "gebied"] == "WK099999"
    assert "WK099999" not in set(AREAS["code"])

    duplicate = problems["respondent_id:komt"]
    ids = messy["respondent_id"]
    assert ids.duplicated().sum() == 1
    assert ids[ids.duplicated(keep=False)].tolist() == [duplicate["waarde"]] * 2


def test_the_clean_example_has_none_of_the_problems(example):
    assert example["respondent_id"].is_unique
    assert example["gebied"].notna().all()
    assert example["gebied"].map(wijk_of).isin(set(AREAS["code"])).all()
    assert example["djg11_3"].isin([1, 2, 3]).all()


# --- files ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small() -> pd.DataFrame:
    """Return a small fictitious example (12 per wijk) for the file round trips."""
    return generate_example(RIVM, AREAS, gemeente_code=GM, respondents_per_area=12, seed=3)


def test_write_example_files_writes_three_named_files(small, tmp_path):
    paths = write_example_files(small, tmp_path)
    assert {k: p.name for k, p in paths.items()} == {
        "csv": "voorbeeld_enquete_fictief.csv",
        "xlsx": "voorbeeld_enquete_fictief.xlsx",
        "sav": "voorbeeld_enquete_fictief.sav",
    }
    assert paths["csv"].read_bytes() == example_bytes(small, "csv")


def test_csv_is_what_dutch_excel_saves_and_round_trips(small, tmp_path):
    data = write_example_files(small, tmp_path)["csv"].read_bytes()
    assert data.startswith(b"\xef\xbb\xbfrespondent_id;gebied;postcode;gewicht;leeftijd;djg11_1;")
    first = data.decode("utf-8-sig").split("\r\n")[1].split(";")
    assert first[3] == f"{small['gewicht'].iloc[0]:.3f}".rstrip("0").replace(".", ",")
    back = pd.read_csv(
        io.BytesIO(data),
        sep=";",
        decimal=",",
        encoding="utf-8-sig",
        dtype={"respondent_id": "str", "gebied": "str", "postcode": "str"},
    )
    assert_frame_equal(back, small, check_dtype=True)


def test_xlsx_has_the_data_and_a_notice_sheet_and_round_trips(small, tmp_path):
    path = write_example_files(small, tmp_path)["xlsx"]
    sheets = pd.read_excel(path, sheet_name=None, header=None)
    assert list(sheets) == ["enquete", "toelichting"]
    notice = sheets["toelichting"][0].tolist()
    assert notice[0] == "Fictief voorbeeld"
    assert notice[1].startswith("Fictief voorbeeld. Deze gegevens zijn verzonnen")
    assert notice[2] == (
        "Gemaakt voor gemeente GM0999 met seed 3, naar de RIVM-schattingen per wijk."
    )
    assert "djg11_3" in notice
    back = pd.read_excel(
        path, sheet_name="enquete", dtype={"respondent_id": "str", "gebied": "str"}
    )
    back["postcode"] = back["postcode"].astype("str").where(back["postcode"].notna())
    assert_frame_equal(back, small, check_dtype=False)
    assert back["djg11_1"].dtype == "int64"


def test_sav_round_trips_with_variable_and_value_labels(small, tmp_path):
    path = write_example_files(small, tmp_path)["sav"]
    back, meta = pyreadstat.read_sav(path)
    assert meta.file_label == "Fictief voorbeeld - geen echte respondenten"
    assert meta.notes[0].startswith("Fictief voorbeeld.")
    assert meta.column_names_to_labels["djg11_3"] == "Ik ervaar een leegte om me heen."
    assert meta.column_names_to_labels["gebied"] == "In welke wijk woont u?"
    assert meta.variable_value_labels["djg11_3"] == {1.0: "ja", 2.0: "min of meer", 3.0: "nee"}
    assert meta.variable_value_labels["eenzaam_zelf"] == {
        1.0: "heel vaak",
        2.0: "vaak",
        3.0: "soms",
        4.0: "zelden",
        5.0: "nooit",
        9.0: "weet niet",
    }
    assert meta.variable_value_labels["vz_huisarts"][2.0] == "kent maar gebruikt niet"
    assert "gewicht" not in meta.variable_value_labels
    back["postcode"] = back["postcode"].replace("", None)
    numeric = EXAMPLE_COLUMNS[4:]
    back[numeric] = back[numeric].astype("int64")
    assert_frame_equal(back, small, check_dtype=False)


def test_sav_bytes_read_back_through_a_file(small, tmp_path):
    path = tmp_path / "download.sav"
    path.write_bytes(example_bytes(small, "sav"))
    back, _ = pyreadstat.read_sav(path)
    assert back["respondent_id"].tolist() == small["respondent_id"].tolist()


def test_the_messy_example_writes_too(messy, tmp_path):
    paths = write_example_files(messy, tmp_path)
    back, _ = pyreadstat.read_sav(paths["sav"])
    assert (back["gebied"] == "").sum() == 1
    assert (back["djg11_3"] == 4).sum() == 1


def test_a_frame_not_marked_fictitious_is_never_written(small, tmp_path):
    real_looking = small.copy()
    real_looking.attrs = {}
    with pytest.raises(ExampleFileError, match=r"frame.attrs\['fictief'\] is niet True"):
        write_example_files(real_looking, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_unknown_format_is_refused(small):
    with pytest.raises(ExampleFileError, match="Onbekend formaat 'json'; verwacht een van csv"):
        example_bytes(small, "json")


def test_wijken_without_a_name_are_named_by_their_code():
    # Issue 10: the RIVM 2020 indeling names no wijk; 305 gemeenten crashed on `.strip()`.
    areas = pd.DataFrame(
        {"code": ["WK168000", "WK168001", "BU16800000"], "name": [None, "Eext", None]},
        dtype="str",
    )
    rivm = pd.DataFrame(
        {"code": ["WK168000", "WK168001"], "indicator": ["eenzaam"] * 2, "value": [41.0, 44.0]}
    )
    frame = generate_example(rivm, areas, gemeente_code="GM1680", respondents_per_area=40)
    assert len(frame) == 80
    named = set(frame["gebied"])
    assert "Eext" in named  # a unique name is still used by some respondents
    assert not any(str(g).lower() in ("nan", "none") for g in named)
    anchors = wijk_anchors(rivm, areas, "GM1680")
    assert anchors["name"].tolist() == ["WK168000", "Eext"]
