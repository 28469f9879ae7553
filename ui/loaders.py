"""Cached loaders of public data: the snapshot, the catalogue, layers and area lists.

Only public CBS/RIVM data goes through ``st.cache_*`` here; survey data never does.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import streamlit as st

from analysis import indeling
from analysis.catalogue import Catalogue, load_catalogue
from analysis.format import fmt_date
from analysis.views import maps
from data import boundaries
from data.snapshot import Snapshot, load_snapshot
from paths import DEFAULT_SNAPSHOT


@st.cache_resource(show_spinner="Gegevens laden…")
def snapshot(folder: str = str(DEFAULT_SNAPSHOT)) -> Snapshot:
    """Load the embedded snapshot once per process.

    ``cache_resource`` rather than ``cache_data``: the snapshot is public CBS/RIVM data,
    read-only (every function in analysis/ is pure and copies what it changes), and about a
    million rows, which ``cache_data`` would unpickle again on every rerun. Survey data never
    goes through here.
    """
    return load_snapshot(Path(folder))


@st.cache_resource
def catalogue() -> Catalogue:
    """Return the indicator catalogue (static, public)."""
    return load_catalogue()


@st.cache_data(show_spinner=False)
def layer_index(folder: str = str(DEFAULT_SNAPSHOT)) -> pd.DataFrame:
    """Return the boundary layers per gemeente."""
    geo = snapshot(folder).geometry
    return maps.layer_index(geo.drop(columns="geometry"))


@st.cache_data(show_spinner=False)
def gemeenten(folder: str = str(DEFAULT_SNAPSHOT)) -> pd.DataFrame:
    """Return the gemeenten that have a map."""
    return maps.gemeente_options(snapshot(folder).regions, layer_index(folder))


@st.cache_data(show_spinner=False)
def layer_areas(layer: str, gemeente_code: str, folder: str = str(DEFAULT_SNAPSHOT)) -> tuple:
    """Return ``(areas frame, GeoJSON dict)`` of one gemeente in one layer."""
    geo = snapshot(folder).geometry
    part = geo[(geo["layer"] == layer) & (geo["gemeente_code"] == gemeente_code)]
    areas = pd.DataFrame(part.drop(columns="geometry")).reset_index(drop=True)
    return areas, boundaries.to_geojson(part)


def gemeente_names() -> dict[str, str]:
    """Return gemeente code -> name for every gemeente with a map."""
    gm = gemeenten()
    return dict(zip(gm["gemeente_code"], gm["gemeente_name"], strict=True))


def snapshot_caption() -> str:
    """Say which snapshot the app shows and when it was built."""
    built = dt.date.fromisoformat(snapshot().manifest["built_on"])
    return f"Ingebouwde gegevens, gemaakt op {fmt_date(built)}. Werkt zonder internet."


@st.cache_data(show_spinner=False)
def areas_of(gemeente_code: str, level: str = "wijk", folder: str = str(DEFAULT_SNAPSHOT)):
    """Return the wijken (or buurten) of a gemeente to choose from (public data)."""
    return maps.area_options(snapshot(folder).regions, gemeente_code, level)


@st.cache_resource(show_spinner=False, max_entries=64)
def gemeente_values(gemeente_code: str, folder: str = str(DEFAULT_SNAPSHOT)) -> pd.DataFrame:
    """Return the figures of a gemeente, its areas and the country, about today's areas only.

    A figure of an older indeling stays only where its code names the same area as today
    (`analysis.indeling.honest_values`). Public data; ``cache_resource`` because every page
    reads it on every rerun and never changes it (the functions in analysis/ are pure).
    """
    snap = snapshot(folder)
    indelingen = {s.id: s.indeling for s in catalogue().sources.values()}
    return indeling.gemeente_values(snap.values, snap.regions, indelingen, gemeente_code)


@st.cache_data(show_spinner="Kaart van Nederland laden…")
def national_areas(layer: str, folder: str = str(DEFAULT_SNAPSHOT)) -> tuple:
    """Return ``(areas frame with gemeente_name, GeoJSON dict)`` of a national layer."""
    snap = snapshot(folder)
    geo = snap.geometry
    part = geo[geo["layer"] == layer]
    names = gemeente_names()
    areas = pd.DataFrame(part.drop(columns="geometry")).reset_index(drop=True)
    areas["gemeente_name"] = areas["gemeente_code"].map(names).fillna(areas["gemeente_code"])
    return areas, boundaries.to_geojson(part)


@st.cache_data(show_spinner=False)
def national_figures(layer: str, folder: str = str(DEFAULT_SNAPSHOT)) -> list:
    """Return the figures with a value for at least one area of a national layer."""
    areas, _ = national_areas(layer, folder)
    values = snapshot(folder).values
    return maps.available_figures(
        values, areas["code"], catalogue(), min_areas=max(1, len(areas) // 10)
    )
