"""The GGD region as a scope: its regions to pick from, its map layer and its wijk table."""

from __future__ import annotations

import pandas as pd

from analysis.aggregate import parts_of

#: Columns of the region table on the Kaart page.
REGION_TABLE_COLUMNS = ("code", "name", "gemeente_code", "gemeente_name", "value", "status")


def region_options(membership: pd.DataFrame) -> pd.DataFrame:
    """Return the GGD regions to pick from, by name (from the newest indeling).

    Examples
    --------
    >>> m = pd.DataFrame({"gemeente_code": ["GM1", "GM2", "GM3"], "indeling": 2024,
    ...     "ggd_code": ["GG2", "GG1", "GG2"], "ggd_name": ["GGD Twee", "GGD Een", "GGD Twee"]})
    >>> region_options(m).values.tolist()
    [['GG1', 'GGD Een', 1], ['GG2', 'GGD Twee', 2]]
    """
    if membership.empty:
        return pd.DataFrame(columns=["ggd_code", "ggd_name", "gemeenten"])
    newest = membership[membership["indeling"] == membership["indeling"].max()].dropna(
        subset=["ggd_code"]
    )
    out = (
        newest.groupby(["ggd_code", "ggd_name"])["gemeente_code"]
        .nunique()
        .rename("gemeenten")
        .reset_index()
    )
    return out.sort_values("ggd_name", key=lambda s: s.str.lower(), ignore_index=True)


def region_of(membership: pd.DataFrame, gemeente_code: str) -> tuple[str, str] | None:
    """Return ``(ggd_code, ggd_name)`` of a gemeente (its newest indeling), or None.

    Examples
    --------
    >>> m = pd.DataFrame({"gemeente_code": ["GM0416", "GM1980"], "indeling": [2020, 2024],
    ...     "ggd_code": ["GG2707", "GG2707"], "ggd_name": ["GGD Hollands-Noorden"] * 2})
    >>> region_of(m, "GM0416"), region_of(m, "GM9999")
    (('GG2707', 'GGD Hollands-Noorden'), None)
    """
    rows = membership[
        (membership["gemeente_code"] == gemeente_code) & membership["ggd_code"].notna()
    ]
    if rows.empty:
        return None
    row = rows.sort_values("indeling").iloc[-1]
    return str(row["ggd_code"]), str(row["ggd_name"])


def region_layer(
    layers: pd.DataFrame, membership: pd.DataFrame, region: str, level: str
) -> tuple[str, list[str]] | None:
    """Choose the newest layer that has areas at ``level`` for every gemeente of a region.

    The region's gemeenten are taken in the layer's own indeling (`parts_of`), so a layer of
    2016 draws Langedijk and Heerhugowaard, one of 2024 draws Dijk en Waard.

    Parameters
    ----------
    layers : pandas.DataFrame
        ``layer, gemeente_code, level, indeling`` (`analysis.views.maps.layer_index`).
    membership : pandas.DataFrame
        ``gemeente_code, indeling, ggd_code``.
    region : str
        The GGD region code.
    level : str
        ``wijk`` or ``buurt``.

    Returns
    -------
    (layer, gemeente codes) or None
        None when no layer covers the whole region.

    Examples
    --------
    >>> idx = pd.DataFrame({"layer": ["nl", "nl", "local"], "gemeente_code": ["GM1", "GM2", "GM1"],
    ...                     "level": "wijk", "indeling": [2016, 2016, 2025]})
    >>> m = pd.DataFrame({"gemeente_code": ["GM1", "GM2"], "indeling": 2016, "ggd_code": "GG1"})
    >>> region_layer(idx, m, "GG1", "wijk")
    ('nl', ['GM1', 'GM2'])
    """
    at_level = layers[layers["level"] == level]
    candidates = (
        at_level[["layer", "indeling"]]
        .drop_duplicates()
        .sort_values(["indeling", "layer"], ascending=[False, True])
    )
    for row in candidates.itertuples(index=False):
        parts = parts_of(membership, region, int(row.indeling))
        covered = set(at_level.loc[at_level["layer"] == row.layer, "gemeente_code"])
        if parts and set(parts) <= covered:
            return str(row.layer), parts
    return None


def region_table(frame: pd.DataFrame, areas: pd.DataFrame, gemeente_names: dict) -> pd.DataFrame:
    """Add each area's gemeente to a map frame, for the region's table (sorted by value).

    Examples
    --------
    >>> frame = pd.DataFrame({"code": ["WK1", "WK2"], "name": ["A", "B"], "value": [1.0, 2.0],
    ...                       "status": ["", ""]})
    >>> areas = pd.DataFrame({"code": ["WK1", "WK2"], "gemeente_code": ["GM1", "GM2"]})
    >>> region_table(frame, areas, {"GM1": "Een"})["gemeente_name"].tolist()
    ['GM2', 'Een']
    """
    out = frame.merge(areas[["code", "gemeente_code"]], on="code", how="left")
    names = out["gemeente_code"].map(gemeente_names)
    out["gemeente_name"] = names.fillna(out["gemeente_code"])
    out = out.sort_values("value", ascending=False, na_position="last", kind="stable")
    return out[list(REGION_TABLE_COLUMNS)].reset_index(drop=True)
