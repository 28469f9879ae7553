"""The file readers on the real source files and on hand-made bad input."""

import json
import math

import pandas as pd
import pytest

from data.kwb_excel import KwbExcelError, read_kwb_excel, tidy_kwb_excel
from data.kwb_series import SeriesError, read_series, tidy_series
from data.rivm_2016 import Rivm2016Error, read_rivm_2016, tidy_rivm_2016


@pytest.mark.parametrize("year", [2023, 2024])
def test_kwb_excel_utrecht(shared_data, year):
    path = shared_data / f"kwb/kwb_excel_utrecht/kwb-{year}_GM0344_utrecht.xlsx"
    frame = read_kwb_excel(path)
    assert frame["level"].value_counts().to_dict() == {"buurt": 111, "wijk": 10, "gemeente": 1}
    assert frame["code"].str.match(r"^(GM\d{4}|WK\d{6}|BU\d{8})$").all()
    assert set(frame["gemeente_code"]) == {"GM0344"}
    west = frame.set_index("code").loc["WK034401"]
    assert west["name"] == "Wijk 01 West"
    assert west["a_inw"] == {2023: 29040, 2024: 29710}[year]


def test_kwb_excel_dot_is_missing_not_zero(shared_data):
    frame = read_kwb_excel(shared_data / "kwb/kwb_excel_utrecht/kwb-2024_GM0344_utrecht.xlsx")
    assert frame["g_wozbag"].isna().all()  # not yet published in this early release
    assert (frame["g_wozbag"] != 0).all()


def test_kwb_excel_missing_column_names_it():
    with pytest.raises(KwbExcelError, match="kolom 'recs' ontbreekt"):
        tidy_kwb_excel(
            pd.DataFrame(
                {"gwb_code_10": ["GM1"], "gwb_code_8": ["1"], "regio": ["x"], "gm_naam": ["x"]}
            ),
            source="kwb.xlsx",
        )


def test_kwb_excel_unknown_region_type_names_row_and_column():
    raw = pd.DataFrame(
        {
            "gwb_code_10": ["GM0344", "XX"],
            "gwb_code_8": ["0344", "0"],
            "regio": ["Utrecht", "Totaal"],
            "gm_naam": ["Utrecht", "Utrecht"],
            "recs": ["Gemeente", "Totaal"],
        }
    )
    with pytest.raises(KwbExcelError, match=r"kwb.xlsx, rij 3, kolom 'recs': 'Totaal'"):
        tidy_kwb_excel(raw, source="kwb.xlsx")


def test_series_baarn(shared_data):
    regions, values = read_series(shared_data / "kwb/derived_baarn/baarn_GM0308_tijdreeksen.json")
    assert len(regions) == 22  # the gemeente and its 21 buurten
    assert sorted(values["period"].unique()) == list(range(2016, 2026))
    gm = values[(values["code"] == "GM0308")].set_index("period")["aantal_inwoners"]
    assert gm[2016] == 24521 and gm[2025] == 25184
    centrum_2025 = values[(values["code"] == "BU03080000") & (values["period"] == 2025)]
    assert math.isnan(centrum_2025["gem_inkomen_huishoudens"].iloc[0])  # null, never 0


def test_series_missing_key():
    with pytest.raises(SeriesError, match="sleutel 'buurten' ontbreekt"):
        tidy_series(json.loads('{"metadata": {}, "gemeente": {}}'), source="x.json")


def test_rivm_2016(shared_data):
    frame = read_rivm_2016(shared_data / "gezondheid/rivm_eenzaamheid_wijk_2016.csv")
    assert len(frame) == 2981  # 2983 rows, of which WK191104 three times verbatim
    assert frame["code"].is_unique
    first = frame.iloc[0]
    assert (first["code"], first["gemeente_code"], first["% eenzaam*"]) == (
        "WK000300",
        "GM0003",
        46,
    )


def test_rivm_2016_conflicting_duplicate_is_refused():
    raw = pd.DataFrame(
        {
            "wijkcode": ["WK1", "WK1"],
            "wijknaam": ["A", "A"],
            "gemnr": ["3", "3"],
            "gemnaam": ["G", "G"],
            "% eenzaam*": ["40", "41"],
        }
    )
    with pytest.raises(Rivm2016Error, match="'WK1' staat meer dan eens"):
        tidy_rivm_2016(raw)
