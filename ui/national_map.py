"""The national overview of the Kaart page: the whole country by gemeente or by wijk."""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd
import streamlit as st

from analysis import charts, indeling
from analysis.catalogue import KIND_LABELS, MODEL_ESTIMATE
from analysis.format import fmt_value
from analysis.indicators import age_suffix
from analysis.views import exports, maps
from data import boundaries
from paths import ROOT, active_snapshot
from ui import display, downloads, loaders, sidebar

#: Where Streamlit serves the ``static/`` folder beside the main script
#: (``server.enableStaticServing`` in .streamlit/config.toml), relative to the page: a
#: relative URL also works under ``server.baseUrlPath`` and behind a proxy with a prefix.
STATIC_URL = "app/static/"
#: The national layers' geometry files, inside ``static/``: written by the app (content-hashed,
#: `data.boundaries.write_hashed_json`), never committed (.gitignore).
GEO_FOLDER = "geo"

log = logging.getLogger(__name__)


def show(nl: sidebar.MapSelection) -> None:
    """Lay out the national map, its caption, table and downloads (issue 10, item 6)."""
    st.title("Kaart van Nederland")
    if nl.figures is None:
        st.warning("Voor heel Nederland zijn geen cijfers in de gegevens.")
        return
    cat_nl = loaders.catalogue()
    indicator = cat_nl.indicator(nl.figures.indicator)
    source = cat_nl.source(nl.figures.source)
    layer = nl.layer or sidebar.NATIONAL_LAYERS["gemeente"]
    level_label = sidebar.NATIONAL_LABELS[nl.level].lower()
    age = age_suffix(nl.figures.age)
    title = f"{indicator.label} — Nederland, {level_label} ({nl.figures.period}{age})"
    view = national_view(layer, nl.level, nl.figures, title)
    frame = view.frame
    st.plotly_chart(
        view.figure,
        width="stretch",
        key="kaart_nl",
        config=display.PLOTLY_CONFIG,
    )
    with_value = int(frame["value"].notna().sum())
    other = int((frame["status"] == indeling.OTHER_INDELING).sum())
    st.caption(
        f"{source.credit}. {source.title} ({source.table_id}), cijfers {nl.figures.period}"
        f"{age}; {KIND_LABELS[source.kind]}. Grenzen: CBS/PDOK wijk- en buurtkaart, indeling "
        f"2024. {with_value} van {len(frame)} {level_label} met een cijfer; grijs = geen cijfer"
        + (
            f", of ({other}) een cijfer over een ander gebied met dezelfde code (andere indeling)."
            if other
            else "."
        )
    )
    if source.kind == MODEL_ESTIMATE:
        st.info(
            "Dit is een modelschatting van het RIVM: berekend uit de Gezondheidsmonitor en "
            "kenmerken van het gebied, niet gemeten in dat gebied zelf."
        )
    st.dataframe(view.table, hide_index=True, width="stretch", key="tabel_nl")
    downloads.download_buttons(
        view.export, view.meta, f"kaart_nederland_{indicator.id}", key="kaart_nl"
    )


def national_view(layer: str, level: str, figures: maps.Figures, title: str) -> maps.MapView:
    """Return the national map's frame, figure, table and export, made once per choice.

    Public data only (the snapshot), read-only: the page and ``st.plotly_chart`` copy what
    they change. A rerun without a new choice skips map_frame, the figure build and the
    table's formatting (about 100 ms of CPU for the 3 393 wijken). The geometry file is
    looked up on every rerun (a cached lookup and one ``stat``), so a figure never names a
    file that is gone.
    """
    geo = geo_file(layer, level)
    return _national_view(
        layer,
        level,
        figures.indicator,
        figures.period,
        figures.age,
        figures.source,
        title,
        str(active_snapshot()),
        geo.url if geo else "",
    )


@st.cache_resource(show_spinner=False, max_entries=16)
def _national_view(
    layer: str,
    level: str,
    indicator_id: str,
    period: int,
    age: str,
    source_id: str,
    title: str,
    folder: str,
    geo_url: str,
) -> maps.MapView:
    # geo_url keys the cache: a figure is made for the file it names (or inline, "").
    cat = loaders.catalogue()
    indicator = cat.indicator(indicator_id)
    areas, geojson = loaders.national_areas(layer)
    geometry = geo_file(layer, level) or geojson  # inline only where no file can be served
    frame = maps.map_frame(
        areas,
        loaders.snapshot().values,
        maps.Figures(indicator_id, period, age, source_id),
        regions=loaders.snapshot().regions,
        source_indeling=cat.source(source_id).indeling,
    )
    if level == "wijk":
        frame = frame.assign(gemeente_name=areas["gemeente_name"].to_numpy())
    name_col = "Gemeente" if level == "gemeente" else "Wijk"
    table = frame.assign(
        Waarde=[fmt_value(v, indicator.unit, indicator.decimals) for v in frame["value"]]
    ).sort_values("value", ascending=False, na_position="last")
    shown = table.rename(columns={"code": "Code", "name": name_col, "status": "Opmerking"})
    if level == "wijk":
        shown = shown.rename(columns={"gemeente_name": "Gemeente"})
    shown = shown[
        ["Code", name_col, *(["Gemeente"] if level == "wijk" else []), "Waarde", "Opmerking"]
    ]
    export = frame.assign(indicator=indicator_id, source=source_id, period=period, age=age)
    meta = exports.export_meta(
        cat, export, title=title, built_on=loaders.snapshot().manifest["built_on"]
    )
    return maps.MapView(
        frame=frame,
        figure=charts.national_map(frame, geometry, indicator, title=title),
        table=shown,
        export=export,
        meta=meta,
    )


def geo_file(layer: str, level: str) -> charts.GeoFile | None:
    """Return the national layer's geometry file the browser fetches once, or None.

    Written once per process and snapshot into ``static/geo/`` beside app.py (or found there,
    e.g. made while building the image): Streamlit serves the ``static/`` folder beside the
    main script, and every start runs app.py (bench/timed_app.py, which wraps it for the
    benchmarks, is never asked for this map). None, and the map carries its
    geometry inline as before, where Streamlit serves no static files or the folder cannot
    be written: the map always draws.
    """
    if not st.get_option("server.enableStaticServing"):
        return None
    static = ROOT / "static"
    geo = _geo_file(layer, level, str(active_snapshot()), str(static))
    if geo is not None and not (static / geo.url.removeprefix(STATIC_URL)).is_file():
        _geo_file.clear()  # removed while the server ran: write it again rather than a 404
        geo = _geo_file(layer, level, str(active_snapshot()), str(static))
    return geo


@st.cache_resource(show_spinner=False, max_entries=8)
def _geo_file(layer: str, level: str, folder: str, static: str) -> charts.GeoFile | None:
    areas, geojson = loaders.national_areas(layer, folder)
    if not geojson["features"]:
        return None  # no such layer in this snapshot: the page says so
    labels = charts.area_labels(_labelled(areas, level))
    collection = charts.labelled_collection(geojson, areas["code"], labels)
    try:
        path = boundaries.write_hashed_json(collection, Path(static) / GEO_FOLDER, layer)
    except OSError as err:
        log.warning("National map: geometry inline, %s cannot be written: %s", static, err)
        return None
    return charts.GeoFile(
        url=f"{STATIC_URL}{GEO_FOLDER}/{path.name}",
        codes=tuple(str(c) for c in areas["code"]),
        bbox=tuple(collection["bbox"]),
    )


def _labelled(areas: pd.DataFrame, level: str) -> pd.DataFrame:
    """Return the columns `charts.area_labels` reads: names, with the gemeente for wijken."""
    return areas[["name", "gemeente_name"] if level == "wijk" else ["name"]]


def write_geo_files() -> list[Path]:
    """Write the geometry file of every national layer into ``static/geo/`` beside app.py.

    For the image build (the Dockerfile), where the app's own user cannot write /app:
    ``python -m ui.national_map``.
    """
    static = ROOT / "static"
    written = []
    for level, layer in sidebar.NATIONAL_LAYERS.items():
        geo = _geo_file(layer, level, str(active_snapshot()), str(static))
        if geo is not None:
            written.append(static / geo.url.removeprefix(STATIC_URL))
    return written


if __name__ == "__main__":
    for path in write_geo_files():
        print(f"{path} ({path.stat().st_size:,} bytes)")
