"""The Kaart page for a GGD region: the wijken of all its gemeenten on one map and in one table."""

from __future__ import annotations

import streamlit as st

from analysis import aggregate, charts, classify
from analysis.catalogue import KIND_LABELS
from analysis.format import fmt_value
from analysis.indicators import age_suffix
from analysis.views import exports, maps
from analysis.views import ggd as ggd_views
from ui import display, downloads, loaders, sidebar


def show(sel: sidebar.RegionMapSelection) -> None:
    """Lay out the region map, its caption, the table and the downloads."""
    st.title("Kaart")
    if sel.layer is None:
        st.warning(
            f"Voor {sel.ggd_name} is er geen kaartlaag met de wijken of buurten van al haar "
            "gemeenten."
        )
        return
    if sel.figures is None:
        st.warning(f"Voor {sel.ggd_name} zijn geen cijfers in de gegevens.")
        return
    cat = loaders.catalogue()
    indicator = cat.indicator(sel.figures.indicator)
    source = cat.source(sel.figures.source)
    areas, geojson = loaders.region_areas(sel.layer, sel.gemeente_codes)
    frame = maps.map_frame(
        areas,
        loaders.snapshot().values,
        sel.figures,
        regions=loaders.snapshot().regions,
        source_indeling=source.indeling,
    )
    level_label = maps.LEVEL_LABELS[sel.level].lower()
    age = age_suffix(sel.figures.age)
    title = f"{indicator.label} — {sel.ggd_name}, {level_label} ({sel.figures.period}{age})"
    breaks = classify.breaks_for(
        frame["value"].round(indicator.decimals), sel.classes, indicator.unit
    )
    st.plotly_chart(
        charts.choropleth(
            frame,
            geojson,
            indicator,
            title=title,
            view_key=f"{sel.ggd_code}/{sel.layer}",
            breaks=breaks,
        ),
        width="stretch",
        key="kaart_regio",
        config=display.PLOTLY_CONFIG,
    )
    indeling = int(areas["indeling"].iloc[0])
    with_value = int(frame["value"].notna().sum())
    st.caption(
        f"{source.credit}. {source.title} ({source.table_id}), cijfers {sel.figures.period}"
        f"{age}; {KIND_LABELS[source.kind]}. Grenzen: CBS/PDOK wijk- en buurtkaart, "
        f"indeling {indeling}: {len(sel.gemeente_codes)} gemeenten van {sel.ggd_name}. "
        f"{with_value} van {len(frame)} {level_label} met een cijfer; grijs = geen cijfer, of "
        "een cijfer over een ander gebied met dezelfde code (andere indeling)."
    )
    region_row = loaders.region_figures(sel.ggd_code)
    match = region_row[
        (region_row["indicator"] == indicator.id)
        & (region_row["period"] == sel.figures.period)
        & (region_row["age"] == sel.figures.age)
        & (region_row["source"] == source.id)
    ]
    if not match.empty:
        row = match.iloc[0]
        if row["value"] == row["value"]:
            st.metric(
                f"{sel.ggd_name} als geheel",
                fmt_value(row["value"], indicator.unit, indicator.decimals),
                help="Berekend uit de cijfers van de gemeenten, "
                + ggd_rule_text(indicator.id, source.kind),
            )
        else:
            st.caption(f"{sel.ggd_name} als geheel: {row['reason']}.")

    st.subheader("Tabel")
    names = loaders.gemeente_names()
    names.update(_names_in_indeling(indeling))
    table = ggd_views.region_table(frame, areas, names)
    name_col = {"wijken": "Wijk", "buurten": "Buurt"}.get(level_label, "Gebied")
    shown = table.assign(
        Waarde=[fmt_value(v, indicator.unit, indicator.decimals) for v in table["value"]]
    ).rename(
        columns={
            "code": "Code",
            "name": name_col,
            "gemeente_name": "Gemeente",
            "status": "Opmerking",
        }
    )
    st.dataframe(
        shown[["Code", name_col, "Gemeente", "Waarde", "Opmerking"]],
        hide_index=True,
        width="stretch",
        key="tabel_regio",
    )
    st.caption(f"{indicator.label}: {indicator.definition}")
    export = table.assign(
        indicator=indicator.id, source=source.id, period=sel.figures.period, age=sel.figures.age
    )
    meta = exports.export_meta(
        cat, export, title=title, built_on=loaders.snapshot().manifest["built_on"]
    )
    downloads.download_buttons(
        export, meta, f"kaart_{sel.ggd_code}_{indicator.id}", key="kaart_regio"
    )


def ggd_rule_text(indicator_id: str, kind: str) -> str:
    """Say how a region figure is made from the gemeenten (the aggregation rule)."""
    return aggregate.rule_for(indicator_id, kind).why + "."


def _names_in_indeling(indeling: int) -> dict[str, str]:
    """Gemeente names of one indeling from the GGD table (old gemeenten on an old layer)."""
    ggd = loaders.snapshot().ggd
    rows = ggd[ggd["indeling"] == indeling]
    return dict(zip(rows["gemeente_code"], rows["gemeente_name"], strict=True))
