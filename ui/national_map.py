"""The national overview of the Kaart page: the whole country by gemeente or by wijk."""

from __future__ import annotations

import streamlit as st

from analysis import charts, indeling
from analysis.catalogue import KIND_LABELS, MODEL_ESTIMATE
from analysis.format import fmt_value
from analysis.indicators import age_suffix
from analysis.views import exports, maps
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
    areas, geojson = loaders.national_areas(nl.layer or sidebar.NATIONAL_LAYERS["gemeente"])
    frame = maps.map_frame(
        areas,
        loaders.snapshot().values,
        nl.figures,
        regions=loaders.snapshot().regions,
        source_indeling=source.indeling,
    )
    if nl.level == "wijk":
        frame = frame.assign(gemeente_name=areas["gemeente_name"].to_numpy())
    level_label = sidebar.NATIONAL_LABELS[nl.level].lower()
    age = age_suffix(nl.figures.age)
    title = f"{indicator.label} — Nederland, {level_label} ({nl.figures.period}{age})"
    st.plotly_chart(
        charts.national_map(frame, geojson, indicator, title=title),
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
