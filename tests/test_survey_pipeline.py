"""The survey pipeline on hand-made surveys: weights, duplicates, row numbers."""

import pandas as pd
import pytest

from analysis.survey import pipeline as survey_pipeline
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
    # One line per column and value, not per row (issue 11, item 2).
    assert result.problems == [
        "e.csv, rij 5 en 6 (2 rijen), kolom 'respondent_id': 'a' komt meer dan eens voor "
        "(verwacht: uniek nummer per respondent); deze rijen tellen niet mee",
    ]
    assert value(result, "enq_moeite_rondkomen", "WK008010")["n"] == 38


def test_answer_errors_name_the_file_row_from_row_numbers():
    frame = pd.DataFrame({"gebied": ["WK008010"] * 3, "rondkomen": [1, "misschien", 3]})
    result = run(frame, row_numbers=[10, 11, 12])
    assert result.problems == [
        "e.csv, rij 11, kolom 'rondkomen': 'misschien' is geen geldig antwoord (verwacht: "
        "grote moeite, enige moeite, geen moeite)"
    ]


# --- issue 11: one bad answer never moves a figure ----------------------------------------------


def test_an_invalid_answer_is_missing_for_that_question_only():
    # 40 respondents in Binnenstad; 30 give an answer to rondkomen that is not in the codebook.
    # They stay in mantelzorg (20 of 40 ja = 50 %); rondkomen counts only the 10 valid answers.
    frame = pd.DataFrame(
        {
            "gebied": ["WK008010"] * 40,
            "rondkomen": ["Ja, grote moeite"] * 5 + ["Nee, geen moeite"] * 5 + ["soms wel"] * 30,
            "mantelzorg": ["ja", "nee"] * 20,
        }
    )
    result = run(frame, headers={"rondkomen": "Moeite met rondkomen?", "mantelzorg": "MZ"})
    assert value(result, "enq_mantelzorg", "WK008010")[["n", "value"]].tolist() == [40, 50.0]
    rondkomen = value(result, "enq_moeite_rondkomen", "totaal")
    assert (rondkomen["n"], rondkomen["status"]) == (10, "onderdrukt")  # 10 valid answers
    assert result.used == 40
    assert result.problems == [
        "e.csv, rij 12, 13, 14, 15, 16 en nog 25 (30 rijen), kolom 'Moeite met rondkomen?': "
        "'soms wel' is geen geldig antwoord (verwacht: grote moeite, enige moeite, geen moeite)"
    ]
    assert result.notes[0].startswith(
        "Moeite met rondkomen: 30 respondenten met een ongeldig antwoord (telt als ontbrekend "
        "voor die vraag); 30 daarvan zonder score op deze schaal."
    )


def test_the_scale_rule_decides_what_an_invalid_item_does_to_the_score():
    # 6-item scale: one invalid item is allowed (scored on 5), two are not.
    one_bad = ["misschien", "nee", "nee", "ja", "nee", "ja"]
    two_bad = ["misschien", "??", "nee", "ja", "nee", "ja"]
    frame = pd.DataFrame(
        [one_bad] * 20 + [two_bad] * 20, columns=[f"djg6_{i}" for i in range(1, 7)]
    ).assign(gebied="WK008010")
    result = run(frame, sheet="Data")
    total = value(result, "enq_eenzaam_djg6", "totaal")
    assert total["n"] == 20  # only the rows with one invalid item keep a score
    assert result.problems[0].startswith("e.csv, tabblad 'Data', rij 2, 3, 4, 5, 6 en nog 35")
    assert "40 respondenten met een ongeldig antwoord" in result.notes[0]
    assert "20 daarvan zonder score op deze schaal" in result.notes[0]


def test_the_analysts_answer_choices_decide_and_a_marked_answer_is_missing():
    frame = pd.DataFrame(
        {"gebied": ["WK008010"] * 40, "rondkomen": ["Ja"] * 10 + ["Nee"] * 20 + ["wn"] * 10}
    )
    result = run(frame, answers={"rondkomen": {"Ja": 2, "wn": None}})
    assert result.problems == []
    row = value(result, "enq_moeite_rondkomen", "totaal")
    assert (row["n"], round(row["value"], 6)) == (30, round(100 / 3, 6))


def test_spss_labels_are_shown_for_an_invalid_code():
    frame = pd.DataFrame({"gebied": ["WK008010"] * 3, "rondkomen": [1.0, 8.0, 8.0]})
    labels = {"rondkomen": {1.0: "grote moeite", 8.0: "Wil ik niet vertellen (anders)"}}
    result = run(frame, value_labels=labels, row_numbers=[1, 2, 3])
    assert result.problems == [
        "e.csv, rij 2 en 3 (2 rijen), kolom 'rondkomen': 'Wil ik niet vertellen (anders)' "
        "(code '8') is geen geldig antwoord (verwacht: grote moeite, enige moeite, geen moeite)"
    ]


def test_respondents_placed_in_another_gemeente_are_listed_never_counted():
    # 40 in Binnenstad (10 with moeite), 40 with a Utrecht wijk code (all with moeite):
    # the gemeente total is Binnenstad alone, 25 %; the 40 are listed as another gemeente.
    frame = pd.DataFrame(
        {
            "gebied": ["WK008010"] * 40 + ["WK034401"] * 40,
            "rondkomen": [1] * 10 + [3] * 30 + [1] * 40,
        }
    )
    result = run(frame)
    total = value(result, "enq_moeite_rondkomen", "totaal")
    assert (total["n"], total["value"]) == (40, 25.0)
    assert result.unmatched[["value", "reason", "count"]].values.tolist() == [
        ["WK034401", "andere gemeente", 40]
    ]


def test_area_digits_are_read_in_the_context_of_the_gemeente():
    frame = pd.DataFrame({"gebied": [8010] * 30 + ["8011"] * 30, "rondkomen": [3] * 60})
    result = run(frame)
    assert result.match_counts["code"] == 60
    assert value(result, "enq_moeite_rondkomen", "WK008011")["n"] == 30


def test_spss_area_labels_decide_over_a_conflicting_number():
    # The file numbers its own areas: 10 = "Oud-Oost", 11 = "Binnenstad".
    frame = pd.DataFrame({"gebied": [10.0] * 30 + [11.0] * 40, "rondkomen": [1] * 30 + [3] * 40})
    labels = {"gebied": {10.0: "Oud-Oost", 11.0: "Binnenstad"}}
    result = run(frame, value_labels=labels)
    assert value(result, "enq_moeite_rondkomen", "WK008011")[["n", "value"]].tolist() == [30, 100.0]
    assert value(result, "enq_moeite_rondkomen", "WK008010")[["n", "value"]].tolist() == [40, 0.0]
    assert any("het label beslist (30 rijen)" in n for n in result.notes)


def test_the_survey_download_has_one_decimal_n_and_n_eff_and_headers_that_say_what():
    from analysis.catalogue import load_catalogue
    from analysis.survey import stats
    from analysis.survey.pipeline import download_frame, survey_source
    from analysis.views.exports import export_meta, table_to_csv

    # 40 in Binnenstad: 13 of 40 with moeite (32.5 %), weights 1 and 2 alternating.
    frame = pd.DataFrame(
        {
            "gebied": ["WK008010"] * 40,
            "gewicht": [1.0, 2.0] * 20,
            "rondkomen": [1] * 13 + [3] * 27,
        }
    )
    result = run(frame)
    source = survey_source("e.csv", 2026, 2025, fictitious=False)
    part = download_frame(result, "enq_moeite_rondkomen", {"WK008010": "Binnenstad"}, "Leeuwarden")
    table = part.assign(source=source.id, period=2026)
    cat = load_catalogue().with_survey(result.indicators, source)
    meta = export_meta(
        cat,
        table,
        title="t",
        built_on="2026-11-30",
        suppression_rule=stats.suppression_rule(),
        column_labels=survey_pipeline.DOWNLOAD_LABELS,
    )
    lines = table_to_csv(table, meta).decode("utf-8-sig").splitlines()
    header = lines[0].split(";")
    assert header[:8] == [
        "Gebied",
        "Code",
        "Indicator-id",
        "Percentage (%)",
        "95%-betrouwbaarheidsinterval, ondergrens (%)",
        "95%-betrouwbaarheidsinterval, bovengrens (%)",
        "Aantal antwoorden (n)",
        "Effectief aantal antwoorden na weging (n_eff, Kish)",
    ]
    row = lines[1].split(";")
    # Hand computation: odd rows weigh 1, even rows 2; rows 1..13 moeite: 7 × 1 + 6 × 2 = 19 of
    # Σw 60 → 31.666… %; n_eff = 60² / (20 × 1 + 20 × 4) = 36.0.
    assert row[0:2] == ["Binnenstad", "WK008010"]
    assert row[3] == "31,7" and row[6] == "40" and row[7] == "36,0"
    assert len(row[4].split(",")[1]) == 1 and len(row[5].split(",")[1]) == 1
