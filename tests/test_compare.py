import json
import math

import pandas as pd
import pytest

from analysis.catalogue import Catalogue, Indicator, load_catalogue
from analysis.views.compare import (
    DESCRIPTION_COLUMNS,
    HIGHLIGHT,
    OTHERS,
    SURVEY_COMPARE_COLUMNS,
    compare_table,
    ranking_chart,
    scatter_chart,
    survey_compare_table,
)
from data.snapshot import load_snapshot

NAN = math.nan
BASE = load_catalogue()
CATALOGUE = Catalogue(
    indicators=(
        *BASE.indicators,
        Indicator(
            id="eenzaam_enquete",
            label="Eenzaam (eigen enquête)",
            definition="Score 3 of hoger op de De Jong Gierveld-schaal, eigen enquête.",
            unit="%",
            decimals=0,
            higher_is_better="lager",
            kind="eigen enquête",
            theme="Hoe gaat het met de mensen",
        ),
    ),
    sources=BASE.sources,
)


def values(*rows):
    """Build a long value table from (indicator, code, period, age, source, value) rows."""
    return pd.DataFrame(rows, columns=["indicator", "code", "period", "age", "source", "value"])


VALUES = values(
    ("eenzaam", "WK000101", 2020, "18+", "50090NED", 53.3),
    ("eenzaam", "WK000102", 2020, "18+", "50090NED", 40.0),
    ("eenzaam", "WK000103", 2020, "18+", "50090NED", 47.6),
    ("eenzaam", "GM0001", 2020, "18+", "50090NED", 45.7),
    ("eenzaam", "NL01", 2020, "18+", "50090NED", 47.0),
    ("moeite_rondkomen", "WK000101", 2020, "18+", "50090NED", 23.0),
    ("moeite_rondkomen", "WK000102", 2020, "18+", "50090NED", 10.2),
    ("moeite_rondkomen", "GM0001", 2020, "18+", "50090NED", 16.0),
    ("pct_koopwoningen", "WK000101", 2025, "alle leeftijden", "86165NED", 24.4),
    ("pct_koopwoningen", "WK000102", 2025, "alle leeftijden", "86165NED", 70.0),
    ("pct_koopwoningen", "GM0001", 2025, "alle leeftijden", "86165NED", 51.0),
    ("inwoners", "WK000101", 2025, "alle leeftijden", "86165NED", 3640.0),
    ("inwoners", "WK000102", 2025, "alle leeftijden", "86165NED", 8000.0),
    ("inwoners", "GM0001", 2025, "alle leeftijden", "86165NED", 11640.0),
)
REGIONS = pd.DataFrame(
    {
        "code": ["NL01", "GM0001", "WK000101", "WK000102", "WK000103", "WK000109"],
        "name": ["Nederland", "Stad", "Noord", "Zuid", "Oost", "Oud-West"],
        "level": ["land", "gemeente", "wijk", "wijk", "wijk", "wijk"],
        "gemeente_code": [None, "GM0001", "GM0001", "GM0001", "GM0001", "GM0001"],
        "gemeente_name": ["Nederland", "Stad", "Stad", "Stad", "Stad", "Stad"],
        "indeling": [2020, 2020, 2020, 2020, 2020, 2016],
    }
)


@pytest.fixture(scope="module")
def snapshot():
    return load_snapshot()


def test_compare_table_puts_areas_gemeente_and_country_side_by_side():
    table = compare_table(
        VALUES, REGIONS, CATALOGUE, ["WK000101", "WK000102"], ["eenzaam", "pct_koopwoningen"]
    )
    assert list(table.columns) == [
        *DESCRIPTION_COLUMNS,
        "Noord",
        "Zuid",
        "Stad (gemeente)",
        "Nederland",
    ]
    expected = pd.DataFrame(
        {
            "indicator": ["pct_koopwoningen", "eenzaam"],  # catalogue order
            "period": [2025, 2020],
            "Noord": [24.0, 53.0],
            "Zuid": [70.0, 40.0],
            "Stad (gemeente)": [51.0, 46.0],
            "Nederland": [NAN, 47.0],
        }
    )
    pd.testing.assert_frame_equal(table[expected.columns], expected, check_dtype=False)


def test_compare_table_tells_areas_with_the_same_name_apart():
    regions = REGIONS.assign(name=REGIONS["name"].replace("Zuid", "Noord"))
    table = compare_table(VALUES, regions, CATALOGUE, ["WK000101", "WK000102"], ["eenzaam"])
    assert list(table.columns[len(DESCRIPTION_COLUMNS) :]) == [
        "Noord",
        "Noord (WK000102)",
        "Stad (gemeente)",
        "Nederland",
    ]


@pytest.mark.parametrize(
    ("codes", "indicators", "message"),
    [
        (["WK000101"], ["eenzaam"], "Kies 2 tot 6 gebieden om te vergelijken; gekozen: 1"),
        (
            [f"WK00010{i}" for i in range(7)],
            ["eenzaam"],
            "Kies 2 tot 6 gebieden om te vergelijken; gekozen: 7",
        ),
        (
            ["WK000101", "WK000101"],
            ["eenzaam"],
            "Gebied WK000101 is twee keer gekozen; kies verschillende gebieden",
        ),
        (["WK000101", "WK000102"], [], "Kies minstens één indicator om te vergelijken"),
        (
            ["WK000101", "WK000102"],
            ["eenzaam_enquete"],
            "Indicator 'eenzaam_enquete' is een enquêtecijfer: vergelijk die met "
            "survey_compare_table, zodat n en betrouwbaarheidsinterval erbij staan",
        ),
    ],
)
def test_compare_table_errors(codes, indicators, message):
    with pytest.raises(ValueError) as err:
        compare_table(VALUES, REGIONS, CATALOGUE, codes, indicators)
    assert str(err.value) == message


def test_survey_compare_table_always_shows_n_and_never_a_suppressed_number():
    survey = pd.DataFrame(
        {
            "area": ["WK000101", "WK000102", "GM0001"],
            "indicator": ["eenzaam_enquete"] * 3,
            "n": [120, 7, 1450],
            "value": [52.4, 80.0, 41.2],
            "ci_low": [43.1, 40.0, 38.5],
            "ci_high": [61.6, 97.0, 43.6],
            "status": ["", "onderdrukt", ""],
            "reason": ["", "minder dan 10 antwoorden", ""],
            "sig_vs_gemeente": ["hoger", "", ""],
        }
    )
    table = survey_compare_table(survey, REGIONS, CATALOGUE, ["WK000101", "WK000102", "GM0001"])
    assert list(table.columns) == list(SURVEY_COMPARE_COLUMNS)
    expected = pd.DataFrame(
        {
            "name": ["Noord", "Zuid", "Stad"],
            "value": [52.0, NAN, 41.0],
            "n": [120.0, 7.0, 1450.0],
            "ci_low": [43.0, NAN, 38.0],
            "ci_high": [62.0, NAN, 44.0],
            "reason": ["", "minder dan 10 antwoorden", ""],
            "sig_vs_gemeente": ["hoger", "", ""],
        }
    )
    pd.testing.assert_frame_equal(table[expected.columns], expected)


def test_survey_compare_table_refuses_a_rivm_indicator():
    survey = pd.DataFrame(
        {
            "area": ["WK000101"],
            "indicator": ["eenzaam"],
            "n": [1],
            "value": [1.0],
            "ci_low": [1.0],
            "ci_high": [1.0],
            "status": [""],
        }
    )
    with pytest.raises(ValueError) as err:
        survey_compare_table(survey, REGIONS, CATALOGUE, ["WK000101"])
    assert str(err.value) == (
        "Indicator 'eenzaam' is een modelschatting, geen enquêtecijfer; gebruik compare_table"
    )


def figure(chart):
    return json.loads(chart.figure.to_json())


def test_scatter_chart_highlights_and_labels_the_chosen_wijken():
    chart = scatter_chart(
        VALUES, REGIONS, CATALOGUE, "moeite_rondkomen", "eenzaam", "GM0001", ["WK000101"]
    )
    fig = figure(chart)
    others, chosen = fig["data"]
    assert (others["name"], others["x"], others["y"], others["text"]) == (
        "Andere wijken",
        [10.0],
        [40.0],
        ["Zuid"],
    )
    assert (chosen["x"], chosen["y"], chosen["text"]) == ([23.0], [53.0], ["Noord"])
    assert chosen["mode"] == "markers+text" and chosen["marker"]["color"] == HIGHLIGHT
    # the gemeente's values as dashed reference lines
    vertical, horizontal = fig["layout"]["shapes"]
    assert (vertical["x0"], vertical["x1"], horizontal["y0"], horizontal["y1"]) == (16, 16, 46, 46)
    assert fig["layout"]["title"]["text"] == (
        "Eenzaam (RIVM-schatting) en Moeite met rondkomen (RIVM-schatting): wijken in Stad"
    )
    assert fig["layout"]["xaxis"]["title"]["text"] == "Moeite met rondkomen (RIVM-schatting) (%)"
    assert "2 wijken met beide cijfers." in chart.caption  # Oost has no moeite_rondkomen
    assert "verschillende gebiedsindelingen" not in chart.caption


def test_scatter_chart_warns_about_two_indelingen_and_missing_chosen_areas():
    chart = scatter_chart(
        VALUES, REGIONS, CATALOGUE, "pct_koopwoningen", "eenzaam", "GM0001", ["WK000103"]
    )
    assert (
        "Let op: de twee cijfers volgen verschillende gebiedsindelingen (2020 en 2025); een "
        "wijkcode kan in die jaren een ander gebied zijn."
    ) in chart.caption
    assert "Zonder beide cijfers, dus niet in de figuur: Oost." in chart.caption


def test_scatter_chart_refuses_survey_indicators():
    with pytest.raises(ValueError, match="'eenzaam_enquete' is een enquêtecijfer"):
        scatter_chart(VALUES, REGIONS, CATALOGUE, "eenzaam_enquete", "eenzaam", "GM0001")


def test_ranking_chart_sorts_highlights_and_draws_the_gemeente():
    chart = ranking_chart(VALUES, REGIONS, CATALOGUE, "eenzaam", "GM0001", ["WK000103"])
    fig = figure(chart)
    bars = fig["data"][0]
    assert bars["y"] == ["Noord", "Oost", "Zuid"]
    assert bars["x"] == [53.0, 48.0, 40.0]
    assert bars["marker"]["color"] == [OTHERS, HIGHLIGHT, OTHERS]
    assert [t.replace("\u00a0", " ") for t in bars["text"]] == ["53 %", "48 %", "40 %"]
    assert fig["layout"]["shapes"][0]["x0"] == 46.0
    assert fig["layout"]["annotations"][0]["text"].replace("\u00a0", " ") == "Stad: 46 %"
    assert fig["layout"]["title"]["text"] == "Eenzaam (RIVM-schatting): wijken in Stad (2020)"
    # Oud-West (indeling 2016) is no wijk of the source's indeling 2020: not "zonder cijfer"
    assert "Oud-West" not in chart.caption
    assert "kleine verschillen tussen wijken zeggen weinig" in chart.caption


def test_ranking_chart_of_a_count_has_no_gemeente_line_and_names_areas_without_figure():
    regions = REGIONS.assign(indeling=2025)
    chart = ranking_chart(VALUES, regions, CATALOGUE, "inwoners", "GM0001", ["WK000101"])
    fig = figure(chart)
    assert fig["data"][0]["y"] == ["Zuid", "Noord"]
    assert not fig["layout"].get("shapes")
    assert "Zonder cijfer: Oost en Oud-West." in chart.caption


def test_ranking_chart_without_any_figure_is_an_error():
    with pytest.raises(ValueError) as err:
        ranking_chart(VALUES, REGIONS, CATALOGUE, "mantelzorger", "GM0001")
    assert (
        str(err.value)
        == "Geen cijfers over 'Mantelzorgers (RIVM-schatting)' voor de wijken van Stad"
    )


def test_leeuwarden_ranking_uses_the_wijken_of_the_source_indeling(snapshot):
    chart = ranking_chart(
        snapshot.values, snapshot.regions, CATALOGUE, "eenzaam", "GM0080", ["WK008061"]
    )
    bars = figure(chart)["data"][0]
    assert len(bars["y"]) == 22  # the 22 wijken of indeling 2020, not the 40 of 2016
    assert bars["marker"]["color"][bars["y"].index("Vrijheidswijk")] == HIGHLIGHT
    assert "Zonder cijfer" not in chart.caption
