"""The national overview of the Kaart page: the whole country by gemeente or by wijk."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analysis import charts, indeling
from analysis.catalogue import KIND_LABELS, MODEL_ESTIMATE
from analysis.format import fmt_value
from analysis.indicators import age_suffix
from analysis.views import exports, maps
from paths import active_snapshot
from ui import display, downloads, loaders, sidebar


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
    frame, fig = national_figure(layer, nl.level, nl.figures, title)
    st.plotly_chart(
        fig,
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
    name_col = "Gemeente" if nl.level == "gemeente" else "Wijk"
    table = frame.assign(
        Waarde=[fmt_value(v, indicator.unit, indicator.decimals) for v in frame["value"]]
    ).sort_values("value", ascending=False, na_position="last")
    shown = table.rename(columns={"code": "Code", "name": name_col, "status": "Opmerking"})
    if nl.level == "wijk":
        shown = shown.rename(columns={"gemeente_name": "Gemeente"})
    st.dataframe(
        shown[
            ["Code", name_col, *(["Gemeente"] if nl.level == "wijk" else []), "Waarde", "Opmerking"]
        ],
        hide_index=True,
        width="stretch",
        key="tabel_nl",
    )
    export = frame.assign(
        indicator=indicator.id, source=source.id, period=nl.figures.period, age=nl.figures.age
    )
    meta = exports.export_meta(
        cat_nl, export, title=title, built_on=loaders.snapshot().manifest["built_on"]
    )
    downloads.download_buttons(export, meta, f"kaart_nederland_{indicator.id}", key="kaart_nl")


def national_figure(
    layer: str, level: str, figures: maps.Figures, title: str
) -> tuple[pd.DataFrame, go.Figure]:
    """Return the national map's frame and figure, made once per choice for every session.

    Public data only (the snapshot), read-only: the page and ``st.plotly_chart`` copy what
    they change. A rerun without a new choice (the table, a download) skips map_frame and
    the figure build (about 60 ms of CPU for the 3 393 wijken).
    """
    return _national_figure(
        layer,
        level,
        figures.indicator,
        figures.period,
        figures.age,
        figures.source,
        title,
        str(active_snapshot()),
    )


@st.cache_resource(show_spinner=False, max_entries=16)
def _national_figure(
    layer: str,
    level: str,
    indicator_id: str,
    period: int,
    age: str,
    source_id: str,
    title: str,
    folder: str,
) -> tuple[pd.DataFrame, go.Figure]:
    cat = loaders.catalogue()
    areas, geojson = loaders.national_areas(layer)
    frame = maps.map_frame(
        areas,
        loaders.snapshot().values,
        maps.Figures(indicator_id, period, age, source_id),
        regions=loaders.snapshot().regions,
        source_indeling=cat.source(source_id).indeling,
    )
    if level == "wijk":
        frame = frame.assign(gemeente_name=areas["gemeente_name"].to_numpy())
    return frame, charts.national_map(frame, geojson, cat.indicator(indicator_id), title=title)
