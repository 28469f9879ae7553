"""Wijk and buurt boundaries: read, repair, simplify as a coverage, and store for the web map.

The snapshot build runs ``read_layer`` → ``fix_geometries`` → ``simplify_for_web`` →
``write_layer``; the app runs ``read_stored_layer`` → ``to_geojson`` and hands the result to a
plotly ``Choroplethmap`` (``featureidkey="properties.code"`` or the feature ``id``).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import orjson
import pandas as pd
import pyproj
import shapely

from analysis.regions import gemeente_codes

#: Prefix and digits of a CBS region code per level ("WK008010" = gemeente 0080, wijk 10).
#: Since 2024 Amsterdam numbers its wijken and buurten with capitals (WK0363AA, BU0363AA01).
CODE_PATTERNS = {
    "gemeente": r"GM\d{4}",
    "wijk": r"WK\d{4}[0-9A-Z]{2}",
    "buurt": r"BU\d{4}[0-9A-Z]{4}",
}

#: Columns of every layer this module returns, in this order.
COLUMNS = ("code", "name", "level", "year", "gemeente_code", "geometry")

#: CRS of stored layers and of the GeoJSON for plotly.
WEB_CRS = "EPSG:4326"
_WEB = pyproj.CRS(WEB_CRS)


@functools.lru_cache(maxsize=16)
def _is_web_srs(srs: str) -> bool:
    return bool(pyproj.CRS(srs).equals(_WEB))


def is_web(crs: pyproj.CRS | None) -> bool:
    """Tell whether a layer's CRS is `WEB_CRS`, remembered per CRS text.

    pyproj keeps its C object per thread, and Streamlit runs every script in a new thread: a
    plain ``crs.equals(...)`` rebuilt it on each call (3–6 ms, several per first visit of a
    gemeente's map).

    Examples
    --------
    >>> is_web(pyproj.CRS("EPSG:4326")), is_web(pyproj.CRS("EPSG:28992")), is_web(None)
    (True, False, False)
    """
    return crs is not None and _is_web_srs(crs.srs)


#: Metric CRS (RD New) in which tolerances are metres and areas square metres.
METRIC_CRS = "EPSG:28992"

#: Length of one degree of latitude (WGS84, mean), for grid sizes in metres.
METRES_PER_DEGREE_LAT = 111_320.0

#: Overlaps smaller than this (1 dm²) are floating-point noise, not overlaps.
OVERLAP_NOISE_M2 = 0.01


class BoundaryError(ValueError):
    """A boundary layer is not what this module expects."""


@dataclass(frozen=True)
class WebSettings:
    """Simplification settings for one kind of layer.

    Parameters
    ----------
    tolerance_m : float
        Coverage-simplification tolerance in metres (roughly the square root of the area of
        the triangles that may be removed).
    decimals : int
        Decimals kept in longitude and latitude (4 ≈ 7 × 11 m, 5 ≈ 0.7 × 1.1 m here).
    """

    tolerance_m: float
    decimals: int


#: Defaults for ``simplify_for_web``, measured on the real layers in ../shared/data/geo
#: (see ``simplify_for_web``). "national" applies when a layer spans at least
#: ``NATIONAL_MIN_GEMEENTEN`` gemeenten, whatever its level.
WEB_DEFAULTS = {
    "buurt": WebSettings(tolerance_m=10.0, decimals=5),
    "wijk": WebSettings(tolerance_m=10.0, decimals=5),
    "national": WebSettings(tolerance_m=600.0, decimals=4),
}

#: A layer with at least this many gemeenten is drawn as a national map (a region such as
#: Haaglanden has 4; the Netherlands had 390 in 2016).
NATIONAL_MIN_GEMEENTEN = 50


def read_layer(
    path: Path,
    code_field: str,
    name_field: str,
    *,
    level: str,
    year: int,
    gemeente_field: str | None = None,
    duplicates: str = "raise",
) -> gpd.GeoDataFrame:
    """Read a wijk or buurt boundary file into the layer layout of this project.

    Parameters
    ----------
    path : Path
        Any vector file pyogrio reads (GeoJSON, GeoPackage, shapefile) with a CRS.
    code_field, name_field : str
        Fields holding the CBS code (``WK008010``, ``BU03440000``) and the name.
    level : {"gemeente", "wijk", "buurt"}
        What the features are; every code must have the matching prefix.
    year : int
        Year of the CBS indeling (boundaries change every year).
    gemeente_field : str, optional
        Field holding the gemeente code; by default it is derived from the code
        (``"GM" + code[2:6]``).
    duplicates : {"raise", "merge"}
        What to do with features sharing a code: refuse (default), or merge them into one
        MultiPolygon when their names agree (the national 2016 layer has WK191104 twice).

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``code, name, level, year, gemeente_code, geometry`` in EPSG:4326, one row per
        code, sorted by code, geometries as read (not repaired; see `fix_geometries`).

    Raises
    ------
    BoundaryError
        Naming the file and the missing field, malformed code or duplicate codes.

    Examples
    --------
    >>> from paths import SHARED_DATA
    >>> layer = read_layer(SHARED_DATA / "geo" / "wijken_GM0344_utrecht_wgs84.geojson",
    ...                    "statcode", "statnaam", level="wijk", year=2024)
    >>> layer.iloc[0][["code", "name", "gemeente_code"]].tolist(), layer.crs.to_epsg()
    (['WK034401', 'Wijk 01 West', 'GM0344'], 4326)
    """
    import pyogrio  # only the snapshot build reads boundary files: not on the app's cold start

    path = Path(path)
    wanted = [code_field, name_field] + ([gemeente_field] if gemeente_field else [])
    fields = list(pyogrio.read_info(path)["fields"])
    missing = [f for f in wanted if f not in fields]
    if missing:
        raise BoundaryError(
            f"{path.name}: veld {missing[0]!r} ontbreekt (velden: {', '.join(fields)})"
        )
    raw = pyogrio.read_dataframe(path, columns=wanted)
    return tidy_layer(
        raw,
        code_field,
        name_field,
        level=level,
        year=year,
        gemeente_field=gemeente_field,
        duplicates=duplicates,
        source=path.name,
    )


def tidy_layer(
    raw: gpd.GeoDataFrame,
    code_field: str,
    name_field: str,
    *,
    level: str,
    year: int,
    gemeente_field: str | None = None,
    duplicates: str = "raise",
    source: str = "layer",
) -> gpd.GeoDataFrame:
    """Validate and tidy a boundary frame as read from a file (pure; see `read_layer`).

    Examples
    --------
    >>> raw = gpd.GeoDataFrame({"WKC": [" WK000300 "], "WKN": ["Wijk 00"]},
    ...                        geometry=[shapely.box(250000, 590000, 251000, 591000)],
    ...                        crs="EPSG:28992")
    >>> out = tidy_layer(raw, "WKC", "WKN", level="wijk", year=2016)
    >>> out.drop(columns="geometry").to_dict("list")  # doctest: +NORMALIZE_WHITESPACE
    {'code': ['WK000300'], 'name': ['Wijk 00'], 'level': ['wijk'], 'year': [2016],
     'gemeente_code': ['GM0003']}
    >>> out.crs.to_epsg()
    4326
    """
    if level not in CODE_PATTERNS:
        raise BoundaryError(f"level {level!r} is onbekend (verwacht: {', '.join(CODE_PATTERNS)})")
    if duplicates not in ("raise", "merge"):
        raise BoundaryError(f"duplicates {duplicates!r} is onbekend (verwacht: raise of merge)")
    for field in [code_field, name_field] + ([gemeente_field] if gemeente_field else []):
        if field not in raw.columns:
            raise BoundaryError(f"{source}: veld {field!r} ontbreekt")
    if raw.crs is None:
        raise BoundaryError(f"{source}: geen CRS; geef het bestand een CRS (bv. EPSG:28992)")

    codes = _clean_strings(raw[code_field])
    bad = ~codes.str.fullmatch(CODE_PATTERNS[level])
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise BoundaryError(
            f"{source}, feature {row}, veld {code_field!r}: {codes.iloc[row]!r} is geen "
            f"{level}code (verwacht: {CODE_PATTERNS[level]})"
        )
    gemeente = (
        _gemeente_codes(raw[gemeente_field], codes, source, gemeente_field)
        if gemeente_field
        else gemeente_codes(codes)
    )
    out = gpd.GeoDataFrame(
        {
            "code": codes.to_numpy(),
            "name": _clean_strings(raw[name_field]).to_numpy(),
            "level": level,
            "year": np.int64(year),
            "gemeente_code": gemeente.to_numpy(),
        },
        geometry=raw.geometry.to_numpy(),
        crs=raw.crs,
    )
    dup = sorted(set(out.loc[out["code"].duplicated(), "code"]))
    if dup and duplicates == "raise":
        raise BoundaryError(
            f"{source}: {len(dup)} code(s) komen meer dan eens voor: {', '.join(dup[:10])} "
            "(geef duplicates='merge' om ze samen te voegen)"
        )
    if dup:
        out = _merge_duplicates(out, dup, source)
    if not is_web(out.crs):
        out = out.to_crs(WEB_CRS)
    return _layout(out)


def fix_geometries(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Make every geometry a valid Polygon or MultiPolygon, keeping only polygonal parts.

    ``make_valid`` on a self-intersecting ring can return a GeometryCollection with lines and
    points, which coverage simplification refuses ("incorrect geometry type"); those parts
    have no area and are dropped. Valid polygonal geometries are returned unchanged, a missing
    geometry becomes an empty Polygon. The input is not modified.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Any layer; the CRS is kept.

    Returns
    -------
    geopandas.GeoDataFrame
        A copy with valid, polygonal geometries.

    Examples
    --------
    >>> bow_tie = shapely.Polygon([(0, 0), (2, 2), (2, 0), (0, 2)])
    >>> fixed = fix_geometries(gpd.GeoDataFrame(geometry=[bow_tie], crs="EPSG:28992"))
    >>> fixed.geometry.iloc[0].geom_type, bool(fixed.is_valid.all()), float(fixed.area.iloc[0])
    ('MultiPolygon', True, 2.0)
    """
    geoms = np.asarray(gdf.geometry.to_numpy(), dtype=object)
    missing = pd.isna(geoms)
    geoms = np.where(missing, shapely.Polygon(), geoms)
    polygonal = np.isin(shapely.get_type_id(geoms), _POLYGONAL_IDS)
    broken = ~(shapely.is_valid(geoms) & polygonal)
    if broken.any():
        repaired = shapely.make_valid(geoms[broken], method="structure", keep_collapsed=False)
        geoms[broken] = [_polygonal_part(g) for g in repaired]
    return gdf.set_geometry(gpd.GeoSeries(geoms, index=gdf.index, crs=gdf.crs))


def close_gaps(gdf: gpd.GeoDataFrame, max_width_m: float) -> gpd.GeoDataFrame:
    """Share out the slivers between neighbours among them, each bit to its nearest feature.

    A source simplified per feature leaves thin holes between neighbours. ``coverage_clean``
    can close them, but gives each hole whole to the neighbour with the longest shared border:
    a sliver 1 km long along four wijken went to one of them (Klaarwater in Soest grew 11 %,
    so it no longer matched its 2016 self). Here every hole in the union narrower than
    ``max_width_m`` (the diameter of the largest circle in it) gets vertices at most
    ``2 * max_width_m`` apart and is cut into constrained Delaunay triangles, which then span
    the sliver from side to side; each triangle goes to the feature nearest its centroid, so
    the sliver is split roughly down its middle.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        A layer with valid polygonal geometries (`fix_geometries`), any CRS.
    max_width_m : float
        Holes at least this wide are kept (lakes, water left out of the layer).

    Returns
    -------
    geopandas.GeoDataFrame
        A copy in the same CRS with the narrow holes shared out, valid (not yet on any grid).

    Examples
    --------
    >>> left, right = shapely.box(0, 0, 100, 100), shapely.box(104, 0, 200, 100)
    >>> lake = [shapely.box(-50, -50, 250, 0), shapely.box(-50, 100, 250, 150),
    ...         shapely.box(-50, 0, 0, 100), shapely.box(200, 0, 250, 100)]
    >>> layer = gpd.GeoDataFrame(geometry=[left, right, *lake], crs="EPSG:28992")
    >>> closed = close_gaps(layer, max_width_m=10)
    >>> [round(a) for a in closed.area[:2]], coverage_report(closed)["n_gaps"]
    ([10200, 9800], 0)
    """
    metric = gdf.to_crs(METRIC_CRS) if not gdf.crs.equals(METRIC_CRS) else gdf
    geoms = np.asarray(metric.geometry.to_numpy(), dtype=object).copy()
    geoms = np.where(pd.isna(geoms), shapely.Polygon(), geoms)
    union = shapely.union_all(geoms)
    holes = np.array(
        [shapely.Polygon(r) for p in shapely.get_parts(union) for r in p.interiors],
        dtype=object,
    )
    if len(holes):
        width = 2 * shapely.length(shapely.maximum_inscribed_circle(holes, 0.5))
        narrow = width < max_width_m
        # Vertices at most twice the widest sliver apart, so no triangle runs far along it.
        holes = shapely.segmentize(holes[narrow], 2 * max_width_m)
    if len(holes) == 0:
        return gdf.copy()
    triangles = shapely.get_parts(shapely.constrained_delaunay_triangles(holes))
    triangles = triangles[shapely.area(triangles) > 0]
    usable = np.flatnonzero(~shapely.is_empty(geoms))
    tri_idx, feat_idx = shapely.STRtree(geoms[usable]).query_nearest(
        shapely.centroid(triangles), all_matches=False
    )
    owner = usable[feat_idx]
    for i in np.unique(owner):
        geoms[i] = _polygonal_part(shapely.union_all([geoms[i], *triangles[tri_idx[owner == i]]]))
    out = metric.set_geometry(gpd.GeoSeries(geoms, index=metric.index, crs=METRIC_CRS))
    out = out.to_crs(gdf.crs) if not gdf.crs.equals(METRIC_CRS) else out
    # Reprojecting a union of thin triangles can pinch a ring: valid again, as it came in
    # (the union of the valid parts, so no two parts share an edge).
    geoms = np.asarray(out.geometry.to_numpy(), dtype=object)
    bad = ~shapely.is_valid(geoms)
    geoms[bad] = [
        _polygonal_part(shapely.union_all(shapely.get_parts(_polygonal_part(g))))
        for g in shapely.make_valid(geoms[bad], method="structure", keep_collapsed=False)
    ]
    return out.set_geometry(gpd.GeoSeries(geoms, index=out.index, crs=out.crs))


def default_web_settings(gdf: gpd.GeoDataFrame) -> WebSettings:
    """Pick the `WEB_DEFAULTS` entry for a layer: national, else by its level.

    Examples
    --------
    >>> layer = gpd.GeoDataFrame({"level": ["buurt"], "gemeente_code": ["GM0308"]},
    ...                          geometry=[shapely.box(0, 0, 1, 1)], crs="EPSG:4326")
    >>> default_web_settings(layer)
    WebSettings(tolerance_m=10.0, decimals=5)
    """
    if gdf["gemeente_code"].nunique() >= NATIONAL_MIN_GEMEENTEN:
        return WEB_DEFAULTS["national"]
    levels = sorted(set(gdf["level"]))
    if len(levels) != 1 or levels[0] not in WEB_DEFAULTS:
        raise BoundaryError(f"geen standaardinstelling voor level {levels} (verwacht één level)")
    return WEB_DEFAULTS[levels[0]]


def simplify_for_web(
    gdf: gpd.GeoDataFrame,
    tolerance_m: float | None = None,
    decimals: int | None = None,
    *,
    gap_width_m: float | None = None,
) -> gpd.GeoDataFrame:
    """Simplify a layer as a coverage, so neighbours keep sharing their edges, for the web.

    Steps, and why in this order:

    1. Snap every geometry to the web grid (``10**-decimals`` degrees, EPSG:4326) with
       ``shapely.set_precision``, at full detail, where few things are small enough to
       collapse.
    2. ``shapely.coverage_clean`` in EPSG:28992: snapping each feature on its own bends some
       shared edges differently on either side; cleaning makes shared edges identical again,
       resolves overlaps in the source (the 2016 layer has 59 overlapping pairs, 19 200 m²)
       and closes gaps narrower than ``gap_width_m`` (at least one grid cell, `grid_width_m`,
       which cannot be drawn at this precision anyway; the 2016 layer: 193 holes → 95, the
       rest are wide waters).
    3. Back to EPSG:4326 and onto the grid (`_settle`): the nodes cleaning added are rounded,
       which can make a neighbour cross an edge by a few m² (the 2024 national wijken: 18
       pairs); a ``coverage_clean`` in EPSG:4326, without snapping, nodes those crossings
       and the result is rounded again, until the coverage is valid (one pass there).
    4. ``shapely.coverage_simplify`` (Visvalingam–Whyatt over the shared edges) in EPSG:28992,
       so ``tolerance_m`` is metres. It only removes vertices of a valid coverage, so it
       cannot open gaps between neighbours or make them overlap.
    5. ``coverage_clean`` again with ``gap_width_m``, back to the grid (`_settle`):
       simplifying the outline of the coverage can pinch off a narrow inlet as a hole that
       belongs to no feature (the 2024 national wijken at 600 m: 16 such holes, 0.05 km²).

    The obvious order, simplify first and round last, was measured on the 2016 layer
    (250 m, 4 decimals): with ``set_precision`` 3 overlapping pairs (1 900 m²), with plain
    rounding 27 pairs (8 700 m²), and 47 features whose edges no longer matched in both;
    this order leaves 0 overlaps and 1 feature with an unmatched edge (source: 96). Per-feature
    ``simplify`` at the defaults opens gaps and overlaps on every real layer (2016 layer:
    3 979 overlapping pairs, 2 703 holes; Baarn: 17 pairs, 25 holes); see the tests.

    No area vanishes: a feature that ends up empty (cleaning gives an area that lies inside
    its neighbour to that neighbour) gets its snapped, unsimplified geometry back, and the
    neighbours give that area up, so nothing overlaps; if even that is empty at this many
    decimals, ``BoundaryError`` names it. Features empty in the input stay empty.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        A layer from `read_layer` made valid by `fix_geometries`, any CRS.
    tolerance_m : float, optional
        Simplification tolerance in metres; default from `default_web_settings`.
    decimals : int, optional
        Decimals of longitude and latitude; default from `default_web_settings`.
    gap_width_m : float, optional
        Holes in the coverage narrower than this (the diameter of the largest circle that
        fits in them) are given to a neighbour: slivers a per-feature simplified source left
        between its features. Default and minimum: one grid cell (`grid_width_m`).

    Returns
    -------
    geopandas.GeoDataFrame
        Same rows and columns, EPSG:4326, valid polygonal geometries with at most
        ``decimals`` decimals.

    Raises
    ------
    BoundaryError
        If a geometry is invalid or not polygonal (run `fix_geometries` first), or a
        non-empty feature cannot be kept non-empty at ``decimals``.

    Notes
    -----
    `WEB_DEFAULTS`, measured with this function on the files in ../shared/data/geo (GeoJSON
    from `to_geojson`, ``json.dumps`` with compact separators; gaps = holes in the union,
    overlaps = pairs overlapping > 1 dm²; source → result):

    ========================  ========  ================  ==============  ======  ========  ========
    layer (features)          settings  vertices          GeoJSON bytes   time    gaps      overlaps
    ========================  ========  ================  ==============  ======  ========  ========
    NL wijken 2016 (2981)     600 m, 4  196 909 → 31 666  7.98 M → 960 k  0.8 s   193 → 95  59 → 0
    NL wijken 2024 (3393) *   600 m, 4  115 185 → 36 299  2.6 M → 1.09 M  ~9 s    9874 → 0  6848 → 0
    Haaglanden wijken (72)    10 m, 5   37 137 → 5 102    1.43 M → 106 k  0.09 s  1 → 0     0 → 0
    Baarn buurten (21)        10 m, 5   3 084 → 931       73 k → 21 k     0.01 s  0 → 0     0 → 0
    Leeuwarden buurten (136)  10 m, 5   2 130 → 2 121     60 k → 59 k     0.01 s  0 → 0     0 → 0
    Utrecht buurten (111)     10 m, 5   1 143 → 1 141     39 k → 38 k     0.01 s  0 → 0     0 → 0
    ========================  ========  ================  ==============  ======  ========  ========

    (*) The 2024 file without "Groot water", after `close_gaps` (100 m; the build's
    ``SLIVER_WIDTH_2024_M``), which takes most of the time; gaps are holes that are not
    left-out water (``coverage_report(..., left_out=...)``), 26 such water holes remain.

    National: about 300 km across, so at the zoom that fits it one screen pixel is
    300–500 m and 600 m is one to two pixels. It is the tolerance that brings the plotly
    figure to 1/8 of the 8.38 MB unsimplified one (1.03 MB with 2 981 values; GeoJSON
    100 m: 2.06 MB, 250 m: 1.32 MB, 400 m: 1.09 MB, 500 m: 1.01 MB). 3 decimals
    (≈ 70 × 110 m cells) would close lakes as "gaps" (hole area 863 → 148 km²), so 4.
    Gemeente layers (buurt or wijk) are 5–25 km across and users zoom in on a buurt:
    10 m is below a pixel at full width and keeps outlines recognisable; 5 decimals
    (≈ 1 m) is what the Leeuwarden and Utrecht sources carry. Haaglanden at 5 m: 169 kB,
    20 m: 69 kB.

    Examples
    --------
    >>> squares = gpd.GeoDataFrame(
    ...     {"code": ["WK000101", "WK000102"]},
    ...     geometry=[shapely.box(150000, 450000, 151000, 451000).segmentize(10),
    ...               shapely.box(151000, 450000, 152000, 451000).segmentize(10)],
    ...     crs="EPSG:28992")
    >>> web = simplify_for_web(squares, tolerance_m=50, decimals=5)
    >>> web.crs.to_epsg(), int(shapely.get_num_coordinates(web.geometry.values).sum())
    (4326, 10)
    >>> coverage_report(web)["overlap_m2"], coverage_report(web)["n_gaps"]
    (0.0, 0)
    """
    if tolerance_m is None or decimals is None:
        defaults = default_web_settings(gdf)
        tolerance_m = defaults.tolerance_m if tolerance_m is None else tolerance_m
        decimals = defaults.decimals if decimals is None else decimals
    if tolerance_m < 0:
        raise BoundaryError(f"tolerance_m moet >= 0 zijn, kreeg {tolerance_m}")
    if not 0 <= decimals <= 9:
        raise BoundaryError(f"decimals moet tussen 0 en 9 liggen, kreeg {decimals}")
    _require_valid_polygons(gdf)

    grid = 10.0**-decimals
    gap = max(gap_width_m or 0.0, grid_width_m(decimals))
    web = gdf if is_web(gdf.crs) else gdf.to_crs(WEB_CRS)
    was_empty = shapely.is_empty(web.geometry.to_numpy())
    snapped = shapely.set_precision(web.geometry.to_numpy(), grid)
    _require_kept(snapped, was_empty, web, decimals, "op het raster")

    metric = _reproject(snapped, WEB_CRS, METRIC_CRS)
    cleaned = _settle(shapely.coverage_clean(metric, gap_width=gap), decimals)
    simplified = shapely.coverage_simplify(_reproject(cleaned, WEB_CRS, METRIC_CRS), tolerance_m)
    if not shapely.coverage_is_valid(simplified, gap_width=gap):  # a pinched inlet (step 5)
        simplified = shapely.coverage_clean(simplified, gap_width=gap)
    result = _settle(simplified, decimals)

    # Never let an area vanish: fall back to the unsimplified, snapped geometry, taken out
    # of the neighbours that cleaning gave it to.
    lost = shapely.is_empty(result) & ~was_empty
    if lost.any():
        result = _restore(result, snapped, lost, grid)
    return web.set_geometry(gpd.GeoSeries(result, index=web.index, crs=WEB_CRS))


#: Passes of `_settle` before it gives up making a rounded coverage valid.
SETTLE_PASSES = 5


def _settle(metric: np.ndarray, decimals: int) -> np.ndarray:
    """Bring a clean coverage in EPSG:28992 back to EPSG:4326 and onto the grid, still clean.

    Rounding moves the nodes cleaning added; where that makes a feature invalid it is
    repaired on the grid, and where it makes neighbours cross (``coverage_is_valid`` is
    false), a ``coverage_clean`` without snapping nodes the crossings and the result is
    rounded again, up to `SETTLE_PASSES` times.
    """
    grid = 10.0**-decimals
    geoms = _round(_reproject(metric, METRIC_CRS, WEB_CRS), decimals)
    for _ in range(SETTLE_PASSES):
        invalid = ~shapely.is_valid(geoms)
        geoms[invalid] = [_repair_on_grid(g, grid) for g in geoms[invalid]]
        if shapely.coverage_is_valid(geoms):
            break
        geoms = _round(shapely.coverage_clean(geoms, snapping_distance=0.0), decimals)
    return geoms


def _restore(result: np.ndarray, snapped: np.ndarray, lost: np.ndarray, grid: float) -> np.ndarray:
    """Give lost features their snapped geometry back and take it out of their neighbours."""
    result = result.copy()
    back = snapped[lost]
    result[lost] = back
    others = np.flatnonzero(~lost)
    tree = shapely.STRtree(result[others])
    _, hits = tree.query(back, predicate="intersects")
    for i in np.unique(others[hits]):
        cut = shapely.difference(result[i], shapely.union_all(back), grid_size=grid)
        result[i] = _polygonal_part(cut)
    return result


def _repair_on_grid(geom: shapely.Geometry, grid: float) -> shapely.Geometry:
    """Make a geometry valid on the grid; GEOS can refuse one (a hole it cannot place).

    The 2024 national wijken have one such ring ("unable to assign free hole to a shell"):
    then the geometry is made valid first, keeping its polygonal part, and snapped again.
    """
    try:
        return shapely.set_precision(geom, grid)
    except shapely.errors.GEOSException:
        fixed = _polygonal_part(shapely.make_valid(geom, method="structure"))
        try:
            return shapely.set_precision(fixed, grid)
        except shapely.errors.GEOSException:
            return fixed


def grid_width_m(decimals: int) -> float:
    """Return the north-south size in metres of one cell of a ``10**-decimals`` degree grid.

    A gap between neighbours narrower than this cannot be drawn at that precision; snapping
    to the grid opens such slivers, and `simplify_for_web` closes them.

    Examples
    --------
    >>> round(grid_width_m(4), 1), round(grid_width_m(5), 2)
    (11.1, 1.11)
    """
    return METRES_PER_DEGREE_LAT * 10.0**-decimals


def coverage_report(
    gdf: gpd.GeoDataFrame, left_out: gpd.GeoDataFrame | None = None
) -> dict[str, float]:
    """Describe how well a layer tiles its area: validity, overlaps, gaps and size.

    Topology is measured in the layer's own CRS (where its edges are straight lines);
    areas are converted to m² in EPSG:28992. Invalid geometries are made valid for the
    area measures only, so the report never raises on a broken layer.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Any polygon layer with a CRS.
    left_out : geopandas.GeoDataFrame, optional
        Areas left out of the layer on purpose (the 2024 file's "Groot water"): a hole in
        the union that lies mostly (over half its area) in them is counted as water, not
        as a gap.

    Returns
    -------
    dict
        ``n_features``, ``n_empty``, ``n_invalid``, ``n_parts`` (polygons), ``n_vertices``;
        ``area_m2`` (sum of the features), ``union_area_m2``; ``n_overlaps`` (pairs of
        features overlapping more than 1 dm²) and ``overlap_m2`` (sum of those pairwise
        overlaps); ``n_gaps`` and ``gap_m2`` (holes in the union, i.e. area inside the
        outline that no feature covers, islands in them not counted: lakes left out of the
        source, and slivers between neighbours); ``n_unmatched`` (features with an edge that
        does not match its neighbour's exactly, per ``shapely.coverage_invalid_edges``);
        with ``left_out`` also
        ``n_water`` and ``water_m2``, the holes that are left-out areas, which are then not
        in ``n_gaps`` and ``gap_m2``.

    Examples
    --------
    >>> grid = gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 10, 10), shapely.box(10, 0, 20, 10),
    ...                                   shapely.box(25, 0, 30, 10)], crs="EPSG:28992")
    >>> report = coverage_report(grid)
    >>> report["area_m2"], report["n_overlaps"], report["n_gaps"], report["n_unmatched"]
    (250.0, 0, 0, 0)
    >>> ring = gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 30, 30).difference(
    ...     shapely.box(10, 10, 20, 20))], crs="EPSG:28992")
    >>> lake = gpd.GeoDataFrame(geometry=[shapely.box(10, 10, 20, 19)], crs="EPSG:28992")
    >>> {k: coverage_report(ring, lake)[k] for k in ("n_gaps", "n_water", "water_m2")}
    {'n_gaps': 0, 'n_water': 1, 'water_m2': 100.0}
    """
    if gdf.crs is None:
        raise BoundaryError("coverage_report: de laag heeft geen CRS")
    geoms = np.asarray(gdf.geometry.to_numpy(), dtype=object)
    geoms = np.where(pd.isna(geoms), shapely.Polygon(), geoms)
    valid = shapely.is_valid(geoms)
    usable = geoms.copy()
    if (~valid).any():
        usable[~valid] = [_polygonal_part(g) for g in shapely.make_valid(geoms[~valid])]

    left, right = shapely.STRtree(usable).query(usable, predicate="intersects")
    pairs = left < right
    overlaps = _area_m2(shapely.intersection(usable[left[pairs]], usable[right[pairs]]), gdf.crs)
    union = shapely.union_all(usable)
    shells = [p for p in shapely.get_parts(union) if p.geom_type == "Polygon"]
    holes = np.array([shapely.Polygon(ring) for p in shells for ring in p.interiors], dtype=object)
    # An island in a lake lies inside the lake's ring but is no part of the hole.
    if len(holes):
        holes = shapely.difference(holes, union)
    unmatched = shapely.coverage_invalid_edges(usable)
    water = np.zeros(len(holes), dtype=bool)
    if left_out is not None and len(holes):
        lake = shapely.union_all(fix_geometries(left_out.to_crs(gdf.crs)).geometry.to_numpy())
        inside = shapely.area(shapely.intersection(holes, lake))
        water = inside > 0.5 * shapely.area(holes)
    extra = (
        {"n_water": int(water.sum()), "water_m2": float(_area_m2(holes[water], gdf.crs).sum())}
        if left_out is not None
        else {}
    )
    holes = holes[~water]
    return {
        "n_features": len(geoms),
        "n_empty": int(shapely.is_empty(geoms).sum()),
        "n_invalid": int((~valid).sum()),
        "n_parts": int(shapely.get_num_geometries(geoms).sum()),
        "n_vertices": int(shapely.get_num_coordinates(geoms).sum()),
        "area_m2": float(_area_m2(usable, gdf.crs).sum()),
        "union_area_m2": float(_area_m2(np.array([union], dtype=object), gdf.crs).sum()),
        "n_overlaps": int((overlaps > OVERLAP_NOISE_M2).sum()),
        "overlap_m2": float(overlaps[overlaps > OVERLAP_NOISE_M2].sum()),
        "n_gaps": len(holes),
        "gap_m2": float(_area_m2(holes, gdf.crs).sum()),
        "n_unmatched": int((~shapely.is_empty(unmatched)).sum()),
        **extra,
    }


def to_geojson(gdf: gpd.GeoDataFrame, id_field: str = "code") -> dict[str, Any]:
    """Build a compact GeoJSON FeatureCollection for plotly.

    Each feature carries ``id`` (from ``id_field``) and the properties ``code`` and ``name``
    only; no CRS member, coordinates exactly as stored (EPSG:4326, already rounded). The
    collection has its ``bbox`` (RFC 7946 §5), so a map can be fitted to it without walking
    every vertex (`analysis.charts.bounds`: 20 ms for the national wijken). Features without
    geometry are left out: there is nothing to draw.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        A layer in EPSG:4326 with ``code`` and ``name``.
    id_field : str
        Column used as feature ``id`` (plotly's default ``featureidkey``).

    Returns
    -------
    dict
        ``{"type": "FeatureCollection", "features": [...]}``, ready for ``json.dumps``.

    Examples
    --------
    >>> layer = gpd.GeoDataFrame({"code": ["BU03080000"], "name": ["Centrum"]},
    ...                          geometry=[shapely.box(5.28, 52.21, 5.29, 52.22)],
    ...                          crs="EPSG:4326")
    >>> feature = to_geojson(layer)["features"][0]
    >>> feature["id"], feature["properties"], feature["geometry"]["coordinates"][0][0]
    ('BU03080000', {'code': 'BU03080000', 'name': 'Centrum'}, [5.29, 52.21])
    >>> to_geojson(layer)["bbox"]
    [5.28, 52.21, 5.29, 52.22]
    """
    for column in ("code", "name", id_field):
        if column not in gdf.columns:
            raise BoundaryError(f"to_geojson: kolom {column!r} ontbreekt")
    if not is_web(gdf.crs):
        raise BoundaryError(f"to_geojson: verwacht {WEB_CRS}, kreeg {gdf.crs}")
    geoms = np.asarray(gdf.geometry.to_numpy(), dtype=object)
    missing = pd.isna(geoms)
    keep = ~(missing | shapely.is_empty(np.where(missing, np.array(None), geoms)))
    texts = shapely.to_geojson(geoms[keep])
    rows = zip(
        gdf[id_field].to_numpy()[keep],
        gdf["code"].to_numpy()[keep],
        gdf["name"].to_numpy()[keep],
        texts,
        strict=True,
    )
    features = [
        {
            "type": "Feature",
            "id": _plain(ident),
            "properties": {"code": str(code), "name": str(name)},
            "geometry": json.loads(text),
        }
        for ident, code, name, text in rows
    ]
    collection: dict[str, Any] = {"type": "FeatureCollection", "features": features}
    if features:
        collection["bbox"] = [float(v) for v in shapely.total_bounds(geoms[keep])]
    return collection


def write_layer(gdf: gpd.GeoDataFrame, path: Path) -> None:
    """Write a layer as GeoParquet, deterministically: same layer, same bytes.

    Rows are sorted by code, columns are `COLUMNS` in that order, no index is stored, and
    geometries go in as WKB, so `read_stored_layer` gives back exactly the same WKB.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        A layer with the `COLUMNS`, in EPSG:4326.
    path : Path
        Target ``.parquet`` file; overwritten.

    Examples
    --------
    >>> import tempfile
    >>> layer = gpd.GeoDataFrame(
    ...     {"code": ["WK000101"], "name": ["A"], "level": ["wijk"], "year": [2024],
    ...      "gemeente_code": ["GM0001"]}, geometry=[shapely.box(5, 52, 5.1, 52.1)],
    ...     crs="EPSG:4326")
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     write_layer(layer, Path(tmp) / "wijken.parquet")
    ...     read_stored_layer(Path(tmp) / "wijken.parquet").geom_equals_exact(layer, 0).all()
    np.True_
    """
    _require_layout(gdf, "write_layer")
    if not gdf["code"].is_unique:
        dup = sorted(set(gdf.loc[gdf["code"].duplicated(), "code"]))
        raise BoundaryError(f"write_layer: code(s) komen meer dan eens voor: {', '.join(dup[:10])}")
    if not is_web(gdf.crs):
        raise BoundaryError(f"write_layer: verwacht {WEB_CRS}, kreeg {gdf.crs}")
    _layout(gdf).to_parquet(Path(path), index=False, compression="zstd", write_covering_bbox=False)


def read_stored_layer(path: Path) -> gpd.GeoDataFrame:
    """Read a layer written by `write_layer`.

    Parameters
    ----------
    path : Path
        A GeoParquet file from `write_layer`.

    Returns
    -------
    geopandas.GeoDataFrame
        The `COLUMNS` in EPSG:4326, sorted by code.

    Raises
    ------
    BoundaryError
        If a column is missing or the CRS is not EPSG:4326.

    Examples
    --------
    See `write_layer`.
    """
    path = Path(path)
    gdf = gpd.read_parquet(path)
    _require_layout(gdf, path.name)
    if not is_web(gdf.crs):
        raise BoundaryError(f"{path.name}: verwacht {WEB_CRS}, kreeg {gdf.crs}")
    return _layout(gdf)


# --- helpers ------------------------------------------------------------------------------

_POLYGONAL_IDS = (shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON)


def _clean_strings(values: pd.Series) -> pd.Series:
    """Return values as stripped strings, missing as ""."""
    return values.astype("string").fillna("").str.strip().astype("str")


def _gemeente_codes(values: pd.Series, codes: pd.Series, source: str, field: str) -> pd.Series:
    """Normalise a gemeente field ("GM0344", "0344", "344") and check it against the codes."""
    text = _clean_strings(values)
    digits = text.str.fullmatch(r"\d{1,4}")
    gemeente = text.where(~digits, "GM" + text.str.zfill(4))
    mismatch = gemeente != gemeente_codes(codes)
    if mismatch.any():
        row = int(np.flatnonzero(mismatch.to_numpy())[0])
        raise BoundaryError(
            f"{source}, feature {row}, veld {field!r}: {text.iloc[row]!r} past niet bij code "
            f"{codes.iloc[row]!r}"
        )
    return gemeente


def _merge_duplicates(gdf: gpd.GeoDataFrame, dup: list[str], source: str) -> gpd.GeoDataFrame:
    """Merge features that share a code into one MultiPolygon; their names must agree."""
    is_dup = gdf["code"].isin(dup)
    merged = []
    for code, group in gdf[is_dup].groupby("code", sort=True):
        names = sorted(set(group["name"]))
        if len(names) > 1:
            raise BoundaryError(f"{source}: code {code!r} heeft verschillende namen: {names}")
        parts = shapely.get_parts(group.geometry.to_numpy())
        if not np.isin(shapely.get_type_id(parts), _POLYGONAL_IDS).all():
            raise BoundaryError(f"{source}: code {code!r} heeft geometrieën die geen vlak zijn")
        merged.append(group.iloc[[0]].set_geometry([shapely.MultiPolygon(list(parts))]))
    out = pd.concat([gdf[~is_dup], *merged])
    return gpd.GeoDataFrame(out, geometry="geometry", crs=gdf.crs)


def _layout(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return the layer with the `COLUMNS` in order, sorted by code, with a fresh index."""
    out = gdf[list(COLUMNS)].sort_values("code", kind="stable").reset_index(drop=True)
    text = {c: "str" for c in ("code", "name", "level", "gemeente_code")}
    return out.astype({**text, "year": "int64"})


def _require_layout(gdf: gpd.GeoDataFrame, source: str) -> None:
    """Raise unless every column of `COLUMNS` is present."""
    missing = [c for c in COLUMNS if c not in gdf.columns]
    if missing:
        raise BoundaryError(f"{source}: kolom {missing[0]!r} ontbreekt")


def _polygonal_part(geom: shapely.Geometry) -> shapely.Geometry:
    """Return the polygonal parts of a geometry: a Polygon, MultiPolygon or empty Polygon."""
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    polygons = [q for p in parts for q in shapely.get_parts(p) if not q.is_empty]
    if not polygons:
        return shapely.Polygon()
    if len(polygons) == 1:
        return polygons[0]
    return shapely.MultiPolygon(polygons)


def _require_valid_polygons(gdf: gpd.GeoDataFrame) -> None:
    """Raise unless every geometry is a valid Polygon or MultiPolygon (maybe empty)."""
    if gdf.crs is None:
        raise BoundaryError("simplify_for_web: de laag heeft geen CRS")
    geoms = gdf.geometry.to_numpy()
    ok = ~pd.isna(geoms)
    ok[ok] = shapely.is_valid(geoms[ok]) & np.isin(shapely.get_type_id(geoms[ok]), _POLYGONAL_IDS)
    if not ok.all():
        labels = gdf["code"] if "code" in gdf.columns else gdf.index.astype(str)
        bad = [str(x) for x in labels[~ok][:5]]
        raise BoundaryError(
            f"simplify_for_web: {int((~ok).sum())} geometrie(ën) ongeldig of geen vlak "
            f"({', '.join(bad)}); roep eerst fix_geometries aan"
        )


def _require_kept(
    geoms: np.ndarray, was_empty: np.ndarray, gdf: gpd.GeoDataFrame, decimals: int, where: str
) -> None:
    """Raise, naming the features, when a non-empty geometry became empty."""
    lost = shapely.is_empty(geoms) & ~was_empty
    if lost.any():
        labels = gdf["code"] if "code" in gdf.columns else gdf.index.astype(str)
        names = ", ".join(str(x) for x in labels[lost][:10])
        raise BoundaryError(
            f"simplify_for_web: {int(lost.sum())} gebied(en) verdwijnen {where} van "
            f"{decimals} decimalen: {names}; kies meer decimalen"
        )


def _reproject(geoms: np.ndarray, source: str, target: str) -> np.ndarray:
    """Reproject an array of geometries."""
    return gpd.GeoSeries(geoms, crs=source).to_crs(target).to_numpy()


def _round(geoms: np.ndarray, decimals: int) -> np.ndarray:
    """Round every coordinate; the same vertex rounds the same way in every feature."""
    return shapely.transform(geoms, lambda xy: np.round(xy, decimals))


def _area_m2(geoms: np.ndarray, crs: Any) -> np.ndarray:
    """Areas in m², measured in the metric CRS."""
    if len(geoms) == 0:
        return np.zeros(0)
    return shapely.area(gpd.GeoSeries(geoms, crs=crs).to_crs(METRIC_CRS).to_numpy())


def _plain(value: Any) -> Any:
    """Turn a numpy scalar into a plain Python value for json.dumps."""
    return value.item() if isinstance(value, np.generic) else value


def write_hashed_json(collection: dict[str, Any], folder: Path, stem: str) -> Path:
    """Write ``collection`` as ``folder/<stem>-<hash>.json`` unless it is there; return the path.

    The name carries the first 16 hex digits of the content's SHA-256, so a file is never
    changed in place: another snapshot gives another name, and a browser may keep a file as
    long as it likes. Written to a temporary name and renamed, so processes that write the
    same file at once (the replicas behind nginx) never serve half of it.

    Parameters
    ----------
    collection : dict
        A GeoJSON FeatureCollection of plain Python values.
    folder : pathlib.Path
        Where to write (created when missing).
    stem : str
        The file name before the hash, e.g. the layer id.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    OSError
        When the folder cannot be written (a read-only install): the caller falls back.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> path = write_hashed_json({"type": "FeatureCollection", "features": []}, folder, "nl")
    >>> path.name, path.read_text()
    ('nl-ed778c73ea51338d.json', '{"type":"FeatureCollection","features":[]}')
    >>> write_hashed_json({"type": "FeatureCollection", "features": []}, folder, "nl") == path
    True
    """
    body = orjson.dumps(collection)
    path = folder / f"{stem}-{hashlib.sha256(body).hexdigest()[:16]}.json"
    try:
        if path.read_bytes() == body:
            return path
    except OSError:
        pass
    folder.mkdir(parents=True, exist_ok=True)
    part = folder / f".{path.name}.{os.getpid()}-{uuid.uuid4().hex}.part"
    try:
        part.write_bytes(body)
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)
    return path
