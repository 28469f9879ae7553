import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.survey.stats import (
    ESTIMATE_COLUMNS,
    TOTAL_AREA,
    Z95,
    Estimate,
    differs_from_reference,
    differs_from_total,
    estimate,
    estimates_by_area,
    kish_n_eff,
    suppress,
    suppressed_estimates,
    wilson_interval,
)

NAN = math.nan


# ------------------------------------------------------------------------------------------
# Wilson, Kish, weighted proportion
# ------------------------------------------------------------------------------------------


def test_wilson_interval_by_hand_for_p_03_n_50():
    # z = 1.959964, z² = 3.841459
    # denominator = 1 + z²/n = 1 + 0.0768292 = 1.0768292
    # centre = (p + z²/2n) / denominator = (0.3 + 0.0384146) / 1.0768292 = 0.3142695
    # half = z / denominator · √(p(1−p)/n + z²/4n²)
    #      = 1.959964 / 1.0768292 · √(0.0042 + 0.000384146) = 1.820123 · 0.0677063 = 0.1232340
    # interval = 0.3142695 ∓ 0.1232340 = (0.1910355, 0.4375035)
    low, high = wilson_interval(0.3, 50)
    assert low == pytest.approx(0.1910355, abs=1e-7)
    assert high == pytest.approx(0.4375035, abs=1e-7)
    assert Z95 == pytest.approx(1.959964, abs=1e-6)


@pytest.mark.parametrize(
    ("p", "n", "expected"),
    [
        # p = 0: low is exactly 0; high = z²/n / (1 + z²/n) = 0.384146 / 1.384146 = 0.2775328
        (0.0, 10, (0.0, 0.2775328)),
        (1.0, 10, (0.7224672, 1.0)),
        (0.5, 0, (NAN, NAN)),
        (NAN, 10, (NAN, NAN)),
    ],
)
def test_wilson_interval_edges(p, n, expected):
    got = wilson_interval(p, n)
    for g, e in zip(got, expected, strict=True):
        assert (math.isnan(g) and math.isnan(e)) or g == pytest.approx(e, abs=1e-7)


@pytest.mark.parametrize(
    ("weights", "expected"),
    [
        ([1, 1, 2, 2], 3.6),  # (1+1+2+2)² / (1+1+4+4) = 36 / 10
        ([2, 2, 2], 3.0),  # equal weights: n_eff = n
        ([1, 3], 1.6),  # 16 / 10
        ([], 0.0),
    ],
)
def test_kish_n_eff(weights, expected):
    assert kish_n_eff(np.array(weights, dtype=float)) == pytest.approx(expected)


def test_weighted_proportion_by_hand():
    # Σw·y = 1 + 1 = 2, Σw = 6 → 33.3 %; n = 4; n_eff = 3.6; Wilson on 3.6.
    est = estimate(pd.Series([1.0, 1.0, 0.0, 0.0]), pd.Series([1.0, 1.0, 2.0, 2.0]))
    assert (est.n, est.n_eff) == (4, pytest.approx(3.6))
    assert est.value == pytest.approx(100 / 3)
    low, high = wilson_interval(1 / 3, 3.6)
    assert (est.ci_low, est.ci_high) == (pytest.approx(100 * low), pytest.approx(100 * high))


def test_unweighted_estimate_is_the_plain_share_with_wilson_on_n():
    est = estimate(pd.Series([1.0] * 15 + [0.0] * 35))  # 30 % of 50
    assert est == Estimate(
        50,
        50.0,
        pytest.approx(30.0),
        pytest.approx(19.10355, abs=1e-5),
        pytest.approx(43.75035, abs=1e-5),
    )


def test_missing_answers_are_left_out_with_their_weights():
    # The NaN respondent's weight (even 0) is neither used nor checked.
    est = estimate(pd.Series([1.0, NAN, 0.0]), pd.Series([1.0, 0.0, 1.0]))
    assert (est.n, est.n_eff, est.value) == (2, 2.0, 50.0)


def test_nobody_answered():
    est = estimate(pd.Series([NAN, NAN]), pd.Series([1.0, 1.0]))
    assert est.n == 0 and est.n_eff == 0.0
    assert math.isnan(est.value) and math.isnan(est.ci_low) and math.isnan(est.ci_high)


@pytest.mark.parametrize(
    ("y", "w", "message"),
    [
        ([1.0, 2.0], None, "indicator van respondent 1: 2.0 is geen 0 of 1 (of leeg)"),
        ([1.0, 0.0], [1.0, 0.0], "gewicht van respondent 1: 0.0 is geen getal groter dan 0"),
        ([1.0, 0.0], [-1.0, 1.0], "gewicht van respondent 0: -1.0 is geen getal groter dan 0"),
        ([1.0, 0.0], [1.0, NAN], "gewicht van respondent 1: nan is geen getal groter dan 0"),
    ],
)
def test_estimate_rejects_bad_values_and_weights(y, w, message):
    with pytest.raises(ValueError) as info:
        estimate(pd.Series(y), None if w is None else pd.Series(w))
    assert str(info.value) == message


# ------------------------------------------------------------------------------------------
# Significance
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("area", "rest", "expected"),
    [
        # 40 % of 100 vs 25 % of 400: pooled p = (40+100)/500 = 0.28,
        # se = √(0.28·0.72·(1/100+1/400)) = √0.00252 = 0.0502, z = 0.15/0.0502 = 2.99 → hoger
        ((100, 40.0), (400, 25.0), "hoger"),
        # 30 % vs 25 %: pooled 0.26, se = √(0.26·0.74·0.0125) = 0.0490, z = 1.02 → no
        ((100, 30.0), (400, 25.0), ""),
        # 15 % vs 25 %: pooled 0.23, se = √(0.23·0.77·0.0125) = 0.0470, z = −2.13 → lager
        ((100, 15.0), (400, 25.0), "lager"),
        ((100, 0.0), (400, 0.0), ""),  # se = 0
        ((0, NAN), (400, 25.0), ""),
    ],
)
def test_differs_from_total(area, rest, expected):
    a = Estimate(area[0], float(area[0]), area[1], NAN, NAN)
    r = Estimate(rest[0], float(rest[0]), rest[1], NAN, NAN)
    assert differs_from_total(a, r) == expected


def test_area_is_tested_against_the_rest_not_the_total():
    # A: 36 of 100 (36 %); B: 100 of 400 (25 %); total 136/500 = 27.2 %.
    # A vs rest (= B): pooled 0.272, se = √(0.272·0.728·(1/100+1/400)) = 0.04975,
    #   z = 0.11/0.04975 = 2.21 → hoger.
    # A vs the total that contains A would give z = 0.088/√(0.272·0.728·(1/100+1/500)) = 1.81:
    #   not significant — the overlap hides the difference.
    scored = pd.DataFrame(
        {
            "area": ["A"] * 100 + ["B"] * 400,
            "x": [1.0] * 36 + [0.0] * 64 + [1.0] * 100 + [0.0] * 300,
        }
    )
    out = estimates_by_area(scored, ["x"], weight_col=None)
    assert out["sig_vs_gemeente"].tolist() == ["hoger", "lager", ""]


@pytest.mark.parametrize(
    ("reference", "expected"),
    [(15.0, "hoger"), (50.0, "lager"), (30.0, ""), (19.1, ""), (43.75, ""), (NAN, "")],
)
def test_differs_from_reference_uses_the_areas_interval(reference, expected):
    est = Estimate(50, 50.0, 30.0, 19.1, 43.75)  # the Wilson interval for 30 % of 50, rounded
    assert differs_from_reference(est, reference) == expected


# ------------------------------------------------------------------------------------------
# estimates_by_area
# ------------------------------------------------------------------------------------------


def _scored():
    """Return two areas and one respondent without an area, weighted."""
    return pd.DataFrame(
        {
            "area": ["A", "A", "A", "B", "B", None],
            "eenzaam": [1.0, 0.0, NAN, 1.0, 1.0, 0.0],
            "gewicht": [1.0, 3.0, 1.0, 1.0, 1.0, 2.0],
        }
    )


def test_estimates_by_area_rows_columns_and_total():
    out = estimates_by_area(_scored(), ["eenzaam"])
    assert list(out.columns) == list(ESTIMATE_COLUMNS)
    # A: y 1, 0 with w 1, 3 → 25 %, n 2, n_eff 16/10; B: 100 %, n 2;
    # total: Σwy = 1+1+1 = 3, Σw = 1+3+1+1+2 = 8 → 37.5 %, n 5 (the area-less respondent too).
    assert out[["area", "n", "n_eff", "value"]].to_dict("records") == [
        {"area": "A", "n": 2, "n_eff": pytest.approx(1.6), "value": 25.0},
        {"area": "B", "n": 2, "n_eff": 2.0, "value": 100.0},
        {"area": TOTAL_AREA, "n": 5, "n_eff": pytest.approx(64 / 16), "value": 37.5},
    ]
    assert out.loc[2, "sig_vs_gemeente"] == ""


def test_estimates_by_area_without_weight_column_is_unweighted():
    out = estimates_by_area(_scored().drop(columns="gewicht"), ["eenzaam"])
    assert out["value"].tolist() == [50.0, 100.0, 60.0]


def test_estimates_by_area_compares_with_the_rivm_reference():
    scored = pd.DataFrame({"area": ["A"] * 50, "eenzaam": [1.0] * 15 + [0.0] * 35})
    reference = pd.DataFrame(
        {"area": ["A", TOTAL_AREA], "indicator": "eenzaam", "value": [15.0, 50.0]}
    )
    out = estimates_by_area(scored, ["eenzaam"], reference=reference)
    assert out["sig_vs_rivm"].tolist() == ["hoger", "lager"]


def test_estimates_by_area_errors():
    with pytest.raises(KeyError, match="Kolom 'eenzaam_zelf' ontbreekt in de enquête"):
        estimates_by_area(_scored(), ["eenzaam_zelf"])
    with pytest.raises(ValueError, match="Een gebied heet 'totaal'"):
        estimates_by_area(pd.DataFrame({"area": ["totaal"], "x": [1.0]}), ["x"])
    with pytest.raises(KeyError, match="Referentietabel mist kolom 'value'"):
        estimates_by_area(
            _scored(), ["eenzaam"], reference=pd.DataFrame(columns=["area", "indicator"])
        )


def test_no_indicators_gives_an_empty_table_with_the_columns():
    out = estimates_by_area(_scored(), [])
    assert list(out.columns) == list(ESTIMATE_COLUMNS) and out.empty


# ------------------------------------------------------------------------------------------
# Suppression
# ------------------------------------------------------------------------------------------


def _table(ns, total=None):
    """Return an estimates table for areas with these n's (and a total row when given)."""
    areas = [chr(ord("A") + i) for i in range(len(ns))]
    rows = [
        {
            "area": a,
            "indicator": "x",
            "n": n,
            "n_eff": float(n),
            "value": 20.0,
            "ci_low": 10.0,
            "ci_high": 30.0,
            "sig_vs_gemeente": "hoger",
            "sig_vs_rivm": "lager",
        }
        for a, n in zip(areas, ns, strict=True)
    ]
    if total is not None:
        rows.append({**rows[0], "area": TOTAL_AREA, "n": total, "sig_vs_gemeente": ""})
    return pd.DataFrame(rows, columns=list(ESTIMATE_COLUMNS))


@pytest.mark.parametrize(
    ("n", "status", "reason", "shown"),
    [
        (0, "onderdrukt", "minder dan 30 antwoorden", False),
        (29, "onderdrukt", "minder dan 30 antwoorden", False),
        (30, "indicatief", "minder dan 50 antwoorden: indicatief", True),
        (49, "indicatief", "minder dan 50 antwoorden: indicatief", True),
        (50, "", "", True),
    ],
)
def test_suppress_thresholds(n, status, reason, shown):
    row = suppress(_table([n])).iloc[0]
    assert (row["status"], row["reason"], row["n"]) == (status, reason, n)
    values = row[["value", "ci_low", "ci_high", "n_eff"]].tolist()
    if shown:
        assert values == [20.0, 10.0, 30.0, float(n)]
        assert (row["sig_vs_gemeente"], row["sig_vs_rivm"]) == ("hoger", "lager")
    else:
        assert all(math.isnan(v) for v in values)
        assert (row["sig_vs_gemeente"], row["sig_vs_rivm"]) == ("", "")


def test_suppress_leaves_its_input_unmodified():
    table = _table([10, 100], total=110)
    before = table.copy()
    suppress(table)
    pd.testing.assert_frame_equal(table, before)


@pytest.mark.parametrize(
    ("ns", "total", "expected"),
    [
        # One area suppressed and the total shown: the smallest other area goes too, else
        # A = total − B − C could be recomputed. Pooled suppressed n 10 + 40 = 50 ≥ 30.
        ([10, 100, 40], 150, ["primary", "", "secondary", ""]),
        # Smallest first, until the pooled n reaches 30: 5 + 20 = 25 < 30, so + 35 as well.
        ([5, 20, 35, 200], 260, ["primary", "primary", "secondary", "", ""]),
        # Two suppressed areas already pool to 35 ≥ 30: nothing to add.
        ([20, 15, 100], 135, ["primary", "primary", "", ""]),
        # No total row: nothing to subtract from.
        ([10, 100, 40], None, ["primary", "", "indicatief"]),
        # An area with no answers hides nothing.
        ([0, 100, 40], 140, ["primary", "", "indicatief", ""]),
        # Ties by area name: B before C.
        ([10, 60, 60], 130, ["primary", "secondary", "", ""]),
    ],
)
def test_secondary_suppression_against_recovery_by_subtraction(ns, total, expected):
    out = suppress(_table(ns, total))
    got = [
        "primary" if r == "minder dan 30 antwoorden" else "secondary" if s == "onderdrukt" else s
        for s, r in zip(out["status"], out["reason"], strict=True)
    ]
    assert got == expected
    secondary = out[out["reason"] == "onderdrukt zodat het niet uit het totaal is terug te rekenen"]
    assert secondary["value"].isna().all() and (secondary["status"] == "onderdrukt").all()


def test_secondary_suppression_is_per_indicator():
    table = pd.concat(
        [_table([10, 100, 40], 150), _table([60, 100, 40], 200).assign(indicator="y")],
        ignore_index=True,
    )
    out = suppress(table)
    assert out["status"].tolist() == [
        "onderdrukt",
        "",
        "onderdrukt",
        "",
        "",
        "",
        "indicatief",
        "",
    ]


def test_suppress_does_not_depend_on_the_index():
    table = _table([10, 100, 40], 150)
    out = suppress(pd.concat([table, table.assign(indicator="y")]))  # duplicate index labels
    assert out["status"].tolist() == ["onderdrukt", "", "onderdrukt", ""] * 2


def test_suppress_needs_area_indicator_and_n():
    with pytest.raises(KeyError, match="Kolom 'indicator' ontbreekt"):
        suppress(_table([10]).drop(columns="indicator"))


def test_a_suppressed_total_suppresses_nothing_more():
    out = suppress(_table([10, 15], total=25))
    assert out["status"].tolist() == ["onderdrukt"] * 3


@pytest.mark.parametrize(
    ("min_n", "indicative_n", "message"),
    [
        (0, 50, "min_n moet een geheel getal van minstens 1 zijn, niet 0"),
        (2.5, 50, "min_n moet een geheel getal van minstens 1 zijn, niet 2.5"),
        (30, 20, "indicative_n moet een geheel getal van minstens min_n (30) zijn, niet 20"),
    ],
)
def test_suppress_validates_thresholds(min_n, indicative_n, message):
    with pytest.raises(ValueError) as info:
        suppress(_table([10]), min_n=min_n, indicative_n=indicative_n)
    assert str(info.value) == message


def test_suppress_with_other_thresholds():
    out = suppress(_table([9, 10, 19, 20]), min_n=10, indicative_n=20)
    assert out["status"].tolist() == ["onderdrukt", "indicatief", "indicatief", ""]
    assert out["reason"].tolist()[:2] == [
        "minder dan 10 antwoorden",
        "minder dan 20 antwoorden: indicatief",
    ]


# ------------------------------------------------------------------------------------------
# Property: nothing under min_n ever leaves suppress() with a value
# ------------------------------------------------------------------------------------------


@st.composite
def surveys(draw):
    """Draw a random scored survey: 1–5 areas of 0–70 respondents, answers with gaps."""
    sizes = draw(st.lists(st.integers(0, 70), min_size=1, max_size=5))
    n = sum(sizes)
    areas = [f"W{i}" for i, size in enumerate(sizes) for _ in range(size)]
    answers = st.sampled_from([0.0, 1.0, NAN])
    return pd.DataFrame(
        {
            "area": areas,
            "a": draw(st.lists(answers, min_size=n, max_size=n)),
            "b": draw(st.lists(answers, min_size=n, max_size=n)),
            "gewicht": draw(st.lists(st.floats(0.2, 5.0), min_size=n, max_size=n)),
        }
    )


@settings(max_examples=60, deadline=None)
@given(survey=surveys(), min_n=st.integers(1, 40), extra=st.integers(0, 20))
def test_no_small_cell_keeps_a_value_after_suppress(survey, min_n, extra):
    out = suppressed_estimates(survey, ["a", "b"], min_n=min_n, indicative_n=min_n + extra)
    small = out[out["n"] < min_n]
    assert small[["value", "ci_low", "ci_high", "n_eff"]].isna().all().all()
    assert (small[["sig_vs_gemeente", "sig_vs_rivm"]] == "").all().all()
    assert (small["status"] == "onderdrukt").all()
    # Whatever subtraction from a shown total recovers pools min_n or more respondents.
    for _, group in out.groupby("indicator"):
        total = group[group["area"] == TOTAL_AREA]
        if total["status"].iloc[0] == "onderdrukt":
            continue
        hidden = group[(group["area"] != TOTAL_AREA) & (group["status"] == "onderdrukt")]
        assert hidden["n"].sum() == 0 or hidden["n"].sum() >= min_n
