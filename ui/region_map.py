"""The Kaart page for a GGD region: the wijken of all its gemeenten on one map and in one table."""

from __future__ import annotations

import streamlit as st

from analysis import aggregate, charts, classify
from analysis.catalogue import KIND_LABELS
from analysis.format import fmt_value
from analysis.indicators import age_suffix
from analysis.views import exports, maps
from analysis.views import ggd as ggd_views
from paths import active_snapshot
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
    level_label = maps.LEVEL_LABELS[sel.level].lower()
    age = age_suffix(sel.figures.age)
    title = f"{indicator.label} — {sel.ggd_name}, {level_label} ({sel.figures.period}{age})"
    view = region_view(sel, title)
    frame = view.frame
    st.plotly_chart(
        view.figure,
        width="stretch",
        key="kaart_regio",
        config=display.PLOTLY_CONFIG,
    )
    with_value = int(frame["value"].notna().sum())
    st.caption(
        f"{source.credit}. {source.title} ({source.table_id}), cijfers {sel.figures.period}"
        f"{age}; {KIND_LABELS[source.kind]}. Grenzen: CBS/PDOK wijk- en buurtkaart, "
        f"indeling {view.indeling}: {len(sel.gemeente_codes)} gemeenten van {sel.ggd_name}. "
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
    st.dataframe(view.table, hide_index=True, width="stretch", key="tabel_regio")
    st.caption(f"{indicator.label}: {indicator.definition}")
    downloads.download_buttons(
        view.export, view.meta, f"kaart_{sel.ggd_code}_{indicator.id}", key="kaart_regio"
    )


def region_view(sel: sidebar.RegionMapSelection, title: str) -> maps.MapView:
    """Return the region map's frame, figure, table and export, made once per choice.

    Public data only (the snapshot), read-only: the page and ``st.plotly_chart`` copy what
    they change. A rerun without a new choice skips map_frame, the figure and the table.
    """
    figures = sel.figures
    if sel.layer is None or figures is None:  # show() says so before it asks
        raise ValueError(f"{sel.ggd_code}: geen kaartlaag of geen cijfers gekozen")
    return _region_view(
        sel.ggd_code,
        sel.gemeente_codes,
        sel.level,
        sel.layer,
        figures.indicator,
        figures.period,
        figures.age,
        figures.source,
        sel.classes,
        title,
        str(active_snapshot()),
    )


@st.cache_resource(show_spinner=False, max_entries=32)
def _region_view(
    ggd_code: str,
    gemeente_codes: tuple[str, ...],
    level: str,
    layer: str,
    indicator_id: str,
    period: int,
    age: str,
    source_id: str,
    classes: str,
    title: str,
    folder: str,
) -> maps.MapView:
    cat = loaders.catalogue()
    indicator = cat.indicator(indicator_id)
    source = cat.source(source_id)
    areas, geojson = loaders.region_areas(layer, gemeente_codes)
    frame = maps.map_frame(
        areas,
        loaders.snapshot().values,
        maps.Figures(indicator_id, period, age, source_id),
        regions=loaders.snapshot().regions,
        source_indeling=source.indeling,
    )
    breaks = classify.breaks_for(frame["value"].round(indicator.decimals), classes, indicator.unit)
    figure = charts.choropleth(
        frame, geojson, indicator, title=title, view_key=f"{ggd_code}/{layer}", breaks=breaks
    )
    indeling = int(areas["indeling"].iloc[0])
    names = loaders.gemeente_names()
    names.update(_names_in_indeling(indeling))
    table = ggd_views.region_table(frame, areas, names)
    level_label = maps.LEVEL_LABELS[level].lower()
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
    export = table.assign(indicator=indicator_id, source=source_id, period=period, age=age)
    meta = exports.export_meta(
        cat, export, title=title, built_on=loaders.snapshot().manifest["built_on"]
    )
    return maps.MapView(
        frame=frame,
        figure=figure,
        indeling=indeling,
        table=shown[["Code", name_col, "Gemeente", "Waarde", "Opmerking"]],
        export=export,
        meta=meta,
    )


def ggd_rule_text(indicator_id: str, kind: str) -> str:
    """Say how a region figure is made from the gemeenten (the aggregation rule)."""
    return aggregate.rule_for(indicator_id, kind).why + "."


def _names_in_indeling(indeling: int) -> dict[str, str]:
    """Gemeente names of one indeling from the GGD table (old gemeenten on an old layer)."""
    ggd = loaders.snapshot().ggd
    rows = ggd[ggd["indeling"] == indeling]
    return dict(zip(rows["gemeente_code"], rows["gemeente_name"], strict=True))
