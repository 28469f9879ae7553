"""Map payloads and build times: ours against a naive plotly map and folium (issue #5).

Every figure is built and serialised the way ``st.plotly_chart`` does it (``Figure.to_dict``
through ``plotly.tools.return_figure_from_figure_or_data``, then ``plotly.io.to_json``), so
the size is what goes to the browser and the time is what a rerun spends on the map.
"""

from __future__ import annotations

import atexit
import gzip
import json
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import plotly.io
import plotly.tools
from streamlit.web.server.starlette.starlette_server_config import GZIP_COMPRESSLEVEL

from analysis import charts, classify
from analysis.catalogue import RIVM_TABLE_ID, load_catalogue
from analysis.views import maps
from bench.common import Report, best_of
from data import boundaries
from data.snapshot import Snapshot
from paths import SHARED_DATA
from snapshot_build.build import NOT_WIJKEN_GEMEENTEN, NOT_WIJKEN_NAMES

NATIONAL_SOURCE = "geo/wijken_2024_nl_wgs84.geojson"
NATIONAL_LAYER = "nl-wijken-2024-land"
NATIONAL_GEMEENTEN = "nl-gemeenten-2024-land"
GEMEENTE_2024_LAYER = "nl-wijken-2024"
RIVM_20 = maps.Figures("eenzaam", 2020, "18+", RIVM_TABLE_ID)


def st_payload(fig) -> str:
    """Serialise a figure as ``st.plotly_chart`` does (streamlit 1.67, plotly_chart.py)."""
    as_dict = plotly.tools.return_figure_from_figure_or_data(fig, validate_figure=True)
    return plotly.io.to_json(as_dict, validate=False)


def payload_parts(js: str) -> dict[str, int]:
    """Split a map figure's JSON into where its bytes go (compact JSON of each part).

    ``coordinates``: the numbers of every ring; ``features``: the rest of the GeoJSON
    (ids, geometry types, brackets); ``names``: the hover names (``customdata``);
    ``values``: locations, ``z`` and per-area text; ``rest``: templates, colours, layout.
    """
    import json

    def size(value) -> int:
        return len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode())

    parts = dict.fromkeys(("coordinates", "features", "names", "values"), 0)
    for trace in json.loads(js)["data"]:
        features = trace.get("geojson", {}).get("features", [])
        coords = sum(size(f["geometry"]["coordinates"]) for f in features)
        parts["coordinates"] += coords
        parts["features"] += size(trace.get("geojson", {})) - coords
        parts["names"] += size(trace.get("customdata", []))
        parts["values"] += sum(size(trace.get(k, [])) for k in ("locations", "z", "text"))
    parts["rest"] = len(js.encode()) - sum(parts.values())
    return parts


def geometry_file_note(path: Path) -> str:
    """Say how big a layer's static geometry file is, raw and as the server sends it."""
    body = path.read_bytes()
    packed = len(gzip.compress(body, GZIP_COMPRESSLEVEL))
    return (
        f"geometry and hover names in a static file the browser fetches once and keeps per "
        f"URL (content-hashed, cacheable): {path.name}, {len(body) / 1e6:.3f} MB raw, "
        f"{packed / 1e6:.3f} MB gzip'd (Streamlit gzips app/static/ at level "
        f"{GZIP_COMPRESSLEVEL})"
    )


def layer(snap: Snapshot, layer_id: str, gemeente: str | None = None) -> gpd.GeoDataFrame:
    """Return one stored layer (optionally one gemeente of it)."""
    geo = snap.geometry[snap.geometry["layer"] == layer_id]
    if gemeente:
        geo = geo[geo["gemeente_code"] == gemeente]
    return geo


def gemeente_rerun(
    snap: Snapshot, layer_id: str, gemeente: str, figures: maps.Figures
) -> Callable[[], str]:
    """Return a rerun of the map page's figure for one gemeente, geometry already cached."""
    geo = layer(snap, layer_id, gemeente)
    areas, geojson = geo.drop(columns="geometry"), boundaries.to_geojson(geo)
    indicator = load_catalogue().indicator(figures.indicator)

    def rerun() -> str:
        frame = maps.map_frame(
            areas, snap.values, figures, regions=snap.regions, source_indeling=2020
        )
        breaks = classify.breaks_for(frame["value"].round(0), "kwantielen", indicator.unit)
        fig = charts.choropleth(frame, geojson, indicator, title="bench", breaks=breaks)
        return st_payload(fig)

    return rerun


def run(report: Report, snap: Snapshot, repeat: int) -> None:
    """Measure the national wijk map against its peers, and the gemeente maps."""
    indicator = load_catalogue().indicator("eenzaam")

    # --- ours: the national layer, geometry cached as the app caches it --------------------
    # RIVM 2020 on the wijken of 2024, grey where a code names another area (issue 10). The
    # app sends the geometry and hover names once, as a static file (ui/national_map.py): a
    # rerun's figure names the file's URL and lists rows and values only.
    geo = layer(snap, NATIONAL_LAYER)
    names = snap.regions.drop_duplicates("code").set_index("code")["gemeente_name"]
    areas = geo.drop(columns="geometry").assign(gemeente_name=lambda f: f["code"].map(names))
    areas = areas.reset_index(drop=True)
    geojson = boundaries.to_geojson(geo)
    static = Path(tempfile.mkdtemp(prefix="sbd-static-"))
    atexit.register(shutil.rmtree, static, True)

    def geo_file(frame, layer_id: str, gj: dict) -> tuple[charts.GeoFile, Path]:
        """Write a layer's file as the app does on first use (once per process)."""
        collection = charts.labelled_collection(gj, frame["code"], charts.area_labels(frame))
        path = boundaries.write_hashed_json(collection, static / "geo", layer_id)
        url = f"app/static/geo/{path.name}"
        return charts.GeoFile(url, tuple(frame["code"]), tuple(collection["bbox"])), path

    start = time.process_time()
    wk_file, wk_path = geo_file(areas[["code", "name", "gemeente_name"]], NATIONAL_LAYER, geojson)
    t_file = time.process_time() - start

    def ours_frame():
        frame = maps.map_frame(
            areas, snap.values, RIVM_20, regions=snap.regions, source_indeling=2020
        )
        return frame.assign(gemeente_name=areas["gemeente_name"].to_numpy())

    def ours() -> str:
        return st_payload(charts.national_map(ours_frame(), wk_file, indicator, title="bench"))

    def ours_inline() -> str:  # the fallback where static/ cannot be written
        return st_payload(charts.national_map(ours_frame(), geojson, indicator, title="bench"))

    gm_geo = layer(snap, NATIONAL_GEMEENTEN)
    gm_areas = gm_geo.drop(columns="geometry").reset_index(drop=True)
    gm_geojson = boundaries.to_geojson(gm_geo)
    gm_file, gm_path = geo_file(gm_areas[["code", "name"]], NATIONAL_GEMEENTEN, gm_geojson)

    def ours_gemeenten() -> str:
        frame = maps.map_frame(
            gm_areas, snap.values, RIVM_20, regions=snap.regions, source_indeling=2020
        )
        return st_payload(charts.national_map(frame, gm_file, indicator, title="bench"))

    t_gm, js_gm = best_of(ours_gemeenten, repeat)
    report.figure("national gemeente map: figure JSON", len(js_gm) / 1e6, "MB", 1.0)
    report.note(geometry_file_note(gm_path))
    report.figure("national gemeente map: build+serialise on a rerun", t_gm * 1000, "ms", 150)

    t_ours, js = best_of(ours, repeat)
    size_ours = len(js) / 1e6
    t_inline, js_inline = best_of(ours_inline, max(1, repeat // 2))

    # --- the peers, from the unsimplified source as a user would load it ------------------
    source = SHARED_DATA / NATIONAL_SOURCE
    if not source.is_file():
        report.not_measured("national wijk map 2024", f"{source} is absent")
        return
    raw = gpd.read_file(source).to_crs("EPSG:4326")
    raw = raw[raw["wijknaam"] != "Groot water"]
    rivm = snap.values[
        (snap.values["source"] == RIVM_20.source)
        & (snap.values["indicator"] == "eenzaam")
        & (snap.values["period"] == 2020)
        & (snap.values["age"] == "18+")
    ][["code", "value"]]
    gdf = raw.merge(
        rivm.rename(columns={"code": "wijkcode", "value": "eenzaam"}), on="wijkcode", how="left"
    )

    def naive() -> str:
        import plotly.express as px

        fig = px.choropleth_map(
            gdf,
            geojson=gdf.geometry,
            locations=gdf.index,
            color="eenzaam",
            hover_name="wijknaam",
            map_style="white-bg",
            center={"lat": 52.2, "lon": 5.3},
            zoom=6,
        )
        return st_payload(fig)

    peer_repeat = max(1, repeat // 2)
    t_naive, js_naive = best_of(naive, peer_repeat)
    size_naive = len(js_naive) / 1e6
    t_folium: float | None
    size_folium: float | None
    try:
        import folium  # noqa: F401  (explore() needs it; say so rather than crash)

        def folium_html() -> str:
            m = gdf.explore(
                column="eenzaam", tiles=None, tooltip=["wijknaam", "gemeentenaam", "eenzaam"]
            )
            return m.get_root().render()

        t_folium, html = best_of(folium_html, peer_repeat)
        size_folium = len(html.encode("utf-8")) / 1e6
    except ImportError:
        t_folium = size_folium = None

    print(
        f"national wijk map 2024 ({len(geojson['features'])} wijken, RIVM eenzaamheid 2020; "
        f"ours best of {repeat}, peers best of {peer_repeat}):"
    )
    report.note(
        f"naive px.choropleth_map of the unsimplified layer: {size_naive:.2f} MB in "
        f"{t_naive * 1000:,.0f} ms"
    )
    if size_folium is not None and t_folium is not None:
        report.note(
            f"GeoDataFrame.explore() (folium, tiles=None), rendered HTML: {size_folium:.2f} MB "
            f"in {t_folium * 1000:,.0f} ms"
        )
    # Each trace names the file by a URL of its own (charts.GeoFile: none waits for another's
    # download), so a browser's first map fetches it once per trace.
    copies = len({trace["geojson"] for trace in json.loads(js)["data"]})
    file_raw = wk_path.stat().st_size * copies
    file_gz = len(gzip.compress(wk_path.read_bytes(), GZIP_COMPRESSLEVEL)) * copies
    report.note(
        f"ours, charts.national_map on {NATIONAL_LAYER}: the figure JSON a rerun sends is "
        f"{len(js) / 1e3:,.1f} KB ({len(wk_file.codes)} wijken: rows, values, templates); "
        f"{geometry_file_note(wk_path)}; a browser's first national wijk map: figure + file "
        f"{copies} × (a URL per trace) = {(len(js) + file_raw) / 1e6:.3f} MB raw = "
        f"{(len(js) + file_raw) / 1e6 / size_naive:.3f} × the naive figure (raw), "
        f"{(len(js) + file_gz) / 1e6:.3f} MB on the wire with gzip; every later rerun or "
        f"choice: the figure only (and the file under a new trace's URL, once per browser)"
    )
    parts = payload_parts(js_inline)
    report.note(
        f"the fallback where static/ cannot be written (geometry inline, as before): "
        f"{len(js_inline) / 1e6:.3f} MB = "
        + ", ".join(f"{name} {n / 1e3:,.0f} KB" for name, n in parts.items())
        + f"; {t_inline * 1000:,.0f} ms; = {len(js_inline) / 1e6 / size_naive:.3f} × naive"
    )
    report.figure(
        "national wijk map: figure JSON vs naive plotly",
        size_ours / size_naive,
        "×",
        1 / 8,
        why_missed="the figure still carries the geometry: the static file was not used",
    )
    if size_folium is None:
        report.not_measured("national wijk map: figure JSON vs folium", "folium is not installed")
    else:
        report.figure(
            "national wijk map: figure JSON vs folium HTML",
            size_ours / size_folium,
            "×",
            1 / 10,
            why_missed="see the line above: the same bytes",
        )
    report.note(
        f"writing the file on first use (label, serialise, hash, write): "
        f"{t_file * 1000:,.0f} ms of CPU, once per process and snapshot"
    )
    report.figure(
        "national wijk map: build+serialise on a rerun (geometry cached)",
        t_ours * 1000,
        "ms",
        150,
    )

    # --- no visible gaps: the geometry we send, against the source, like for like ----------
    # Both without the "Groot water" and "Buitenland" features the build leaves out; a hole
    # in the union that lies mostly in them is water, every other hole is a gap.
    full = boundaries.read_layer(
        source, "wijkcode", "wijknaam", level="wijk", year=2024, gemeente_field="gemeentecode"
    )
    out = full["name"].isin(NOT_WIJKEN_NAMES) | full["gemeente_code"].isin(NOT_WIJKEN_GEMEENTEN)
    water = full[out]
    sent = boundaries.coverage_report(gpd.GeoDataFrame(geo, crs=snap.geometry.crs), water)
    src = boundaries.coverage_report(boundaries.fix_geometries(full[~out]), water)
    report.figure("national wijk map: overlapping pairs of wijken", sent["n_overlaps"], "pairs", 0)
    report.figure(
        "national wijk map: gaps between wijken (holes that are not left-out water)",
        sent["gap_m2"] / 1e6,
        "km²",
        0,
    )
    report.note(
        f"gaps: {sent['n_gaps']} ({sent['gap_m2'] / 1e6:,.2f} km²) against {src['n_gaps']:,} "
        f"({src['gap_m2'] / 1e6:,.1f} km²) in the source without its {len(water)} water "
        f"features (slivers of its per-feature simplification); holes that are left-out "
        f"water: {sent['n_water']} ({sent['water_m2'] / 1e6:,.0f} km²) against "
        f"{src['n_water']} ({src['water_m2'] / 1e6:,.0f} km²), the narrowest under 100 m "
        f"given to their wijken; overlapping pairs in the source {src['n_overlaps']:,}; "
        f"vertices {src['n_vertices']:,} → {sent['n_vertices']:,}; wijken without geometry "
        f"{sent['n_empty']} (source {src['n_empty']})"
    )

    # --- gemeente maps, as the map page draws them (quantile classes) ----------------------
    for name, layer_id, figures in (
        ("Leeuwarden wijken", "leeuwarden-wijken-2025", RIVM_20),
        ("Leeuwarden buurten", "leeuwarden-buurten-2025", RIVM_20),
    ):
        t, js = best_of(gemeente_rerun(snap, layer_id, "GM0080", figures), repeat)
        report.figure(f"{name} map: build+serialise", t * 1000, "ms", 150)
        report.figure(f"{name} map: figure JSON", len(js) / 1e3, "KB", 150)

    # --- before and after, for the record --------------------------------------------------
    geo50 = layer(snap, GEMEENTE_2024_LAYER)
    geojson50 = boundaries.to_geojson(geo50)
    frame50 = maps.map_frame(geo50.drop(columns="geometry"), snap.values, RIVM_20)
    start = time.perf_counter()
    js = st_payload(charts.choropleth(frame50, geojson50, indicator, title="bench"))
    report.note(
        f"for comparison, charts.choropleth on the whole {GEMEENTE_2024_LAYER} layer "
        f"(50 m, made for gemeente maps): {len(js) / 1e6:.2f} MB in "
        f"{(time.perf_counter() - start) * 1000:,.0f} ms (once)"
    )
