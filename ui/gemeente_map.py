"""The Kaart page for one gemeente: its frame, figure, table and export, shared where public."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis import charts, classify, figure
from analysis.catalogue import Catalogue
from analysis.format import fmt_interval, fmt_value
from analysis.indicators import age_suffix
from analysis.views import exports, maps
from paths import active_snapshot
from ui import loaders, sidebar

#: Table headers of the gemeente map per level label.
_NAME_COLUMNS = {"wijken": "Wijk", "buurten": "Buurt"}


def public_view(sel: sidebar.MapSelection) -> maps.MapView:
    """Return the map of a gemeente's public figures, made once per choice for every session.

    Public data only (the snapshot, the shared catalogue), read-only: the page and
    ``st.plotly_chart`` copy what they change. A rerun without a new choice (and every other
    session on the same choice) skips map_frame, the figure build, the table's formatting and
    the export (about half of a map rerun's CPU, issue #14).
    """
    if sel.layer is None or sel.figures is None:  # the page says so before it asks
        raise ValueError(f"{sel.gemeente_code}: geen kaartlaag of geen cijfers gekozen")
    if sel.figures.source not in loaders.catalogue().sources:
        # A session's own survey is never shared between sessions (it is not in the catalogue).
        raise ValueError(f"{sel.figures.source}: geen openbare bron")
    return _public_view(
        sel.gemeente_code,
        sel.gemeente_name,
        sel.level,
        sel.layer,
        sel.figures.indicator,
        sel.figures.period,
        sel.figures.age,
        sel.figures.source,
        sel.classes,
        str(active_snapshot()),
    )


@st.cache_resource(show_spinner=False, max_entries=64)
def _public_view(
    gemeente_code: str,
    gemeente_name: str,
    level: str,
    layer: str,
    indicator_id: str,
    period: int,
    age: str,
    source_id: str,
    classes: str,
    folder: str,
) -> maps.MapView:
    figures = maps.Figures(indicator_id, period, age, source_id)
    sel = sidebar.MapSelection(gemeente_code, gemeente_name, level, layer, figures, classes)
    cat = loaders.catalogue()
    areas, geojson = loaders.layer_areas(layer, gemeente_code)
    frame = maps.map_frame(
        areas,
        loaders.layer_values(layer, gemeente_code),
        figures,
        regions=loaders.snapshot().regions,
        source_indeling=cat.source(source_id).indeling,
        lookup=loaders.area_lookup(),
    )
    return build_view(cat, sel, areas, geojson, frame)


def build_view(
    cat: Catalogue,
    sel: sidebar.MapSelection,
    areas: pd.DataFrame,
    geojson: dict,
    frame: pd.DataFrame,
    *,
    suppression_rule: str = "",
) -> maps.MapView:
    """Make the figure, the shown table and the export of a gemeente map from its frame.

    ``suppression_rule`` is given (non-empty) exactly when the frame holds the session's own
    survey estimates (`analysis.views.maps.survey_frame`): the table then shows the 95%
    interval and n, and the export states the rule. Such a view is never shared.
    """
    figures = sel.figures
    if figures is None:
        raise ValueError(f"{sel.gemeente_code}: geen cijfers gekozen")
    indicator = cat.indicator(figures.indicator)
    survey = bool(suppression_rule)
    level_label = maps.LEVEL_LABELS[sel.level].lower()
    info = figure.figure_info(
        cat, indicator.id, figures.source, period=figures.period, age=figures.age
    )
    title = info.title(
        f"{indicator.label} — {sel.gemeente_name}, {level_label} "
        f"({figures.period}{age_suffix(figures.age)})"
    )
    breaks = classify.breaks_for(
        frame["value"].round(indicator.decimals), sel.classes, indicator.unit
    )
    chart = charts.choropleth(
        frame,
        geojson,
        indicator,
        title=title,
        view_key=f"{sel.gemeente_code}/{sel.layer}",
        breaks=breaks,
    )
    name_col = _NAME_COLUMNS.get(level_label, "Gebied")
    # Only the shown columns, made in one constructor (the sort reads "value" alone, so the
    # order is the one a sort of the whole frame gave; issue #14, a first visit).
    values = frame["value"].tolist()
    columns = {
        "Code": frame["code"],
        name_col: frame["name"],
        "Waarde": [fmt_value(v, indicator.unit, indicator.decimals) for v in values],
    }
    if survey:
        columns["95%-BI"] = [
            fmt_interval(lo, hi, indicator.unit, indicator.decimals)
            for lo, hi in zip(frame["ci_low"], frame["ci_high"], strict=True)
        ]
        columns["n"] = frame["n"]
    shown = list(columns)
    columns["Reden of opmerking"] = frame["status"]
    columns["value"] = frame["value"]
    table = pd.DataFrame(columns, index=frame.index).sort_values(
        "value", ascending=False, na_position="last"
    )
    export = maps.map_export(frame, info, figures.source, survey=survey)
    meta = exports.export_meta(
        cat,
        export,
        title=title,
        built_on=loaders.snapshot().manifest["built_on"],
        suppression_rule=suppression_rule,
        column_labels={"name": name_col},
    )
    return maps.MapView(
        frame=frame,
        figure=chart,
        title=title,
        indeling=int(areas["indeling"].iloc[0]),
        table=table[[*shown, "Reden of opmerking"]].reset_index(drop=True),
        export=export,
        meta=meta,
    )
