"""Choose what a map shows: the gemeenten with boundaries, the layer, the indicator values."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis import indeling
from analysis.catalogue import KIND_LABELS, SURVEY_KIND, Catalogue
from analysis.indicators import age_suffix

LEVEL_LABELS = {"wijk": "Wijken", "buurt": "Buurten"}

#: Layers whose id ends in this are simplified for a map of the whole country (600 m); they
#: are too coarse for one gemeente, so `layer_index` leaves them out (issue #5).
NATIONAL_LAYER_SUFFIX = "-land"

#: Layers of the whole country start with this; a gemeente's own layer of the same indeling
#: (finer, e.g. Utrecht 2024) goes before it.
COUNTRY_LAYER_PREFIX = "nl-"

#: Names people search for that are not the official name (the picker's label shows both).
ALIASES = {"GM0518": "Den Haag", "GM0796": "Den Bosch"}


@dataclass(frozen=True)
class Figures:
    """One choice of figures for a map: indicator, year, age group and the source table."""

    indicator: str
    period: int
    age: str
    source: str


def layer_index(geometry: pd.DataFrame) -> pd.DataFrame:
    """Summarise boundary layers per gemeente: which layers exist at which level and indeling.

    National layers (id ending in `NATIONAL_LAYER_SUFFIX`) are left out: a gemeente map
    always uses a layer simplified at gemeente scale.

    Parameters
    ----------
    geometry : pandas.DataFrame
        The snapshot's boundary table (geometry column not needed).

    Returns
    -------
    pandas.DataFrame
        ``layer, gemeente_code, level, indeling, areas``, newest indeling first.

    Examples
    --------
    >>> geo = pd.DataFrame({"layer": ["a", "a", "b", "b-land"], "gemeente_code": ["GM1"] * 4,
    ...                     "level": ["wijk"] * 4, "indeling": [2025, 2025, 2016, 2016]})
    >>> layer_index(geo)[["layer", "indeling", "areas"]].to_dict("records")
    [{'layer': 'a', 'indeling': 2025, 'areas': 2}, {'layer': 'b', 'indeling': 2016, 'areas': 1}]
    """
    keys = ["layer", "gemeente_code", "level", "indeling"]
    local = geometry[~geometry["layer"].astype("str").str.endswith(NATIONAL_LAYER_SUFFIX)]
    out = local.groupby(keys, sort=False).size().rename("areas").reset_index()
    return out.sort_values(
        ["gemeente_code", "level", "indeling"], ascending=[True, True, False], kind="stable"
    ).reset_index(drop=True)


def gemeente_options(regions: pd.DataFrame, layers: pd.DataFrame) -> pd.DataFrame:
    """Return the gemeenten that have a map, with their newest name, sorted by name.

    Returns
    -------
    pandas.DataFrame
        ``gemeente_code, gemeente_name`` — one row per gemeente with at least one layer.
    """
    named = regions[regions["level"] == "gemeente"].sort_values("indeling", ascending=False)
    names = named.drop_duplicates("code").set_index("code")["name"]
    fallback = (
        regions.dropna(subset=["gemeente_name"])
        .sort_values("indeling", ascending=False)
        .drop_duplicates("gemeente_code")
        .set_index("gemeente_code")["gemeente_name"]
    )
    codes = pd.Series(layers["gemeente_code"].dropna().unique(), name="gemeente_code")
    out = pd.DataFrame(
        {"gemeente_code": codes, "gemeente_name": codes.map(names).fillna(codes.map(fallback))}
    )
    out["gemeente_name"] = out["gemeente_name"].fillna(out["gemeente_code"])
    return out.sort_values(["gemeente_name", "gemeente_code"], key=_name_key).reset_index(drop=True)


def picker_label(gemeente_code: str, name: str) -> str:
    """Label a gemeente in the picker; an alias people search for is added (`ALIASES`).

    Examples
    --------
    >>> picker_label("GM0518", "'s-Gravenhage"), picker_label("GM0080", "Leeuwarden")
    ("'s-Gravenhage (Den Haag)", 'Leeuwarden')
    """
    alias = ALIASES.get(gemeente_code)
    return f"{name} ({alias})" if alias else name


def choose_layer(layers: pd.DataFrame, gemeente_code: str, level: str) -> str | None:
    """Return the newest layer of a gemeente at a level, or None when there is none.

    Examples
    --------
    >>> idx = pd.DataFrame({"layer": ["new", "old"], "gemeente_code": ["GM1", "GM1"],
    ...                     "level": ["wijk", "wijk"], "indeling": [2025, 2016], "areas": [2, 2]})
    >>> choose_layer(idx, "GM1", "wijk"), choose_layer(idx, "GM1", "buurt")
    ('new', None)
    """
    rows = layers[(layers["gemeente_code"] == gemeente_code) & (layers["level"] == level)]
    if rows.empty:
        return None
    # Of one indeling, the gemeente's own (finer) layer before the national one.
    rows = rows.assign(_country=rows["layer"].astype("str").str.startswith(COUNTRY_LAYER_PREFIX))
    ranked = rows.sort_values(["indeling", "_country"], ascending=[False, True], kind="stable")
    return str(ranked["layer"].iloc[0])


def available_figures(
    values: pd.DataFrame,
    codes: pd.Series | list[str],
    catalogue: Catalogue,
    *,
    min_areas: int = 1,
) -> list[Figures]:
    """List every (indicator, year, age, source) with a value for at least ``min_areas`` areas.

    Ordered as the catalogue lists indicators, then newest year first, then age group. The
    national overview asks for a tenth of the country (a table of one gemeente is no map of
    the Netherlands).
    """
    subset = values[values["code"].isin(list(codes)) & values["value"].notna()]
    keys = ["indicator", "period", "age", "source"]
    counted = (
        subset[keys]
        .astype({"indicator": "str", "age": "str", "source": "str"})
        .value_counts()
        .reset_index(name="n")
    )
    combos = counted[counted["n"] >= min_areas][keys]
    order = {iid: i for i, iid in enumerate(catalogue.ids())}
    combos = combos[combos["indicator"].isin(order)]
    source_rank = {sid: i for i, sid in enumerate(catalogue.sources)}
    combos = combos.assign(
        _order=combos["indicator"].map(order),
        _source=combos["source"].map(source_rank).fillna(len(source_rank)),
    ).sort_values(
        ["_order", "period", "age", "_source"],
        ascending=[True, False, True, True],
        kind="stable",
    )
    return [
        Figures(r.indicator, int(r.period), r.age, r.source) for r in combos.itertuples(index=False)
    ]


def map_frame(
    areas: pd.DataFrame,
    values: pd.DataFrame,
    figures: Figures,
    *,
    regions: pd.DataFrame | None = None,
    source_indeling: int | None = None,
) -> pd.DataFrame:
    """Join the areas of a layer with one choice of figures; areas without a figure are kept.

    With ``regions`` (holding the ``area`` keys of `analysis.indeling.area_keys`) and the
    indeling of the figures, a figure is shown on an area of the layer (``areas.indeling``)
    only where its code names the same area in both indelingen; elsewhere the area is grey
    with the reason "andere indeling".

    Parameters
    ----------
    areas : pandas.DataFrame
        ``code, name`` of the areas drawn.
    values : pandas.DataFrame
        The snapshot's long value table.
    figures : Figures
        Indicator, year, age group and source to show.

    Returns
    -------
    pandas.DataFrame
        ``code, name, value, status`` in the order of ``areas``; ``status`` says "geen cijfer"
        where the source has no published value for an area (never shown as 0).

    Examples
    --------
    >>> areas = pd.DataFrame({"code": ["WK1", "WK2"], "name": ["Noord", "Zuid"]})
    >>> vals = pd.DataFrame({"indicator": ["x", "x"], "code": ["WK1", "WK2"], "period": [2020] * 2,
    ...                      "age": ["18+"] * 2, "source": ["S"] * 2, "value": [40.0, None]})
    >>> map_frame(areas, vals, Figures("x", 2020, "18+", "S"))["status"].tolist()
    ['', 'geen cijfer']
    """
    mask = (
        (values["indicator"] == figures.indicator)
        & (values["period"] == figures.period)
        & (values["age"] == figures.age)
        & (values["source"] == figures.source)
    )
    chosen = values.loc[mask, ["code", "value", "source"]].drop_duplicates("code")
    other = pd.Series(False, index=chosen.index)
    if (
        regions is not None
        and source_indeling is not None
        and "area" in regions.columns
        and "indeling" in areas.columns
    ):
        targets = {str(c): int(y) for c, y in zip(areas["code"], areas["indeling"], strict=True)}
        same = indeling.same_area_mask(chosen, regions, {figures.source: source_indeling}, targets)
        other = ~same & chosen["value"].notna()
    left_out = set(chosen.loc[other, "code"])
    chosen = chosen.assign(value=chosen["value"].where(~other))[["code", "value"]]
    out = areas[["code", "name"]].merge(chosen, on="code", how="left")
    out["status"] = out["value"].isna().map({True: "geen cijfer", False: ""})
    out.loc[out["code"].isin(left_out), "status"] = indeling.OTHER_INDELING
    return out.reset_index(drop=True)


def _name_key(col: pd.Series) -> pd.Series:
    """Sort names the way a Dutch reader expects: case-insensitive, "'s-" prefix ignored."""
    if col.name != "gemeente_name":
        return col
    return col.str.lower().str.replace(r"^'s[- ]", "", regex=True)


def survey_frame(areas: pd.DataFrame, estimates: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """Join the areas of a layer with own-survey estimates (already suppressed).

    Returns
    -------
    pandas.DataFrame
        ``code, name, value, status, n, ci_low, ci_high``; ``status`` carries the reason a
        value is not shown ("minder dan 30 antwoorden") or is indicative, and "geen
        antwoorden" where the survey has nobody from that area.

    Examples
    --------
    >>> areas = pd.DataFrame({"code": ["WK1", "WK2", "WK3"], "name": ["A", "B", "C"]})
    >>> est = pd.DataFrame({"area": ["WK1", "WK2"], "indicator": ["enq_x", "enq_x"],
    ...                     "n": [80, 12], "value": [40.0, None], "ci_low": [30.0, None],
    ...                     "ci_high": [51.0, None], "status": ["", "onderdrukt"],
    ...                     "reason": ["", "minder dan 30 antwoorden"]})
    >>> survey_frame(areas, est, "enq_x")["status"].tolist()
    ['', 'minder dan 30 antwoorden', 'geen antwoorden']
    """
    part = estimates.loc[
        estimates["indicator"] == indicator,
        ["area", "n", "value", "ci_low", "ci_high", "status", "reason"],
    ].rename(columns={"area": "code", "status": "survey_status"})
    out = areas[["code", "name"]].merge(part, on="code", how="left")
    status = out["reason"].fillna("").astype("str")
    out["status"] = status.where(out["n"].notna(), "geen antwoorden")
    out["n"] = out["n"].fillna(0).astype("int64")
    return out[["code", "name", "value", "status", "n", "ci_low", "ci_high"]].reset_index(drop=True)


def area_options(regions: pd.DataFrame, gemeente_code: str, level: str = "wijk") -> pd.DataFrame:
    """Return the wijken (or buurten) of a gemeente to choose from, with their names.

    Takes the newest indeling in which the areas have names (RIVM tables carry codes only);
    when none has names, the newest indeling with codes, named by their code.

    Examples
    --------
    >>> reg = pd.DataFrame({"code": ["WK1", "WK1", "WK2"], "name": ["Noord", None, None],
    ...                     "level": ["wijk"] * 3, "gemeente_code": ["GM1"] * 3,
    ...                     "indeling": [2016, 2020, 2020]})
    >>> area_options(reg, "GM1")[["code", "name", "indeling"]].values.tolist()
    [['WK1', 'Noord', 2016]]
    """
    own = regions[(regions["gemeente_code"] == gemeente_code) & (regions["level"] == level)]
    if own.empty:
        return pd.DataFrame(columns=["code", "name", "indeling"])
    named = own[own["name"].notna()]
    pick = named if not named.empty else own
    newest = pick["indeling"].max()
    out = pick[pick["indeling"] == newest][["code", "name", "indeling"]].copy()
    out["name"] = out["name"].fillna(out["code"])
    return out.sort_values("code").reset_index(drop=True)


def figures_label(figures: Figures, cat: Catalogue) -> str:
    """Name one choice of figures: year, age group and the source's kind."""
    source = cat.source(figures.source)
    if source.kind == SURVEY_KIND:
        fictief = " (fictief voorbeeld)" if "fictief" in source.title.lower() else ""
        return f"{figures.period} — Eigen enquête{fictief}"
    age = age_suffix(figures.age)
    return f"{figures.period}{age} — {KIND_LABELS[source.kind]}"
