"""The survey pipeline on hand-made surveys: weights, duplicates, row numbers."""

import pandas as pd
import pytest

from analysis.survey.pipeline import analyse_survey

REGIONS = pd.DataFrame(
    {
        "code": ["WK008010", "WK008011"],
        "name": ["Binnenstad", "Oud-Oost"],
        "level": "wijk",
        "gemeente_code": "GM0080",
    }
)


def run(frame, **kwargs):
    return analyse_survey(frame, REGIONS, gemeente_code="GM0080", file_name="e.csv", **kwargs)


def value(result, indicator, area):
    est = result.estimates
    return est[(est["indicator"] == indicator) & (est["area"] == area)].iloc[0]


def test_empty_weight_column_means_unweighted():
    frame = pd.DataFrame(
        {"gebied": ["WK008010"] * 40, "gewicht": [None] * 40, "rondkomen": [1] * 10 + [3] * 30}
    )
    result = run(frame)
    assert result.problems == []
    assert value(result, "enq_moeite_rondkomen", "WK008010")["value"] == 25.0


@pytest.mark.parametrize(
    ("weight", "message"),
    [
        (None, "e.csv, rij 2, kolom 'gewicht': leeg is geen geldig gewicht"),
        ("-1", "e.csv, rij 2, kolom 'gewicht': '-1' is geen geldig gewicht"),
        ("abc", "e.csv, rij 2, kolom 'gewicht': 'abc' is geen geldig gewicht"),
    ],
)
def test_a_bad_weight_in_a_weighted_file_is_listed_and_the_row_left_out(weight, message):
    frame = pd.DataFrame(
        {"gebied": ["WK008010"] * 40, "gewicht": [weight] + ["1,5"] * 39, "rondkomen": [3] * 40}
    )
    result = run(frame)
    assert result.problems[0].startswith(message)
    assert value(result, "enq_moeite_rondkomen", "WK008010")["n"] == 39


def test_weights_change_the_estimate_not_n():
    # 20 answers "grote moeite" with weight 3, 20 "geen moeite" with weight 1: 75 % weighted.
    frame = pd.DataFrame(
        {
            "gebied": ["WK008010"] * 40,
            "gewicht": [3.0] * 20 + [1.0] * 20,
            "rondkomen": [1] * 20 + [3] * 20,
        }
    )
    row = value(run(frame), "enq_moeite_rondkomen", "WK008010")
    assert row["value"] == pytest.approx(75.0)
    assert row["n"] == 40
    assert row["n_eff"] == pytest.approx((80**2) / (20 * 9 + 20 * 1))  # Kish: 32.0


def test_duplicate_respondent_ids_are_listed_with_their_rows():
    frame = pd.DataFrame(
        {
            "respondent_id": ["a", "a"] + [str(i) for i in range(38)],
            "gebied": ["WK008010"] * 40,
            "rondkomen": [3] * 40,
        }
    )
    result = run(frame, row_numbers=[i + 5 for i in range(40)])
    assert result.problems[:2] == [
        "e.csv, rij 5, kolom 'respondent_id': 'a' komt meer dan eens voor (verwacht: uniek "
        "nummer per respondent); deze rijen tellen niet mee",
        "e.csv, rij 6, kolom 'respondent_id': 'a' komt meer dan eens voor (verwacht: uniek "
        "nummer per respondent); deze rijen tellen niet mee",
    ]
    assert value(result, "enq_moeite_rondkomen", "WK008010")["n"] == 38


def test_answer_errors_name_the_file_row_from_row_numbers():
    frame = pd.DataFrame({"gebied": ["WK008010"] * 3, "rondkomen": [1, "misschien", 3]})
    result = run(frame, row_numbers=[10, 11, 12])
    assert result.problems == [
        "e.csv, rij 11, kolom 'rondkomen': 'misschien' is geen geldig antwoord (verwacht: "
        "grote moeite, enige moeite, geen moeite)"
    ]
