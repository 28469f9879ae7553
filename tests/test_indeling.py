"""The rule that joins figures of one indeling to areas of another (issue 10, item 4).

Hand-made geometry: squares of 1 km in EPSG:28992, moved or cut so the overlap is known.
"""

import functools

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from analysis import indeling, reasons
from analysis.views import maps

KM = shapely.box(150_000, 450_000, 151_000, 451_000)


def layer(year: int, **shapes: shapely.Geometry) -> gpd.GeoDataFrame:
    """Create one indeling's layer from code=geometry pairs."""
    return gpd.GeoDataFrame(
        {"code": list(shapes), "indeling": year}, geometry=list(shapes.values()), crs="EPSG:28992"
    )


@pytest.mark.parametrize(
    ("moved_m", "same"),
    [
        (0, True),
        (10, True),  # 99 % overlap both ways
        (19, True),  # 98.1 %
        (21, False),  # 97.9 %
        (500, False),  # half of it: another area with the same code
    ],
)
def test_without_tolerance_98_percent_must_overlap_both_ways(moved_m, same):
    old = layer(2016, WK000101=KM)
    new = layer(2024, WK000101=shapely.affinity.translate(KM, moved_m))
    row = indeling.geometry_evidence(old, new, tolerance_m=0).iloc[0]
    assert bool(row["same"]) is same
    assert row["share_a"] == pytest.approx(1 - moved_m / 1000, abs=1e-4)


@pytest.mark.parametrize(
    ("moved_m", "share", "same"),
    [
        (60, 1.0, True),  # generalisation: every part lies within 100 m of the other
        (115, 0.985, True),
        (150, 0.95, False),  # a strip of 50 m x 1 km changed hands
        (400, 0.7, False),
    ],
)
def test_differences_within_100_m_are_generalisation(moved_m, share, same):
    old = layer(2016, WK000101=KM)
    new = layer(2024, WK000101=shapely.affinity.translate(KM, moved_m))
    row = indeling.geometry_evidence(old, new).iloc[0]
    assert row["share_a"] == pytest.approx(share, abs=1e-3)
    assert bool(row["same"]) is same


def test_a_small_area_inside_a_large_one_is_not_the_same():
    # Stiens e.o. (2025) lies inside, but is not, the 2016 wijk with its code.
    big = shapely.box(150_000, 450_000, 160_000, 460_000)
    row = indeling.geometry_evidence(layer(2016, WK1=big), layer(2025, WK1=KM)).iloc[0]
    assert row["share_a"] < 0.02 and row["share_b"] == 1.0 and not row["same"]


def test_only_shared_codes_are_compared():
    out = indeling.geometry_evidence(layer(2016, WK1=KM, WK2=KM), layer(2024, WK1=KM, WK3=KM))
    assert out["code"].tolist() == ["WK1"]


def test_geometry_is_measured_in_metres_whatever_the_crs():
    old = layer(2016, WK1=KM).to_crs("EPSG:4326")
    new = layer(2024, WK1=shapely.affinity.translate(KM, 10))
    share = indeling.geometry_evidence(old, new, tolerance_m=0)["share_b"].iloc[0]
    assert share == pytest.approx(0.99, abs=1e-3)


REGIONS = pd.DataFrame(
    {
        "code": ["WK1"] * 4 + ["WK2"] * 4 + ["NL01", "NL01"],
        "name": ["Noord", None, "Noord", "Noord", "Oud", None, "Nieuw", "Nieuw", "NL", "NL"],
        "level": ["wijk"] * 8 + ["land"] * 2,
        "indeling": [2016, 2020, 2022, 2024] * 2 + [2020, 2024],
    }
)


def evidence(*rows):
    return pd.DataFrame(rows, columns=["code", "indeling_a", "indeling_b", "kind", "same"])


def test_area_keys_join_indelingen_by_geometry_children_and_name():
    ev = evidence(
        ("WK1", 2016, 2024, "geometry", True),
        ("WK1", 2020, 2022, "children", True),  # same buurten in 2020 and 2022
        ("WK1", 2022, 2024, "name", True),
        ("WK2", 2016, 2024, "geometry", False),  # redivided
        ("WK2", 2020, 2022, "children", True),
        ("WK2", 2022, 2024, "name", True),
    )
    keys = indeling.area_keys(REGIONS, ev).tolist()
    assert keys[:4] == ["WK1@2016"] * 4
    assert keys[4:8] == ["WK2@2016", "WK2@2020", "WK2@2020", "WK2@2020"]
    assert keys[8:] == ["NL", "NL"]


def test_weaker_evidence_never_joins_what_geometry_separated():
    # 2020 has the name of 2016 and of 2024, but 2016 and 2024 are different areas.
    ev = evidence(
        ("WK1", 2016, 2024, "geometry", False),
        ("WK1", 2016, 2020, "name", True),
        ("WK1", 2020, 2024, "name", True),
    )
    keys = indeling.area_keys(REGIONS[REGIONS["code"] == "WK1"], ev).tolist()
    assert keys[0] != keys[3]
    assert keys[1] == keys[0]  # the older pair was joined first


def test_without_evidence_every_indeling_is_its_own_area():
    keys = indeling.area_keys(REGIONS[REGIONS["code"] == "WK2"], evidence()).tolist()
    assert keys == ["WK2@2016", "WK2@2020", "WK2@2022", "WK2@2024"]


def test_children_evidence_needs_the_same_set():
    kids = pd.DataFrame(
        {
            "parent": ["WK1", "WK1", "WK1", "WK2", "WK2", "WK2"],
            "indeling": [2020, 2022, 2022, 2020, 2020, 2022],
            "child": ["BU1", "BU1", "BU9", "BU3", "BU4", "BU3"],
        }
    )
    assert indeling.children_evidence(kids).empty


VALUES = pd.DataFrame(
    {
        "indicator": ["eenzaam"] * 4,
        "code": ["WK1", "WK2", "WK2", "NL01"],
        "period": [2020, 2016, 2020, 2020],
        "age": ["18+"] * 4,
        "source": ["rivm", "rivm16", "rivm", "rivm"],
        "value": [40.0, 52.0, 45.0, 47.0],
    }
)
KEYED = REGIONS.assign(
    area=["WK1@2016"] * 4 + ["WK2@2016", "WK2@2020", "WK2@2020", "WK2@2020", "NL", "NL"]
)
SOURCES = {"rivm": 2020, "rivm16": 2016}


def test_honest_values_keep_figures_about_todays_area():
    out = indeling.honest_values(VALUES, KEYED, SOURCES)
    # WK2's 2016 figure is about "Oud", not today's "Nieuw" (2024): left out.
    assert out["value"].tolist() == [40.0, 45.0, 47.0]


def test_map_frame_greys_a_figure_of_another_area_with_the_reason():
    areas = pd.DataFrame({"code": ["WK1", "WK2"], "name": ["Noord", "Nieuw"], "indeling": 2024})
    frame = maps.map_frame(
        areas,
        VALUES,
        maps.Figures("eenzaam", 2016, "18+", "rivm16"),
        regions=KEYED,
        source_indeling=2016,
    )
    assert frame["value"].isna().all()
    assert frame["status"].tolist() == [reasons.NOT_IN_SNAPSHOT, reasons.OTHER_INDELING]
    same = maps.map_frame(
        areas,
        VALUES,
        maps.Figures("eenzaam", 2020, "18+", "rivm"),
        regions=KEYED,
        source_indeling=2020,
    )
    assert same["value"].tolist() == [40.0, 45.0]
    assert same["status"].tolist() == ["", ""]


def test_gemeente_values_with_the_kept_keys_equals_the_slow_way_on_the_real_snapshot():
    from analysis.catalogue import load_catalogue
    from data.snapshot import load_snapshot

    snap = load_snapshot()
    indelingen = {s.id: s.indeling for s in load_catalogue().sources.values()}
    keys = indeling.gemeente_keys(snap.values["code"])
    code = snap.values["code"].astype("str")
    for gemeente in ("GM0080", "GM0193", "GM1900", "GM0363"):
        fast = indeling.gemeente_values(snap.values, snap.regions, indelingen, gemeente, keys=keys)
        own = snap.values[(code.str[2:6] == gemeente[2:6]) | code.str.startswith("NL")]
        slow = indeling.honest_values(own, snap.regions, indelingen).reset_index(drop=True)
        pd.testing.assert_frame_equal(fast, slow)
        assert (
            fast["code"]
            .str.startswith(("NL", f"GM{gemeente[2:]}", f"WK{gemeente[2:]}", f"BU{gemeente[2:]}"))
            .all()
        )
        assert (fast["code"] == gemeente).any()


@functools.cache
def real_snapshot():
    """Load the committed snapshot once for the tests below."""
    from data.snapshot import load_snapshot

    return load_snapshot()


def test_each_gemeente_s_rows_are_the_old_boolean_mask_selection():
    # ui.loaders keeps gemeente_rows once per snapshot (issue #14): for every key of the real
    # snapshot (409 gemeente numbers of 2016–2025, and the country) its positions are exactly
    # the rows the old mask over the million codes picked, in table order.
    values = real_snapshot().values
    rows = indeling.gemeente_rows(values["code"])
    keys = indeling.gemeente_keys(values["code"])
    assert len(rows.bounds) == len(keys.cat.categories) == 409
    numbers = keys.cat.codes.to_numpy()
    for at, key in enumerate(keys.cat.categories):
        assert rows.positions([key]).tolist() == np.flatnonzero(numbers == at).tolist(), key
    assert sorted(rows.order.tolist()) == list(range(len(values)))
    both = rows.positions(["0080", "NL"])
    assert both.tolist() == np.flatnonzero(np.isin(keys.astype("str"), ["0080", "NL"])).tolist()


@pytest.mark.parametrize(
    ("gemeente", "gm", "wk", "bu"),
    [
        # Counted by hand from the code strings (a plain loop over the 967 543 codes, by
        # their first two letters): 79 rows about the gemeente itself in each.
        ("GM0080", 79, 2_178, 9_668),  # Leeuwarden: its own 2025 wijken and buurten too
        ("GM0096", 79, 69, 104),  # Vlieland: one wijk, a few buurten
    ],
)
def test_a_gemeente_s_slice_has_the_counted_rows(gemeente, gm, wk, bu):
    values = real_snapshot().values
    rows = indeling.gemeente_rows(values["code"])
    part = values.take(rows.positions([gemeente[2:6]]))
    assert part["code"].str[:2].value_counts().to_dict() == {"GM": gm, "WK": wk, "BU": bu}
    assert set(part["code"].str[2:6]) == {gemeente[2:6]}
    assert len(rows.positions(["NL"])) == 58  # the country: one row per figure of NL01
    assert rows.positions(["9999"]).tolist() == []


def test_the_kept_lookup_gives_the_same_honest_values_as_the_region_table():
    # area_lookup is made once per snapshot; with it honest_values must keep exactly the rows
    # a plain row-by-row reading of the rule keeps (the newest named indeling of the code is
    # the area shown; a figure stays only where its indeling has the same area key).
    from analysis.catalogue import load_catalogue

    snap = real_snapshot()
    indelingen = {s.id: s.indeling for s in load_catalogue().sources.values()}
    lookup = indeling.area_lookup(snap.regions)
    rows = indeling.gemeente_rows(snap.values["code"])
    regions = snap.regions
    for gemeente in ("GM0080", "GM1900", "GM0193"):
        part = snap.values.take(rows.positions([gemeente[2:6], "NL"]))
        fast = indeling.honest_values(part, regions, indelingen, lookup=lookup)
        own = regions[regions["code"].str[2:6] == gemeente[2:6]]
        shown: dict[str, tuple[dict[int, str], int]] = {}  # code: (area per indeling, shown)
        for code, mine in own.groupby("code"):
            named = mine[mine["name"].notna()]
            key = dict(zip(mine["indeling"].tolist(), mine["area"].tolist(), strict=True))
            shown[code] = (key, int((named if not named.empty else mine)["indeling"].max()))
        keep = []
        for code, source in zip(part["code"].tolist(), part["source"].tolist(), strict=True):
            if code not in shown:  # the country and codes without a region row: kept as they are
                keep.append(True)
                continue
            key, now = shown[code]
            own_key = key.get(indelingen[source])
            keep.append(own_key is not None and own_key == key[now])
        pd.testing.assert_frame_equal(fast, part[keep])
        pd.testing.assert_frame_equal(
            fast, indeling.honest_values(part, regions, indelingen), check_index_type=True
        )


def test_same_area_mask_answers_per_row_with_missing_codes_and_sources():
    regs = pd.DataFrame(
        {
            "code": ["WK1", "WK1", "WK2", "WK2"],
            "indeling": [2016, 2024, 2016, 2024],
            "area": ["WK1@2016", "WK1@2016", "WK2@2016", "WK2@2024"],
        }
    )
    vals = pd.DataFrame(
        {
            "code": ["WK2", "WK1", None, "WK2", "WK9", "WK1"],
            "source": ["old", "old", "old", "new", "old", None],
        }
    )
    targets = {"WK1": 2024, "WK2": 2024}
    expected = [False, True, True, True, True, False]  # WK9 and a missing code: not shown
    for lookup in (None, indeling.area_lookup(regs.assign(name="x"))):
        mask = indeling.same_area_mask(
            vals, regs, {"old": 2016, "new": 2024}, targets, lookup=lookup
        )
        assert mask.tolist() == expected
