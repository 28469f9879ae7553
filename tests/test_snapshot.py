"""The embedded snapshot: reproducible from the real sources, small, with the promised content."""

import json

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from data.snapshot import FILES, GEOMETRY, MANIFEST, load_snapshot
from paths import DEFAULT_SNAPSHOT
from snapshot_build.build import build


@pytest.fixture(scope="module")
def snap():
    return load_snapshot()


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory, shared_data):
    out = tmp_path_factory.mktemp("snapshot")
    build(out, source_dir=shared_data, log=lambda _msg: None)
    return out


def test_committed_snapshot_is_complete():
    for name in FILES:
        assert (DEFAULT_SNAPSHOT / name).is_file(), name


def test_the_loaded_tables_are_the_files_with_each_text_column_in_one_chunk(snap):
    # load_snapshot joins parquet's chunks (issue #14: taking a gemeente's rows from the
    # values' 8 chunks of codes cost 2,4 ms, from one 0,4 ms); the content is unchanged.
    import pyarrow as pa

    for name, frame in (("values", snap.values), ("regions", snap.regions)):
        assert_frame_equal(frame, pd.read_parquet(DEFAULT_SNAPSHOT / f"{name}.parquet"))
        for column in frame.columns:
            if isinstance(frame[column].dtype, pd.StringDtype):
                assert not isinstance(pa.array(frame[column].array), pa.ChunkedArray), column
    read = pd.read_parquet(DEFAULT_SNAPSHOT / "values.parquet")
    assert pa.array(read["code"].array).num_chunks > 1  # what parquet hands over


def test_snapshot_is_small():
    size = sum(p.stat().st_size for p in DEFAULT_SNAPSHOT.iterdir())
    assert size <= 20 * 1024 * 1024, f"snapshot is {size / 1e6:.1f} MB (target ≤ 20 MB)"


@pytest.mark.slow
@pytest.mark.parametrize(
    "name",
    ["regions.parquet", "values.parquet", "properties.parquet", "ggd.parquet", "weights.parquet"],
)
def test_rebuild_reproduces_the_committed_tables(rebuilt, name):
    assert_frame_equal(pd.read_parquet(rebuilt / name), pd.read_parquet(DEFAULT_SNAPSHOT / name))


@pytest.mark.slow
def test_rebuild_reproduces_the_committed_geometry(rebuilt):
    import geopandas as gpd

    new = gpd.read_parquet(rebuilt / GEOMETRY)
    old = gpd.read_parquet(DEFAULT_SNAPSHOT / GEOMETRY)
    assert_frame_equal(new.drop(columns="geometry"), old.drop(columns="geometry"))
    assert new.geometry.to_wkb().tolist() == old.geometry.to_wkb().tolist()


@pytest.mark.slow
def test_rebuild_reproduces_the_manifest_except_its_date(rebuilt):
    new = json.loads((rebuilt / MANIFEST).read_text())
    old = json.loads((DEFAULT_SNAPSHOT / MANIFEST).read_text())
    new.pop("built_on"), old.pop("built_on")
    assert new == old


def _layer(snap, layer):
    return snap.geometry[snap.geometry["layer"] == layer]


@pytest.mark.parametrize(
    ("layer", "count", "prefix"),
    [
        ("leeuwarden-wijken-2025", 22, "WK0080"),
        ("leeuwarden-buurten-2025", 136, "BU0080"),
        ("utrecht-wijken-2024", 10, "WK0344"),
        ("utrecht-buurten-2024", 111, "BU0344"),
        ("baarn-buurten-2024", 21, "BU0308"),
        ("haaglanden-wijken-2023", 72, "WK"),
        ("nl-wijken-2024", 3393, "WK"),
        ("nl-wijken-2024-land", 3393, "WK"),
        ("nl-gemeenten-2024-land", 342, "GM"),
    ],
)
def test_boundary_layers(snap, layer, count, prefix):
    part = _layer(snap, layer)
    assert len(part) == count
    assert part["code"].str.startswith(prefix).all()
    assert part["code"].is_unique
    assert snap.geometry.crs.to_epsg() == 4326


def _values(snap, **where):
    mask = pd.Series(True, index=snap.values.index)
    for key, value in where.items():
        mask &= snap.values[key] == value
    return snap.values[mask]


def test_leeuwarden_kwb_2025(snap):
    v = _values(snap, indicator="inwoners", source="86165NED", period=2025)
    assert set(v["code"].str[:6]) >= {"GM0080", "WK0080", "BU0080"}
    assert v.set_index("code").loc["GM0080", "value"] > 120_000


def test_unpublished_cbs_figures_are_missing_not_zero(snap):
    # All income columns of 86165NED were still empty when the table was retrieved.
    v = _values(snap, indicator="gem_inkomen_inwoner", source="86165NED")
    # Leeuwarden's 1 + 22 + 136 areas, and the gemeente row of the other 17 gemeenten of
    # GGD Fryslân (for the region figures).
    assert len(v) == 159 + 17 and v["value"].isna().all()


@pytest.mark.parametrize(("source", "period"), [("kwb-2023-xlsx", 2023), ("kwb-2024-xlsx", 2024)])
def test_utrecht_kwb(snap, source, period):
    v = _values(snap, indicator="inwoners", source=source, period=period)
    assert len(v) == 122 and v["value"].notna().all()


def test_baarn_series_2016_to_2025(snap):
    v = _values(snap, indicator="inwoners", source="baarn-tijdreeks", code="GM0308")
    assert sorted(v["period"]) == list(range(2016, 2026))


@pytest.mark.parametrize(
    ("period", "age"), [(2012, "18+"), (2016, "18+"), (2020, "18+"), (2020, "65+")]
)
def test_rivm_50090ned_for_every_level(snap, period, age):
    v = _values(snap, indicator="eenzaam", source="50090NED", period=period, age=age)
    levels = v["code"].str[:2].value_counts().to_dict()
    assert levels == {"NL": 1, "GM": 355, "WK": 3177, "BU": 13808}


def test_rivm_2016_loneliness_of_every_wijk_of_2016(snap):
    v = _values(snap, indicator="eenzaam", source="rivm-eenzaamheid-2016")
    assert v["value"].notna().sum() > 2900


def test_the_2024_layer_leaves_out_water_and_abroad(snap):
    part = _layer(snap, "nl-wijken-2024")
    assert part["gemeente_code"].nunique() == 342
    assert "GM0998" not in set(part["gemeente_code"])
    assert not part["name"].eq("Groot water").any()
    assert "WK0363AA" in set(part["code"])  # Amsterdam's wijk codes have letters since 2024


def test_kwb_2024_for_every_wijk_gemeente_and_the_country(snap):
    v = _values(snap, indicator="inwoners", source="85984NED", period=2024).set_index("code")
    assert v["value"].notna().sum() == 1 + 342 + 3393
    # SOURCES.md: aantal_inwoners of the 2024 file equals AantalInwoners_5 of 85984NED.
    assert v.loc["WK001401", "value"] == 22200
    assert v.loc["GM1680", "value"] == 25845  # 85984NED's own gemeente total
    gm = v[v.index.str.startswith("GM")]["value"].sum()
    assert v.loc["NL01", "value"] == gm  # the country: the sum of its gemeenten


def test_a_national_percentage_is_weighted_not_averaged(snap):
    pct = _values(snap, indicator="pct_65plus", source="85984NED").set_index("code")["value"]
    inw = _values(snap, indicator="inwoners", source="85984NED").set_index("code")["value"]
    wijken = pct.index[pct.index.str.startswith("WK")]
    both = [c for c in wijken if pd.notna(pct[c]) and pd.notna(inw[c])]
    weighted = sum(pct[c] * inw[c] for c in both) / sum(inw[c] for c in both)
    assert pct["NL01"] == pytest.approx(round(weighted, 1))
    assert abs(pct["NL01"] - pct[both].mean()) > 0.5  # the plain mean would be another figure


@pytest.mark.parametrize(
    ("code", "indeling", "same_as", "same"),
    [
        # Issue 10: Vrijheidswijk (2025) was "Vossepark & Helicon" in 2016: another area.
        ("WK008061", 2025, 2016, False),
        ("WK008063", 2025, 2016, False),  # Stiens e.o. was not even part of Leeuwarden
        # The RIVM 2020 table has the same buurten under WK008061 as the 2025 layer.
        ("WK008061", 2025, 2020, True),
        ("WK008063", 2025, 2020, True),
        ("GM0080", 2025, 2020, True),
        ("NL01", 2024, 2020, True),
    ],
)
def test_same_area_in_two_indelingen(snap, code, indeling, same_as, same):
    r = snap.regions.set_index(["code", "indeling"])["area"]
    assert (r[(code, indeling)] == r[(code, same_as)]) is same


def test_regions_have_names_for_the_maps(snap):
    r = snap.regions
    lw = r[(r["gemeente_code"] == "GM0080") & (r["indeling"] == 2025) & (r["level"] == "wijk")]
    assert len(lw) == 22 and lw["name"].notna().all()
    assert r.loc[(r["code"] == "GM0344"), "name"].iloc[0] == "Utrecht"
