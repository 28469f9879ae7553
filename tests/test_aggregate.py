"""Region figures from the figures of their parts: the right weights, never a plain mean."""

import math

import pandas as pd
import pytest

from analysis.aggregate import RULES, aggregate, parts_of, region_column, rule_for
from analysis.catalogue import load_catalogue
from data.snapshot import load_snapshot

KINDS = {
    "inwoners": "registratie",
    "huishoudens": "registratie",
    "pct_65plus": "registratie",
    "pct_eenpersoonshuishoudens": "registratie",
    "bevolkingsdichtheid": "registratie",
    "pct_koopwoningen": "registratie",
    "eenzaam": "modelschatting",
    "enq_eenzaam": "eigen enquête",
}


def long(rows, period=2024, age="alle leeftijden", source="S"):
    """Build a long value table from (indicator, code, value) triples."""
    frame = pd.DataFrame(rows, columns=["indicator", "code", "value"])
    return frame.assign(period=period, age=age, source=source)


#: Two gemeenten: GM1 with 1 000 inhabitants on 2 km², GM2 with 3 000 on 30 km².
CBS = long(
    [
        ("inwoners", "GM1", 1000.0),
        ("inwoners", "GM2", 3000.0),
        ("huishoudens", "GM1", 500.0),
        ("huishoudens", "GM2", 1500.0),
        ("pct_65plus", "GM1", 10.0),
        ("pct_65plus", "GM2", 30.0),
        ("pct_eenpersoonshuishoudens", "GM1", 40.0),
        ("pct_eenpersoonshuishoudens", "GM2", 20.0),
        ("bevolkingsdichtheid", "GM1", 500.0),
        ("bevolkingsdichtheid", "GM2", 100.0),
        ("pct_koopwoningen", "GM1", 60.0),
        ("pct_koopwoningen", "GM2", 50.0),
    ]
)


def region(values, parts=("GM1", "GM2"), weights=None):
    out = aggregate(values, list(parts), KINDS, weights=weights)
    return out.set_index(["indicator", "age"])


@pytest.mark.parametrize(
    ("indicator", "expected", "plain_mean"),
    [
        ("inwoners", 4000.0, 2000.0),  # counts are summed
        ("huishoudens", 2000.0, 1000.0),
        # (0.10 * 1000 + 0.30 * 3000) / 4000 = 1000 / 4000
        ("pct_65plus", 25.0, 20.0),
        # (0.40 * 500 + 0.20 * 1500) / 2000 households = 500 / 2000
        ("pct_eenpersoonshuishoudens", 25.0, 30.0),
        # 4000 inhabitants / (2 + 30) km² of land
        ("bevolkingsdichtheid", 125.0, 300.0),
    ],
)
def test_cbs_region_figures_use_the_right_weights(indicator, expected, plain_mean):
    row = region(CBS).loc[(indicator, "alle leeftijden")]
    assert row["value"] == pytest.approx(expected)
    assert row["value"] != pytest.approx(plain_mean)
    assert row["reason"] == ""
    assert (row["parts"], row["parts_with_value"]) == (2, 2)


def test_a_share_without_its_base_in_the_data_gets_no_region_figure():
    row = region(CBS).loc[("pct_koopwoningen", "alle leeftijden")]
    assert math.isnan(row["value"])
    assert (
        row["reason"]
        == "geen regiocijfer: de basis (het aantal woningen) staat niet in de gegevens"
    )


RIVM = pd.concat(
    [
        long([("eenzaam", "GM1", 40.0), ("eenzaam", "GM2", 50.0)], 2020, "18+", "R"),
        long([("eenzaam", "GM1", 60.0), ("eenzaam", "GM2", 30.0)], 2020, "65+", "R"),
    ]
)
WEIGHTS = pd.DataFrame(
    {
        "code": ["GM1", "GM2", "GM1", "GM2"],
        "age": ["18+", "18+", "65+", "65+"],
        "weight": [300.0, 100.0, 50.0, 150.0],
    }
)


def test_rivm_estimates_are_weighted_by_the_population_of_their_own_age_group():
    out = region(RIVM, weights=WEIGHTS)
    # 18+: (40 * 300 + 50 * 100) / 400 = 17 000 / 400
    assert out.loc[("eenzaam", "18+"), "value"] == pytest.approx(42.5)
    # 65+: (60 * 50 + 30 * 150) / 200 = 7 500 / 200
    assert out.loc[("eenzaam", "65+"), "value"] == pytest.approx(37.5)


def test_a_missing_part_means_no_region_figure_naming_it():
    out = region(CBS, parts=("GM1", "GM2", "GM3"))
    row = out.loc[("inwoners", "alle leeftijden")]
    assert math.isnan(row["value"])
    assert row["reason"] == "geen regiocijfer: 1 van de 3 gebieden zonder cijfer (o.a. GM3)"
    assert (row["parts"], row["parts_with_value"]) == (3, 2)


def test_a_missing_weight_means_no_region_figure_naming_the_area():
    out = region(RIVM, weights=WEIGHTS[WEIGHTS["code"] != "GM2"])
    row = out.loc[("eenzaam", "18+")]
    assert math.isnan(row["value"])
    assert (
        row["reason"] == "geen regiocijfer: geen gewicht (18+) voor 1 van de 2 gebieden (o.a. GM2)"
    )


def test_without_weights_a_model_estimate_gets_no_region_figure():
    row = region(RIVM).loc[("eenzaam", "18+")]
    assert math.isnan(row["value"])
    assert "bevolkingsgewichten" in row["reason"]


def test_own_survey_figures_never_get_a_region_figure():
    out = region(long([("enq_eenzaam", "GM1", 30.0), ("enq_eenzaam", "GM2", 40.0)]))
    assert math.isnan(out.loc[("enq_eenzaam", "alle leeftijden"), "value"])
    assert rule_for("enq_eenzaam", "eigen enquête").kind == "none"


def test_every_cbs_indicator_of_the_catalogue_has_a_stated_rule():
    catalogue = load_catalogue()
    registrations = [i for i in catalogue.ids() if catalogue.indicator(i).kind == "registratie"]
    assert sorted(set(registrations) - set(RULES)) == []
    for rule in RULES.values():
        assert rule.kind in ("sum", "weighted", "none") and rule.why


def test_parts_follow_the_indeling_of_the_figures():
    membership = pd.DataFrame(
        {
            "gemeente_code": ["GM0398", "GM0416", "GM1980"],
            "indeling": [2020, 2020, 2024],
            "ggd_code": "GG2707",
        }
    )
    assert parts_of(membership, "GG2707", 2020) == ["GM0398", "GM0416"]
    assert parts_of(membership, "GG2707", 2025) == ["GM1980"]
    assert parts_of(membership, "GG9999", 2024) == []


def test_region_column_is_aligned_with_the_figure_rows():
    figures = pd.DataFrame(
        {
            "indicator": ["pct_65plus", "eenzaam", "inwoners"],
            "period": [2024, 2020, 2023],
            "age": ["alle leeftijden", "65+", "alle leeftijden"],
            "source": ["S", "R", "S"],
        },
        index=[7, 8, 9],
    )
    membership = pd.DataFrame(
        {"gemeente_code": ["GM1", "GM2"], "indeling": 2020, "ggd_code": "GG1"}
    )
    out = region_column(
        figures,
        pd.concat([CBS, RIVM]),
        membership,
        "GG1",
        kinds=KINDS,
        indelingen={"S": 2024, "R": 2020},
        weights=WEIGHTS,
    )
    assert out.index.tolist() == [7, 8, 9]
    assert out["value"].iloc[:2].tolist() == pytest.approx([25.0, 37.5])
    assert math.isnan(out["value"].iloc[2])  # no 2023 figures at all
    assert out["reason"].iloc[2] == "geen regiocijfer: geen cijfers van de gemeenten"


def test_weighted_gemeenten_reproduce_the_published_national_rivm_figures():
    # RIVM publishes the country (NL01) next to the 355 gemeenten of 2020: weighting the
    # gemeenten with the snapshot's population weights must give the published figure back
    # (up to the rounding of the gemeente figures to one decimal).
    snap = load_snapshot()
    catalogue = load_catalogue()
    kinds = {i: catalogue.indicator(i).kind for i in catalogue.ids()}
    gemeenten = snap.ggd.loc[snap.ggd["indeling"] == 2020, "gemeente_code"].tolist()
    assert len(gemeenten) == 355
    rivm = snap.values[snap.values["source"] == "50090NED"]
    national = aggregate(
        rivm[rivm["code"].isin(gemeenten)], gemeenten, kinds, weights=snap.weights
    ).dropna(subset=["value"])
    published = rivm[rivm["code"] == "NL01"].astype(
        {"indicator": "str", "age": "str", "source": "str", "period": "int64"}
    )
    both = national.merge(published, on=["indicator", "period", "age", "source"])
    assert len(both) == 44  # every published national figure with values for all gemeenten
    assert (both["value_x"] - both["value_y"]).abs().max() < 0.1
