"""Cached loaders of public data: the snapshot, the catalogue, layers and area lists.

Only public CBS/RIVM data goes through ``st.cache_*`` here; survey data never does.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import streamlit as st

from analysis import aggregate, indeling, selection
from analysis.catalogue import Catalogue, load_catalogue, with_sources
from analysis.format import fmt_date
from analysis.text import Chart
from analysis.views import compare, maps, profile, trends
from analysis.views import ggd as ggd_views
from data import boundaries
from data.snapshot import Snapshot, load_snapshot
from paths import active_snapshot

#: Why the map areas (`layer_areas`, `region_areas`, `national_areas`) are shared rather than
#: copied per call: ``cache_data`` unpickled the GeoJSON on every call, 90 ms per rerun for the
#: wijken of the country (issue #14). They are public boundaries that never change; pages and
#: `analysis.charts` only read them (charts share the geometry, `charts.subset_features`).
#: Never change the frame or the GeoJSON in place: copy first (``frame.assign``, a new dict).
AREAS_SHARED = True


def snapshot(folder: str = "") -> Snapshot:
    """Return the snapshot the app shows: ``folder``, else `paths.active_snapshot` (cached)."""
    return _snapshot(folder or str(active_snapshot()))


@st.cache_resource(show_spinner="Gegevens laden…")
def _snapshot(folder: str) -> Snapshot:
    """Load a snapshot folder once per process.

    ``cache_resource`` rather than ``cache_data``: the snapshot is public CBS/RIVM data,
    read-only (every function in analysis/ is pure and copies what it changes), and about a
    million rows, which ``cache_data`` would unpickle again on every rerun. Survey data never
    goes through here. Streamlit keys a cache on the arguments as passed, not with defaults
    filled in (``snapshot()`` and ``snapshot(folder)`` would be two entries, the snapshot read
    twice), so the cached function always gets the folder explicitly.
    """
    return load_snapshot(Path(folder))


def catalogue() -> Catalogue:
    """Return the indicator catalogue, with the tables a fetched snapshot adds (public)."""
    return _catalogue(str(active_snapshot()))


@st.cache_resource
def _catalogue(folder: str) -> Catalogue:
    """Return the catalogue for one snapshot folder (static, public)."""
    return with_sources(load_catalogue(), snapshot(folder).manifest.get("extra_sources", {}))


def layer_index(folder: str = "") -> pd.DataFrame:
    """Return the boundary layers per gemeente (one cache entry per folder, see `_snapshot`)."""
    return _layer_index(folder or str(active_snapshot()))


@st.cache_data(show_spinner=False)
def _layer_index(folder: str) -> pd.DataFrame:
    geo = snapshot(folder).geometry
    return maps.layer_index(geo.drop(columns="geometry"))


@st.cache_data(show_spinner=False)
def gemeenten(folder: str = "") -> pd.DataFrame:
    """Return the gemeenten that have a map."""
    return maps.gemeente_options(snapshot(folder).regions, layer_index(folder))


def layer_areas(layer: str, gemeente_code: str, folder: str = "") -> tuple:
    """Return ``(areas frame, GeoJSON dict)`` of one gemeente in one layer.

    Shared, read-only (``cache_resource``, see `AREAS_SHARED`). One cache entry per layer
    and folder, however it is asked for: Streamlit keys a cache on the arguments as passed,
    and the sidebar, the figure list and the layer's values each asked in another way, so
    every first visit of a gemeente made its areas three times (issue #14).
    """
    return _layer_areas(layer, gemeente_code, folder or str(active_snapshot()))


@st.cache_resource(show_spinner=False, max_entries=256)
def _layer_areas(layer: str, gemeente_code: str, folder: str) -> tuple:
    geo = snapshot(folder).geometry
    # The rows of (layer, gemeente) in table order, as the two masks over the table chose.
    part = geo.take(_geometry_rows(folder).get((layer, gemeente_code), []))
    areas = pd.DataFrame(part.drop(columns="geometry")).reset_index(drop=True)
    return areas, boundaries.to_geojson(part)


@st.cache_resource(show_spinner=False, max_entries=2)
def _geometry_rows(folder: str) -> dict[tuple[str, str], list[int]]:
    """Return the row positions of each (layer, gemeente) in the snapshot's boundaries.

    Made once per snapshot: two masks over the boundary table cost ~1 ms of every first
    visit of a gemeente (issue #14). Public, read-only.
    """
    geo = snapshot(folder).geometry
    groups = pd.DataFrame(
        {"layer": geo["layer"].to_numpy(), "gemeente_code": geo["gemeente_code"].to_numpy()}
    ).groupby(["layer", "gemeente_code"], sort=False)
    return {(str(k[0]), str(k[1])): rows.tolist() for k, rows in groups.indices.items()}


def layer_values(layer: str, gemeente_code: str, folder: str = "") -> pd.DataFrame:
    """Return the snapshot's value rows for the areas of one gemeente in one layer.

    The map view is made from these few thousand rows instead of the million of the whole
    snapshot (issue #14: ~25 % of the server's time per rerun). Row order is the snapshot's,
    so what is picked from them does not change. One cache entry per layer and folder (see
    `layer_areas`).
    """
    return _layer_values(layer, gemeente_code, folder or str(active_snapshot()))


@st.cache_data(show_spinner=False, max_entries=256)
def _layer_values(layer: str, gemeente_code: str, folder: str) -> pd.DataFrame:
    areas, _ = layer_areas(layer, gemeente_code, folder)
    codes = areas["code"].astype("str").tolist()
    # The rows of the gemeenten the codes name (`gemeente_rows`), not a scan of the million.
    keys = {indeling.gemeente_key(c) for c in codes}
    part = snapshot(folder).values.take(_gemeente_rows(folder).positions(keys))
    return part[indeling.isin_codes(part["code"], codes)].reset_index(drop=True)


def gemeente_names() -> dict[str, str]:
    """Return gemeente code -> name for every gemeente with a map (a fresh dict each call).

    Every page asks for it, often twice per rerun: the pairs are made once per snapshot
    folder (iterating 390 Arrow strings took ~10 ms a call; issue #14, time per rerun).
    """
    return dict(_gemeente_pairs(str(active_snapshot())))


@st.cache_resource
def _gemeente_pairs(folder: str) -> tuple[tuple[str, str], ...]:
    gm = gemeenten(folder)
    return tuple(zip(gm["gemeente_code"].tolist(), gm["gemeente_name"].tolist(), strict=True))


def snapshot_caption() -> str:
    """Say which snapshot the app shows and when it was built (or fetched)."""
    manifest = snapshot().manifest
    built = dt.date.fromisoformat(manifest["built_on"])
    if manifest.get("mode") == "fetch":
        return (
            f"Opgehaalde gegevens ({manifest.get('scope', '')}), opgehaald op {fmt_date(built)} "
            f"uit de CBS-, RIVM- en PDOK-diensten. Werkt zonder internet."
        )
    return f"Ingebouwde gegevens, gemaakt op {fmt_date(built)}. Werkt zonder internet."


@st.cache_data(show_spinner=False)
def default_area(gemeente_code: str, level: str = "wijk") -> str | None:
    """Return the area a picker starts on: the first with RIVM figures (public data)."""
    codes = areas_of(gemeente_code, level)["code"].tolist()
    return selection.default_area(snapshot().values, catalogue(), codes)


@st.cache_data(show_spinner=False)
def areas_of(gemeente_code: str, level: str = "wijk", folder: str = ""):
    """Return the wijken (or buurten) of a gemeente to choose from (public data)."""
    return maps.area_options(snapshot(folder).regions, gemeente_code, level)


def gemeente_values(gemeente_code: str, folder: str = "") -> pd.DataFrame:
    """Return the figures of a gemeente, its areas and the country, about today's areas only.

    A figure of an older indeling stays only where its code names the same area as today
    (`analysis.indeling.honest_values`).
    """
    return _gemeente_values(gemeente_code, folder or str(active_snapshot()))


@st.cache_resource(show_spinner=False, max_entries=64)
def _gemeente_values(gemeente_code: str, folder: str) -> pd.DataFrame:
    """Cache `gemeente_values` per folder.

    Public data; ``cache_resource`` because every page reads it on every rerun and never
    changes it (the functions in analysis/ are pure).
    """
    snap = snapshot(folder)
    indelingen = {s.id: s.indeling for s in catalogue().sources.values()}
    return indeling.gemeente_values(
        snap.values,
        snap.regions,
        indelingen,
        gemeente_code,
        rows=_gemeente_rows(folder),
        lookup=area_lookup(folder),
    )


@st.cache_resource(show_spinner=False, max_entries=2)
def _gemeente_rows(folder: str) -> indeling.GemeenteRows:
    """`analysis.indeling.gemeente_rows` of the snapshot's values: public, made once.

    A gemeente's rows are then a slice of positions, not a scan of the million (issue #14:
    the first visit of a gemeente).
    """
    return indeling.gemeente_rows(snapshot(folder).values["code"])


def area_lookup(folder: str = "") -> indeling.AreaLookup:
    """Return `analysis.indeling.area_lookup` of the snapshot's regions (made once, shared)."""
    return _area_lookup(folder or str(active_snapshot()))


@st.cache_resource(show_spinner=False, max_entries=2)
def _area_lookup(folder: str) -> indeling.AreaLookup:
    return indeling.area_lookup(snapshot(folder).regions)


def layer_figures(layer: str, gemeente_code: str) -> list[maps.Figures]:
    """Return the figures with a value for an area of a gemeente's layer (a fresh list).

    `analysis.views.maps.available_figures` of the gemeente's values, made once per layer: the
    map sidebar asked for it on every rerun (~20 % of a map rerun, issue #14). A session's
    survey adds its own figures to the list; the catalogue's survey indicators never match
    snapshot rows, so the base catalogue gives the same list.
    """
    return list(_layer_figures(layer, gemeente_code, str(active_snapshot())))


@st.cache_resource(show_spinner=False, max_entries=256)
def _layer_figures(layer: str, gemeente_code: str, folder: str) -> tuple[maps.Figures, ...]:
    areas, _ = layer_areas(layer, gemeente_code, folder)
    values = gemeente_values(gemeente_code, folder)
    return tuple(maps.available_figures(values, areas["code"], catalogue()))


def region_layer_figures(layer: str, gemeente_codes: tuple[str, ...]) -> list[maps.Figures]:
    """Return the figures with a value for an area of a GGD region's layer (a fresh list).

    As `layer_figures`, for the region map, which read the whole snapshot on every rerun.
    """
    return list(_region_layer_figures(layer, gemeente_codes, str(active_snapshot())))


@st.cache_resource(show_spinner=False, max_entries=64)
def _region_layer_figures(
    layer: str, gemeente_codes: tuple[str, ...], folder: str
) -> tuple[maps.Figures, ...]:
    areas, _ = region_areas(layer, gemeente_codes, folder)
    values = snapshot(folder).values
    return tuple(maps.available_figures(values, areas["code"], catalogue()))


@st.cache_resource(show_spinner="Kaart van Nederland laden…", max_entries=8)
def national_areas(layer: str, folder: str = "") -> tuple:
    """Return ``(areas frame with gemeente_name, GeoJSON dict)`` of a national layer.

    Shared, read-only (``cache_resource``, see `AREAS_SHARED`).
    """
    snap = snapshot(folder)
    geo = snap.geometry
    part = geo[geo["layer"] == layer]
    names = gemeente_names()
    areas = pd.DataFrame(part.drop(columns="geometry")).reset_index(drop=True)
    areas["gemeente_name"] = areas["gemeente_code"].map(names).fillna(areas["gemeente_code"])
    return areas, boundaries.to_geojson(part)


@st.cache_data(show_spinner=False)
def national_figures(layer: str, folder: str = "") -> list:
    """Return the figures with a value for at least one area of a national layer."""
    areas, _ = national_areas(layer, folder)
    values = snapshot(folder).values
    return maps.available_figures(
        values, areas["code"], catalogue(), min_areas=max(1, len(areas) // 10)
    )


@st.cache_data(show_spinner=False)
def ggd_regions(folder: str = "") -> pd.DataFrame:
    """Return the GGD regions to pick from (empty when the snapshot has no GGD table)."""
    return ggd_views.region_options(snapshot(folder).ggd)


def ggd_of(gemeente_code: str) -> tuple[str, str] | None:
    """Return ``(code, name)`` of a gemeente's GGD region, or None (made once per gemeente)."""
    return _ggd_of(gemeente_code, str(active_snapshot()))


@st.cache_resource(show_spinner=False, max_entries=1024)
def _ggd_of(gemeente_code: str, folder: str) -> tuple[str, str] | None:
    return ggd_views.region_of(snapshot(folder).ggd, gemeente_code)


@st.cache_data(show_spinner="Regiocijfers berekenen…")
def region_figures(ggd_code: str, folder: str = "") -> pd.DataFrame:
    """Return every figure of a GGD region, weighted from its gemeenten (public data)."""
    snap = snapshot(folder)
    cat = catalogue()
    return aggregate.region_figures(
        snap.values,
        snap.ggd,
        ggd_code,
        kinds={i: cat.indicator(i).kind for i in cat.ids()},
        indelingen={sid: source.indeling for sid, source in cat.sources.items()},
        weights=snap.weights,
    )


@st.cache_resource(show_spinner=False, max_entries=64)
def region_areas(layer: str, gemeente_codes: tuple[str, ...], folder: str = ""):
    """Return ``(areas frame, GeoJSON dict)`` of the gemeenten of a region in one layer.

    Shared, read-only (``cache_resource``, see `AREAS_SHARED`).
    """
    geo = snapshot(folder).geometry
    part = geo[(geo["layer"] == layer) & geo["gemeente_code"].isin(list(gemeente_codes))]
    areas = pd.DataFrame(part.drop(columns="geometry")).reset_index(drop=True)
    return areas, boundaries.to_geojson(part)


def profile_snapshot(gemeente_code: str, code: str, folder: str = "") -> pd.DataFrame:
    """Return the snapshot's part of an area's wijkprofiel, with its GGD region's ``ggd``.

    `analysis.views.profile.snapshot_profile` of the gemeente's figures, plus the region
    column when the gemeente lies in a GGD region. Public data that never changes: made once
    per area (it took ~40 % of the profile page's time per rerun, issue #14); a session's own
    survey is added on the page with `analysis.views.profile.with_survey`, never cached here.
    """
    return _profile_snapshot(gemeente_code, code, folder or str(active_snapshot()))


@st.cache_data(show_spinner=False, max_entries=1024)
def _profile_snapshot(gemeente_code: str, code: str, folder: str) -> pd.DataFrame:
    # cache_data (a copy per call) rather than cache_resource: a few dozen rows are cheap to
    # copy, and a page can never change the shared table by accident.
    table = profile.snapshot_profile(
        gemeente_values(gemeente_code, folder),
        snapshot(folder).regions,
        catalogue(),
        code=code,
        gemeente_code=gemeente_code,
    )
    region = ggd_views.region_of(snapshot(folder).ggd, gemeente_code)
    if region is None:
        return table
    if table.empty:
        return table.assign(ggd=pd.Series(dtype="float64"))
    return table.assign(ggd=aggregate.lookup(region_figures(region[0], folder), table)["value"])


def profile_chart(gemeente_code: str, code: str, area: str, gemeente: str) -> Chart:
    """Return the profile chart of an area without a survey (public data, made once per area).

    The same figure as `analysis.views.profile.profile_chart` of `profile_snapshot`; shared
    by every session (``cache_resource``: st.plotly_chart copies a figure, never changes it).
    """
    return _profile_chart(gemeente_code, code, area, gemeente, str(active_snapshot()))


@st.cache_resource(show_spinner=False, max_entries=256)
def _profile_chart(gemeente_code: str, code: str, area: str, gemeente: str, folder: str) -> Chart:
    table = _profile_snapshot(gemeente_code, code, folder)
    return profile.profile_chart(table, catalogue(), area=area, gemeente=gemeente)


def trend_chart(gemeente_code: str, code: str, indicator: str) -> Chart:
    """Return the Ontwikkeling chart of an area and indicator (public data, made once).

    `analysis.views.trends.trend_chart` of the gemeente's figures with the gemeente and the
    country as references; shared by every session (st.plotly_chart never changes a figure).
    """
    return _trend_chart(gemeente_code, code, indicator, str(active_snapshot()))


@st.cache_resource(show_spinner=False, max_entries=512)
def _trend_chart(gemeente_code: str, code: str, indicator: str, folder: str) -> Chart:
    return trends.trend_chart(
        gemeente_values(gemeente_code, folder),
        snapshot(folder).regions,
        catalogue(),
        code,
        indicator,
        gemeente_code=gemeente_code,
    )


def scatter_chart(gemeente_code: str, x: str, y: str, codes: tuple[str, ...]) -> Chart:
    """Return the Vergelijken scatter of two snapshot indicators (public data, made once).

    `analysis.views.compare.scatter_chart` with the base catalogue: a session's survey
    indicators are never on these axes, so its catalogue draws the same chart. Raises its
    `ValueError` when the wijken have no figures.
    """
    return _scatter_chart(gemeente_code, x, y, tuple(codes), str(active_snapshot()))


@st.cache_resource(show_spinner=False, max_entries=256)
def _scatter_chart(
    gemeente_code: str, x: str, y: str, codes: tuple[str, ...], folder: str
) -> Chart:
    values = gemeente_values(gemeente_code, folder)
    regions = snapshot(folder).regions
    return compare.scatter_chart(values, regions, catalogue(), x, y, gemeente_code, list(codes))


def ranking_chart(gemeente_code: str, indicator: str, codes: tuple[str, ...]) -> Chart:
    """Return the Vergelijken ranking of a snapshot indicator (public data, made once).

    As `scatter_chart`, for `analysis.views.compare.ranking_chart`.
    """
    return _ranking_chart(gemeente_code, indicator, tuple(codes), str(active_snapshot()))


@st.cache_resource(show_spinner=False, max_entries=256)
def _ranking_chart(
    gemeente_code: str, indicator: str, codes: tuple[str, ...], folder: str
) -> Chart:
    values = gemeente_values(gemeente_code, folder)
    regions = snapshot(folder).regions
    return compare.ranking_chart(
        values, regions, catalogue(), indicator, gemeente_code, list(codes)
    )
