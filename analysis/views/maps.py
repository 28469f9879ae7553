"""Choose what a map shows: the gemeenten with boundaries, the layer, the indicator values."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from analysis import indeling
from analysis.catalogue import FICTITIOUS, REGISTRATION, SURVEY_KINDS, Catalogue
from analysis.figure import FigureInfo
from analysis.reasons import missing_reasons, survey_reason

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from analysis.views.exports import ExportMeta

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
class MapView:
    """What a map page shows for one choice: frame, figure, shown table and export.

    The gemeente, GGD-region and national maps make one per choice; a view of public data
    is shared by every session (read-only), a session's own survey gets its own.
    ``indeling`` is the boundaries' indeling (None where the page does not state it) and
    ``title`` the figure's title ("" where the page sets none of its own).
    """

    frame: pd.DataFrame
    figure: go.Figure
    table: pd.DataFrame
    export: pd.DataFrame
    meta: ExportMeta
    indeling: int | None = None
    title: str = ""


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
    # Plain arrays: the sidebar asks this for every level on every rerun (issue 14).
    same = layers["gemeente_code"].to_numpy() == gemeente_code
    hit = np.flatnonzero(same & (layers["level"].to_numpy() == level))
    if len(hit) == 0:
        return None
    names = layers["layer"].to_numpy()[hit].astype("str")
    years = layers["indeling"].to_numpy()[hit]
    # Newest indeling first; of one indeling, the gemeente's own (finer) layer before the
    # national one; otherwise the first in the index (a stable sort).
    best = min(
        range(len(hit)),
        key=lambda i: (-int(years[i]), names[i].startswith(COUNTRY_LAYER_PREFIX), i),
    )
    return str(names[best])


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
    keys = ["indicator", "period", "age", "source"]
    rows = np.flatnonzero(
        indeling.isin_codes(values["code"], codes) & values["value"].notna().to_numpy()
    )
    subset = values[keys].take(rows)
    # Count each combination through integer codes (numpy), not pandas' value_counts over
    # strings: this list is made on every first visit of a gemeente (issue #14).
    combined = np.zeros(len(subset), dtype=np.int64)
    present = np.ones(len(subset), dtype=bool)
    for key in keys:
        ids, uniques = pd.factorize(subset[key])
        combined = combined * (len(uniques) + 1) + (ids + 1)
        present &= ids >= 0  # value_counts leaves out rows with a missing key
    combos, first, counts = np.unique(combined[present], return_index=True, return_counts=True)
    firsts = subset.iloc[np.flatnonzero(present)[first]]
    order = {iid: i for i, iid in enumerate(catalogue.ids())}
    source_rank = {sid: i for i, sid in enumerate(catalogue.sources)}
    found = [
        (order[str(i)], -int(p), str(a), source_rank.get(str(s), len(source_rank)), -n, at)
        + (Figures(str(i), int(p), str(a), str(s)),)
        for i, p, a, s, n, at in zip(
            firsts["indicator"].tolist(),
            firsts["period"].tolist(),
            firsts["age"].tolist(),
            firsts["source"].tolist(),
            counts.tolist(),
            first.tolist(),
            strict=True,
        )
        if n >= min_areas and str(i) in order
    ]
    # Catalogue order, newest year first, age group, source as the catalogue lists them; two
    # sources the catalogue does not know: the one with more areas first.
    return [entry[-1] for entry in sorted(found, key=lambda e: e[:-1])]


def map_frame(
    areas: pd.DataFrame,
    values: pd.DataFrame,
    figures: Figures,
    *,
    regions: pd.DataFrame | None = None,
    source_indeling: int | None = None,
    lookup: indeling.AreaLookup | None = None,
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
    regions : pandas.DataFrame, optional
        The snapshot's regions (``code, indeling``, and ``area`` keys for the same-area check):
        tells an area newer than the figures, or one of another indeling, from one the
        snapshot has no figure for.
    source_indeling : int, optional
        The division into areas the figures are about; default the year of the figures.
    lookup : analysis.indeling.AreaLookup, optional
        `analysis.indeling.area_lookup` of ``regions`` when the caller keeps it (faster, the
        same answer).

    Returns
    -------
    pandas.DataFrame
        ``code, name, value, status`` in the order of ``areas``; ``status`` names the reason
        (`analysis.reasons`) where an area has no value (never shown as 0).

    Examples
    --------
    >>> areas = pd.DataFrame({"code": ["WK1", "WK2", "WK3"], "name": ["Noord", "Zuid", "Nieuw"]})
    >>> vals = pd.DataFrame({"indicator": ["x", "x"], "code": ["WK1", "WK2"], "period": [2020] * 2,
    ...                      "age": ["18+"] * 2, "source": ["S"] * 2, "value": [40.0, None]})
    >>> regs = pd.DataFrame({"code": ["WK1", "WK2", "WK3"], "indeling": [2020, 2020, 2025]})
    >>> map_frame(areas, vals, Figures("x", 2020, "18+", "S"), regions=regs)["status"].tolist()
    ['', 'niet gepubliceerd (geheim of te onzeker)', 'gebied nieuwer dan de cijfers (2020)']
    """
    rows = np.flatnonzero(
        _equals(values["indicator"], figures.indicator)
        & _equals(values["period"], figures.period)
        & _equals(values["age"], figures.age)
        & _equals(values["source"], figures.source)
    )
    # Plain lists from here: a gemeente map shows a few dozen areas, and pandas' per-call
    # overhead (masks, merge, .loc) was a third of a first visit's CPU (issue #14).
    area_codes = areas["code"].tolist()
    drawn = set(area_codes)
    # Only the areas drawn: a figure has rows for every wijk and buurt of the country. The
    # first row of a code counts (a code has one row per figure).
    value_of: dict[str, float] = {}
    for code, value in zip(
        values["code"].take(rows).tolist(), values["value"].to_numpy()[rows].tolist(), strict=True
    ):
        if code in drawn and code not in value_of:
            value_of[code] = value
    left_out: set[str] = set()
    if (
        regions is not None
        and source_indeling is not None
        and "area" in regions.columns
        and "indeling" in areas.columns
    ):
        targets = {
            str(c): int(y) for c, y in zip(area_codes, areas["indeling"].tolist(), strict=True)
        }
        chosen = pd.DataFrame({"code": list(value_of), "source": figures.source}, dtype="str")
        same = indeling.same_area_mask(
            chosen, regions, {figures.source: source_indeling}, targets, lookup=lookup
        ).tolist()
        left_out = {
            code
            for code, ok in zip(value_of, same, strict=True)
            if not ok and value_of[code] == value_of[code]  # a value, not NaN
        }
    published = {str(code) for code in value_of} - left_out
    shown = [np.nan if code in left_out else value_of.get(code, np.nan) for code in area_codes]
    out = areas[["code", "name"]].reset_index(drop=True)
    out["value"] = np.array(shown, dtype="float64")
    missing = [i for i, value in enumerate(shown) if value != value]
    status = [""] * len(out)
    reasons = missing_reasons(
        [str(area_codes[i]) for i in missing],
        published,
        regions,
        figures.period if source_indeling is None else source_indeling,
    )
    for i, reason in zip(missing, reasons, strict=True):
        status[i] = reason
    for i, code in enumerate(area_codes):
        if code in left_out:
            status[i] = indeling.OTHER_INDELING
    out["status"] = pd.Series(status, index=out.index, dtype="object")
    return out


def _equals(column: pd.Series, value: object) -> np.ndarray:
    """Return ``column == value`` as a numpy array; a categorical compares its integer codes.

    Examples
    --------
    >>> _equals(pd.Series(["a", "b", "a"], dtype="category"), "a").tolist()
    [True, False, True]
    >>> _equals(pd.Series([2020, 2024]), 2024).tolist()
    [False, True]
    """
    if isinstance(column.dtype, pd.CategoricalDtype):
        # A list of a few dozen categories: get_indexer on arrow strings cost more (issue #14).
        categories = column.cat.categories.tolist()
        if value not in categories:
            return np.zeros(len(column), dtype=bool)
        return column.cat.codes.to_numpy() == categories.index(value)
    return (column == value).to_numpy(dtype=bool, na_value=False)


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
    ['', 'te weinig antwoorden (minder dan 30 antwoorden)', 'geen antwoorden']
    """
    part = estimates.loc[
        estimates["indicator"] == indicator,
        ["area", "n", "value", "ci_low", "ci_high", "status", "reason"],
    ].rename(columns={"area": "code", "status": "survey_status"})
    out = areas[["code", "name"]].merge(part, on="code", how="left")
    out["status"] = [
        str(reason) if pd.notna(v) else survey_reason(str(reason), pd.notna(n))
        for v, reason, n in zip(out["value"], out["reason"].fillna(""), out["n"], strict=True)
    ]
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
    if level == "buurt" and out["name"].isna().any():
        out["name"] = out["name"].fillna(_buurt_names(regions, out["code"]))
    out["name"] = out["name"].fillna(out["code"])
    return out.sort_values("code").reset_index(drop=True)


def _buurt_names(regions: pd.DataFrame, codes: pd.Series) -> pd.Series:
    """Name buurten without a name by their wijk: "Oostduinen, buurt 70 (BU05180170)".

    RIVM tables carry codes only; a buurt named by its wijk reads better than a bare code.

    Examples
    --------
    >>> regs = pd.DataFrame({"code": ["WK051801"], "name": ["Wijk 01 Oostduinen"],
    ...                      "indeling": [2016]})
    >>> _buurt_names(regs, pd.Series(["BU05180170", "BU05189999"])).tolist()
    ['Oostduinen, buurt 70 (BU05180170)', None]
    """
    named = regions[regions["name"].notna() & regions["code"].astype("str").str.startswith("WK")]
    wijken = named.sort_values("indeling").drop_duplicates("code", keep="last")
    names = wijken.set_index("code")["name"]
    out = []
    for code in codes.astype("str"):
        wijk = names.get(f"WK{code[2:8]}")
        if wijk is not None:
            wijk = re.sub(r"^wijk\s+\d+\s+", "", str(wijk), flags=re.IGNORECASE)
        out.append(None if wijk is None else f"{wijk}, buurt {code[-2:]} ({code})")
    return pd.Series(out, index=codes.index, dtype="object")


def figures_label(figures: Figures, cat: Catalogue) -> str:
    """Name one choice of figures briefly: year, age group and what kind of figure it is.

    Short enough for the sidebar; two RIVM publications of the same year are told apart by
    their age group and named (`FIGURES_HELP` explains them).

    Examples
    --------
    >>> from analysis.catalogue import load_catalogue
    >>> cat = load_catalogue()
    >>> figures_label(Figures("eenzaam", 2016, "18+", "50090NED"), cat)
    '2016 · 18+ · RIVM-schatting'
    >>> figures_label(Figures("eenzaam", 2016, "19+", "rivm-eenzaamheid-2016"), cat)
    '2016 · 19+ · RIVM, losse uitgave'
    >>> figures_label(Figures("inwoners", 2025, "alle leeftijden", "86165NED"), cat)
    '2025 · CBS-registratie'
    """
    source = cat.source(figures.source)
    if source.kind in SURVEY_KINDS:
        name = "fictief voorbeeld" if source.kind == FICTITIOUS else "eigen enquête"
        return f"{figures.period} · {name}"
    age = "" if figures.age == "alle leeftijden" else f" · {figures.age}"
    if source.kind == REGISTRATION:
        return f"{figures.period}{age} · CBS-registratie"
    name = "RIVM-schatting" if source.id == "50090NED" else "RIVM, losse uitgave"
    return f"{figures.period}{age} · {name}"


#: Help text of the year-and-source choice: what the options mean.
FIGURES_HELP = (
    "RIVM-schatting: Gezondheidsmonitor (tabel 50090NED), volwassenen van 18 jaar en ouder "
    "(18+) of 65-plussers (65+). Voor 2016 is er ook een losse RIVM-uitgave 'Eenzaamheid per "
    "wijk 2016' over mensen van 19 jaar en ouder (19+): een andere leeftijdsgrens en een "
    "ander model, dus niet precies hetzelfde cijfer. CBS-registratie: tellingen over "
    "iedereen in het gebied."
)


def map_export(
    frame: pd.DataFrame, info: FigureInfo, source_id: str, *, survey: bool
) -> pd.DataFrame:
    """Return the map's table for a download: the screen's figures, each row saying what it is.

    Parameters
    ----------
    frame : pandas.DataFrame
        From `map_frame` or `survey_frame`.
    info : FigureInfo
        What the figures are (`analysis.figure.figure_info`).
    source_id : str
        Catalogue id of the source.
    survey : bool
        Survey figures: a grey area's value is suppressed (``status`` "onderdrukt"), so no
        export can show it.

    Returns
    -------
    pandas.DataFrame
        ``code, name, value, [ci_low, ci_high, n], reason, indicator, source, period, age``.

    Examples
    --------
    >>> from analysis.figure import FigureInfo
    >>> info = FigureInfo("eenzaam", "Eenzaam", "modelschatting", "T", "Bron: RIVM", "50090NED",
    ...                   2020, 2020, "18+")
    >>> frame = pd.DataFrame({"code": ["WK1"], "name": ["Noord"], "value": [None],
    ...                       "status": ["niet gepubliceerd (geheim of te onzeker)"]})
    >>> map_export(frame, info, "50090NED", survey=False).columns.tolist()
    ['code', 'name', 'value', 'reason', 'indicator', 'source', 'period', 'age']
    """
    columns = ["code", "name", "value"]
    if survey:
        columns += [c for c in ("ci_low", "ci_high", "n") if c in frame.columns]
    # One constructor rather than a selection and five assigns (issue #14: a first visit).
    out = pd.DataFrame(
        {
            **{column: frame[column] for column in columns},
            "reason": frame["status"].fillna("").astype("str"),
            "indicator": info.indicator,
            "source": source_id,
            "period": info.period,
            "age": info.age,
        },
        index=frame.index,
    )
    if survey:
        out["status"] = ["onderdrukt" if pd.isna(v) else "" for v in out["value"]]
    return out.reset_index(drop=True)
