import math

import pandas as pd
import pytest

from analysis.catalogue import load_catalogue, parse_catalogue
from analysis.indicators import indicator_values, percentage


@pytest.mark.parametrize(
    ("num", "den", "expected"),
    [(1, 4, 25.0), (0, 10, 0.0), (5, 0, math.nan), (None, 10, math.nan), (3, None, math.nan)],
)
def test_percentage(num, den, expected):
    out = percentage(pd.Series([num], dtype="float64"), pd.Series([den], dtype="float64"))
    assert (math.isnan(out[0]) and math.isnan(expected)) or out[0] == expected


def test_missing_values_stay_missing_never_zero():
    frame = pd.DataFrame({"code": ["WK1", "WK2"], "a_inw": [100.0, None]})
    out = indicator_values(frame, load_catalogue(), "kwb-2024-xlsx", only=("inwoners",))
    assert out["value"].iloc[0] == 100.0
    assert math.isnan(out["value"].iloc[1])


def test_ratio_indicator_from_two_columns():
    frame = pd.DataFrame({"code": ["WK1"], "a_inw": [200.0], "a_65_oo": [50.0]})
    out = indicator_values(frame, load_catalogue(), "kwb-2024-xlsx", only=("pct_65plus",))
    assert out.to_dict("records") == [
        {
            "indicator": "pct_65plus",
            "code": "WK1",
            "period": 2024,
            "age": "alle leeftijden",
            "source": "kwb-2024-xlsx",
            "value": 25.0,
        }
    ]


def test_period_column_overrides_source_period():
    frame = pd.DataFrame(
        {"code": ["BU1", "BU1"], "period": [2016, 2017], "aantal_inwoners": [10.0, 11.0]}
    )
    out = indicator_values(frame, load_catalogue(), "baarn-tijdreeks", only=("inwoners",))
    assert out["period"].tolist() == [2016, 2017]


def test_a_declared_column_that_is_absent_is_an_error_naming_it():
    doc = {
        "sources": {
            "T": {
                "title": "T",
                "publisher": "CBS",
                "kind": "registratie",
                "credit": "Bron: CBS",
                "licence": "CC BY 4.0",
                "table_id": "T",
                "period": 2025,
                "indeling": 2025,
            }
        },
        "indicators": [
            {
                "id": "x",
                "label": "X",
                "definition": "d",
                "unit": "aantal",
                "decimals": 0,
                "higher_is_better": "neutraal",
                "kind": "registratie",
                "theme": "t",
                "columns": {"T": "Kolom_1"},
            }
        ],
    }
    with pytest.raises(KeyError, match="mist kolom 'Kolom_1' voor indicator 'x'"):
        indicator_values(pd.DataFrame({"code": ["A"]}), parse_catalogue(doc), "T")
