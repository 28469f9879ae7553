"""Sidebar and URL state: the gemeente, level, indicator and area pickers, and permalinks."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from analysis.catalogue import Catalogue
from analysis.classify import CLASS_METHODS
from analysis.indicators import SURVEY_AGE
from analysis.regions import wijk_code_of
from analysis.survey import pipeline as survey_pipeline
from analysis.views import ggd as ggd_views
from analysis.views import maps
from ui import loaders, survey_session

DEFAULT_GEMEENTE = "GM0080"  # Leeuwarden: the demo opens on a gemeente with wijken and buurten

LEVELS = ("wijk", "buurt")

#: Most wijken shown side by side on the Vergelijken page.
MAX_AREAS = 6


@dataclass(frozen=True)
class MapSelection:
    """What the map page shows, as chosen in the sidebar."""

    gemeente_code: str
    gemeente_name: str
    level: str
    layer: str | None
    figures: maps.Figures | None
    classes: str = "kwantielen"


def gemeente_picker() -> str:
    """Draw the gemeente selectbox (same key and URL parameter on every page)."""
    names = loaders.gemeente_names()
    codes = list(names)
    return st.selectbox(
        "Gemeente",
        codes,
        index=_query_default("gemeente", codes, DEFAULT_GEMEENTE),
        format_func=lambda c: maps.picker_label(c, names.get(c) or c),
        key="gemeente",
    )


def _query_default(key: str, options: list[str], fallback: str) -> int:
    """Index of the option named in the URL (``?key=value``), else of the fallback."""
    wanted = st.query_params.get(key, fallback)
    if wanted in options:
        return options.index(wanted)
    return options.index(fallback) if fallback in options else 0


#: The national overview: layers of indeling 2024 by level (built by snapshot_build).
NATIONAL_LAYERS = {"gemeente": "nl-gemeenten-2024-land", "wijk": "nl-wijken-2024-land"}
NATIONAL_LABELS = {"gemeente": "Gemeenten", "wijk": "Wijken"}

#: What the Kaart page shows: one gemeente, all gemeenten of a GGD region, or the country.
SCOPES = {"gemeente": "Eén gemeente", "ggd": "GGD-regio", "nederland": "Heel Nederland"}
DEFAULT_GGD = "GG7206"  # GGD Fryslân: the region of the demo gemeente


def map_scope() -> str:
    """Draw the choice of one gemeente, a GGD region or the country (URL parameter ``kaart``)."""
    scopes = {k: v for k, v in SCOPES.items() if k != "ggd" or not loaders.ggd_regions().empty}
    with st.sidebar:
        options = list(scopes)
        return st.radio(
            "Kaart van",
            options,
            index=_query_default("kaart", options, "gemeente"),
            format_func=lambda scope: SCOPES[scope],
            horizontal=True,
            key="kaart_van",
        )


def national_selection() -> MapSelection:
    """Draw the sidebar of the national overview and return the selection (a permalink)."""
    cat = loaders.catalogue()
    with st.sidebar:
        st.header("Heel Nederland")
        levels = list(NATIONAL_LAYERS)
        level = st.radio(
            "Niveau",
            levels,
            index=_query_default("niveau", levels, "gemeente"),
            format_func=NATIONAL_LABELS.get,
            horizontal=True,
            key="niveau_nl",
        )
        layer = NATIONAL_LAYERS[level]
        options = loaders.national_figures(layer)
        figures = _figures_picker(options, cat, suffix="_nl")
        st.caption(loaders.snapshot_caption())
    keep_in_url(
        kaart="nederland",
        niveau=level,
        **_figures_params(figures),
    )
    return MapSelection("NL01", "Nederland", level, layer, figures)


def map_selection() -> MapSelection:
    """Draw the map sidebar and return the selection; the URL carries it (a permalink)."""
    names = loaders.gemeente_names()
    with st.sidebar:
        st.header("Kaart kiezen")
        gemeente_code = gemeente_picker()
        survey_session.example_toggle()
        cat = survey_session.session_catalogue(gemeente_code)
        idx = loaders.layer_index()
        levels = [lv for lv in LEVELS if maps.choose_layer(idx, gemeente_code, lv)]
        level = _level_picker(levels)
        layer = maps.choose_layer(idx, gemeente_code, level) if level else None
        figures = None
        if layer:
            areas, _ = loaders.layer_areas(layer, gemeente_code)
            # Only figures about the areas drawn (analysis.indeling), from the layer's rows.
            options = loaders.layer_figures(layer, gemeente_code)  # made once per layer
            options += survey_figures(gemeente_code, level or "", areas["code"])
            figures = _figures_picker(options, cat)
        classes = _classes_picker()
        st.caption(loaders.snapshot_caption())
    keep_in_url(
        gemeente=gemeente_code,
        niveau=level,
        **_figures_params(figures),
        klassen=classes,
    )
    return MapSelection(
        gemeente_code,
        names.get(gemeente_code, gemeente_code),
        level or "",
        layer,
        figures,
        classes,
    )


@dataclass(frozen=True)
class RegionMapSelection:
    """What the map page shows for a GGD region, as chosen in the sidebar."""

    ggd_code: str
    ggd_name: str
    gemeente_codes: tuple[str, ...]
    level: str
    layer: str | None
    figures: maps.Figures | None
    classes: str = "kwantielen"


def region_map_selection() -> RegionMapSelection:
    """Draw the map sidebar for a GGD region and return the selection (kept in the URL)."""
    regions = loaders.ggd_regions()
    names = dict(zip(regions["ggd_code"], regions["ggd_name"], strict=True))
    codes = list(names)
    with st.sidebar:
        st.header("Kaart kiezen")
        # Coming from a gemeente's map: open on that gemeente's region.
        gemeente = st.query_params.get("gemeente") or st.session_state.get("gemeente")
        own = loaders.ggd_of(str(gemeente)) if gemeente else None
        ggd_code = st.selectbox(
            "GGD-regio",
            codes,
            index=_query_default("ggd", codes, own[0] if own else DEFAULT_GGD),
            format_func=lambda c: names.get(c, c),
            key="ggd",
        )
        cat = loaders.catalogue()
        idx = loaders.layer_index()
        membership = loaders.snapshot().ggd
        found = {lv: ggd_views.region_layer(idx, membership, ggd_code, lv) for lv in LEVELS}
        levels = [lv for lv in LEVELS if found[lv]]
        level = _level_picker(levels, suffix="_regio")
        chosen = found[level] if level else None
        layer, members = chosen if chosen else (None, [])
        figures = None
        if layer:
            options = loaders.region_layer_figures(layer, tuple(members))  # once per layer
            figures = _figures_picker(options, cat, suffix="_regio")
        classes = _classes_picker(suffix="_regio")
        st.caption(loaders.snapshot_caption())
    keep_in_url(
        kaart="ggd",
        ggd=ggd_code,
        niveau=level,
        **_figures_params(figures),
        klassen=classes,
    )
    return RegionMapSelection(
        ggd_code, names[ggd_code], tuple(members), level or "", layer, figures, classes
    )


def _level_picker(levels: list[str], *, suffix: str = "") -> str | None:
    """Draw the level choice (wijk, buurt …) of a gemeente or region map; None without layers.

    ``suffix`` keeps the widget keys of the map scopes apart (``niveau``, ``niveau_regio``).
    """
    if not levels:
        return None
    return st.radio(
        "Niveau",
        levels,
        index=_query_default("niveau", levels, "wijk"),
        format_func=lambda lv: maps.LEVEL_LABELS[lv],
        horizontal=True,
        key=f"niveau{suffix}",
    )


def _classes_picker(*, suffix: str = "") -> str:
    """Draw the choice of colour classes (URL preselects); ``suffix`` as in `_level_picker`."""
    methods = list(CLASS_METHODS)
    return st.selectbox(
        "Klassen",
        methods,
        index=_query_default("klassen", methods, "kwantielen"),
        format_func=lambda method: CLASS_METHODS[method],
        key=f"klassen{suffix}",
    )


def _figures_params(figures: maps.Figures | None) -> dict[str, str | None]:
    """Return the URL parameters of the figures shown (indicator, year, age group)."""
    if figures is None:
        return {"indicator": None, "jaar": None, "leeftijd": None}
    return {"indicator": figures.indicator, "jaar": str(figures.period), "leeftijd": figures.age}


def _figures_picker(
    options: list[maps.Figures], cat: Catalogue, *, suffix: str = ""
) -> maps.Figures | None:
    """Draw the indicator and year pickers over a list of figures (URL preselects).

    One picker for the three map scopes; ``suffix`` keeps their widget keys apart
    (``indicator``, ``indicator_nl``, ``indicator_regio``).
    """
    start = default_figures(options, cat)  # what the warm-up made in advance
    if start is None:
        return None
    indicator_ids = list(dict.fromkeys(f.indicator for f in options))
    indicator = st.selectbox(
        "Indicator",
        indicator_ids,
        index=_query_default("indicator", indicator_ids, start.indicator),
        format_func=lambda i: cat.indicator(i).label,
        key=f"indicator{suffix}",
    )
    choices = [f for f in options if f.indicator == indicator]
    labels = [maps.figures_label(f, cat) for f in choices]
    wanted = f"{st.query_params.get('jaar', '')}|{st.query_params.get('leeftijd', '')}"
    keys = [f"{f.period}|{f.age}" for f in choices]
    choice = st.selectbox(
        "Jaar en bron",
        range(len(choices)),
        index=keys.index(wanted) if wanted in keys else 0,
        format_func=lambda i: labels[i],
        help=maps.FIGURES_HELP,
        key=f"jaar_bron{suffix}",
    )
    return choices[choice]


def default_figures(options: list[maps.Figures], cat: Catalogue) -> maps.Figures | None:
    """Return the figures `_figures_picker` starts on when the URL names none (it asks here).

    The catalogue's map default when the layer has it, else the first indicator; its first
    year and source (the newest). The warm-up of `ui.serve` makes that first view in advance.
    """
    indicator_ids = list(dict.fromkeys(f.indicator for f in options))
    if not indicator_ids:
        return None
    wanted = cat.defaults.map if cat.defaults.map in indicator_ids else indicator_ids[0]
    return next(f for f in options if f.indicator == wanted)


def survey_figures(gemeente_code: str, level: str, codes: pd.Series) -> list[maps.Figures]:
    """List the own-survey indicators with a value for at least one of these areas."""
    survey = survey_session.active_survey(gemeente_code)
    if survey is None or survey.result.level != level:
        return []
    est = survey.result.estimates
    shown = est[est["area"].isin(list(codes)) & est["n"].gt(0)]
    return [
        maps.Figures(ind, survey.source.period, SURVEY_AGE, survey_pipeline.SURVEY_SOURCE_ID)
        for ind in dict.fromkeys(shown["indicator"])
    ]


def area_picker(gemeente_code: str, level: str = "wijk", *, key: str = "wijk") -> str | None:
    """Draw a selectbox of the areas of a gemeente; the URL parameter ``key`` preselects one."""
    options = loaders.areas_of(gemeente_code, level)
    if options.empty:
        return None
    codes = options["code"].tolist()
    names = dict(zip(options["code"], options["name"], strict=True))
    return st.selectbox(
        "Wijk" if level == "wijk" else "Buurt",
        codes,
        index=_query_default(key, codes, loaders.default_area(gemeente_code, level) or codes[0]),
        format_func=lambda c: names.get(c, c),
        key=key,
    )


def area_multipicker(gemeente_code: str, *, key: str = "wijken") -> list[str]:
    """Draw a multiselect of 2–6 wijken; the URL parameter (comma-separated) preselects."""
    options = loaders.areas_of(gemeente_code, "wijk")
    codes = options["code"].tolist()
    names = dict(zip(options["code"], options["name"], strict=True))
    wanted = [c for c in st.query_params.get(key, "").split(",") if c in codes]
    if len(wanted) == 1:  # from a profile's "Vergelijk met andere wijken": add two to compare
        wanted += [c for c in codes if c not in wanted][:2]
    # No max_selections: its message is English and cannot be set; we say it in Dutch.
    chosen = st.multiselect(
        "Wijken (2 tot 6)",
        codes,
        default=wanted or codes[:3],
        format_func=lambda c: names.get(c, c),
        placeholder="Kies wijken",
        key=key,
    )
    if len(chosen) > MAX_AREAS:
        st.warning(
            f"U koos {len(chosen)} wijken; er passen er {MAX_AREAS} naast elkaar. De eerste "
            f"{MAX_AREAS} worden getoond: haal er een weg om een andere te kiezen."
        )
    return chosen[:MAX_AREAS]


def keep_in_url(**params: str | list[str] | None) -> None:
    """Write the view's choices to the URL so it can be shared and reopened (a permalink)."""
    clean = {
        k: ",".join(v) if isinstance(v, list) else str(v)
        for k, v in params.items()
        if v not in (None, "", [])
    }
    if dict(st.query_params) != clean:
        st.query_params.from_dict(clean)


def open_profile_on_click(event, gemeente_code: str, level: str) -> None:
    """Open the wijkprofiel of the area clicked on the map."""
    points = (event.selection or {}).get("points", []) if event else []
    codes = [p.get("location") for p in points if p.get("location")]
    if not codes:
        return
    code = codes[0]
    if level == "buurt":
        code = wijk_code_of(code)  # a buurt opens the profile of its wijk
    st.switch_page("ui/pages/profiel.py", query_params={"gemeente": gemeente_code, "wijk": code})
