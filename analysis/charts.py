"""Figure builders: pure functions that return plotly figures; pages only display them."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from analysis import classify
from analysis.catalogue import Indicator
from analysis.format import fmt_number, fmt_value, plotly_separators

#: Colour-blind-safe sequential scale (ColorBrewer "Blues", light = low, dark = high).
SEQUENTIAL = "Blues"
#: Areas without a figure: a light grey that still shows the area's outline.
MISSING_COLOUR = "#d9d9d9"
FONT = dict(family="Source Sans Pro, Arial, sans-serif", size=15, color="#262730")


def bounds(geojson: dict) -> tuple[float, float, float, float]:
    """Return ``(min_lon, min_lat, max_lon, max_lat)`` of a GeoJSON FeatureCollection.

    Examples
    --------
    >>> fc = {"features": [{"geometry": {"type": "Polygon",
    ...        "coordinates": [[[5.0, 53.0], [6.0, 53.0], [6.0, 54.0], [5.0, 53.0]]]}}]}
    >>> bounds(fc)
    (5.0, 53.0, 6.0, 54.0)
    """
    xs: list[float] = []
    ys: list[float] = []

    def walk(coords):
        if coords and isinstance(coords[0], (int, float)):
            xs.append(coords[0])
            ys.append(coords[1])
        else:
            for part in coords:
                walk(part)

    for feature in geojson["features"]:
        walk(feature["geometry"]["coordinates"])
    if not xs:
        raise ValueError("GeoJSON zonder coördinaten: er valt niets te tekenen")
    return min(xs), min(ys), max(xs), max(ys)


def subset_features(geojson: dict, codes) -> dict:
    """Return a FeatureCollection with only the features whose ``properties.code`` is listed.

    Each trace carries only its own areas, so no geometry is sent to the browser twice.

    Examples
    --------
    >>> fc = {"type": "FeatureCollection", "features": [
    ...     {"properties": {"code": "A"}}, {"properties": {"code": "B"}}]}
    >>> [f["properties"]["code"] for f in subset_features(fc, ["B"])["features"]]
    ['B']
    """
    wanted = set(codes)
    return {
        "type": "FeatureCollection",
        "features": [f for f in geojson["features"] if f["properties"]["code"] in wanted],
    }


def view_for_bounds(
    box: tuple[float, float, float, float], width_px: int = 900, height_px: int = 600
) -> tuple[dict, float]:
    """Return the map centre and the web-mercator zoom that fits a bounding box.

    Examples
    --------
    >>> centre, zoom = view_for_bounds((5.7, 53.1, 5.9, 53.3))
    >>> round(centre["lon"], 2), round(centre["lat"], 2), round(zoom, 1)
    (5.8, 53.2, 10.2)
    """
    min_lon, min_lat, max_lon, max_lat = box
    centre = {"lon": (min_lon + max_lon) / 2, "lat": (min_lat + max_lat) / 2}

    def merc(lat: float) -> float:
        rad = math.radians(lat)
        return math.log(math.tan(math.pi / 4 + rad / 2))

    lon_frac = max(max_lon - min_lon, 1e-6) / 360
    lat_frac = max(merc(max_lat) - merc(min_lat), 1e-6) / (2 * math.pi)
    zoom = min(math.log2(width_px / 512 / lon_frac), math.log2(height_px / 512 / lat_frac))
    return centre, max(0.0, zoom - 0.15)  # a small margin around the areas


def hover_texts(frame: pd.DataFrame, indicator: Indicator) -> list[str]:
    """Return the hover text per area: name, value, and for survey figures n and the 95% CI.

    Where no value is shown, the reason is (e.g. "minder dan 30 antwoorden").

    Examples
    --------
    >>> from analysis.catalogue import load_catalogue
    >>> ind = load_catalogue().indicator("eenzaam")
    >>> frame = pd.DataFrame({"name": ["Noord", "Zuid"], "value": [42.4, None],
    ...                       "status": ["", "minder dan 30 antwoorden"], "n": [120, 12],
    ...                       "ci_low": [33.1, None], "ci_high": [51.9, None]})
    >>> for text in hover_texts(frame, ind):
    ...     print(text.replace("\u00a0", " "))
    <b>Noord</b><br>42 %<br>95%-BI 33–52 %, n = 120
    <b>Zuid</b><br>minder dan 30 antwoorden (n = 12)
    """
    survey = {"n", "ci_low", "ci_high"} <= set(frame.columns)
    texts = []
    for row in frame.itertuples(index=False):
        head = f"<b>{row.name}</b><br>"
        if pd.isna(row.value):
            extra = f" (n = {fmt_number(row.n)})" if survey and row.n else ""
            texts.append(f"{head}{row.status}{extra}")
            continue
        text = head + fmt_value(row.value, indicator.unit, indicator.decimals)
        if survey:
            low = fmt_number(row.ci_low, indicator.decimals)
            high = fmt_value(row.ci_high, indicator.unit, indicator.decimals)
            text += f"<br>95%-BI {low}–{high}, n = {fmt_number(row.n)}"
            if row.status:
                text += f"<br>{row.status}"
        texts.append(text)
    return texts


def choropleth(
    frame: pd.DataFrame,
    geojson: dict,
    indicator: Indicator,
    *,
    title: str,
    view_key: str = "",
    height: int = 600,
    breaks: tuple[float, ...] | None = None,
) -> go.Figure:
    """Draw a choropleth of areas with a value, and the areas without one in grey.

    Uses ``Choroplethmap`` on the ``white-bg`` style: no tile server and nothing fetched, so it
    draws offline (shared/RECIPES.md).

    Parameters
    ----------
    frame : pandas.DataFrame
        ``code, name, value, status`` (see `analysis.maps.map_frame`).
    geojson : dict
        FeatureCollection whose features carry ``properties.code``.
    indicator : Indicator
        Gives the unit and decimals of the hover text and the legend.
    title : str
        Figure title (the indicator, the area and the year).
    view_key : str
        Identifies the set of areas drawn; while it stays the same, the browser keeps the
        user's zoom and pan when the indicator changes.
    height : int
        Figure height in pixels.
    breaks : tuple of float, optional
        Class edges (`analysis.classify`): the map is coloured in steps with one legend entry
        per class. Without breaks the colour scale is continuous.

    Returns
    -------
    plotly.graph_objects.Figure
    """
    shown = frame[frame["value"].notna()]
    missing = frame[frame["value"].isna()]
    hover = frame.assign(text=hover_texts(frame, indicator)).set_index("code")["text"]
    fig = go.Figure()
    if not missing.empty:
        fig.add_trace(
            go.Choroplethmap(
                geojson=subset_features(geojson, missing["code"]),
                featureidkey="properties.code",
                locations=missing["code"].tolist(),
                z=[0] * len(missing),
                colorscale=[[0, MISSING_COLOUR], [1, MISSING_COLOUR]],
                showscale=False,
                marker_line_color="white",
                marker_line_width=1,
                text=hover.loc[missing["code"]].tolist(),
                hovertemplate="%{text}<extra></extra>",
                name="geen cijfer",
            )
        )
    if not shown.empty:
        rounded = shown["value"].round(indicator.decimals)
        if breaks is not None and len(breaks) >= 2:
            colour = classify.stepped_coloraxis(breaks, indicator.unit, indicator.decimals)
            z = [float(v) for v in classify.classify(rounded.to_numpy(), breaks)]
        else:
            colour = {
                "colorscale": SEQUENTIAL,
                "colorbar": {"tickformat": f",.{indicator.decimals}f"},
            }
            z = rounded.tolist()
        colour["colorbar"] = {
            **colour["colorbar"],
            "title": {"text": indicator.unit, "side": "top"},
            "thickness": 18,
            "len": 0.8,
        }
        fig.add_trace(
            go.Choroplethmap(
                geojson=subset_features(geojson, shown["code"]),
                featureidkey="properties.code",
                locations=shown["code"].tolist(),
                z=z,
                # Grey outlines: the lightest classes are close to white (WCAG note in classify).
                marker_line_color="#7f7f7f",
                marker_line_width=0.8,
                marker_opacity=0.9,
                text=hover.loc[shown["code"]].tolist(),
                hovertemplate="%{text}<extra></extra>",
                name=indicator.label,
                **colour,
            )
        )
    centre, zoom = view_for_bounds(bounds(geojson), height_px=height)
    fig.update_layout(
        title=dict(text=title, x=0, xanchor="left", font=dict(size=20)),
        map=dict(style="white-bg", center=centre, zoom=zoom),
        margin=dict(l=0, r=0, t=56, b=0),
        height=height,
        separators=plotly_separators(),
        font=FONT,
        # Keep the user's zoom and pan when only the indicator changes (issue #4).
        uirevision=view_key or title,
    )
    return fig


def aggregate_bar_chart(
    frame: pd.DataFrame, column: str, *, total: float | None, gemeente: str, title: str
) -> go.Figure:
    """Draw an aggregated table's column as horizontal bars, areas off the map included.

    Parameters
    ----------
    frame : pandas.DataFrame
        ``area`` (as written), ``map_status`` ("op de kaart" / "niet op de kaart") and the
        figure column; suppressed cells are NaN and get a text instead of a bar.
    column : str
        The figure to draw (a percentage).
    total : float, optional
        The gemeente's own total, drawn as a reference line.

    Examples
    --------
    >>> f = pd.DataFrame({"area": ["West", "Dorp"], "map_status": ["op de kaart",
    ...                   "niet op de kaart"], "eenzaam": [41.5, None]})
    >>> fig = aggregate_bar_chart(f, "eenzaam", total=38.0, gemeente="G", title="t")
    >>> fig.data[0].y, fig.data[0].text
    (('Dorp (niet op de kaart)', 'West'), ('onderdrukt in bron', '41,5\u00a0%'))
    """
    ordered = frame.sort_values(column, na_position="first")
    labels = [
        f"{a} (niet op de kaart)" if s == "niet op de kaart" else str(a)
        for a, s in zip(ordered["area"], ordered["map_status"], strict=True)
    ]
    texts = [fmt_value(v, "%", 1) if pd.notna(v) else "onderdrukt in bron" for v in ordered[column]]
    fig = go.Figure(
        go.Bar(
            x=ordered[column].fillna(0).tolist(),
            y=labels,
            orientation="h",
            text=texts,
            textposition="outside",
            marker_color=["#3182bd" if pd.notna(v) else "#ffffff" for v in ordered[column]],
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    if total is not None and pd.notna(total):
        fig.add_vline(
            x=total,
            line_dash="dash",
            line_color="#262730",
            annotation_text=f"{gemeente}: {fmt_value(total, '%', 1)}",
        )
    fig.update_layout(
        title=dict(text=title, x=0, xanchor="left", font=dict(size=20)),
        separators=plotly_separators(),
        font=FONT,
        height=max(300, 28 * len(frame) + 120),
        margin=dict(l=10, r=40, t=60, b=40),
        xaxis=dict(title="%", rangemode="tozero"),
        showlegend=False,
    )
    return fig
