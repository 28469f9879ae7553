"""Figure builders: pure functions that return plotly figures; pages only display them."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import cast

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analysis import classify
from analysis.catalogue import Indicator
from analysis.format import fmt_interval, fmt_number, fmt_value, plotly_separators
from analysis.reasons import GREY_LEGEND

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
    if "bbox" in geojson and len(geojson["bbox"]) == 4:  # GeoJSON's own member (RFC 7946 §5)
        return tuple(float(v) for v in geojson["bbox"])  # type: ignore[return-value]
    boxes = [_ring_bounds(ring) for f in geojson["features"] for ring in _rings(f["geometry"])]
    boxes = [box for box in boxes if box is not None]
    if not boxes:
        raise ValueError("GeoJSON zonder coördinaten: er valt niets te tekenen")
    lows_x, lows_y, highs_x, highs_y = zip(*boxes, strict=True)
    return min(lows_x), min(lows_y), max(highs_x), max(highs_y)


def _rings(geometry: dict | None) -> list:
    """Return the coordinate lists of a geometry whose items are ``[lon, lat]`` positions."""
    if not geometry:
        return []
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    coords = cast("list", coords)  # GeoJSON: every kind but GeometryCollection has coordinates
    if kind == "Polygon":
        return list(coords)
    if kind == "MultiPolygon":
        return [ring for polygon in coords for ring in polygon]
    if kind == "GeometryCollection":
        return [ring for part in geometry.get("geometries", []) for ring in _rings(part)]
    if kind == "Point":
        return [[coords]]
    if kind in ("LineString", "MultiPoint"):
        return [coords]
    if kind == "MultiLineString":
        return list(coords)
    raise ValueError(f"GeoJSON-geometrie van soort {kind!r} kan niet op de kaart")


def _ring_bounds(ring: list) -> tuple[float, float, float, float] | None:
    """Return the bounds of one list of positions (zip per ring: fast for 200 000 vertices)."""
    if not ring:
        return None
    xs, ys = list(zip(*ring, strict=False))[:2]
    return min(xs), min(ys), max(xs), max(ys)


class SharedGeoJSON(dict):
    """A GeoJSON dict that figures hold by reference instead of copying it.

    Plotly deep-copies every trace property twice per figure (when a trace is added and in
    ``Figure.to_dict``, which ``st.plotly_chart`` calls). For a national layer that is
    200 000 small lists per copy and most of the time spent on a map (issue #5). Geometry
    is never changed after it is built, so sharing it is safe: ``copy.deepcopy`` returns
    the object itself. It is still a dict, so plotly's JSON encoder writes it as one.

    Examples
    --------
    >>> import copy
    >>> fc = SharedGeoJSON(type="FeatureCollection", features=[])
    >>> copy.deepcopy({"geojson": fc})["geojson"] is fc
    True
    """

    def __deepcopy__(self, memo: dict) -> SharedGeoJSON:
        return self


def subset_features(geojson: dict, codes, ids: Mapping[str, int] | None = None) -> SharedGeoJSON:
    """Return a FeatureCollection of the features whose ``properties.code`` is listed.

    Each trace carries only its own areas, so no geometry is sent to the browser twice. A
    feature keeps only its code (as ``id``, plotly's default ``featureidkey``; or the id
    that ``ids`` gives the code) and its geometry, which is shared with ``geojson``, not
    copied (see `SharedGeoJSON`): names go to the hover template, not into properties
    (they were a seventh of the national map). No ``"type": "Feature"`` either: plotly.js
    reads only the id and the geometry of each feature and builds its own Feature from them
    (``extractTraceFeature`` in ``src/lib/geo_location_utils.js``, as bundled with
    streamlit 1.67), and those 17 bytes a feature were 58 KB of the national wijk map. The
    collection keeps its ``type``, which plotly.js does read.

    Examples
    --------
    >>> fc = {"type": "FeatureCollection", "features": [
    ...     {"type": "Feature", "properties": {"code": "A", "name": "Noord"}, "geometry": None},
    ...     {"type": "Feature", "properties": {"code": "B", "name": "Zuid"}, "geometry": None}]}
    >>> subset_features(fc, ["B"])["features"]
    [{'id': 'B', 'geometry': None}]
    >>> subset_features(fc, ["B"], ids={"B": 7})["features"][0]["id"]
    7
    """
    wanted = set(codes)
    return SharedGeoJSON(
        type="FeatureCollection",
        features=[
            {
                "id": f["properties"]["code"] if ids is None else ids[f["properties"]["code"]],
                "geometry": f["geometry"],
            }
            for f in geojson["features"]
            if f["properties"]["code"] in wanted
        ],
    )


@dataclass(frozen=True)
class GeoFile:
    """A map layer's geometry as a file the browser fetches once, instead of in the figure.

    plotly.js takes a URL for a trace's ``geojson``, fetches it once per page and keeps it
    per URL (``window.PlotlyGeoAssets``), however many traces and reruns use it; features
    are matched on their ``id``. The file's name carries a hash of its content, so another
    snapshot gives another URL and never a stale copy (issue 10, item 6).

    A limit of plotly.js 3.8 (``fetchTraceGeoData``): while one trace fetches a URL, the
    other traces that name it wait for it for 100 timer ticks of 50 ms (about 5 s) and then
    fail, and the map stays blank; headless Chromium drew after a 7 s delay, not after 12 s
    (below ~300 kbit/s for the ~0,2 MB gzip'd national wijken). So each trace of a figure
    names the file by a URL of its own (`trace_url`: the coloured trace the file itself,
    grey trace *i* the file with ``?i``): each fetches without a time limit. The server
    ignores the query; a browser keeps each URL (at most one per reason an area is grey,
    three in the current figures) as long as the file's content-hashed name stays.

    Attributes
    ----------
    url : str
        Relative to the page (``app/static/geo/…``), so it also works under a base path.
    codes : tuple of str
        ``codes[i]`` is the area whose feature has ``id`` *i* (see `labelled_collection`).
    bbox : tuple of float
        ``(min_lon, min_lat, max_lon, max_lat)``: the map is fitted without the geometry.
    """

    url: str
    codes: tuple[str, ...]
    bbox: tuple[float, float, float, float]


def trace_url(url: str, copy: int) -> str:
    """Return the URL by which trace ``copy`` of a figure names a `GeoFile` (see there).

    Examples
    --------
    >>> trace_url("app/static/geo/nl.json", 0), trace_url("app/static/geo/nl.json", 2)
    ('app/static/geo/nl.json', 'app/static/geo/nl.json?2')
    """
    return f"{url}?{copy}" if copy else url


def area_labels(frame: pd.DataFrame) -> np.ndarray:
    """Return the hover name of each area: its name, and its gemeente where one is given.

    Wijk names repeat across gemeenten ("Wijk 00"), so a national wijk map says whose.

    Examples
    --------
    >>> area_labels(pd.DataFrame({"name": ["Wijk 00"], "gemeente_name": ["Bedum"]})).tolist()
    ['Wijk 00 (Bedum)']
    >>> area_labels(pd.DataFrame({"name": ["Bedum"]})).tolist()
    ['Bedum']
    """
    names = frame["name"].astype("str")
    if "gemeente_name" in frame.columns:
        names = names + " (" + frame["gemeente_name"].astype("str") + ")"
    return names.to_numpy()


def labelled_collection(geojson: dict, codes, labels) -> dict:
    """Return the FeatureCollection of a `GeoFile`: ids are row positions, names in properties.

    Feature *i* is the area ``codes[i]``, with its hover name as ``properties.name`` (the
    map's hover template reads ``%{properties.name}``, so names leave the figure too). Areas
    without geometry in ``geojson`` have no feature. Strict GeoJSON, with the ``bbox``.

    Examples
    --------
    >>> square = {"type": "Polygon", "coordinates": [[[5, 53], [6, 53], [6, 54], [5, 53]]]}
    >>> fc = {"type": "FeatureCollection", "features": [
    ...     {"type": "Feature", "properties": {"code": "B", "name": "Zuid"}, "geometry": square}]}
    >>> out = labelled_collection(fc, ["A", "B"], ["Noord (X)", "Zuid (Y)"])
    >>> out["bbox"], out["features"][0]["id"], out["features"][0]["properties"]
    ([5.0, 53.0, 6.0, 54.0], 1, {'name': 'Zuid (Y)'})
    """
    codes = [str(c) for c in codes]
    position = {code: i for i, code in enumerate(codes)}
    label = dict(zip(codes, (str(v) for v in labels), strict=True))
    features = [
        {
            "type": "Feature",
            "id": position[code],
            "properties": {"name": label[code]},
            "geometry": f["geometry"],
        }
        for f in geojson["features"]
        if (code := f["properties"]["code"]) in position
    ]
    return {
        "type": "FeatureCollection",
        "bbox": [float(v) for v in bounds(geojson)],
        "features": features,
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


def hover_bodies(frame: pd.DataFrame, indicator: Indicator) -> list[str]:
    """Return the hover text per area without its name (the map's template adds the name).

    Examples
    --------
    >>> from analysis.catalogue import load_catalogue
    >>> ind = load_catalogue().indicator("eenzaam")
    >>> frame = pd.DataFrame({"name": ["Noord", "Zuid"], "value": [42.4, None],
    ...                       "status": ["", "geen cijfer"]})
    >>> [text.replace("\u00a0", " ") for text in hover_bodies(frame, ind)]
    ['42 %', 'geen cijfer']
    """
    survey = {"n", "ci_low", "ci_high"} <= set(frame.columns)
    texts = []
    for row in frame.itertuples(index=False):
        if pd.isna(row.value):
            extra = f" (n = {fmt_number(row.n)})" if survey and row.n else ""
            texts.append(f"{row.status}{extra}")
            continue
        text = fmt_value(row.value, indicator.unit, indicator.decimals)
        if survey:
            interval = fmt_interval(row.ci_low, row.ci_high, indicator.unit, indicator.decimals)
            text += f"<br>95%-BI {interval}, n = {fmt_number(row.n)}"
            if row.status:
                text += f"<br>{row.status}"
        texts.append(text)
    return texts


#: Hover of a map area: its name (``customdata``) in bold, then its text. In the template
#: once per trace rather than in every area's text: plotly's JSON escapes each ``<`` and ``>``
#: as six bytes, which made up a tenth of the national map (issue #5).
HOVER_TEMPLATE = "<b>%{customdata}</b><br>%{text}<extra></extra>"


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
        ``code, name, value, status`` (see `analysis.views.maps.map_frame`).
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
    text = pd.Series(hover_bodies(frame, indicator), index=frame.index)
    # Traces as dicts: the figure validates each once (a go.Choroplethmap was validated when
    # made and again when the figure took it; issue #14, a first visit of a gemeente).
    traces: list[dict] = []
    if not missing.empty:
        traces.append(
            dict(
                type="choroplethmap",
                geojson=subset_features(geojson, missing["code"]),
                locations=missing["code"].tolist(),
                z=[0] * len(missing),
                colorscale=[[0, MISSING_COLOUR], [1, MISSING_COLOUR]],
                showscale=False,
                marker={"line": {"color": "white", "width": 1}},
                text=text[missing.index].tolist(),
                customdata=missing["name"].tolist(),
                hovertemplate=HOVER_TEMPLATE,
                # The legend's grey swatch (issue #12): grey is explained, never just a colour.
                name=f"{GREY_LEGEND} — {len(missing)}",
                showlegend=True,
            )
        )
    if not shown.empty:
        rounded = shown["value"].round(indicator.decimals)
        if breaks is not None and len(breaks) >= 2:
            colour = classify.stepped_coloraxis(breaks, indicator.unit, indicator.decimals)
            z = _compact(classify.classify(rounded.to_numpy(), breaks))
        else:
            colour = {
                "colorscale": SEQUENTIAL,
                "colorbar": {"tickformat": f",.{indicator.decimals}f"},
            }
            z = _compact(rounded)
        colour["colorbar"] = {
            **colour["colorbar"],
            "title": {"text": indicator.unit, "side": "top"},
            "thickness": 18,
            "len": 0.8,
        }
        traces.append(
            dict(
                type="choroplethmap",
                geojson=subset_features(geojson, shown["code"]),
                locations=shown["code"].tolist(),
                z=z,
                # Grey outlines: the lightest classes are close to white (WCAG note in classify).
                marker={"line": {"color": "#7f7f7f", "width": 0.8}, "opacity": 0.9},
                text=text[shown.index].tolist(),
                customdata=shown["name"].tolist(),
                hovertemplate=HOVER_TEMPLATE,
                name=indicator.label,
                showlegend=False,
                **colour,
            )
        )
    return go.Figure(
        data=traces,
        layout=_map_layout(bounds(geojson), title=title, height=height, view_key=view_key),
    )


def national_map(
    frame: pd.DataFrame,
    geojson: dict | GeoFile,
    indicator: Indicator,
    *,
    title: str,
    height: int = 700,
) -> go.Figure:
    """Draw every wijk of the country: a continuous colour scale and a small payload.

    Meant for a national layer (`analysis.views.maps.NATIONAL_LAYER_SUFFIX`, ~3 000 wijken).
    Differs from `choropleth` where that many areas call for it: thin outlines; a
    continuous scale, so the hover reads the value from ``z`` and no text per area is
    sent; grey areas in one trace per reason, which their hover template names once; feature
    ids are row positions (an event's ``location`` is the row of ``frame``), not codes.

    With a `GeoFile` the figure carries no geometry and no names: every trace points at the
    file's URL, which the browser fetches once, and lists only its rows and values; the
    hover reads the name from the feature (``%{properties.name}``). With a GeoJSON dict
    (when the file could not be written) each trace carries its own features and names.
    Sizes and times: ``python bench/run.py``.

    Parameters
    ----------
    frame : pandas.DataFrame
        ``code, name, value, status`` (see `analysis.views.maps.map_frame`), optionally
        ``gemeente_name``: wijk names repeat across gemeenten ("Wijk 00"), so the hover
        then reads "Wijk 00 (Appingedam)" (`area_labels`).
    geojson : dict or GeoFile
        FeatureCollection whose features carry ``properties.code``, or the layer's file
        (made from ``frame``'s areas and `area_labels`, in the same order).
    indicator : Indicator
        Gives the unit and decimals of the hover and the colour bar.
    title : str
        Figure title.
    height : int
        Figure height in pixels.

    Returns
    -------
    plotly.graph_objects.Figure

    Examples
    --------
    >>> from analysis.catalogue import load_catalogue
    >>> square = [[[5.0, 53.0], [5.1, 53.0], [5.1, 53.1], [5.0, 53.0]]]
    >>> fc = {"type": "FeatureCollection", "features": [
    ...     {"type": "Feature", "properties": {"code": c, "name": c},
    ...      "geometry": {"type": "Polygon", "coordinates": square}} for c in ("WK1", "WK2")]}
    >>> frame = pd.DataFrame({"code": ["WK1", "WK2"], "name": ["Wijk 00", "Wijk 00"],
    ...                       "gemeente_name": ["Appingedam", "Bedum"], "value": [46.0, None],
    ...                       "status": ["", "geen cijfer"]})
    >>> fig = national_map(frame, fc, load_catalogue().indicator("eenzaam"), title="t")
    >>> [(t.locations.tolist(), t.customdata) for t in fig.data]
    [([1], ('Wijk 00 (Bedum)',)), ([0], ('Wijk 00 (Appingedam)',))]
    >>> fig.data[0].hovertemplate
    '<b>%{customdata}</b><br>geen cijfer<extra></extra>'
    >>> file = GeoFile("app/static/geo/nl.json", ("WK1", "WK2"), (5.0, 53.0, 5.1, 53.1))
    >>> fig = national_map(frame, file, load_catalogue().indicator("eenzaam"), title="t")
    >>> [(t.geojson, t.locations.tolist(), t.customdata) for t in fig.data]
    [('app/static/geo/nl.json?1', [1], None), ('app/static/geo/nl.json', [0], None)]
    >>> fig.data[0].hovertemplate
    '<b>%{properties.name}</b><br>geen cijfer<extra></extra>'
    """
    codes = frame["code"].to_numpy()
    shown = frame["value"].notna().to_numpy()
    if isinstance(geojson, GeoFile):
        position = {code: i for i, code in enumerate(geojson.codes)}
        rows = np.array([position[str(code)] for code in codes.tolist()], dtype=np.int64)
        box = geojson.bbox
        name = "%{properties.name}"

        def trace_geometry(part: np.ndarray, copy: int) -> dict:
            return {"geojson": trace_url(geojson.url, copy), "locations": rows[part]}

    else:
        names = area_labels(frame)
        ids = dict(zip(codes.tolist(), range(len(frame)), strict=True))
        rows = np.arange(len(frame))
        box = bounds(geojson)
        name = "%{customdata}"

        def trace_geometry(part: np.ndarray, copy: int) -> dict:  # noqa: ARG001
            return {
                "geojson": subset_features(geojson, codes[part], ids),
                "locations": rows[part],
                "customdata": names[part].tolist(),
            }

    traces = []
    # Grey areas: one trace per reason, the reason in its hover template once rather than in
    # every area's text; one legend entry (the grey swatch, issue 12) for all of them. The
    # reasons are the fixed vocabulary of analysis.reasons: no "%{" or markup in them.
    status = frame["status"].astype("str").to_numpy()
    reasons = list(dict.fromkeys(status[~shown].tolist()))
    for i, reason in enumerate(reasons):
        part = ~shown & (status == reason)
        traces.append(
            go.Choroplethmap(
                **trace_geometry(part, i + 1),
                z=np.zeros(int(part.sum()), dtype=np.int64),
                colorscale=[[0, MISSING_COLOUR], [1, MISSING_COLOUR]],
                showscale=False,
                marker_line_color="white",
                marker_line_width=0.3,
                hovertemplate=f"<b>{name}</b><br>{reason}<extra></extra>",
                name=f"{GREY_LEGEND} — {int((~shown).sum())}",
                legendgroup="grijs",
                showlegend=i == 0,
            )
        )
    if shown.any():
        unit = f"\u00a0{indicator.unit}" if indicator.unit else ""
        traces.append(
            go.Choroplethmap(
                **trace_geometry(shown, 0),
                z=_compact_array(frame["value"].to_numpy()[shown].round(indicator.decimals)),
                colorscale=SEQUENTIAL,
                colorbar={
                    "tickformat": f",.{indicator.decimals}f",
                    "title": {"text": indicator.unit, "side": "top"},
                    "thickness": 18,
                    "len": 0.8,
                },
                marker_line_color="#7f7f7f",
                marker_line_width=0.2,
                marker_opacity=0.9,
                hovertemplate=(
                    f"<b>{name}</b><br>%{{z:,.{indicator.decimals}f}}{unit}<extra></extra>"
                ),
                name=indicator.label,
                showlegend=False,  # the colour bar explains the values; the legend only grey
            )
        )
    return go.Figure(
        data=traces, layout=_map_layout(box, title=title, height=height, view_key="nl")
    )


def _map_layout(
    box: tuple[float, float, float, float], *, title: str, height: int, view_key: str
) -> dict:
    """Return the layout of a map: title, the offline map fitted to ``box`` (`bounds`), legend.

    A dict for the ``go.Figure`` constructor, which validates it in one go: two
    ``update_layout`` calls took 17 ms of a gemeente map's 60 (issue 14).
    """
    centre, zoom = view_for_bounds(box, height_px=height)
    return dict(
        title=dict(text=title, x=0, xanchor="left", font=dict(size=20)),
        map=dict(style="white-bg", center=centre, zoom=zoom),
        margin=dict(l=0, r=0, t=56, b=0),
        height=height,
        separators=plotly_separators(),
        font=FONT,
        # Transparent paper: until MapLibre has drawn the map, the page's "De kaart wordt
        # getekend…" shows through instead of a blank box (issue #12).
        paper_bgcolor="rgba(0,0,0,0)",
        # Keep the user's zoom and pan when only the indicator changes (issue #4).
        uirevision=view_key or title,
        legend=dict(x=0, y=0, xanchor="left", yanchor="bottom", bgcolor="rgba(255,255,255,0.85)"),
    )


def _compact_array(values: np.ndarray) -> np.ndarray:
    """Return numbers as a numpy array for plotly: whole ones as int (``46``, not ``46.0``).

    An array rather than a list: plotly validates a list element by element, an array at
    once (a tenth of the national map's build time).

    Examples
    --------
    >>> _compact_array(np.array([46.0, 38.0])).dtype.kind, _compact_array(np.array([4.5])).tolist()
    ('i', [4.5])
    """
    values = np.asarray(values, dtype="float64")
    if len(values) and np.all(np.isfinite(values)) and np.all(values == np.round(values)):
        return values.astype(np.int64)
    return values


def _compact(values) -> list[float | int]:
    """Return numbers for JSON, whole ones as int: ``46`` rather than ``46.0`` per area."""
    return [int(v) if float(v).is_integer() else float(v) for v in values]


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
