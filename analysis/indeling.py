"""Whether a region code names the same area in two indelingen: the rule figures are joined by.

CBS reuses codes after a redivision: WK008061 was "Vossepark & Helicon" in 2016 and is
"Vrijheidswijk" now. A figure of one indeling is shown on an area of another only where it is
the same area. The evidence, strongest first:

1. **geometry** — both indelingen have a boundary: the same area when at least `SAME_SHARE`
   of each lies within `TOLERANCE_M` of the other. The sources are generalised differently
   (the 2024 file per feature at 0.0005°, about 55 m, and the snapshot again at 50 m), so
   two drawings of one wijk are never equal; measured on the real layers, the plain overlap
   of same-code wijken runs smoothly from 90 to 100 %, and with 100 m tolerance it splits
   into ≥ 99 % (1 971 of 2 287 codes shared by 2016 and 2024) and clearly different areas.
   A "no" from geometry is final: no other evidence can join the two.
2. **children** — the same set of child codes (the buurten of a wijk, the wijken of a
   gemeente), for an indeling without boundaries (the RIVM table of indeling 2020).
3. **name** — the same name, for an indeling without boundaries or children.

`area_keys` joins the indelingen of each code into classes with these edges (a union-find that
refuses an edge joining two indelingen that geometry separated); rows with the same key are the
same area. `comparable` then keeps only the figures whose indeling is the same area as the one
shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import shapely

#: Share of each of the two areas that must lie within `TOLERANCE_M` of the other.
SAME_SHARE = 0.98

#: Differences narrower than this are generalisation, not another area (see the docstring).
TOLERANCE_M = 100.0

#: Reason shown where a figure exists but belongs to an area of another indeling.
OTHER_INDELING = "andere indeling"

#: Evidence kinds in the order they are applied (see the module docstring).
EVIDENCE = ("geometry", "children", "name")

#: Key of the country: the same area in every indeling.
COUNTRY_KEY = "NL"

METRIC_CRS = "EPSG:28992"


def geometry_evidence(
    a: gpd.GeoDataFrame,
    b: gpd.GeoDataFrame,
    threshold: float = SAME_SHARE,
    tolerance_m: float = TOLERANCE_M,
) -> pd.DataFrame:
    """Compare the boundaries of the codes two layers share.

    Parameters
    ----------
    a, b : geopandas.GeoDataFrame
        ``code, indeling, geometry`` of one indeling each (any CRS; areas are measured in
        EPSG:28992).
    threshold : float
        Minimum share of each area that lies within ``tolerance_m`` of the other.
    tolerance_m : float
        Width in metres of the band around each area counted as "overlapping".

    Returns
    -------
    pandas.DataFrame
        ``code, indeling_a, indeling_b, kind, same, share_a, share_b``: one row per shared
        code, ``kind`` "geometry", ``share_a`` = the share of the area in ``a`` within
        ``tolerance_m`` of the area in ``b``.

    Examples
    --------
    >>> sq = shapely.box(150000, 450000, 151000, 451000)
    >>> a = gpd.GeoDataFrame({"code": ["WK1", "WK2"], "indeling": [2016, 2016]},
    ...                      geometry=[sq, sq], crs="EPSG:28992")
    >>> b = gpd.GeoDataFrame({"code": ["WK1", "WK2"], "indeling": [2024, 2024]},
    ...      geometry=[shapely.affinity.translate(sq, 60), shapely.affinity.translate(sq, 500)],
    ...      crs="EPSG:28992")
    >>> geometry_evidence(a, b)[["code", "same", "share_a"]].values.tolist()
    [['WK1', True, 1.0], ['WK2', False, 0.6]]
    """
    left = a.to_crs(METRIC_CRS)[["code", "indeling", "geometry"]]
    right = b.to_crs(METRIC_CRS)[["code", "indeling", "geometry"]]
    pairs = left.merge(right, on="code", suffixes=("_a", "_b"))
    ga = pairs["geometry_a"].to_numpy()
    gb = pairs["geometry_b"].to_numpy()
    near_b = shapely.area(shapely.intersection(ga, shapely.buffer(gb, tolerance_m)))
    near_a = shapely.area(shapely.intersection(gb, shapely.buffer(ga, tolerance_m)))
    with np.errstate(divide="ignore", invalid="ignore"):
        share_a = np.where(shapely.area(ga) > 0, near_b / shapely.area(ga), 0.0)
        share_b = np.where(shapely.area(gb) > 0, near_a / shapely.area(gb), 0.0)
    out = pd.DataFrame(
        {
            "code": pairs["code"].astype("str"),
            "indeling_a": pairs["indeling_a"].astype("int64"),
            "indeling_b": pairs["indeling_b"].astype("int64"),
            "kind": "geometry",
            "same": (share_a >= threshold) & (share_b >= threshold),
            "share_a": np.round(share_a, 4),
            "share_b": np.round(share_b, 4),
        }
    )
    return out.sort_values("code", kind="stable").reset_index(drop=True)


def children_evidence(children: pd.DataFrame) -> pd.DataFrame:
    """Say, per code and pair of indelingen, whether the code had the same set of children.

    Parameters
    ----------
    children : pandas.DataFrame
        ``parent, indeling, child``: e.g. the buurten of each wijk per indeling.

    Returns
    -------
    pandas.DataFrame
        ``code, indeling_a, indeling_b, kind, same`` with kind "children"; only pairs with the
        same, non-empty set (``same`` is True) — a different set is no proof of another area
        (a buurt can be split inside an unchanged wijk).

    Examples
    --------
    >>> kids = pd.DataFrame({"parent": ["WK1"] * 4 + ["WK2"] * 3,
    ...     "indeling": [2020, 2020, 2022, 2022, 2020, 2022, 2022],
    ...     "child": ["BU1", "BU2", "BU2", "BU1", "BU3", "BU3", "BU4"]})
    >>> children_evidence(kids)[["code", "indeling_a", "indeling_b", "same"]].values.tolist()
    [['WK1', 2020, 2022, True]]
    """
    sets = (
        children.groupby(["parent", "indeling"])["child"]
        .agg(lambda s: "|".join(sorted(set(map(str, s)))))
        .rename("children")
        .reset_index()
    )
    pairs = sets.merge(sets, on=["parent", "children"], suffixes=("_a", "_b"))
    pairs = pairs[pairs["indeling_a"] < pairs["indeling_b"]]
    return pd.DataFrame(
        {
            "code": pairs["parent"].astype("str").to_numpy(),
            "indeling_a": pairs["indeling_a"].astype("int64").to_numpy(),
            "indeling_b": pairs["indeling_b"].astype("int64").to_numpy(),
            "kind": "children",
            "same": True,
        }
    )


def name_evidence(regions: pd.DataFrame) -> pd.DataFrame:
    """Pair the indelingen in which a code has the same name (case and spaces ignored).

    Examples
    --------
    >>> regs = pd.DataFrame({"code": ["WK1", "WK1", "WK1"], "indeling": [2016, 2022, 2024],
    ...                      "name": ["Oud", "Nieuw", " nieuw"]})
    >>> name_evidence(regs)[["code", "indeling_a", "indeling_b", "same"]].values.tolist()
    [['WK1', 2022, 2024, True]]
    """
    named = regions.loc[regions["name"].notna(), ["code", "indeling", "name"]].copy()
    named["key"] = named["name"].astype("str").map(_name_key)
    named = named[named["key"] != ""]
    pairs = named.merge(named, on=["code", "key"], suffixes=("_a", "_b"))
    pairs = pairs[pairs["indeling_a"] < pairs["indeling_b"]]
    return pd.DataFrame(
        {
            "code": pairs["code"].astype("str").to_numpy(),
            "indeling_a": pairs["indeling_a"].astype("int64").to_numpy(),
            "indeling_b": pairs["indeling_b"].astype("int64").to_numpy(),
            "kind": "name",
            "same": True,
        }
    ).reset_index(drop=True)


def area_keys(regions: pd.DataFrame, evidence: pd.DataFrame) -> pd.Series:
    """Give every ``(code, indeling)`` a key; equal keys mean the same area.

    Parameters
    ----------
    regions : pandas.DataFrame
        ``code, indeling`` (and ``level``: the country gets `COUNTRY_KEY`).
    evidence : pandas.DataFrame
        ``code, indeling_a, indeling_b, kind, same`` from the ``*_evidence`` functions.
        Edges are applied in `EVIDENCE` order; a geometry "not the same" forbids joining
        those two indelingen through any chain of weaker edges.

    Returns
    -------
    pandas.Series
        ``"<code>@<oldest indeling of the class>"``, aligned with ``regions``.

    Examples
    --------
    WK1 has the same boundary in 2016 and 2024; the 2020 table (no boundary) has the same
    buurten as 2024. WK2 changed between 2016 and 2024, and its 2020 name matches 2016 and
    2024 alike, so the name cannot join all three: 2020 joins 2016, the older class.

    >>> regs = pd.DataFrame({"code": ["WK1"] * 3 + ["WK2"] * 3,
    ...                      "indeling": [2016, 2020, 2024] * 2})
    >>> ev = pd.DataFrame({"code": ["WK1", "WK1", "WK2", "WK2", "WK2"],
    ...     "indeling_a": [2016, 2020, 2016, 2016, 2020],
    ...     "indeling_b": [2024, 2024, 2024, 2020, 2024],
    ...     "kind": ["geometry", "children", "geometry", "name", "name"],
    ...     "same": [True, True, False, True, True]})
    >>> area_keys(regs, ev).tolist()
    ['WK1@2016', 'WK1@2016', 'WK1@2016', 'WK2@2016', 'WK2@2016', 'WK2@2024']
    """
    codes = regions["code"].astype("str").to_numpy()
    years = regions["indeling"].astype("int64").to_numpy()
    parent: dict[tuple[str, int], tuple[str, int]] = {
        (c, int(y)): (c, int(y)) for c, y in zip(codes, years, strict=True)
    }

    def find(node: tuple[str, int]) -> tuple[str, int]:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    members: dict[tuple[str, int], set[int]] = {node: {node[1]} for node in parent}
    apart: dict[str, set[frozenset[int]]] = {}
    ev = evidence.astype({"indeling_a": "int64", "indeling_b": "int64"})
    for row in ev[(ev["kind"] == "geometry") & ~ev["same"].astype(bool)].itertuples():
        apart.setdefault(str(row.code), set()).add(frozenset((row.indeling_a, row.indeling_b)))
    rank = {kind: i for i, kind in enumerate(EVIDENCE)}
    positive = ev[ev["same"].astype(bool)].assign(_rank=ev["kind"].map(rank))
    positive = positive.sort_values(["_rank", "code", "indeling_a", "indeling_b"], kind="stable")
    for row in positive.itertuples():
        a, b = (str(row.code), int(row.indeling_a)), (str(row.code), int(row.indeling_b))
        if a not in parent or b not in parent:
            continue
        ra, rb = find(a), find(b)
        if ra == rb:
            continue
        forbidden = apart.get(row.code, set())
        if any(frozenset((x, y)) in forbidden for x in members[ra] for y in members[rb]):
            continue
        root, other = (ra, rb) if ra[1] <= rb[1] else (rb, ra)
        parent[other] = root
        members[root] |= members.pop(other)
    keys = [f"{c}@{find((c, int(y)))[1]}" for c, y in zip(codes, years, strict=True)]
    out = pd.Series(keys, index=regions.index, dtype="str")
    if "level" in regions.columns:
        out = out.where(regions["level"] != "land", COUNTRY_KEY)
    return out


def current_indeling(regions: pd.DataFrame, code: str) -> int | None:
    """Return the newest indeling that names a code (the area a page shows), else the newest.

    Examples
    --------
    >>> regs = pd.DataFrame({"code": ["WK1", "WK1", "WK1"], "name": ["A", "B", None],
    ...                      "indeling": [2016, 2024, 2020]})
    >>> current_indeling(regs, "WK1"), current_indeling(regs, "WK9")
    (2024, None)
    """
    rows = regions[regions["code"] == code]
    if rows.empty:
        return None
    named = rows[rows["name"].notna()]
    return int((named if not named.empty else rows)["indeling"].max())


def comparable(
    values: pd.DataFrame,
    regions: pd.DataFrame,
    source_indeling: Mapping[str, int],
    targets: Mapping[str, int],
    *,
    lookup: AreaLookup | None = None,
) -> pd.DataFrame:
    """Keep, for the codes in ``targets``, only figures about the same area as the one shown.

    Parameters
    ----------
    values : pandas.DataFrame
        Long value table (``code, source, …``).
    regions : pandas.DataFrame
        ``code, indeling, area`` (``area`` from `area_keys`).
    source_indeling : mapping of source id to int
        The indeling each source's figures are about (the catalogue's ``indeling``).
    targets : mapping of code to int
        The indeling of the area shown per code. Rows of other codes are kept as they are.
    lookup : AreaLookup, optional
        `area_lookup` of ``regions`` when the caller keeps it (the same answer, faster).

    Returns
    -------
    pandas.DataFrame
        ``values`` without the rows whose indeling is another area for that code.

    Examples
    --------
    >>> regs = pd.DataFrame({"code": ["WK1", "WK1", "WK2", "WK2"],
    ...     "indeling": [2016, 2024, 2016, 2024],
    ...     "area": ["WK1@2016", "WK1@2016", "WK2@2016", "WK2@2024"]})
    >>> vals = pd.DataFrame({"code": ["WK1", "WK2", "WK2"], "source": ["old", "old", "new"],
    ...                      "value": [1.0, 2.0, 3.0]})
    >>> comparable(vals, regs, {"old": 2016, "new": 2024}, {"WK1": 2024, "WK2": 2024})["value"]
    ... # doctest: +NORMALIZE_WHITESPACE
    0    1.0
    2    3.0
    Name: value, dtype: float64
    """
    return values[same_area_mask(values, regions, source_indeling, targets, lookup=lookup)]


def isin_codes(column: pd.Series, codes: Iterable[str]) -> np.ndarray:
    """Return ``column.isin(codes)`` as a numpy array, fast for arrow-backed strings.

    pandas' ``isin`` on an arrow string column makes a pyarrow scalar of every code asked
    for: 14 ms for the 3 393 wijken of a national map against the region table, per call.
    ``pyarrow.compute.is_in`` does the same in under 1 ms, for a few codes or thousands.

    Examples
    --------
    >>> isin_codes(pd.Series(["WK1", "WK2", None], dtype="str"), {"WK2"}).tolist()
    [False, True, False]
    """
    wanted = [str(c) for c in codes]
    values = pa.array(column.array if hasattr(column, "array") else column, type=pa.string())
    found = pc.is_in(values, value_set=pa.array(wanted, type=pa.string()))
    return found.fill_null(False).to_numpy(zero_copy_only=False).astype(bool)


def same_area_mask(
    values: pd.DataFrame,
    regions: pd.DataFrame,
    source_indeling: Mapping[str, int],
    targets: Mapping[str, int],
    *,
    lookup: AreaLookup | None = None,
) -> pd.Series:
    """Return True for rows of codes not in ``targets`` or about the same area (see `comparable`).

    A code without a region row in the figure's indeling, or in the target's, counts as another
    area: nothing proves it is the same. ``lookup``: `area_lookup` of ``regions``, when the
    caller keeps it (otherwise the region rows of the targets are looked up here).
    """
    if not targets:
        return pd.Series(True, index=values.index)
    if lookup is not None:
        areas = lookup.area
    else:
        keys = regions.loc[isin_codes(regions["code"], targets), ["code", "indeling", "area"]]
        # Plain lists: iterating arrow-backed strings one by one cost ~90 ms per national map.
        areas = {
            (str(c), int(y)): str(a)
            for c, y, a in zip(
                keys["code"].tolist(), keys["indeling"].tolist(), keys["area"].tolist(), strict=True
            )
        }
    indelingen = dict(source_indeling)
    # One answer per distinct (code, source): a gemeente's thousands of rows hold a few
    # hundred pairs, and pandas per-row work (masks, maps, .loc) was most of a first map
    # visit (issue #14).
    code_ids, codes = pd.factorize(values["code"].astype("str"))
    source_ids, sources = pd.factorize(values["source"].astype("str"))
    # Pair number: code id × (sources + 1) + source id + 1; -1 (missing) becomes a slot too.
    pair_ids = code_ids.astype(np.int64) * (len(sources) + 1) + (source_ids + 1)
    pairs, where = np.unique(pair_ids, return_inverse=True)
    code_list, source_list = [None, *codes.tolist()], [None, *sources.tolist()]
    answers = np.ones(len(pairs), dtype=bool)
    for i, pair in enumerate(pairs.tolist()):
        code_slot, source_slot = divmod(pair, len(sources) + 1)
        code, source = code_list[code_slot + 1], source_list[source_slot]
        target = targets.get(code) if code is not None else None
        if target is None:
            continue
        year = indelingen.get(source) if source is not None else None
        own = None if year is None or year != year else areas.get((code, int(year)))
        answers[i] = own is not None and own == areas.get((code, int(target)))
    return pd.Series(answers[where.reshape(-1)], index=values.index)


@dataclass(frozen=True)
class AreaLookup:
    """The region table as dictionaries, made once per snapshot (see `area_lookup`).

    ``area``: ``(code, indeling) -> area key`` of every region row; ``current``: code -> the
    indeling it names now (`current_indelingen` of every code).
    """

    area: Mapping[tuple[str, int], str]
    current: Mapping[str, int]


def area_lookup(regions: pd.DataFrame) -> AreaLookup:
    """Return the area keys and current indelingen of every code of ``regions``.

    `same_area_mask`, `honest_values` and `gemeente_values` give the same answers with it,
    without searching the region table (~25 000 rows) on every call.

    Examples
    --------
    >>> regs = pd.DataFrame({"code": ["WK1", "WK1"], "name": ["Oud", None],
    ...     "indeling": [2016, 2024], "area": ["WK1@2016", "WK1@2016"]})
    >>> look = area_lookup(regs)
    >>> look.area[("WK1", 2024)], look.current["WK1"]
    ('WK1@2016', 2016)
    """
    codes = regions["code"].astype("str").tolist()
    years = regions["indeling"].tolist()
    if "area" in regions.columns:
        area = {
            (c, int(y)): str(a)
            for c, y, a in zip(codes, years, regions["area"].tolist(), strict=True)
        }
    else:
        area = {}
    return AreaLookup(area=area, current=current_indelingen(regions, set(codes)))


def _name_key(name: str) -> str:
    """Compare names without case and surrounding or doubled spaces."""
    return " ".join(str(name).split()).casefold()


def current_indelingen(regions: pd.DataFrame, codes: Iterable[str]) -> dict[str, int]:
    """Vectorised `current_indeling`: code -> the newest indeling that names it (else newest).

    Examples
    --------
    >>> regs = pd.DataFrame({"code": ["WK1", "WK1", "BU1"], "name": ["A", None, None],
    ...                      "indeling": [2024, 2020, 2020]})
    >>> sorted(current_indelingen(regs, ["WK1", "BU1", "WK9"]).items())
    [('BU1', 2020), ('WK1', 2024)]
    """
    # pyarrow's is_in (`isin_codes`): pandas' isin made a scalar per code, 0,13 s for every
    # code of the region table (`area_lookup`, once per snapshot, on the cold start).
    rows = regions.loc[isin_codes(regions["code"], codes), ["code", "name", "indeling"]]
    rank = rows.assign(_named=rows["name"].notna().astype("int64"))
    rank = rank.sort_values(["code", "_named", "indeling"], kind="stable")
    last = rank.drop_duplicates("code", keep="last")
    return {
        str(c): int(y)
        for c, y in zip(last["code"].tolist(), last["indeling"].tolist(), strict=True)
    }


def honest_values(
    values: pd.DataFrame,
    regions: pd.DataFrame,
    source_indeling: Mapping[str, int],
    *,
    lookup: AreaLookup | None = None,
) -> pd.DataFrame:
    """Keep only the figures about the area each code names now (see `comparable`).

    The "now" of a code is `current_indelingen`: the area the pickers show and pages name.
    Without an ``area`` column in ``regions`` (an old snapshot) nothing is left out.
    ``lookup``: `area_lookup` of ``regions``, when the caller keeps it.

    Examples
    --------
    >>> regs = pd.DataFrame({"code": ["WK1", "WK1"], "name": ["Oud", "Nieuw"],
    ...     "indeling": [2016, 2024], "area": ["WK1@2016", "WK1@2024"]})
    >>> vals = pd.DataFrame({"code": ["WK1", "WK1"], "source": ["old", "new"], "value": [1.0, 2.0]})
    >>> honest_values(vals, regs, {"old": 2016, "new": 2024})["value"].tolist()
    [2.0]
    """
    if "area" not in regions.columns or values.empty:
        return values
    if lookup is None:
        targets = current_indelingen(regions, values["code"].unique())
    else:
        codes = values["code"].astype("str").unique().tolist()
        targets = {c: lookup.current[c] for c in codes if c in lookup.current}
    return comparable(values, regions, source_indeling, targets, lookup=lookup)


def gemeente_keys(codes: pd.Series) -> pd.Series:
    """Return the gemeente number of each region code as a categorical, "NL" for the country.

    ``GM0080``, ``WK008010`` and ``BU00801000`` all give ``"0080"``. Made once per snapshot
    (`gemeente_values` then compares integer category codes instead of slicing a million
    strings on every first visit of a gemeente).

    Examples
    --------
    >>> gemeente_keys(pd.Series(["GM0080", "WK008010", "BU00801000", "NL01"])).tolist()
    ['0080', '0080', '0080', 'NL']
    """
    code = codes.astype("str")
    country = code.str[:2] == "NL"
    keys = code.str[2:6].where(~country, "NL")
    return keys.astype("category")


@dataclass(frozen=True)
class GemeenteRows:
    """Where the rows of each gemeente lie in a long table, made once per snapshot.

    ``order`` holds the row positions grouped by `gemeente_keys` (snapshot order within a
    group), ``bounds`` each key's ``(start, stop)`` in ``order``: a gemeente's rows are one
    slice, not a scan of the million rows (see `gemeente_rows`).
    """

    order: np.ndarray
    bounds: Mapping[str, tuple[int, int]]

    def positions(self, keys: Iterable[str]) -> np.ndarray:
        """Return the positions of the rows of these gemeente keys, ascending (table order).

        Examples
        --------
        >>> rows = gemeente_rows(pd.Series(["WK000101", "NL01", "GM0002", "BU00010101"]))
        >>> rows.positions(["0001", "NL"]).tolist(), rows.positions(["9999"]).tolist()
        ([0, 1, 3], [])
        """
        parts = [
            self.order[slice(*self.bounds[k])] for k in dict.fromkeys(keys) if k in self.bounds
        ]
        if not parts:
            return np.empty(0, dtype=self.order.dtype)
        return np.sort(np.concatenate(parts))


def gemeente_key(code: str) -> str:
    """Return the gemeente number of one region code, "NL" for the country (`gemeente_keys`).

    Examples
    --------
    >>> gemeente_key("BU00801000"), gemeente_key("NL01")
    ('0080', 'NL')
    """
    return "NL" if code[:2] == "NL" else code[2:6]


def gemeente_rows(codes: pd.Series) -> GemeenteRows:
    """Group the positions of ``codes`` by gemeente (`gemeente_keys`) into `GemeenteRows`.

    Examples
    --------
    >>> rows = gemeente_rows(pd.Series(["WK000101", "NL01", "GM0002", "BU00010101"]))
    >>> rows.order.tolist(), dict(rows.bounds)
    ([0, 3, 1, 2], {'0001': (0, 2), 'NL': (2, 3), '0002': (3, 4)})
    """
    # The keys of `gemeente_keys`, made in pyarrow: pandas' .str slicing of a million codes
    # took 0,15 s of the server's warm-up, this 0,05 s.
    text = pa.array(codes.array if hasattr(codes, "array") else codes, type=pa.string())
    if isinstance(text, pa.ChunkedArray):
        text = text.combine_chunks()
    keys = pc.if_else(
        pc.starts_with(text, "NL"), pa.scalar("NL"), pc.utf8_slice_codeunits(text, 2, 6)
    ).dictionary_encode()
    numbers = keys.indices.fill_null(-1).to_numpy(zero_copy_only=False)
    if len(keys.dictionary) < np.iinfo(np.int16).max:
        numbers = numbers.astype(np.int16)  # numpy's stable sort of 16-bit ints is a radix sort
    order = np.argsort(numbers, kind="stable")
    ordered = numbers[order]
    groups = np.arange(len(keys.dictionary))
    starts = np.searchsorted(ordered, groups, side="left")
    stops = np.searchsorted(ordered, groups, side="right")
    bounds = {
        str(key): (int(a), int(b))
        for key, a, b in zip(keys.dictionary.to_pylist(), starts, stops, strict=True)
        if b > a
    }
    # 32-bit positions where they fit: 4 MB per process for the million rows, not 8.
    small = len(numbers) < np.iinfo(np.int32).max
    return GemeenteRows(order=order.astype(np.int32 if small else np.int64), bounds=bounds)


def gemeente_values(
    values: pd.DataFrame,
    regions: pd.DataFrame,
    source_indeling: Mapping[str, int],
    gemeente_code: str,
    keys: pd.Series | None = None,
    *,
    rows: GemeenteRows | None = None,
    lookup: AreaLookup | None = None,
) -> pd.DataFrame:
    """Return the figures of a gemeente, its wijken and buurten and the country, made honest.

    The rows whose code lies in the gemeente (``GM0080``, ``WK0080…``, ``BU0080…``) or is the
    country, in table order, passed through `honest_values`. What the caller keeps per
    snapshot makes it faster, with the same answer: ``rows`` (`gemeente_rows` of
    ``values["code"]``: a slice per gemeente), else ``keys`` (`gemeente_keys`: a comparison
    of integer codes; made here without either), and ``lookup`` (`area_lookup` of
    ``regions``).

    Examples
    --------
    >>> regs = pd.DataFrame({"code": ["WK000101", "WK000101"], "name": ["Oud", "Nieuw"],
    ...     "indeling": [2016, 2024], "area": ["WK000101@2016", "WK000101@2024"]})
    >>> vals = pd.DataFrame({"code": ["WK000101", "WK000101", "WK000201", "NL01"],
    ...     "source": ["old", "new", "new", "new"], "value": [1.0, 2.0, 3.0, 4.0]})
    >>> gemeente_values(vals, regs, {"old": 2016, "new": 2024}, "GM0001")["value"].tolist()
    [2.0, 4.0]
    """
    if rows is not None:
        part = values.take(rows.positions([gemeente_code[2:6], "NL"]))
    else:
        if keys is None:
            keys = gemeente_keys(values["code"])
        wanted = keys.cat.categories.get_indexer([gemeente_code[2:6], "NL"])
        part = values[np.isin(keys.cat.codes.to_numpy(), wanted[wanted >= 0])]
    return honest_values(part, regions, source_indeling, lookup=lookup).reset_index(drop=True)
