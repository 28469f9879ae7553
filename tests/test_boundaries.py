"""Tests for data/boundaries.py: reading, repairing, coverage simplification and storage."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely

from data import boundaries as b
from data.boundaries import (
    COLUMNS,
    BoundaryError,
    WebSettings,
    close_gaps,
    coverage_report,
    default_web_settings,
    fix_geometries,
    grid_width_m,
    read_layer,
    read_stored_layer,
    simplify_for_web,
    tidy_layer,
    to_geojson,
    write_layer,
)

# RD New origin for hand-made fixtures: somewhere in Utrecht, so EPSG:4326 is well defined.
X0, Y0 = 135_000.0, 455_000.0

# file, code field, name field, level, year, read_layer keywords, features, gemeenten
REAL_LAYERS = {
    "leeuwarden_wijken": (
        "wijken_2025_GM0080_leeuwarden_wgs84.geojson", "statcode", "statnaam", "wijk", 2025,
        {}, 22, {"GM0080"},
    ),
    "leeuwarden_buurten": (
        "buurten_2025_GM0080_leeuwarden_wgs84.geojson", "statcode", "statnaam", "buurt", 2025,
        {}, 136, {"GM0080"},
    ),
    "utrecht_wijken": (
        "wijken_GM0344_utrecht_wgs84.geojson", "statcode", "statnaam", "wijk", 2024,
        {}, 10, {"GM0344"},
    ),
    "utrecht_buurten": (
        "buurten_GM0344_utrecht_wgs84.geojson", "statcode", "statnaam", "buurt", 2024,
        {}, 111, {"GM0344"},
    ),
    "baarn_buurten": (
        "buurten_2024_GM0308_baarn_wgs84.geojson", "buurtcode", "buurtnaam", "buurt", 2024,
        {"gemeente_field": "gemeentecode"}, 21, {"GM0308"},
    ),
    "haaglanden_wijken": (
        "wijken_2023_haaglanden_wgs84.geojson", "WK_CODE", "WK_NAAM", "wijk", 2023,
        {}, 72, {"GM0518", "GM1916", "GM0603", "GM0629"},
    ),
    # 2982 features, but WK191104 (Wieringen) comes as two disjoint features: 2981 wijken.
    "nl_wijken_2016": (
        "wijken_2016_nl_rd.geojson", "WKC", "WKN", "wijk", 2016,
        {"gemeente_field": "GMC", "duplicates": "merge"}, 2981, None,
    ),
}  # fmt: skip


# --- fixtures ---------------------------------------------------------------------------------


def wave(start: tuple[float, float], end: tuple[float, float]) -> shapely.LineString:
    """Return a line from start to end that swings ±60 m across it in one sine period."""
    (x1, y1), (x2, y2) = start, end
    t = np.linspace(0.0, 1.0, 101)
    swing = 60.0 * np.sin(2 * np.pi * t)
    nx, ny = (y2 - y1) / np.hypot(x2 - x1, y2 - y1), (x1 - x2) / np.hypot(x2 - x1, y2 - y1)
    return shapely.LineString(
        np.c_[x1 + t * (x2 - x1) + swing * nx, y1 + t * (y2 - y1) + swing * ny]
    )


def make_layer(geoms, crs="EPSG:28992", codes=None, level="wijk") -> gpd.GeoDataFrame:
    """Build a layer with the project's columns around hand-made geometries."""
    codes = codes or [f"WK0001{i:02d}" for i in range(1, len(geoms) + 1)]
    return gpd.GeoDataFrame(
        {
            "code": codes,
            "name": [f"Wijk {c[-2:]}" for c in codes],
            "level": level,
            "year": 2024,
            "gemeente_code": ["GM" + c[2:6] for c in codes],
        },
        geometry=list(geoms),
        crs=crs,
    )


@pytest.fixture
def grid_2x2() -> gpd.GeoDataFrame:
    """Create four 1 km "squares" in EPSG:28992 whose shared edges are waves (2x2 grid)."""
    centre = (X0 + 1000, Y0 + 1000)
    edges = [
        shapely.box(X0, Y0, X0 + 2000, Y0 + 2000).boundary,
        wave((X0 + 1000, Y0), centre),
        wave(centre, (X0 + 1000, Y0 + 2000)),
        wave((X0, Y0 + 1000), centre),
        wave(centre, (X0 + 2000, Y0 + 1000)),
    ]
    faces = shapely.get_parts(shapely.polygonize([shapely.union_all(edges)]))
    faces = sorted(faces, key=lambda p: (p.centroid.y, p.centroid.x))
    return make_layer(faces)


@pytest.fixture
def bow_tie() -> shapely.Polygon:
    """Create an invalid, self-intersecting square (a bow tie) of area 2 in two triangles."""
    return shapely.Polygon([(X0, Y0), (X0 + 2, Y0 + 2), (X0 + 2, Y0), (X0, Y0 + 2)])


@pytest.fixture(scope="module")
def real_layers(shared_data) -> dict[str, tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]]:
    """Read, repair and simplify every real layer once: name -> (fixed source, web)."""
    geo = shared_data / "geo"
    out = {}
    for name, (file, code, label, level, year, kw, _, _) in REAL_LAYERS.items():
        fixed = fix_geometries(read_layer(geo / file, code, label, level=level, year=year, **kw))
        out[name] = (fixed, simplify_for_web(fixed))
    return out


@pytest.fixture(scope="module")
def reports(real_layers) -> dict[str, tuple[dict, dict]]:
    """Return coverage reports per real layer: name -> (source, web)."""
    return {
        name: (coverage_report(fixed), coverage_report(web))
        for name, (fixed, web) in real_layers.items()
    }


def decimals_used(gdf: gpd.GeoDataFrame) -> int:
    """Return the most decimals any coordinate needs (up to 9)."""
    xy = shapely.get_coordinates(gdf.geometry.to_numpy()).ravel()
    for d in range(10):
        if np.all(np.abs(xy * 10**d - np.round(xy * 10**d)) < 1e-6):
            return d
    return 10


def per_feature_simplify(gdf: gpd.GeoDataFrame, settings: WebSettings) -> gpd.GeoDataFrame:
    """Simplify each feature on its own, the way a plain ``GeoSeries.simplify`` does."""
    simple = gdf.to_crs(b.METRIC_CRS).simplify(settings.tolerance_m).to_crs(b.WEB_CRS)
    grid = 10.0**-settings.decimals
    return gdf.set_geometry(shapely.set_precision(simple.to_numpy(), grid), crs=b.WEB_CRS)


# --- tidy_layer / read_layer ------------------------------------------------------------------


def raw_frame(**columns) -> gpd.GeoDataFrame:
    """Create a raw frame of one or two 100 m squares in RD with the given property columns."""
    geoms = [shapely.box(X0 + i * 100, Y0, X0 + i * 100 + 100, Y0 + 100) for i in range(2)]
    n = len(next(iter(columns.values())))
    return gpd.GeoDataFrame(columns, geometry=geoms[:n], crs="EPSG:28992")


@pytest.mark.parametrize(
    ("columns", "kwargs", "message"),
    [
        ({"WKN": ["Wijk 01"]}, {}, "veld 'WKC' ontbreekt"),
        ({"WKC": ["WK000101"]}, {}, "veld 'WKN' ontbreekt"),
        ({"WKC": ["0001-01"], "WKN": ["Wijk 01"]}, {}, "'0001-01' is geen wijkcode"),
        ({"WKC": ["BU00010101"], "WKN": ["Buurt"]}, {}, "'BU00010101' is geen wijkcode"),
        ({"WKC": [None], "WKN": ["Wijk 01"]}, {}, "'' is geen wijkcode"),
        ({"WKC": ["WK000101"], "WKN": ["A"]}, {"level": "stad"}, "level 'stad' is onbekend"),
        (
            {"WKC": ["WK000101", "WK000101"], "WKN": ["A", "A"]},
            {},
            "komen meer dan eens voor: WK000101",
        ),
        (
            {"WKC": ["WK000101", "WK000101"], "WKN": ["A", "B"]},
            {"duplicates": "merge"},
            "'WK000101' heeft verschillende namen",
        ),
        ({"WKC": ["WK000101"], "WKN": ["A"]}, {"duplicates": "keep"}, "duplicates 'keep'"),
        (
            {"WKC": ["WK000101"], "WKN": ["A"], "GMC": ["GM0002"]},
            {"gemeente_field": "GMC"},
            "'GM0002' past niet bij code 'WK000101'",
        ),
        (
            {"WKC": ["WK000101"], "WKN": ["A"]},
            {"gemeente_field": "GMC"},
            "veld 'GMC' ontbreekt",
        ),
    ],
)
def test_tidy_layer_refuses_with_a_message_naming_the_problem(columns, kwargs, message):
    raw = raw_frame(**columns)
    kwargs = {"level": "wijk", "year": 2024, **kwargs}
    with pytest.raises(BoundaryError, match=message):
        tidy_layer(raw, "WKC", "WKN", source="test.geojson", **kwargs)


def test_tidy_layer_refuses_a_frame_without_crs():
    raw = raw_frame(WKC=["WK000101"], WKN=["A"]).set_crs(None, allow_override=True)
    with pytest.raises(BoundaryError, match="test.geojson: geen CRS"):
        tidy_layer(raw, "WKC", "WKN", level="wijk", year=2024, source="test.geojson")


@pytest.mark.parametrize(
    ("value", "expected"),
    [("GM0344", "GM0344"), (" GM0344 ", "GM0344"), ("0344", "GM0344"), ("344", "GM0344")],
)
def test_tidy_layer_normalises_gemeente_codes(value, expected):
    raw = raw_frame(BC=["BU03440000"], BN=["Centrum"], GM=[value])
    out = tidy_layer(raw, "BC", "BN", level="buurt", year=2024, gemeente_field="GM")
    assert out["gemeente_code"].tolist() == [expected]


@pytest.mark.parametrize(
    ("code", "level", "gemeente"),
    [
        ("WK008010", "wijk", "GM0080"),
        ("BU03080000", "buurt", "GM0308"),
        ("GM0344", "gemeente", "GM0344"),
    ],
)
def test_tidy_layer_derives_the_gemeente_from_the_code(code, level, gemeente):
    out = tidy_layer(raw_frame(C=[f"  {code}\t"], N=[" x "]), "C", "N", level=level, year=2025)
    assert out.drop(columns="geometry").to_dict("records") == [
        {"code": code, "name": "x", "level": level, "year": 2025, "gemeente_code": gemeente}
    ]
    assert list(out.columns) == list(COLUMNS)
    assert out.crs.to_epsg() == 4326


def test_tidy_layer_merges_duplicate_codes_into_one_multipolygon_when_asked():
    raw = raw_frame(WKC=["WK000102", "WK000102"], WKN=["B", "B"])
    out = tidy_layer(raw, "WKC", "WKN", level="wijk", year=2016, duplicates="merge")
    assert out["code"].tolist() == ["WK000102"] and out["code"].is_unique
    assert out.geometry.iloc[0].geom_type == "MultiPolygon"
    assert out.to_crs(b.METRIC_CRS).area.iloc[0] == pytest.approx(20_000, rel=1e-6)


def test_tidy_layer_does_not_modify_its_input():
    raw = raw_frame(WKC=[" WK000101 "], WKN=["A"])
    before = raw.copy()
    tidy_layer(raw, "WKC", "WKN", level="wijk", year=2024)
    assert raw.equals(before) and raw.crs == before.crs


@pytest.mark.parametrize("name", REAL_LAYERS)
def test_read_layer_reads_the_real_files_with_codes_as_codes(shared_data, name):
    file, code, label, level, year, kw, n, gemeenten = REAL_LAYERS[name]
    layer = read_layer(shared_data / "geo" / file, code, label, level=level, year=year, **kw)
    assert list(layer.columns) == list(COLUMNS)
    assert layer.crs.to_epsg() == 4326
    assert len(layer) == n
    assert layer["code"].is_unique
    assert layer["code"].str.fullmatch(b.CODE_PATTERNS[level]).all()
    assert layer["code"].is_monotonic_increasing
    assert (layer["name"] == layer["name"].str.strip()).all() and (layer["name"] != "").all()
    assert set(layer["level"]) == {level} and set(layer["year"]) == {year}
    assert (layer["gemeente_code"] == "GM" + layer["code"].str[2:6]).all()
    if gemeenten is not None:
        assert set(layer["gemeente_code"]) == gemeenten


def test_read_layer_national_2016_names_its_duplicate_code(shared_data):
    path = shared_data / "geo" / "wijken_2016_nl_rd.geojson"
    with pytest.raises(BoundaryError, match=r"wijken_2016_nl_rd\.geojson: 1 code\(s\).*WK191104"):
        read_layer(path, "WKC", "WKN", level="wijk", year=2016)


def test_read_layer_national_2016_is_reprojected_from_rd(shared_data):
    path = shared_data / "geo" / "wijken_2016_nl_rd.geojson"
    layer = read_layer(path, "WKC", "WKN", level="wijk", year=2016, duplicates="merge")
    minx, miny, maxx, maxy = layer.total_bounds
    assert 3.3 < minx < maxx < 7.3 and 50.7 < miny < maxy < 53.6
    wieringen = layer.set_index("code").loc["WK191104"]
    assert wieringen["name"] == "Wijk 04 Wieringen"
    assert shapely.get_num_geometries(wieringen.geometry) == 2


def test_read_layer_names_a_missing_field_and_the_fields_there_are(shared_data):
    path = shared_data / "geo" / "wijken_GM0344_utrecht_wgs84.geojson"
    message = r"wijken_GM0344_utrecht_wgs84\.geojson: veld 'WKC' ontbreekt \(velden: statcode, "
    with pytest.raises(BoundaryError, match=message):
        read_layer(path, "WKC", "statnaam", level="wijk", year=2024)


# --- fix_geometries ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("geometry", "geom_type", "area"),
    [
        (shapely.Polygon([(0, 0), (2, 2), (2, 0), (0, 2)]), "MultiPolygon", 2.0),  # bow tie
        (
            shapely.GeometryCollection(
                [shapely.box(0, 0, 1, 1), shapely.LineString([(5, 5), (6, 6)]), shapely.Point(9, 9)]
            ),
            "Polygon",
            1.0,
        ),
        (shapely.Polygon([(0, 0), (1, 1), (1, 2), (1, 1), (0, 0)]), "Polygon", 0.0),  # a line
        (shapely.LineString([(0, 0), (1, 1)]), "Polygon", 0.0),
        (None, "Polygon", 0.0),
        (shapely.box(0, 0, 3, 1), "Polygon", 3.0),
        (
            shapely.MultiPolygon([shapely.box(0, 0, 1, 1), shapely.box(3, 0, 4, 1)]),
            "MultiPolygon",
            2.0,
        ),
    ],
)
def test_fix_geometries_keeps_only_valid_polygonal_parts(geometry, geom_type, area):
    fixed = fix_geometries(gpd.GeoDataFrame(geometry=[geometry], crs="EPSG:28992"))
    result = fixed.geometry.iloc[0]
    assert result.geom_type == geom_type
    assert result.is_valid
    assert result.area == pytest.approx(area)


def test_fix_geometries_does_not_modify_its_input_nor_touch_valid_geometries(grid_2x2, bow_tie):
    layer = make_layer([*grid_2x2.geometry, bow_tie])
    before = layer.geometry.to_wkb()
    fixed = fix_geometries(layer)
    assert (layer.geometry.to_wkb() == before).all()
    assert (fixed.geometry.to_wkb()[:4] == before[:4]).all()
    assert fixed.is_valid.all() and not layer.is_valid.all()
    assert fixed.drop(columns="geometry").equals(layer.drop(columns="geometry"))


def test_fix_geometries_repairs_the_twelve_invalid_wijken_of_2016(shared_data):
    path = shared_data / "geo" / "wijken_2016_nl_rd.geojson"
    raw = read_layer(path, "WKC", "WKN", level="wijk", year=2016, duplicates="merge")
    assert (~raw.is_valid).sum() == 12
    with pytest.raises(BoundaryError, match="12 geometrie.*roep eerst fix_geometries aan"):
        simplify_for_web(raw)
    fixed = fix_geometries(raw)
    assert fixed.is_valid.all()
    assert set(fixed.geom_type) <= {"Polygon", "MultiPolygon"}
    # Two wijken (Wolderwijd, Markermeer: water) are empty in the source itself.
    assert fixed.loc[fixed.is_empty, "code"].tolist() == ["WK024316", "WK099590"]


# --- simplify_for_web: hand-made --------------------------------------------------------------


def test_simplify_for_web_keeps_shared_edges_where_per_feature_simplify_opens_gaps(grid_2x2):
    before = coverage_report(grid_2x2)
    settings = WebSettings(tolerance_m=10.0, decimals=5)
    web = simplify_for_web(grid_2x2, settings.tolerance_m, settings.decimals)
    after = coverage_report(web)
    naive = coverage_report(per_feature_simplify(grid_2x2, settings))

    assert before["n_overlaps"] == before["n_gaps"] == before["n_unmatched"] == 0
    assert after["n_vertices"] < before["n_vertices"] / 4
    assert (after["n_overlaps"], after["n_gaps"], after["n_unmatched"]) == (0, 0, 0)
    assert after["union_area_m2"] == pytest.approx(before["union_area_m2"], rel=1e-3)
    # Measured: 4 overlapping pairs (2 500 m²) and 24 slivers (2 500 m²) between the four.
    assert naive["n_overlaps"] > 0 and naive["n_gaps"] > 0 and naive["n_unmatched"] == 4
    assert naive["overlap_m2"] > 1_000 and naive["gap_m2"] > 1_000


def test_simplify_for_web_does_not_modify_its_input(grid_2x2):
    before = grid_2x2.to_wkb()
    simplify_for_web(grid_2x2, 30.0, 5)
    assert grid_2x2.crs.to_epsg() == 28992
    assert (grid_2x2.to_wkb() == before).all().all()


def test_simplify_for_web_keeps_an_area_that_cleaning_gives_to_its_neighbour():
    # The source overlaps: a small wijk lies entirely inside its neighbour. coverage_clean
    # hands the overlap to one of them, which would leave the small wijk empty.
    outer = shapely.box(X0, Y0, X0 + 1000, Y0 + 1000)
    inner = shapely.box(X0 + 400, Y0 + 400, X0 + 600, Y0 + 600)
    assert shapely.coverage_clean([outer, inner])[1].is_empty
    web = simplify_for_web(make_layer([outer, inner]), 10.0, 5)
    assert not web.is_empty.any()
    assert web.to_crs(b.METRIC_CRS).area.iloc[1] == pytest.approx(40_000, rel=0.01)


def test_simplify_for_web_refuses_when_an_area_is_smaller_than_the_grid():
    big = shapely.box(X0, Y0, X0 + 1000, Y0 + 1000)
    tiny = shapely.box(X0 + 2000, Y0, X0 + 2002, Y0 + 2)  # 2 x 2 m; 4 decimals ≈ 7 x 11 m
    layer = make_layer([big, tiny])
    with pytest.raises(BoundaryError, match="1 gebied.*4 decimalen: WK000102; kies meer"):
        simplify_for_web(layer, 10.0, 4)
    assert not simplify_for_web(layer, 10.0, 6).is_empty.any()


def test_simplify_for_web_keeps_features_that_were_empty_empty(grid_2x2):
    layer = make_layer([*grid_2x2.geometry, shapely.Polygon()])
    web = simplify_for_web(layer, 30.0, 5)
    assert web.is_empty.tolist() == [False] * 4 + [True]


@pytest.mark.parametrize(
    ("tolerance_m", "decimals", "message"),
    [(-1.0, 5, "tolerance_m moet >= 0"), (10.0, -1, "decimals moet tussen"), (10.0, 12, "tussen")],
)
def test_simplify_for_web_checks_its_settings(grid_2x2, tolerance_m, decimals, message):
    with pytest.raises(BoundaryError, match=message):
        simplify_for_web(grid_2x2, tolerance_m, decimals)


@pytest.mark.parametrize(
    ("level", "n_gemeenten", "expected"),
    [
        ("buurt", 1, b.WEB_DEFAULTS["buurt"]),
        ("wijk", 4, b.WEB_DEFAULTS["wijk"]),
        ("wijk", b.NATIONAL_MIN_GEMEENTEN - 1, b.WEB_DEFAULTS["wijk"]),
        ("wijk", b.NATIONAL_MIN_GEMEENTEN, b.WEB_DEFAULTS["national"]),
        ("buurt", 390, b.WEB_DEFAULTS["national"]),
    ],
)
def test_default_web_settings_by_level_and_extent(level, n_gemeenten, expected):
    codes = [f"GM{i:04d}" for i in range(n_gemeenten)]
    layer = gpd.GeoDataFrame(
        {"level": level, "gemeente_code": codes},
        geometry=[shapely.Point(0, 0)] * n_gemeenten,
        crs="EPSG:4326",
    )
    assert default_web_settings(layer) == expected


@pytest.mark.parametrize(("decimals", "metres"), [(3, 111.32), (4, 11.132), (5, 1.1132)])
def test_grid_width_m(decimals, metres):
    assert grid_width_m(decimals) == pytest.approx(metres)


# --- simplify_for_web: the real layers at the defaults ----------------------------------------


@pytest.mark.parametrize("name", REAL_LAYERS)
def test_simplify_for_web_real_layers_at_defaults(real_layers, reports, name):
    fixed, web = real_layers[name]
    source, result = reports[name]
    settings = default_web_settings(fixed)

    assert web.crs.to_epsg() == 4326
    assert web.drop(columns="geometry").equals(fixed.drop(columns="geometry"))
    assert web["code"].is_unique
    assert web.is_valid.all()
    assert (web.is_empty == fixed.is_empty).all(), "no area may vanish"
    assert decimals_used(web) <= settings.decimals
    assert result["n_vertices"] < source["n_vertices"]
    # Neighbours stay closed: no overlaps, no new gaps, (almost) all edges matched.
    assert result["n_overlaps"] == 0
    assert result["n_gaps"] <= source["n_gaps"]
    assert result["n_unmatched"] <= min(1, source["n_unmatched"])
    assert result["union_area_m2"] == pytest.approx(source["union_area_m2"], rel=1e-3)


@pytest.mark.parametrize("name", REAL_LAYERS)
def test_per_feature_simplify_opens_gaps_on_the_real_layers(real_layers, reports, name):
    fixed, _ = real_layers[name]
    _, result = reports[name]
    naive = coverage_report(per_feature_simplify(fixed, default_web_settings(fixed)))
    assert naive["n_overlaps"] + naive["n_gaps"] > result["n_overlaps"] + result["n_gaps"]


def test_simplified_sources_without_gaps_stay_without_gaps(reports):
    # SOURCES.md: the Leeuwarden and Utrecht files tile their gemeente exactly.
    for name in ("leeuwarden_wijken", "leeuwarden_buurten", "utrecht_wijken", "utrecht_buurten"):
        source, result = reports[name]
        assert source["n_gaps"] == source["n_overlaps"] == 0, name
        assert result["n_gaps"] == result["n_overlaps"] == result["n_unmatched"] == 0, name


def test_national_layer_geojson_is_at_most_one_megabyte(real_layers):
    _, web = real_layers["nl_wijken_2016"]
    payload = json.dumps(to_geojson(web), separators=(",", ":"), ensure_ascii=False)
    assert len(payload.encode()) < 1_000_000
    assert len(to_geojson(web)["features"]) == 2981 - 2  # Wolderwijd and Markermeer are empty


# --- close_gaps and the national 2024 layers ----------------------------------------------


def test_close_gaps_splits_a_long_sliver_among_its_neighbours():
    # Three 100 m squares under one 300 m strip, a 4 m sliver between them, water around.
    # coverage_clean would give the whole sliver (1 200 m²) to the strip (longest border).
    row = [square(i, 0) for i in range(3)]
    strip = shapely.box(X0, Y0 + 104, X0 + 300, Y0 + 204)
    frame = shapely.box(X0 - 50, Y0 - 50, X0 + 350, Y0 + 254).difference(
        shapely.box(X0, Y0, X0 + 300, Y0 + 204)
    )
    layer = make_layer([*row, strip, frame])
    before = layer.area.to_numpy()
    closed = close_gaps(layer, max_width_m=10)
    gained = closed.area.to_numpy() - before
    assert gained[:3] == pytest.approx([200, 200, 200], abs=20)
    assert gained[3] == pytest.approx(600, abs=30)
    assert gained[4] == pytest.approx(0, abs=1)
    assert coverage_report(closed)["n_gaps"] == 0
    assert coverage_report(close_gaps(layer, max_width_m=3))["n_gaps"] == 1  # 4 m: kept


def test_close_gaps_keeps_a_layer_without_narrow_holes():
    layer = make_layer([square(0, 0), square(1, 0)])
    assert close_gaps(layer, 50).geom_equals_exact(layer, 0).all()


@pytest.fixture(scope="module")
def national_2024(shared_data):
    """Return the snapshot's two national layers of 2024 and the water the build leaves out."""
    from data.snapshot import load_snapshot
    from snapshot_build.build import NOT_WIJKEN_GEMEENTEN, NOT_WIJKEN_NAMES

    geo = load_snapshot().geometry
    full = read_layer(
        shared_data / "geo" / "wijken_2024_nl_wgs84.geojson",
        "wijkcode",
        "wijknaam",
        level="wijk",
        year=2024,
        gemeente_field="gemeentecode",
    )
    water = full[
        full["name"].isin(NOT_WIJKEN_NAMES) | full["gemeente_code"].isin(NOT_WIJKEN_GEMEENTEN)
    ]
    layers = {
        lid: gpd.GeoDataFrame(geo[geo["layer"] == lid], crs=geo.crs)
        for lid in ("nl-wijken-2024", "nl-wijken-2024-land")
    }
    return layers, water


@pytest.mark.parametrize("layer_id", ["nl-wijken-2024", "nl-wijken-2024-land"])
def test_the_national_2024_layers_tile_the_land_without_gaps_or_overlaps(national_2024, layer_id):
    # The source has 9 874 slivers (51.6 km²) and 6 848 overlapping pairs (SOURCES.md: it was
    # simplified per feature); the build closes them. Holes left are "Groot water".
    layers, water = national_2024
    report = coverage_report(layers[layer_id], water)
    assert report["n_features"] == 3393
    assert report["n_empty"] == report["n_invalid"] == 0
    assert report["n_overlaps"] == 0
    assert (report["n_gaps"], report["gap_m2"]) == (0, 0.0)
    assert 20 <= report["n_water"] <= 62
    assert report["water_m2"] / 1e6 == pytest.approx(2_198, rel=0.02)  # the source: 2 198 km²


# --- coverage_report --------------------------------------------------------------------------


def square(i: int, j: int, size: float = 100.0) -> shapely.Polygon:
    """Return the square in column i, row j of a 100 m grid in RD."""
    return shapely.box(X0 + i * size, Y0 + j * size, X0 + (i + 1) * size, Y0 + (j + 1) * size)


@pytest.mark.parametrize(
    ("geoms", "expected"),
    [
        (
            [square(0, 0), square(1, 0)],
            {"n_overlaps": 0, "overlap_m2": 0.0, "n_gaps": 0, "gap_m2": 0.0, "n_unmatched": 0},
        ),
        (  # a ring of eight squares around an empty middle: one gap of 100 x 100 m
            [square(i, j) for i in range(3) for j in range(3) if (i, j) != (1, 1)],
            {"n_overlaps": 0, "n_gaps": 1, "gap_m2": 10_000.0, "area_m2": 80_000.0},
        ),
        (  # two squares overlapping by 50 x 100 m
            [square(0, 0), shapely.affinity.translate(square(0, 0), 50, 0)],
            {"n_overlaps": 1, "overlap_m2": 5_000.0, "union_area_m2": 15_000.0, "n_unmatched": 2},
        ),
        (  # neighbours that touch but whose shared edge has a vertex on one side only
            [square(0, 0), shapely.box(X0 + 100, Y0 - 50, X0 + 200, Y0 + 50)],
            {"n_overlaps": 0, "n_gaps": 0, "n_unmatched": 2},
        ),
        (
            [square(0, 0), shapely.Polygon([(0, 0), (2, 2), (2, 0), (0, 2)]), shapely.Polygon()],
            {"n_features": 3, "n_invalid": 1, "n_empty": 1, "n_parts": 3, "n_vertices": 10},
        ),
    ],
)
def test_coverage_report(geoms, expected):
    report = coverage_report(gpd.GeoDataFrame(geometry=geoms, crs="EPSG:28992"))
    assert {k: report[k] for k in expected} == pytest.approx(expected, abs=0.01)


def test_coverage_report_measures_square_metres_in_any_crs(grid_2x2):
    rd = coverage_report(grid_2x2)
    wgs84 = coverage_report(grid_2x2.to_crs(4326))
    assert wgs84["area_m2"] == pytest.approx(rd["area_m2"], rel=1e-6)
    assert rd["area_m2"] == pytest.approx(4_000_000)


# --- to_geojson -------------------------------------------------------------------------------


def test_to_geojson_is_a_compact_feature_collection(grid_2x2):
    web = simplify_for_web(grid_2x2, 30.0, 5)
    collection = to_geojson(web)
    assert set(collection) == {"type", "features", "bbox"}
    assert collection["bbox"] == pytest.approx(list(web.total_bounds))
    assert collection["type"] == "FeatureCollection"
    first = collection["features"][0]
    assert set(first) == {"type", "id", "properties", "geometry"}
    assert first["id"] == "WK000101"
    assert first["properties"] == {"code": "WK000101", "name": "Wijk 01"}
    assert first["geometry"] == json.loads(shapely.to_geojson(web.geometry.iloc[0]))
    assert json.loads(json.dumps(collection)) == collection  # plain lists, str, float


@pytest.mark.parametrize(
    ("id_field", "expected"), [("code", "WK000101"), ("gemeente_code", "GM0001"), ("year", 2024)]
)
def test_to_geojson_id_field(id_field, expected):
    layer = make_layer([shapely.box(5, 52, 5.1, 52.1)], crs="EPSG:4326")
    assert to_geojson(layer, id_field)["features"][0]["id"] == expected
    assert type(to_geojson(layer, id_field)["features"][0]["id"]) is type(expected)


def test_to_geojson_leaves_out_features_without_geometry():
    layer = make_layer([shapely.box(5, 52, 5.1, 52.1), shapely.Polygon(), None], crs="EPSG:4326")
    assert [f["id"] for f in to_geojson(layer)["features"]] == ["WK000101"]


@pytest.mark.parametrize(
    ("layer", "message"),
    [
        (make_layer([shapely.box(X0, Y0, X0 + 1, Y0 + 1)]), "verwacht EPSG:4326"),
        (make_layer([shapely.box(5, 52, 6, 53)], crs="EPSG:4326").drop(columns="name"), "'name'"),
    ],
)
def test_to_geojson_refuses(layer, message):
    with pytest.raises(BoundaryError, match=message):
        to_geojson(layer)


# --- GeoParquet storage -----------------------------------------------------------------------


def test_write_layer_round_trip_keeps_every_geometry_exactly(real_layers, tmp_path):
    _, web = real_layers["haaglanden_wijken"]
    write_layer(web, tmp_path / "wijken.parquet")
    stored = read_stored_layer(tmp_path / "wijken.parquet")
    assert (stored.geometry.to_wkb() == web.geometry.to_wkb()).all()
    assert stored.drop(columns="geometry").equals(web.drop(columns="geometry"))
    assert stored.crs.to_epsg() == 4326


def test_write_layer_is_reproducible_whatever_the_row_and_column_order(real_layers, tmp_path):
    _, web = real_layers["leeuwarden_buurten"]
    shuffled = web.sample(frac=1.0, random_state=1)[list(reversed(COLUMNS))]
    shuffled.index = shuffled.index + 1000
    write_layer(web, tmp_path / "a.parquet")
    write_layer(shuffled, tmp_path / "b.parquet")
    write_layer(web, tmp_path / "c.parquet")
    content = (tmp_path / "a.parquet").read_bytes()
    assert content == (tmp_path / "b.parquet").read_bytes() == (tmp_path / "c.parquet").read_bytes()
    stored = read_stored_layer(tmp_path / "b.parquet")
    assert list(stored.columns) == list(COLUMNS)
    assert stored["code"].is_monotonic_increasing
    assert stored.index.tolist() == list(range(len(web)))


def test_write_layer_refuses_a_layer_that_is_not_for_the_web(grid_2x2, tmp_path):
    with pytest.raises(BoundaryError, match="write_layer: verwacht EPSG:4326"):
        write_layer(grid_2x2, tmp_path / "x.parquet")
    with pytest.raises(BoundaryError, match="kolom 'year' ontbreekt"):
        write_layer(grid_2x2.to_crs(4326).drop(columns="year"), tmp_path / "x.parquet")
    twice = make_layer([shapely.box(5, 52, 5.1, 52.1)] * 2, "EPSG:4326", ["WK000101"] * 2)
    with pytest.raises(BoundaryError, match="meer dan eens voor: WK000101"):
        write_layer(twice, tmp_path / "x.parquet")


def test_read_stored_layer_names_a_missing_column(tmp_path):
    layer = make_layer([shapely.box(5, 52, 5.1, 52.1)], crs="EPSG:4326")
    layer.drop(columns="gemeente_code").to_parquet(tmp_path / "old.parquet")
    with pytest.raises(BoundaryError, match="old.parquet: kolom 'gemeente_code' ontbreekt"):
        read_stored_layer(tmp_path / "old.parquet")


# --- conventions ------------------------------------------------------------------------------


def test_boundaries_module_does_not_import_streamlit():
    tree = ast.parse(Path(b.__file__).read_text(encoding="utf-8"))
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in (
            node.names if isinstance(node, ast.Import) else [ast.alias(node.module or "")]
        )
    }
    assert "streamlit" not in imported
